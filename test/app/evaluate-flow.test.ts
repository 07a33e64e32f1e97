import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { QuotaExhaustedError } from '../../src/github/source.js';
import { forgetKnownLabels } from '../../src/github/issues.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';
import { describeFault } from '../../src/app/evaluate-flow.js';
import { MemoryJobQueue } from '../../src/app/queue.js';
import {
  API,
  capture,
  createTestApp,
  fixture,
  mockCheckRun,
  mockConfigQuery,
  mockNoConfig,
  mockToken,
  NOW,
  useNock,
} from './harness.js';

useNock({ beforeEach, afterEach, expect });
beforeEach(() => forgetKnownLabels());

const AFTER = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const REPO = '/repos/Codertocat/Hello-World';
const issuesQuery = {
  state: 'all',
  sort: 'created',
  direction: 'asc',
  creator: 'shipready[bot]',
  per_page: '100',
  page: '1',
};
const autoConfig = 'issues:\n  file: auto\n';

async function push(
  files: Record<string, string>,
  mock: (api: nock.Scope) => void,
  deps: Parameters<typeof createTestApp>[1] = {},
) {
  const { probot, app } = await createTestApp({ [AFTER]: files }, deps);
  const api = nock(API);
  mockToken(api, 1);
  mock(api);
  await probot.receive({ id: 'd-flow', name: 'push', payload: fixture('push') });
  await app.queue.onIdle();
}

describe('remediation issues on the default branch (issues.file: auto)', () => {
  it('files once; an unchanged fingerprint writes nothing; a fix closes with a comment; a regression reopens', async () => {
    // 1. files the issue
    const filed: Array<{ title: string; body: string }> = [];
    await push({ '.github/shipready.yml': autoConfig, 'README.md': '# x\n', Dockerfile: 'FROM node:20\n' }, (api) => {
      mockCheckRun(api, REPO, 80);
      mockConfigQuery(api, 'Codertocat', 'Hello-World', { own: autoConfig, org: 'no-repository' });
      api.get(`${REPO}/issues`).query(issuesQuery).reply(200, []);
      api.get(`${REPO}/labels/shipready`).reply(200, { name: 'shipready' });
      api.post(`${REPO}/issues`, capture(filed)).reply(201, { number: 5 });
    });
    expect(filed).toHaveLength(1);
    expect(filed[0].title).toContain('Container runs as non-root');
    const existing = { number: 5, state: 'open', title: filed[0].title, body: filed[0].body };

    // 2. same findings again: listed, nothing written
    await push({ '.github/shipready.yml': autoConfig, 'README.md': '# x\n', Dockerfile: 'FROM node:20\n' }, (api) => {
      mockCheckRun(api, REPO, 81);
      mockConfigQuery(api, 'Codertocat', 'Hello-World', { own: autoConfig, org: 'no-repository' });
      api.get(`${REPO}/issues`).query(issuesQuery).reply(200, [existing]);
    });

    // 3. fixed: comment, then close as completed
    const closing: unknown[] = [];
    const comments: Array<{ body: string }> = [];
    await push(
      { '.github/shipready.yml': autoConfig, 'README.md': '# x\n', Dockerfile: 'FROM node:20\nUSER node\n' },
      (api) => {
        mockCheckRun(api, REPO, 82);
        mockConfigQuery(api, 'Codertocat', 'Hello-World', { own: autoConfig, org: 'no-repository' });
        api.get(`${REPO}/issues`).query(issuesQuery).reply(200, [existing]);
        api.post(`${REPO}/issues/5/comments`, capture(comments)).reply(201, { id: 1 });
        api.patch(`${REPO}/issues/5`, capture(closing)).reply(200, { number: 5 });
      },
    );
    expect(comments[0].body).toBe(
      '**Container runs as non-root** passes as of [6113728](https://github.com/Codertocat/Hello-World/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246): USER is set\n\nClosing this issue. shipready reopens it if `test-user` fails again.',
    );
    expect(closing).toEqual([{ state: 'closed', state_reason: 'completed' }]);

    // 4. broken again: reopened in place (same number), with a comment
    const reopening: Array<Record<string, unknown>> = [];
    const reopenComments: Array<{ body: string }> = [];
    await push({ '.github/shipready.yml': autoConfig, 'README.md': '# x\n', Dockerfile: 'FROM node:20\n' }, (api) => {
      mockCheckRun(api, REPO, 83);
      mockConfigQuery(api, 'Codertocat', 'Hello-World', { own: autoConfig, org: 'no-repository' });
      api
        .get(`${REPO}/issues`)
        .query(issuesQuery)
        .reply(200, [{ ...existing, state: 'closed' }]);
      api.patch(`${REPO}/issues/5`, capture(reopening)).reply(200, { number: 5 });
      api.post(`${REPO}/issues/5/comments`, capture(reopenComments)).reply(201, { id: 2 });
    });
    expect(reopening[0]).toMatchObject({ state: 'open', title: filed[0].title });
    expect(reopenComments[0].body).toBe('This fails again as of 6113728; reopened by shipready.');
  });

  it('dashboard mode keeps one issue, found by its marker', async () => {
    const filed: Array<{ title: string; body: string }> = [];
    await push({ '.github/shipready.yml': autoConfig, Dockerfile: 'FROM node:20\n' }, (api) => {
      mockCheckRun(api, REPO, 84);
      mockConfigQuery(api, 'Codertocat', 'Hello-World', {
        own: 'issues:\n  file: auto\n  mode: dashboard\n',
        org: 'no-repository',
      });
      api.get(`${REPO}/issues`).query(issuesQuery).reply(200, []);
      api.get(`${REPO}/labels/shipready`).reply(200, { name: 'shipready' });
      api.post(`${REPO}/issues`, capture(filed)).reply(201, { number: 6 });
    });
    expect(filed).toHaveLength(1);
    expect(filed[0].body).toContain('<!-- shipready:dashboard -->');
    expect(filed[0].body).toContain('test-readme');
    expect(filed[0].body).toContain('test-user');
  });
});

