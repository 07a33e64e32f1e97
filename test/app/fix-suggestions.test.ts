/**
 * The App (in-process, real catalog and GitHubSource) against the simulator: what a pull request adds to a workflow
 * on its own lines gets one review with ```suggestion comments, exactly once; they go when the PR fixes them.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../../src/app/index.js';
import { forgetKnownLabels } from '../../src/github/issues.js';
import { parseMarkers } from '../../src/report/markers.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { fixture } from './harness.js';

const REPO = 'acme/api';
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

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start() {
  forgetKnownLabels();
  sim = await startSimulator({
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
  sim.tag('actions/setup-node', 'v4');
  const setupNode = sim.tag('actions/setup-node', 'v4.4.0');
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const logger = pino({ level: 'silent' });
  const app = createApp({ logger });
  const probot = new Probot({
    appId: 1,
    privateKey,
    baseUrl: sim.url,
    log: logger,
    Octokit: ProbotOctokit.defaults({ throttle: { enabled: false } }),
  });
  await probot.load(app);
  return { sim, app, probot, setupNode };
}

function repository() {
  const base = fixture('push').repository;
  return {
    ...base,
    id: 1,
    name: 'api',
    full_name: REPO,
    owner: { ...base.owner, login: 'acme', name: 'acme' },
    default_branch: 'main',
    master_branch: 'main',
  };
}

function pullPayload(action: string, number: number, head: string, base: string) {
  const payload = fixture('pull_request.opened');
  payload.action = action;
  Object.assign(payload.pull_request, {
    number,
    state: 'open',
    draft: false,
    head: { ...payload.pull_request.head, ref: 'lint', sha: head, repo: repository() },
    base: { ...payload.pull_request.base, ref: 'main', sha: base, repo: repository() },
  });
  payload.number = number;
  payload.repository = repository();
  payload.installation = { id: 1 };
  return payload;
}

describe('fix suggestions on a pull request', () => {
  it('a new job with an unpinned action and no timeout: one review, one suggestion each, gone once fixed', async () => {
    const { sim, app, probot, setupNode } = await start();
    const base = sim.head(REPO);
    let head = sim.commit(REPO, { branch: 'lint', changes: { '.github/workflows/ci.yml': CI + LINT_JOB } });
    const pull = sim.openPull(REPO, { head: 'lint' });
    await probot.receive({ id: 'pr-1', name: 'pull_request', payload: pullPayload('opened', pull.number, head, base) });
    await app.queue.onIdle();

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
    await probot.receive({ id: 'pr-2', name: 'pull_request', payload: pullPayload('edited', pull.number, head, base) });
    await app.queue.onIdle();
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviewComments).toHaveLength(2);

    // The author pins the action: that suggestion goes, the timeout one stays.
    head = sim.commit(REPO, {
      branch: 'lint',
      changes: {
        '.github/workflows/ci.yml': CI + LINT_JOB.replace('setup-node@v4', `setup-node@${setupNode} # v4.4.0`),
      },
    });
    await probot.receive({
      id: 'pr-3',
      name: 'pull_request',
      payload: pullPayload('synchronize', pull.number, head, base),
    });
    await app.queue.onIdle();
    expect(bodies().map(([line]) => line)).toEqual([12]);
    expect(repo.reviews).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  });
});
