/**
 * Start-up of the built CLI (`npm run build` first: this spawns bin/shipready.js): each command loads only its own
 * modules, so `--version` and `--help` cost Node's start-up and nothing more, and a scan of a directory never loads
 * Octokit. The modules a process loads are recorded by a resolve hook registered before the CLI starts.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'shipready.js');
const RECORD = join(import.meta.dirname, '..', 'helpers', 'record-modules.mjs');

function loaded(args: string[], cwd?: string): { status: number | null; modules: string[]; stdout: string } {
  const run = spawnSync(process.execPath, ['--import', RECORD, BIN, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const modules = run.stderr
    .split('\n')
    .filter((line) => line.startsWith('module: '))
    .map((line) => line.slice('module: '.length));
  return { status: run.status, modules, stdout: run.stdout };
}

describe('CLI start-up', () => {
  it('--version and --help load neither the checks, the engine nor Octokit', () => {
    for (const args of [['--version'], ['--help']]) {
      const { status, modules, stdout } = loaded(args);
      expect(status).toBe(0);
      expect(stdout.length).toBeGreaterThan(0);
      expect(modules.some((url) => url.includes('/dist/src/cli/main.js'))).toBe(true);
      expect(modules.filter((url) => /\/dist\/checks\/|\/dist\/src\/engine\/runner|@octokit/.test(url))).toEqual([]);
    }
  });

  it('a scan of a directory loads the checks but not Octokit', () => {
    const directory = mkdtempSync(join(tmpdir(), 'shipready-startup-'));
    writeFileSync(join(directory, 'README.md'), '# tiny\n');
    const { status, modules } = loaded(['scan', directory, '--format', 'json']);
    expect(status).not.toBe(2);
    expect(modules.some((url) => url.includes('/dist/checks/index.js'))).toBe(true);
    expect(modules.filter((url) => url.includes('@octokit'))).toEqual([]);
  });
});
