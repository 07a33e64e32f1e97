import { describe, expect, it } from '@jest/globals';
import pinned from '../../checks/workflows/workflow-actions-pinned.js';
import permissions from '../../checks/workflows/workflow-permissions-restricted.js';
import timeouts from '../../checks/workflows/workflow-jobs-have-timeouts.js';
import { configSchema } from '../../src/config/schema.js';
import type { Finding } from '../../src/engine/types.js';
import { planFixes } from '../../src/fix/plan.js';
import { addedLines, planSuggestions, renderSuggestion } from '../../src/fix/suggestions.js';
import { parseMarkers } from '../../src/report/markers.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';

const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';
const PATH = '.github/workflows/ci.yml';
const WORKFLOW = [
  'on: [push]',
  'permissions:',
  '  contents: read',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    timeout-minutes: 10',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - run: npm test',
  '  lint:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/setup-node@v4',
  '',
].join('\n');

async function suggest(files: Record<string, string>, changed: Set<number>) {
  const plan = await planFixes({
    source: new MemorySource(files),
    checks: [pinned, permissions, timeouts],
    config: configSchema.parse({}),
    services: { resolveActionRef: async () => ({ sha: SHA, tag: 'v4.2.2' }) },
  });
  const added = new Map<string, Finding[]>(
    plan.before.checks.map((check) => [check.id, check.findings.filter((finding) => finding.path === PATH)]),
  );
  return planSuggestions({
    runs: plan.runs,
    added,
    changed: new Map([[PATH, changed]]),
    text: (path) => files[path],
  });
}

describe('addedLines', () => {
  it('reads the head-side lines a patch adds, not its context or removals', () => {
    const patch = [
      '@@ -1,3 +1,4 @@',
      ' a',
      '-b',
      '+B',
      '+C',
      ' d',
      '@@ -10,2 +11,2 @@',
      ' x',
      '+y',
      '\\ No newline at end of file',
    ].join('\n');
    expect([...addedLines(patch)]).toEqual([2, 3, 12]);
    expect(addedLines(undefined).size).toBe(0);
  });
});

describe('planSuggestions', () => {
  it('suggests on the lines the PR added only: the new job’s timeout and the new unpinned action', async () => {
    // The PR added the lint job (lines 11–14); the test job was there before.
    const suggestions = await suggest({ [PATH]: WORKFLOW }, new Set([11, 12, 13, 14]));
    expect(suggestions.map(({ checkId, startLine, line, lines }) => ({ checkId, startLine, line, lines }))).toEqual([
      {
        checkId: 'workflow-jobs-have-timeouts',
        startLine: 11,
        line: 11,
        lines: ['  lint:', '    timeout-minutes: 30'],
      },
      {
        checkId: 'workflow-actions-pinned',
        startLine: 14,
        line: 14,
        lines: [`      - uses: actions/setup-node@${SHA} # v4.2.2`],
      },
    ]);
    expect(suggestions[1].finding.line).toBe(14);
  });

  it('suggests nothing for lines the PR did not add', async () => {
    expect(await suggest({ [PATH]: WORKFLOW }, new Set([1, 2, 3]))).toEqual([]);
  });

  it('suggests a top-level permissions block for a new workflow without one', async () => {
    const text =
      'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - run: make\n';
    const suggestions = await suggest({ [PATH]: text }, new Set([1, 2, 3, 4, 5, 6, 7]));
    expect(suggestions).toHaveLength(1);
    expect(suggestions[0]).toMatchObject({
      checkId: 'workflow-permissions-restricted',
      startLine: 1,
      line: 1,
      lines: ['on: [push]', 'permissions:', '  contents: read', ''],
    });
  });

  it('renders a suggestion block that repository text cannot close, with its marker', async () => {
    const [suggestion] = await suggest({ [PATH]: WORKFLOW }, new Set([14]));
    const body = renderSuggestion({ ...suggestion, lines: ['run: echo ```'] });
    expect(body).toContain('\n````suggestion\nrun: echo ```\n````\n');
    expect(parseMarkers(body).suggestion).toBe(suggestion.key);
    expect(renderSuggestion({ ...suggestion, finding: { message: '<!-- shipready:comment -->' } })).not.toContain(
      '\n<!-- shipready:comment -->',
    );
  });
});
