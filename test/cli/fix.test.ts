/**
 * `shipready fix` through the built CLI (`npm run build` first: this spawns bin/shipready.js) on repositories
 * written at test time: the diff it prints, what it writes, the score before → after and its exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'shipready.js');
let root: string;
let count = 0;

const CI = [
  'on: [push, pull_request]',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - run: npm test',
  '',
].join('\n');

/** A small Node service: README, package.json with scripts, one CI workflow without timeouts or permissions. */
function repository(extra: Record<string, string> = {}): string {
  const directory = join(root, `repo-${(count += 1)}`);
  const files: Record<string, string> = {
    'README.md': '# tiny\n\nA tiny service.\n',
    'package.json': JSON.stringify({ name: 'tiny', version: '1.0.0', scripts: { test: 'jest', lint: 'eslint .' } }),
    '.github/workflows/ci.yml': CI,
    ...extra,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), text);
  }
  return directory;
}

function fix(args: string[], env: Record<string, string> = {}) {
  const { GITHUB_TOKEN: _token, GH_TOKEN: _gh, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [BIN, 'fix', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...inherited, CI: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'shipready-cli-fix-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('shipready fix', () => {
  it('without --yes and without a terminal prints the diff, writes nothing and exits 1', () => {
    const directory = repository();
    const run = fix([directory, '--check', 'workflow-jobs-have-timeouts']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml',
        '--- a/.github/workflows/ci.yml',
        '+++ b/.github/workflows/ci.yml',
        '@@ -1,6 +1,7 @@',
        ' on: [push, pull_request]',
        ' jobs:',
        '   test:',
        '+    timeout-minutes: 30',
        '     runs-on: ubuntu-latest',
        '     steps:',
        '       - uses: actions/checkout@v4',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toContain('standard input is not a terminal and --yes was not given: nothing written');
    expect(run.stderr).toContain(`Run \`shipready fix ${directory} --check workflow-jobs-have-timeouts --yes\``);
    expect(run.stderr).toMatch(/score \d+ → \d+ .*once written/);
    expect(readFileSync(join(directory, '.github/workflows/ci.yml'), 'utf8')).toBe(CI);
  });

  it('prints a diff that git apply takes', () => {
    const directory = repository();
    const run = fix([directory, '--dry-run']);
    expect(run.code).toBe(1);
    writeFileSync(join(root, 'fix.patch'), run.stdout);
    spawnSync('git', ['init', '-q'], { cwd: directory });
    const check = spawnSync('git', ['apply', '--check', join(root, 'fix.patch')], { cwd: directory, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(existsSync(join(directory, 'SECURITY.md'))).toBe(false);
  });

  it('with --yes writes the fixes, prints the score before → after and exits 0; a second run has nothing to do', () => {
    const directory = repository();
    const run = fix([directory, '--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('new file mode 100644\n--- /dev/null\n+++ b/SECURITY.md');
    const written = /wrote (\d+) file\(s\): (.*)/.exec(run.stderr);
    expect(written?.[2].split(', ')).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', 'SECURITY.md', 'CODE_OF_CONDUCT.md', '.gitignore']),
    );
    const score = /shipready: score (\d+) → (\d+) \(\S+ → \S+; failing checks (\d+) → (\d+)\)\.$/m.exec(run.stderr);
    expect(score).not.toBeNull();
    const [, before, after, failingBefore, failingAfter] = score!.map(Number);
    expect(after).toBeGreaterThan(before);
    expect(failingAfter).toBeLessThan(failingBefore);
    expect(readFileSync(join(directory, '.github/workflows/ci.yml'), 'utf8')).toContain('timeout-minutes: 30');
    // Pinning needs the API: skipped offline, naming the token.
    expect(run.stderr).toContain('workflow-actions-pinned: skipped: 1 action reference(s) need the GitHub API');
    expect(run.stderr).toContain('GITHUB_TOKEN');

    const again = fix([directory, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(`nothing to fix automatically; score ${after}.`);
  });

  it('fixes only the checks named with --check', () => {
    const directory = repository();
    const run = fix([directory, '--check', 'security-policy-present', '--check', 'gitignore-present', '--yes']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('wrote 2 file(s): .gitignore, SECURITY.md');
    expect(existsSync(join(directory, 'CODE_OF_CONDUCT.md'))).toBe(false);
    expect(readFileSync(join(directory, '.github/workflows/ci.yml'), 'utf8')).toBe(CI);
  });

  it('never writes through a symbolic link out of the tree, and exits 2', () => {
    const outside = mkdtempSync(join(root, 'outside-'));
    const directory = repository();
    rmSync(join(directory, '.github'), { recursive: true });
    mkdirSync(join(outside, 'workflows'), { recursive: true });
    symlinkSync(outside, join(directory, '.github'));
    const run = fix([directory, '--check', 'contribution-templates-present', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a plain directory');
    expect(spawnSync('find', [outside, '-type', 'f'], { encoding: 'utf8' }).stdout).toBe('');
  });

  it.each([
    [['--check', 'no-such-check'], 'no check is called "no-such-check"'],
    [['--check', 'readme-present'], 'readme-present has no automatic fix; fixable: '],
    [['--dry-run', '--yes'], 'give either --dry-run or --yes'],
    [['a', 'b'], 'fix takes one directory'],
    [['--bogus'], 'Unknown option'],
  ])('exits 2 on bad usage %j', (args, message) => {
    const run = fix(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Exit codes for fix: 0 fixes written, or nothing to fix; 1 fixes pending');
  });

  it('documents itself in --help', () => {
    const run = fix(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('shipready fix [DIR] [options]');
    expect(run.stdout).toContain('--dry-run');
  });
});

describe('shipready fix on a terminal (in-process, the prompt injected)', () => {
  const run = async (directory: string, answer: boolean) => {
    const questions: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: { write: () => true, isTTY: true },
      stderr: { write: (text: string) => err.push(text) },
      env: {},
      cwd: directory,
      confirm: async (question: string) => {
        questions.push(question);
        return answer;
      },
    };
    const code = await main(['fix', '--check', 'workflow-jobs-have-timeouts'], io);
    return { code, questions, stderr: err.join('') };
  };

  it('asks before writing: no writes nothing and exits 1, yes writes and exits 0', async () => {
    const directory = repository();
    const declined = await run(directory, false);
    expect(declined.questions).toEqual(['Write these 1 file(s)? [y/N] ']);
    expect(declined.code).toBe(1);
    expect(readFileSync(join(directory, '.github/workflows/ci.yml'), 'utf8')).toBe(CI);
    const accepted = await run(directory, true);
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toContain('wrote 1 file(s): .github/workflows/ci.yml');
    expect(readFileSync(join(directory, '.github/workflows/ci.yml'), 'utf8')).toContain('timeout-minutes: 30');
  });
});