describe('faults complete the Check Run with a clear message', () => {
  it('an API error (500) mid-run on the last attempt → neutral, naming the status', async () => {
    // The last attempt: with attempts left, a 5xx is retried by the queue (test/app/queue-transient.test.ts).
    await push(
      { '.github/shipready.yml': autoConfig, 'README.md': '# x\n' },
      (api) => {
        const run = mockCheckRun(api, REPO, 90);
        api.post('/graphql').reply(500, { message: 'Server Error' });
        afterRun = () => {
          expect(run.updates[0]).toMatchObject({
            status: 'completed',
            conclusion: 'neutral',
            output: { title: 'Could not finish: GitHub API error 500' },
          });
          expect(run.updates[0].output.summary).toContain('Use **Re-run** to evaluate again.');
        };
      },
      { queue: new MemoryJobQueue({ maxAttempts: 1 }) },
    );
    afterRun();
  });

  it('an exhausted quota → neutral "Paused", saying when it resets', async () => {
    const resetAt = new Date(NOW.getTime() + 30 * 60_000);
    const { probot, app } = await createTestApp(
      {},
      {
        // The last attempt: nothing retries after it, so the run is completed as paused (with retries left the job
        // waits for the reset instead: test/app/queue-quota.test.ts).
        queue: new MemoryJobQueue({ maxAttempts: 1 }),
        createSource: () => {
          const source = new MemorySource({}, { settings: {}, kind: 'github' });
          source.listTree = async () => {
            throw new QuotaExhaustedError(resetAt);
          };
          return source;
        },
      },
    );
    const api = nock(API);
    mockToken(api, 1);
    const run = mockCheckRun(api, REPO, 91);
    await probot.receive({ id: 'd-quota', name: 'push', payload: fixture('push') });
    await app.queue.onIdle();
    expect(run.updates).toEqual([
      {
        status: 'completed',
        conclusion: 'neutral',
        completed_at: NOW.toISOString(),
        output: {
          title: 'Paused: the installation is out of GitHub API quota',
          summary: `The GitHub API quota of this installation is used up until ${resetAt.toISOString()} (in about 30 min), so the evaluation stopped cleanly instead of failing half-way. Re-run this check after that time.`,
        },
      },
    ]);
  });

  it('a superseded evaluation publishes nothing but closes its own run as superseded', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let listed!: () => void;
    const listing = new Promise<void>((resolve) => (listed = resolve));
    const sync = fixture('pull_request.synchronize');
    const newer = fixture('pull_request.synchronize');
    const NEW_HEAD = 'c'.repeat(40);
    newer.pull_request.head.sha = NEW_HEAD;
    const files = { 'README.md': '# x\n' };
    const { probot, app } = await createTestApp(
      {},
      {
        createSource: ({ sha }) => {
          const source = new MemorySource(files, { settings: {}, kind: 'github' });
          if (sha === sync.pull_request.head.sha) {
            const list = source.listTree.bind(source);
            source.listTree = async () => {
              listed();
              await blocked;
              return list();
            };
          }
          return source;
        },
      },
    );
    const api = nock(API);
    mockToken(api, 1);
    const old = mockCheckRun(api, REPO, 92);
    const fresh = mockCheckRun(api, REPO, 93);
    mockNoConfig(api, 'Codertocat', 'Hello-World');
    // No comment listing: the webhook says the PR has no comment, and this run would only edit one (on-change).
    await probot.receive({ id: 'd-old', name: 'pull_request', payload: sync });
    await listing;
    await probot.receive({ id: 'd-new', name: 'pull_request', payload: newer });
    release();
    await app.queue.onIdle();
    expect(old.updates).toEqual([
      expect.objectContaining({
        conclusion: 'neutral',
        output: expect.objectContaining({ title: 'Superseded by a newer evaluation' }),
      }),
    ]);
    expect(fresh.created[0]).toMatchObject({ head_sha: NEW_HEAD });
    expect(fresh.updates[0]).toMatchObject({ conclusion: 'success' });
  });

  it('describeFault words a secondary rate limit from the source', () => {
    const error = Object.assign(
      new Error('GitHub secondary rate limit on GET /repos/{owner}/{repo}/git/trees/{tree_sha}'),
      {
        name: 'GitHubApiError',
        kind: 'secondary-rate-limit',
        status: 403,
        route: 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
        retryAfterSeconds: 60,
      },
    );
    expect(describeFault(error, NOW)).toMatchObject({
      conclusion: 'neutral',
      title: 'Could not finish: GitHub secondary rate limit',
    });
    expect(describeFault(error, NOW).summary).toContain('GitHub asked to wait 60 s.');
  });
});

let afterRun: () => void = () => {};
