/**
 * Transient GitHub faults in the middle of an evaluation (connection resets, 502s, secondary rate limits) become job
 * retries with backoff through the queue, not a completed neutral Check Run: the run stays in progress saying it
 * retries, and the evaluation ends with its real conclusion once the faults stop — one Check Run, one comment. The
 * classification itself (flow/transient.ts) is tested first, then the App on the simulator over real HTTP, on both
 * queues (BullMQ on a real redis-server).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { RequestError } from '@octokit/request-error';
import { createApp, type ShipreadyApp } from '../../src/app/index.js';
import { describeFault } from '../../src/app/evaluate-flow.js';
import { transientFault } from '../../src/app/flow/transient.js';
import { MemoryJobQueue, RedisJobQueue, type JobQueue } from '../../src/app/queue.js';
import { GitHubApiError, QuotaExhaustedError } from '../../src/github/errors.js';
import { toGitHubError } from '../../src/github/errors.js';
import { forgetKnownLabels } from '../../src/github/issues.js';
import { defineCheck, result } from '../../src/engine/define-check.js';
import type { AnyCheckDefinition } from '../../src/engine/types.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { fixture, testReadme, testUser } from './harness.js';
import { startRedisServer, type RedisServer } from './queue-redis-server.js';

const REPO = 'acme/api';
const REAL_TITLE = / · \d+\/100 · [a-z-]+$/;
const RETRYING = 'Retrying after a GitHub API error';

const request = { method: 'GET' as const, url: 'https://api.github.com/repos/acme/api/git/trees/abc', headers: {} };
const answered = (status: number, headers: Record<string, string> = {}, message = 'boom') =>
  new RequestError(message, status, {
    request,
    response: { status, url: request.url, headers, data: { message } },
  });

describe('transientFault: one place decides what is worth a retry', () => {
  it('5xx, secondary rate limits and broken connections are transient', () => {
    expect(transientFault(answered(502))).toMatchObject({ kind: 'server', status: 502 });
    expect(transientFault(answered(503))).toMatchObject({ kind: 'server', status: 503 });
    expect(transientFault(answered(403, { 'retry-after': '7' }))).toMatchObject({
      kind: 'secondary-rate-limit',
      status: 403,
      retryAfterMs: 7000,
    });
    expect(
      transientFault(answered(403, {}, 'You have exceeded a secondary rate limit. Please wait a few minutes')),
    ).toMatchObject({ kind: 'secondary-rate-limit', status: 403 });
    expect(transientFault(answered(429, { 'retry-after': '2' }))).toMatchObject({ retryAfterMs: 2000 });
    // What Octokit makes of a reset connection: a 500 without a response, fetch's message or its cause's.
    expect(transientFault(new RequestError('other side closed', 500, { request }))).toMatchObject({
      kind: 'network',
    });
    const fetchFailed = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    expect(transientFault(fetchFailed)).toMatchObject({
      kind: 'network',
      description: 'the connection to GitHub failed (fetch failed)',
    });
    expect(transientFault(Object.assign(new Error('connect'), { code: 'ETIMEDOUT' }))).toMatchObject({
      kind: 'network',
      description: 'the connection to GitHub failed (ETIMEDOUT)',
    });
    expect(transientFault(new Error('socket hang up'))).toMatchObject({ kind: 'network' });
    // The snapshot source's errors, already sorted by src/github/errors.ts.
    expect(transientFault(toGitHubError(answered(502), 'GET /repos/{owner}/{repo}/git/trees/{sha}'))).toMatchObject({
      kind: 'server',
      status: 502,
    });
    expect(
      transientFault(toGitHubError(new RequestError('other side closed', 500, { request }), 'POST /graphql')),
    ).toMatchObject({ kind: 'network', description: 'the connection to GitHub failed (other side closed)' });
    expect(transientFault(toGitHubError(answered(403, { 'retry-after': '30' }), 'POST /graphql'))).toMatchObject({
      kind: 'secondary-rate-limit',
      retryAfterMs: 30_000,
    });
  });

  it('everything else is not: it would fail the same way again', () => {
    const quota = answered(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2000000000' }, 'API rate limit');
    for (const error of [
      answered(401),
      answered(403, {}, 'Resource not accessible by integration'),
      answered(404),
      answered(422),
      quota,
      new QuotaExhaustedError(new Date()),
      toGitHubError(answered(404), 'GET /repos/{owner}/{repo}'),
      new GitHubApiError({ message: 'bad', route: 'POST /graphql', kind: 'graphql' }),
      new TypeError("Cannot read properties of undefined (reading 'sha')"),
      'a string',
      undefined,
    ])
      expect(transientFault(error)).toBeUndefined();
  });

  it('after the last attempt the message says how often it was tried', () => {
    const now = new Date('2026-01-02T03:04:05Z');
    const final = describeFault(toGitHubError(answered(502), 'GET /x'), now, 6);
    expect(final).toMatchObject({
      status: 'failed',
      conclusion: 'neutral',
      title: 'Could not finish: GitHub API error 502',
    });
    expect(final.summary).toContain(
      'shipready tried 6 times, waiting longer each time; the last attempt also stopped because GitHub answered 502, so it stopped retrying.',
    );
    // One attempt (no queue, or a fault that is not transient): today's message, unchanged.
    expect(describeFault(toGitHubError(answered(502), 'GET /x'), now).summary).not.toContain('tried');
    expect(describeFault(answered(404), now, 6).summary).not.toContain('tried');
  });
});

let sim: Simulator | undefined;
let redis: RedisServer | undefined;
const queues: JobQueue[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
}, 20_000);

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
  await sim?.close();
  sim = undefined;
});

afterAll(async () => {
  await redis?.stop();
});

const silent = pino({ level: 'silent' });
let prefixes = 0;

function memoryQueue(options: { backoffMs?: number; maxAttempts?: number } = {}): JobQueue {
  const queue = new MemoryJobQueue({ logger: silent, ...options });
  queues.push(queue);
  return queue;
}

function redisQueue(options: { backoffMs?: number; maxAttempts?: number } = {}): JobQueue {
  const queue = new RedisJobQueue({
    url: redis!.url,
    prefix: `transient${++prefixes}`,
    lockDurationMs: 5000,
    logger: silent,
    ...options,
  });
  queues.push(queue);
  return queue;
}

/** The App on the simulator; `octokitRetries`: Probot's own request retries (plugin-retry), on as in production. */
async function start(
  queue: JobQueue,
  options: { octokitRetries?: boolean; checks?: readonly AnyCheckDefinition[] } = {},
) {
  forgetKnownLabels();
  sim = await startSimulator({
    repos: [{ owner: 'acme', name: 'api', files: { 'README.md': '# api\n', 'package.json': '{"name":"api"}\n' } }],
  });
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const app = createApp({ logger: silent, queue, checks: options.checks ?? [testReadme, testUser] });
  const probot = new Probot({
    appId: 1,
    privateKey,
    baseUrl: sim.url,
    log: silent,
    Octokit: ProbotOctokit.defaults({
      throttle: { enabled: false },
      ...(options.octokitRetries ? {} : { retry: { enabled: false } }),
    }),
  });
  await probot.load(app);
  return { sim, app, probot };
}

