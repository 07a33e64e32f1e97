/**
 * Durability through the queue, on the simulator (a real HTTP GitHub): a job that meets an exhausted quota is
 * delayed until the reset, its Check Run says it waits, and it then runs in the same run; a Check Run whose completing
 * PATCH keeps failing ends completed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp, type ShipreadyApp } from '../../src/app/index.js';
import { QuotaTracker } from '../../src/app/evaluate-flow.js';
import { MemoryJobQueue, RedisJobQueue, type JobQueue } from '../../src/app/queue.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { fixture, testReadme, testUser } from './harness.js';
import { startRedisServer, type RedisServer } from './queue-redis-server.js';

const REAL_TITLE = / · \d+\/100 · [a-z-]+$/;
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
});

async function appOnSimulator(
  queue: JobQueue,
  options: { rateLimit?: number; quota?: QuotaTracker; allChecks?: boolean } = {},
): Promise<{ probot: Probot; app: ShipreadyApp }> {
  sim = await startSimulator({
    repos: [{ owner: 'acme', name: 'api', files: { 'README.md': '# api\n' } }],
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const logger = pino({ level: 'silent' });
  const app = createApp({
    logger,
    queue,
    // The quota budgets below count the Check Run's creation in progress before the reads.
    env: { SHIPREADY_CHECK_RUN_GRACE_MS: '0' },
    ...(options.allChecks ? {} : { checks: [testReadme, testUser] }),
    ...(options.quota ? { quota: options.quota } : {}),
  });
  const probot = new Probot({
    appId: 1,
    privateKey,
    baseUrl: sim.url,
    log: logger,
    Octokit: ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } }),
  });
  await probot.load(app);
  return { probot, app };
}

function push(head: string) {
  const payload = fixture('push');
  Object.assign(payload, { after: head, ref: 'refs/heads/main', installation: { id: 1 } });
  payload.repository = {
    ...payload.repository,
    name: 'api',
    full_name: 'acme/api',
    owner: { ...payload.repository.owner, login: 'acme' },
    default_branch: 'main',
  };
  return payload;
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the queue keeps evaluations through faults', () => {
  it('out of quota mid-run: the run says it waits for the reset and the job is delayed until then', async () => {
    const queue = new MemoryJobQueue({ logger: pino({ level: 'silent' }) });
    // 31 requests an hour, 25 kept in reserve to publish: the reads stop early (QuotaTracker), the writes still go.
    const { probot } = await appOnSimulator(queue, {
      rateLimit: 31,
      quota: new QuotaTracker({ reserve: 25 }),
      allChecks: true,
    });
    await probot.receive({ id: 'quota-1', name: 'push', payload: push(sim!.head('acme/api')) } as never);
    const runs = () => sim!.repo('acme/api').checkRuns;
    await until(() => runs()[0]?.output.title === 'Waiting for the GitHub API quota reset').catch((error) => {
      throw new Error(
        `${error}: ${JSON.stringify(runs().map((run) => [run.status, run.output.title]))} ${JSON.stringify(sim!.counts.byRoute)}`,
      );
    });
    expect(runs()).toHaveLength(1);
    expect(runs()[0].status).toBe('in_progress');
    expect(runs()[0].output.summary).toMatch(
      /used up until \d{4}-\d\d-\d\dT[\d:.]+Z .*waits for the reset and then evaluates this commit again, in this same Check Run/,
    );
    await until(() => queue.stats.delayed === 1);
    expect(queue.stats).toMatchObject({ retried: 1, failed: 0, completed: 0 });
    // The reset is the simulator's next full hour: what happens after it is the next case, with a reset 2 s away.
    await queue.close();
  }, 30_000);

  it('out of quota before the run (its Check Run cannot be created): the evaluation runs after the reset', async () => {
    const queue = new MemoryJobQueue({ logger: pino({ level: 'silent' }) });
    const { probot, app } = await appOnSimulator(queue);
    const resetAt = new Date(Date.now() + 2000);
    sim!.exhaustQuota(resetAt);
    await probot.receive({ id: 'quota-2', name: 'push', payload: push(sim!.head('acme/api')) } as never);
    await app.queue.onIdle();
    const runs = sim!.repo('acme/api').checkRuns;
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('completed');
    expect(runs[0].output.title).toMatch(REAL_TITLE);
    expect(Date.now()).toBeGreaterThanOrEqual(resetAt.getTime());
  }, 30_000);

  it('a completing PATCH that keeps failing is retried with backoff until the run ends completed', async () => {
    const queue = new MemoryJobQueue({ logger: pino({ level: 'silent' }), backoffMs: 200 });
    const { probot, app } = await appOnSimulator(queue);
    sim!.failNext({ path: /\/check-runs\/\d+$/, method: 'PATCH', status: 502, times: 4 });
    await probot.receive({ id: 'patch-1', name: 'push', payload: push(sim!.head('acme/api')) } as never);
    await app.queue.onIdle();
    const runs = sim!.repo('acme/api').checkRuns;
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('completed');
    expect(queue.stats.retried).toBeGreaterThanOrEqual(1);
    expect(queue.stats.failed).toBe(0);
  }, 30_000);
});

let redis: RedisServer | undefined;
describe.each([
  ['the in-process queue', () => new MemoryJobQueue({ logger: pino({ level: 'silent' }) }) as JobQueue],
  [
    'BullMQ on redis-server',
    () =>
      new RedisJobQueue({
        url: redis!.url,
        prefix: `quota${Date.now()}`,
        lockDurationMs: 5000,
        logger: pino({ level: 'silent' }),
      }) as JobQueue,
  ],
])('an exhausted quota with the reset 30 s away, on %s', (_name, makeQueue) => {
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 20_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('the run waits in progress, saying so, until the reset; then the evaluation runs and completes that same run', async () => {
    const queue = makeQueue();
    try {
      // 31 requests in the window, 25 kept in reserve: the reads stop mid-run; the window resets 30 s from now.
      const { probot } = await appOnSimulator(queue, {
        rateLimit: 31,
        quota: new QuotaTracker({ reserve: 25 }),
        allChecks: true,
      });
      const resetAt = new Date(Math.ceil((Date.now() + 30_000) / 1000) * 1000);
      sim!.rateLimitResetAt = resetAt;
      await probot.receive({ id: 'quota-30s', name: 'push', payload: push(sim!.head('acme/api')) } as never);
      const runs = () => sim!.repo('acme/api').checkRuns;
      await until(() => runs()[0]?.output.title === 'Waiting for the GitHub API quota reset', 25_000);
      expect(runs()[0].status).toBe('in_progress');
      expect(runs()[0].output.summary).toContain(`used up until ${resetAt.toISOString()}`);
      // Until the reset nothing changes: still in progress, still waiting, no second run.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, resetAt.getTime() - Date.now() - 1500)));
      expect(runs()).toHaveLength(1);
      expect(runs()[0]).toMatchObject({
        status: 'in_progress',
        output: expect.objectContaining({ title: 'Waiting for the GitHub API quota reset' }),
      });
      await until(() => runs()[0]?.status === 'completed', 45_000);
      expect(Date.now()).toBeGreaterThanOrEqual(resetAt.getTime());
      expect(runs()).toHaveLength(1);
      expect(runs()[0].output.title).toMatch(REAL_TITLE);
      await queue.onIdle();
      expect(queue.stats).toMatchObject({ failed: 0, completed: 1 });
      expect(queue.stats.retried).toBeGreaterThanOrEqual(1);
      expect(sim!.violations).toEqual([]);
    } finally {
      await queue.close();
    }
  }, 90_000);
});
