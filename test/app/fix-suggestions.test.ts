/**
 * The App (in-process, real catalog and GitHubSource) against the simulator: what a pull request adds to a workflow
 * on its own lines gets one review with ```suggestion comments, exactly once; they go when the PR fixes them.
 */
import { describe, expect, it } from '@jest/globals';
import { parseMarkers } from '../../src/report/markers.js';
import { appsClosedAfterEach } from '../helpers/in-process-app.js';
import { pullPayload, REPO } from '../helpers/webhooks.js';

const PINNED = '11bd71901bbe5b1630ceea73d27597364c9af683';
const CI = [
  'name: ci',
  'on: [push, pull_request]',
  'permissions:',
  '  contents: read',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    timeout-minutes: 10',
  '    steps:',
  `      - uses: actions/checkout@${PINNED} # v4.2.2`,
  '      - run: npm test',
  '',
].join('\n');
const LINT_JOB = [
  '  lint:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/setup-node@v4',
  '',
].join('\n');

const startApp = appsClosedAfterEach();

async function start() {
  const started = await startApp({
    repos: [
      {
        owner: 'acme',
        name: 'api',
        files: {
          'README.md': '# api\n\nA small service.\n',
          'package.json': '{"name":"api","version":"1.0.0","scripts":{"test":"node --test"}}\n',
          '.github/workflows/ci.yml': CI,
          // A config that sets other checks: the suggestions' own evaluation runs three checks only.
          '.github/shipready.yml': 'checks:\n  license-present: off\n  workflow-jobs-have-timeouts: low\n',
        },
      },
      { owner: 'actions', name: 'setup-node', files: { 'action.yml': 'name: setup-node\n' } },
    ],
  });
  started.sim.tag('actions/setup-node', 'v4');
  const setupNode = started.sim.tag('actions/setup-node', 'v4.4.0');
  return { ...started, setupNode };
}

const pullRequest = (action: string, number: number, head: string, base: string) =>
  pullPayload({ action, number, branch: 'lint', head, base });

describe('fix suggestions on a pull request', () => {
  it('a new job with an unpinned action and no timeout: one review, one suggestion each, gone once fixed', async () => {
    const { sim, receive, setupNode } = await start();
    const base = sim.head(REPO);
    let head = sim.commit(REPO, { branch: 'lint', changes: { '.github/workflows/ci.yml': CI + LINT_JOB } });
    const pull = sim.openPull(REPO, { head: 'lint' });
    await receive('pull_request', pullRequest('opened', pull.number, head, base), 'pr-1');

    const repo = sim.repo(REPO);
    expect(repo.reviews).toHaveLength(1);
    expect(parseMarkers(repo.reviews[0].body).review).toBe(head);
    const bodies = () => repo.reviewComments.map((comment) => [comment.original_line, comment.body] as const);
    expect(bodies().map(([line]) => line)).toEqual([12, 15]);
    expect(bodies()[0][1]).toContain('```suggestion\n  lint:\n    timeout-minutes: 30\n```');
    expect(bodies()[1][1]).toContain(
      `\`\`\`suggestion\n      - uses: actions/setup-node@${setupNode} # v4.4.0\n\`\`\``,
    );

    // The same head again (a re-run): nothing new.
    await receive('pull_request', pullRequest('edited', pull.number, head, base), 'pr-2');
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviewComments).toHaveLength(2);

    // The author pins the action: that suggestion goes, the timeout one stays.
    head = sim.commit(REPO, {
      branch: 'lint',
      changes: {
        '.github/workflows/ci.yml': CI + LINT_JOB.replace('setup-node@v4', `setup-node@${setupNode} # v4.4.0`),
      },
    });
    await receive('pull_request', pullRequest('synchronize', pull.number, head, base), 'pr-3');
    expect(bodies().map(([line]) => line)).toEqual([12]);
    expect(repo.reviews).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  });
});