function repository() {
  const base = fixture('push').repository;
  return {
    ...base,
    id: 1,
    name: 'api',
    full_name: REPO,
    owner: { ...base.owner, login: 'acme' },
    default_branch: 'main',
  };
}

/** A PR that adds a Dockerfile running as root (a new failure: the sticky comment is written). */
function openPull(simulator: Simulator) {
  const base = simulator.head(REPO);
  const head = simulator.commit(REPO, { branch: 'docs', changes: { Dockerfile: 'FROM node:20\nCMD ["node"]\n' } });
  const pull = simulator.openPull(REPO, { head: 'docs', base: 'main' });
  const payload = fixture('pull_request.opened');
  Object.assign(payload.pull_request, {
    number: pull.number,
    state: 'open',
    draft: false,
    head: { ...payload.pull_request.head, ref: 'docs', sha: head, repo: repository() },
    base: { ...payload.pull_request.base, ref: 'main', sha: base, repo: repository() },
  });
  Object.assign(payload, { number: pull.number, repository: repository(), installation: { id: 1 } });
  return { payload, head, number: pull.number };
}

/** Starts `fault` at the first read of a tree: after the Check Run was created, in the middle of the evaluation. */
function midEvaluation(simulator: Simulator, fault: () => void): { startedAt?: number } {
  const state: { startedAt?: number } = {};
  simulator.onRequest = ({ path }) => {
    if (state.startedAt === undefined && path.includes('/git/trees/')) {
      state.startedAt = Date.now();
      fault();
    }
  };
  return state;
}

