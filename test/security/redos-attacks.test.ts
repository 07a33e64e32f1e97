/**
 * The worst ReDoS cases found in the code, replayed against the real code on recheck's attack strings, and a
 * hostile repository scanned by the CLI. Old times (V8, this machine, the pre-rewrite expressions) are in the names.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { classifyShellLine } from '../../checks/lib/commands.js';
import { countWords } from '../../checks/lib/community-files.js';
import { findSecretLines, isEnvExample } from '../../checks/lib/env-files.js';
import { detectLicenseText } from '../../checks/lib/licenses.js';
import { scanText, SECRET_RULES } from '../../checks/lib/secret-patterns.js';
import { main } from '../../src/cli/main.js';
import { findSuppression } from '../../src/engine/suppression.js';
import { serverOf } from '../../src/report/check-run.js';
import { firstParagraph } from '../../src/report/format.js';
import { buildAttackRepository } from './attack-repo.js';

/** Runs `work` and returns its duration in ms. */
function timed(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

describe('exponential cases', () => {
  it('.env example names (old: 42 ms at 47 bytes, 788 ms at 55, ×18 every 8 bytes)', () => {
    const name = '.ENV.F' + '-M'.repeat(200) + '\u0000';
    expect(timed(() => expect(isEnvExample(name)).toBe(false))).toBeLessThan(100);
    expect(isEnvExample('.env.local.example')).toBe(true);
    expect(isEnvExample('.env-dev.sample')).toBe(true);
    expect(isEnvExample('.env.local')).toBe(false);
  });

  it('private-key blocks (old: 9.9 s at 232 bytes, > 20 s at 432)', () => {
    const pattern = SECRET_RULES.find((candidate) => candidate.pattern.source.startsWith('-----BEGIN'))!.pattern;
    const text = '-----BEGIN PRIVATE KEY-----\nV:  ' + 'A: n'.repeat(25_000);
    expect(timed(() => expect([...text.matchAll(pattern)]).toEqual([]))).toBeLessThan(100);
    const key = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,ABC\n\n${'A'.repeat(64)}\n`;
    expect([...key.matchAll(pattern)].map((match) => match[1])).toEqual(['RSA PRIVATE KEY']);
  });
});

describe('polynomial cases on 100 KB lines', () => {
  it('trailing slashes of a server URL (old: 8.8 s)', () => {
    const url = '/'.repeat(100_000) + '\u0000/';
    expect(timed(() => serverOf({ serverUrl: url } as Parameters<typeof serverOf>[0]))).toBeLessThan(100);
    expect(serverOf({ serverUrl: 'https://ghe.example.com///' } as Parameters<typeof serverOf>[0])).toBe(
      'https://ghe.example.com',
    );
  });

  it('ignore comments (old: > 30 s on a 9 KB line)', () => {
    const line = '#shipready-ignore\t-:' + '\t'.repeat(30_000) + ',n' + '\t'.repeat(30_000) + ':#shipready-ignore\ta';
    expect(timed(() => findSuppression([line], 1, 'x'))).toBeLessThan(100);
    expect(findSuppression(['<!-- shipready-ignore a-b, c: vendored -->'], 1, 'a-b')).toBe('vendored');
    expect(findSuppression(['x # shipready-ignore c'], 1, 'c')).toBe('no reason given');
  });
});

describe('more polynomial cases on 100 KB lines', () => {
  it('blank runs in a remediation paragraph (old: 8.9 s)', () => {
    const markdown = '\t'.repeat(100_000) + '\u0000\n';
    expect(timed(() => firstParagraph(markdown))).toBeLessThan(100);
    expect(firstParagraph('Add a\n   licence  \n file.\n\nMore.')).toBe('Add a licence file.');
  });

  it('secret scanning of a line of private-key headers and `${{` runs (old: 0.7 s for 99 KB of `${{`)', () => {
    const text = '-----BEGIN PRIVATE KEY-----\nV:  ' + 'A: n'.repeat(25_000) + '\n' + '${{'.repeat(33_000);
    expect(timed(() => scanText(text))).toBeLessThan(500);
  });
});

describe('rewritten line matchers on 100 KB lines', () => {
  it('SPDX tags (old: cubic, lazy id then blanks)', () => {
    const text = 'SPDX-License-Identifier: M' + ' '.repeat(100_000) + '!';
    expect(timed(() => expect(detectLicenseText(text)).toBeUndefined())).toBeLessThan(100);
    expect(detectLicenseText('/* SPDX-License-Identifier: MIT OR Apache-2.0 */')).toBe('MIT OR Apache-2.0');
    expect(detectLicenseText('<!-- SPDX-License-Identifier: MIT -->')).toBe('MIT');
  });

  it('OpenAI keys inside a long token of `sk-` (old: 1.7 s on 50 KB)', () => {
    const text = 'sk-npiillJv-onvJ-cvBllJv-onvJ-cvBBi' + 'sk-'.repeat(30_000) + '-0' + 'Tj'.repeat(30_000) + '\u0000';
    expect(timed(() => expect(scanText(text)).toEqual([]))).toBeLessThan(100);
    const key = `sk-proj-${'a1B2'.repeat(6)}T3BlbkFJ${'c3D4'.repeat(6)}`;
    expect(scanText(`first\nOPENAI_API_KEY=${key}\n`).map((match) => [match.rule.id, match.line])).toEqual([
      ['openai-key', 2],
    ]);
  });

  it('dotenv lines and quoted values (old: quadratic and cubic)', () => {
    const text = 'A=' + '\t'.repeat(50_000) + '\r\nB="' + '" '.repeat(25_000) + '\n';
    expect(timed(() => findSecretLines(text))).toBeLessThan(100);
    expect(findSecretLines('API_KEY="sk_live_4f9a8b7c6d5e4f3a2b1c" # real\n').map((line) => line.name)).toEqual([
      'API_KEY',
    ]);
  });

  it('link and image stripping in prose (old: quadratic on unclosed brackets)', () => {
    const markdown = '!['.repeat(30_000) + '](' + '<'.repeat(30_000);
    expect(timed(() => countWords(markdown))).toBeLessThan(100);
    expect(countWords('See [the guide](https://example.com/guide) and ![logo](logo.png) <b>now</b>.')).toBe(5);
  });
});

/** Ten times the line budget (MAX_LINE_CHARS): the old command regexes took seconds on such lines, word patterns ms. */
describe('command recognition on 40 KB shell lines', () => {
  it.each([
    ['repeated command words (node:test, mvn, make)', 'node mvn make '.repeat(2_900) + '!'],
    ['command words glued after `=` in flags', '-x=deno -x=npm -x=cargo '.repeat(1_700) + '!'],
    ['package-runner flags (old JS runner pattern)', 'npm --a b '.repeat(4_000) + '!'],
    ['paths before a test script', './a/'.repeat(10_000) + 'x test.sh!'],
  ])('%s', (_name, line) => {
    expect(timed(() => expect(classifyShellLine(line)).toEqual([]))).toBeLessThan(1000);
  });

  it('still recognises the commands', () => {
    const kinds = (line: string) => classifyShellLine(line).map((item) => item.kind);
    expect(kinds('CI=1 node --require x --test')).toEqual(['test']);
    expect(kinds('./node_modules/.bin/eslint .')).toEqual(['lint']);
    expect(kinds('pnpm --filter web run test:unit')).toEqual(['test']);
    expect(kinds('docker run aquasec/trivy:0.58.1 --quiet image app:1')).toEqual(['image-scan']);
    expect(kinds('pip install pytest')).toEqual([]);
  });
});

/**
 * A stall guard, not a benchmark: a super-linear pattern takes minutes on these lines (ci-runs-tests-on-pull-requests
 * took ~110 s before commands were tokenised), a linear scan takes seconds even on a loaded machine. The 5 s target
 * of issue 8 is measured on an idle machine, outside the test suite.
 */
const STALL_GUARD_MS = 30_000;

describe('the CLI on a hostile repository', () => {
  let directory = '';
  beforeAll(() => void (directory = buildAttackRepository()));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('scans 30-byte and 100 KB attack lines in every format without stalling, every check with an outcome', async () => {
    let stdout = '';
    const io = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      env: {},
      cwd: directory,
    };
    const start = performance.now();
    const code = await main(['scan', directory, '--format', 'json', '--fail-on', 'none'], io);
    const elapsed = performance.now() - start;
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { checks: Array<{ id: string; outcome: string; summary?: string }> };
    expect(report.checks.length).toBeGreaterThan(50);
    expect(report.checks.filter((check) => check.outcome === 'error')).toEqual([]);
    expect(elapsed).toBeLessThan(STALL_GUARD_MS);
  }, 60_000);
});
