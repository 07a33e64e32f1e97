import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allChecks } from '../../checks/index.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { LocalSource } from '../../src/snapshot/local-source.js';

let plain: string;
let checkout: string;

function populate(directory: string) {
  mkdirSync(join(directory, 'src', 'deep'), { recursive: true });
  writeFileSync(join(directory, 'README.md'), '# Demo\n');
  writeFileSync(join(directory, 'src', 'index.js'), 'console.log(1)\n');
  writeFileSync(join(directory, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
  writeFileSync(join(directory, 'big.txt'), 'x'.repeat(3000));
  writeFileSync(join(directory, 'broken.json'), '{ "name": ');
  symlinkSync('.', join(directory, 'src', 'deep', 'loop'));
  symlinkSync('b-link', join(directory, 'a-link'));
  symlinkSync('a-link', join(directory, 'b-link'));
  mkdirSync(join(directory, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(directory, 'node_modules', 'x', 'index.js'), '');
}

beforeAll(() => {
  plain = mkdtempSync(join(tmpdir(), 'shipready-plain-'));
  populate(plain);
  checkout = mkdtempSync(join(tmpdir(), 'shipready-git-'));
  populate(checkout);
  writeFileSync(join(checkout, '.gitignore'), 'ignored.log\n');
  writeFileSync(join(checkout, 'ignored.log'), 'noise');
  execFileSync('git', ['init', '-q'], { cwd: checkout });
  execFileSync('git', ['add', 'README.md', 'src/index.js', 'a-link', '.gitignore'], { cwd: checkout });
});

afterAll(() => {
  rmSync(plain, { recursive: true, force: true });
  rmSync(checkout, { recursive: true, force: true });
});

describe('LocalSource', () => {
  it('walks a plain directory, records symlinks without following them (no loop), skips node_modules', async () => {
    const listing = await new LocalSource(plain).listTree();
    const paths = listing.entries.map((entry) => entry.path);
    expect(paths).toEqual(
      expect.arrayContaining(['README.md', 'src/index.js', 'logo.png', 'src/deep/loop', 'a-link', 'b-link']),
    );
    expect(paths.some((path) => path.startsWith('node_modules/'))).toBe(false);
    expect(listing.entries.find((entry) => entry.path === 'src/deep/loop')).toMatchObject({
      kind: 'symlink',
      mode: '120000',
    });
    expect(listing.entries.find((entry) => entry.path === 'big.txt')?.size).toBe(3000);
  });

  it("uses git's index in a checkout: tracked files carry blob ids, ignored files are left out", async () => {
    const listing = await new LocalSource(checkout).listTree();
    const readme = listing.entries.find((entry) => entry.path === 'README.md');
    expect(readme?.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(listing.entries.find((entry) => entry.path === 'a-link')).toMatchObject({ kind: 'symlink', mode: '120000' });
    const paths = listing.entries.map((entry) => entry.path);
    expect(paths).toContain('logo.png'); // untracked but not ignored
    expect(paths).not.toContain('ignored.log');
  });

  it("takes sizes from git's objects for unchanged files and from the working tree for changed ones", async () => {
    const directory = mkdtempSync(join(tmpdir(), 'shipready-sizes-'));
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: directory });
      writeFileSync(join(directory, 'same.txt'), 'twelve bytes');
      writeFileSync(join(directory, 'grown.txt'), 'small');
      writeFileSync(join(directory, 'gone.txt'), 'deleted later');
      writeFileSync(join(directory, 'now-a-link.txt'), 'a file in the index');
      writeFileSync(join(directory, 'run.sh'), '#!/bin/sh\n');
      git('init', '-q');
      git('add', '.');
      git('update-index', '--chmod=+x', 'run.sh');
      writeFileSync(join(directory, 'grown.txt'), 'much larger than before');
      rmSync(join(directory, 'gone.txt'));
      rmSync(join(directory, 'now-a-link.txt'));
      symlinkSync('same.txt', join(directory, 'now-a-link.txt'));
      writeFileSync(join(directory, 'new.txt'), 'untracked');
      const listing = await new LocalSource(directory).listTree();
      const byPath = new Map(listing.entries.map((entry) => [entry.path, entry]));
      expect(byPath.get('same.txt')).toMatchObject({ kind: 'file', size: 12, mode: '100644' });
      expect(byPath.get('grown.txt')).toMatchObject({ kind: 'file', size: 23 });
      expect(byPath.get('now-a-link.txt')).toMatchObject({ kind: 'symlink', size: 8 });
      expect(byPath.get('run.sh')).toMatchObject({ kind: 'file', size: 10, mode: '100755' });
      expect(byPath.get('new.txt')).toMatchObject({ kind: 'file', size: 9 });
      expect(byPath.has('gone.txt')).toBe(false);
      expect(listing.warnings).toEqual(['1 tracked file(s) are missing from the working tree and were left out']);
      const files = await new LocalSource(directory).readFiles(listing.entries, { maxFileBytes: 1024 });
      expect(files.get('grown.txt')?.text).toBe('much larger than before');
      expect(files.get('now-a-link.txt')).toMatchObject({ text: null, error: 'symlink not followed' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('never reads through a symlink that replaced a listed file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'shipready-swap-'));
    try {
      writeFileSync(join(directory, 'secret.txt'), 'outside');
      symlinkSync('secret.txt', join(directory, 'innocent.txt'));
      const files = await new LocalSource(directory).readFiles(
        [{ path: 'innocent.txt', kind: 'file', size: 7, mode: '100644' }],
        { maxFileBytes: 1024 },
      );
      expect(files.get('innocent.txt')).toMatchObject({ text: null });
      expect(files.get('innocent.txt')?.error).toMatch(/^unreadable: ELOOP/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('detects binaries, cuts files at the size cap, and reports unreadable files without throwing', async () => {
    const source = new LocalSource(plain);
    const { entries } = await source.listTree();
    const wanted = entries.filter((entry) => ['logo.png', 'big.txt', 'README.md', 'a-link'].includes(entry.path));
    wanted.push({ path: 'vanished.txt', kind: 'file', size: 10, mode: '100644' });
    const files = await source.readFiles(wanted, { maxFileBytes: 1024 });
    expect(files.get('logo.png')).toMatchObject({ binary: true, text: null });
    expect(files.get('big.txt')).toMatchObject({ truncated: true, binary: false });
    expect(files.get('big.txt')?.text).toHaveLength(1024);
    expect(files.get('README.md')?.text).toBe('# Demo\n');
    expect(files.get('a-link')).toMatchObject({ text: null, error: 'symlink not followed' });
    expect(files.get('vanished.txt')?.error).toMatch(/^unreadable: ENOENT/);
  });

  it('answers settings as not-supported', async () => {
    const settings = await new LocalSource(plain).readSettings(['secretScanning']);
    expect(settings.secretScanning).toMatchObject({ status: 'not-supported' });
  });

  it('evaluates the whole catalog on odd input without crashing', async () => {
    const report = await evaluateRepository({ source: new LocalSource(plain), checks: allChecks });
    expect(report.checks).toHaveLength(allChecks.length);
    for (const check of report.checks) expect(check.outcome).not.toBe('error');
  });
});