interface RunUpdate {
  status?: string;
  output?: { title?: string; summary?: string };
}
const updates = (run: { history: Array<Record<string, unknown>> }) => run.history as RunUpdate[];
const titles = (run: { history: Array<Record<string, unknown>> }): string[] =>
  updates(run)
    .map((entry) => entry.output?.title)
    .filter((title): title is string => Boolean(title));

async function expectOneCompletedRun(simulator: Simulator, app: ShipreadyApp, head: string, number: number) {
  await app.queue.onIdle();
  const runs = simulator.repo(REPO).checkRuns.filter((run) => run.head_sha === head);
  expect(runs).toHaveLength(1);
  expect(runs[0].status).toBe('completed');
  expect(runs[0].output.title).toMatch(REAL_TITLE);
  expect(simulator.repo(REPO).comments.filter((comment) => comment.issue_number === number)).toHaveLength(1);
  expect(simulator.violations).toEqual([]);
  return runs[0];
}

describe('transient faults mid-evaluation are retried by the queue', () => {
  it('20 s of connection resets (memory queue, Octokit retries on): the run says it retries, then ends with its real conclusion', async () => {
    const queue = memoryQueue();
    const { sim, app, probot } = await start(queue, { octokitRetries: true });
    const { payload, head, number } = openPull(sim);
    const fault = midEvaluation(sim, () => sim.resetConnections({ forMs: 20_000 }));
    await probot.receive({ id: 'resets-1', name: 'pull_request', payload } as never);
    await app.queue.onIdle();
    const run = await expectOneCompletedRun(sim, app, head, number);
    expect(fault.startedAt).toBeDefined();
    expect(Date.now() - fault.startedAt!).toBeGreaterThanOrEqual(20_000);
    expect(titles(run)).toContain(RETRYING);
    const retrying = updates(run).find((entry) => entry.output?.title === RETRYING)!;
    expect(retrying.status).toBe('in_progress');
    expect(retrying.output!.summary).toMatch(
      /^Attempt 1 of 6 stopped because the connection to GitHub failed \([^)]+\)\. shipready evaluates `[0-9a-f]{7}` again in \d+ s \(at \d{4}-[\d-]+T[\d:.]+Z\), in this same Check Run: nothing to do\.$/,
    );
    expect(titles(run).filter((title) => title.startsWith('Could not finish'))).toEqual([]);
    expect(queue.stats).toMatchObject({ failed: 0, completed: 1 });
    expect(queue.stats.retried).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('secondary rate limits for 4 s (BullMQ on redis-server): the retry waits out retry-after, one run, real conclusion', async () => {
    const queue = redisQueue({ backoffMs: 200 });
    const { sim, app, probot } = await start(queue);
    const { payload, head, number } = openPull(sim);
    const fault = midEvaluation(sim, () =>
      sim.failNext({
        // The reads (REST and GraphQL), not the Check Run: its "retrying" update gets through.
        path: /\/git\/|\/graphql/,
        forMs: 4000,
        status: 403,
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        headers: { 'retry-after': '3' },
      }),
    );
    await probot.receive({ id: 'secondary-1', name: 'pull_request', payload } as never);
    const run = await expectOneCompletedRun(sim, app, head, number);
    expect(fault.startedAt).toBeDefined();
    const retrying = updates(run).filter((entry) => entry.output?.title === RETRYING);
    expect(retrying.length).toBeGreaterThanOrEqual(1);
    expect(retrying[0].output!.summary).toMatch(
      /^Attempt 1 of 6 stopped because GitHub's secondary rate limit refused a request \(403\)\. shipready evaluates `[0-9a-f]{7}` again in 3 s/,
    );
    // The second attempt started no sooner than GitHub's retry-after, though the backoff alone is 200 ms.
    const refused = sim.requests.findIndex((entry) => entry.status === 403);
    const resumed = sim.requests.findIndex(
      (entry, index) =>
        index > refused &&
        entry.method === 'PATCH' &&
        entry.status === 200 &&
        JSON.stringify(entry.body).includes('Evaluating'),
    );
    expect(resumed).toBeGreaterThan(refused);
    expect(queue.stats.failed).toBe(0);
  }, 60_000);

  it('502s that outlast every attempt: the run is completed neutral saying how often it was tried; nothing duplicated', async () => {
    const queue = memoryQueue({ backoffMs: 100, maxAttempts: 3 });
    const { sim, app, probot } = await start(queue);
    const { payload, head } = openPull(sim);
    midEvaluation(sim, () => sim.failNext({ path: '/git/trees/', status: 502, times: Infinity }));
    await probot.receive({ id: 'outage-1', name: 'pull_request', payload } as never);
    await app.queue.onIdle();
    const runs = sim.repo(REPO).checkRuns.filter((run) => run.head_sha === head);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(runs[0].output.title).toBe('Could not finish: GitHub API error 502');
    expect(runs[0].output.summary).toContain(
      'shipready tried 3 times, waiting longer each time; the last attempt also stopped because GitHub answered 502, so it stopped retrying.',
    );
    const retrying = updates(runs[0]).filter((entry) => entry.output?.title === RETRYING);
    expect(retrying.map((entry) => (entry.output?.summary ?? '').slice(0, 14))).toEqual([
      'Attempt 1 of 3',
      'Attempt 2 of 3',
    ]);
    expect(sim.violations).toEqual([]);
  }, 60_000);

  it('a fault that is not transient (404 on the tree) still completes the run at once, without retries', async () => {
    const queue = memoryQueue({ backoffMs: 100 });
    const { sim, app, probot } = await start(queue);
    const { payload, head } = openPull(sim);
    midEvaluation(sim, () => sim.failNext({ path: '/git/trees/', status: 404, times: Infinity }));
    await probot.receive({ id: 'missing-1', name: 'pull_request', payload } as never);
    await app.queue.onIdle();
    const runs = sim.repo(REPO).checkRuns.filter((run) => run.head_sha === head);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(titles(runs[0])).not.toContain(RETRYING);
    expect(queue.stats).toMatchObject({ retried: 0 });
  }, 30_000);
});

/** 60 findings on the Dockerfile: 60 annotations, sent in two batches (the completing write, then one more PATCH). */
const manyFindings = defineCheck({
  id: 'test-many-findings',
  category: 'container',
  severity: 'high',
  title: 'Many findings',
  description: 'One finding per line.',
  rationale: 'Makes more annotations than one request carries.',
  remediation: 'None.',
  effort: 'minutes',
  scope: 'repository',
  needs: { files: ['Dockerfile'] },
  evaluate: ({ snapshot }) =>
    snapshot.has('Dockerfile')
      ? result.fail(
          '60 findings',
          Array.from({ length: 60 }, (_, index) => ({ message: `finding ${index + 1}`, path: 'Dockerfile', line: 1 })),
        )
      : result.notApplicable('No Dockerfile'),
});

describe('a fault after the run was completed', () => {
  it.each([
    ['the second annotation batch (PATCH after the completing POST)', 'check-runs'],
    ['the PR comment', 'comments'],
  ])(
    '502 on %s: the retry never sets the completed run back in progress; the remaining steps run once',
    async (_label, failing) => {
      const queue = memoryQueue({ backoffMs: 100 });
      const { sim, app, probot } = await start(queue, { checks: [testReadme, testUser, manyFindings] });
      const { payload, head, number } = openPull(sim);
      let armed = true;
      sim.onRequest = ({ method, path }) => {
        // The first write of that kind after the run exists: the run was completed (created completed: no grace
        // period passes on the simulator) just before it.
        const hit =
          failing === 'check-runs'
            ? method === 'PATCH' && /\/check-runs\/\d+$/.test(path)
            : method === 'POST' && path.endsWith('/comments');
        if (armed && hit && sim.repo(REPO).checkRuns.some((run) => run.status === 'completed')) {
          armed = false;
          sim.failNext({ path, method, status: 502 });
        }
      };
      await probot.receive({ id: `after-completed-${failing}`, name: 'pull_request', payload } as never);
      await app.queue.onIdle();
      expect(armed).toBe(false);
      const runs = sim.repo(REPO).checkRuns.filter((run) => run.head_sha === head);
      expect(runs).toHaveLength(1);
      const [run] = runs;
      expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
      expect(run.output.title).toMatch(REAL_TITLE);
      const history = updates(run);
      const firstCompleted = history.findIndex((entry) => entry.status === 'completed');
      expect(firstCompleted).toBe(0);
      // Nothing after it says in progress or retrying (GitHub may refuse it, and it would be untrue).
      expect(history.slice(firstCompleted).filter((entry) => entry.status === 'in_progress')).toEqual([]);
      expect(titles(run)).not.toContain(RETRYING);
      // Every annotation once: the retry sent the batch that had failed, not the first one again.
      expect(run.annotations).toHaveLength(61);
      expect(new Set(run.annotations.map((annotation) => annotation.message)).size).toBe(61);
      expect(sim.repo(REPO).comments.filter((comment) => comment.issue_number === number)).toHaveLength(1);
      expect(queue.stats).toMatchObject({ failed: 0, completed: 1, retried: 1 });
      expect(sim.violations).toEqual([]);
    },
    30_000,
  );
});

describe('a job waiting for its retry, replaced by a newer push', () => {
  it.each([
    ['in memory', () => memoryQueue({ backoffMs: 30_000 })],
    ['BullMQ on redis-server', () => redisQueue({ backoffMs: 30_000 })],
  ])(
    '%s: the old head run is completed as superseded at once, the new head run completes, nothing duplicated',
    async (_name, makeQueue) => {
      const queue = makeQueue();
      const { sim, app, probot } = await start(queue);
      const { payload, head, number } = openPull(sim);
      midEvaluation(sim, () => sim.failNext({ path: '/git/trees/', status: 502 }));
      await probot.receive({ id: 'waiting-1', name: 'pull_request', payload } as never);
      const oldRun = () => sim.repo(REPO).checkRuns.find((run) => run.head_sha === head);
      // The first attempt failed and waits 30 s for its retry, its run saying so.
      const deadline = Date.now() + 15_000;
      while (!(oldRun()?.output.title === RETRYING && queue.stats.delayed === 1) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(oldRun()).toMatchObject({ status: 'in_progress', output: { title: RETRYING } });

      const pushedAt = Date.now();
      const newHead = sim.commit(REPO, { branch: 'docs', changes: { Dockerfile: 'FROM node:22\nCMD ["node"]\n' } });
      const synchronize = structuredClone(payload) as typeof payload & { action: string; before?: string };
      synchronize.action = 'synchronize';
      synchronize.before = head;
      Object.assign(synchronize.pull_request, {
        head: { ...payload.pull_request.head, sha: newHead },
        updated_at: new Date(Date.parse(payload.pull_request.updated_at) + 60_000).toISOString(),
      });
      await probot.receive({ id: 'waiting-2', name: 'pull_request', payload: synchronize } as never);
      await app.queue.onIdle();
      // Well before the old retry's 30 s: the newer job completed the old run when it started.
      expect(Date.now() - pushedAt).toBeLessThan(20_000);

      const oldRuns = sim.repo(REPO).checkRuns.filter((run) => run.head_sha === head);
      expect(oldRuns).toHaveLength(1);
      expect(oldRuns[0]).toMatchObject({
        status: 'completed',
        conclusion: 'neutral',
        output: { title: 'Superseded by a newer evaluation' },
      });
      expect(titles(oldRuns[0]).slice(-2)).toEqual([RETRYING, 'Superseded by a newer evaluation']);
      const newRuns = sim.repo(REPO).checkRuns.filter((run) => run.head_sha === newHead);
      expect(newRuns).toHaveLength(1);
      expect(newRuns[0].status).toBe('completed');
      expect(newRuns[0].output.title).toMatch(REAL_TITLE);
      expect(sim.repo(REPO).checkRuns).toHaveLength(2);
      expect(sim.repo(REPO).comments.filter((comment) => comment.issue_number === number)).toHaveLength(1);
      // onIdle resolved: nothing waits for a retry any more.
      expect(queue.stats).toMatchObject({ failed: 0, retried: 1 });
      expect(sim.violations).toEqual([]);
    },
    60_000,
  );
});
