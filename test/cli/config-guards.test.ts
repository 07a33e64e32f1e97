/**
 * The built CLI on trees with hostile configs: each is a config error naming the problem and the line, exit 2,
 * no stack trace, within seconds (`npm run build` first: this spawns bin/shipready.js).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'shipready.js');
let root: string;

function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= levels; level += 1)
    lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

function tree(name: string, write: (configPath: string) => void): string {
  const directory = join(root, name);
  mkdirSync(join(directory, '.github'), { recursive: true });
  writeFileSync(join(directory, 'README.md'), '# x\n');
  write(join(directory, '.github', 'shipready.yml'));
  return directory;
}

function scan(directory: string) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [BIN, 'scan', directory, '--format', 'json'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { ...result, ms: Date.now() - started };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'shipready-cli-guards-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the CLI on hostile configs', () => {
  it.each([
    [
      'huge',
      (path: string) => {
        writeFileSync(path, 'profile: service\n');
        truncateSync(path, 50 * 1024 * 1024); // 50 MB (sparse): never read
      },
      'the file is 52,428,800 bytes, more than the 262,144-byte limit: not parsed',
    ],
    [
      'deep-flow',
      (path: string) => writeFileSync(path, `profile: service\nchecks: ${'['.repeat(100_000)}\n`),
      '(root) (line 2): YAML nested more than 200 levels deep: not parsed',
    ],
    [
      'deep-block',
      (path: string) =>
        writeFileSync(path, `${Array.from({ length: 300 }, (_, d) => `${' '.repeat(d)}k${d}:`).join('\n')}\n`),
      '(root) (line 201): YAML nested more than 200 levels deep: not parsed',
    ],
    [
      'alias-bomb',
      (path: string) => writeFileSync(path, aliasBomb(9)),
      '(root) (line 5): YAML aliases would expand to more than 100,000 nodes (an alias bomb): not parsed',
    ],
    [
      'symlink',
      (path: string) => symlinkSync('/etc/hostname', path),
      'it is a symbolic link, and shipready reads nothing from outside the tree it scans',
    ],
  ])('%s: exit 2, the problem and its line, no stack trace', (name, write, message) => {
    const directory = tree(name, write);
    const result = scan(directory);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`shipready: ${join(directory, '.github', 'shipready.yml')} is invalid:`);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Fix the file (every key is described at https://');
    expect(result.stderr).not.toMatch(/\n\s+at |unexpected error/);
    expect(result.ms).toBeLessThan(10_000);
  });
});
