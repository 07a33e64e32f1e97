/**
 * The sweeper completes the Check Runs shipready left in progress: the real App against the simulator, where the
 * completing PATCH fails (and the fault's PATCH too), so the run is left "Evaluating…". A sweep completes it with
 * "re-queued" and the evaluation runs again to a completed run; after the re-queues allowed, it completes it with
 * "completed by the sweeper". With Redis, two instances sweeping at once: one sweeps, the other skips.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { Octokit } from '@octokit/rest';
import { createApp, type ShipreadyApp } from '../../src/app/index.js';
import { CheckRunSweeper, RedisRunRegistry, RedisSweepLock } from '../../src/app/sweeper.js';
import { forgetKnownLabels } from '../../src/github/issues.js';
import type { OctokitLike } from '../../src/github/octokit.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { pushPayload } from '../helpers/webhooks.js';
import { startRedisServer, type RedisServer } from './queue-redis-server.js';

const REPO = 'acme/api';
const files = {
  'README.md': '# api\n',
  'package.json': '{"name":"api","version":"1.0.0","scripts":{"test":"node --test"}}\n',
  Dockerfile: 'FROM node:20\nUSER node\nCMD ["node","index.js"]\n',
};
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

let sim: Simulator | undefined;
let app: ShipreadyApp | undefined;
afterEach(async () => {
  await app?.stop();
  await sim?.close();
  sim = undefined;
  app = undefined;
});

async function start(env: Record<string, string>) {
  forgetKnownLabels();
  sim = await startSimulator({ repos: [{ owner: 'acme', name: 'api', files }] });
  const logger = pino({ level: 'silent' });
  // Manual sweeps (interval 0); every run older than 1 ms is stale. One attempt per job: with retries left the queue
  // itself runs a job whose run could not be completed again (test/app/queue-quota.test.ts); this is the case after
  // the last attempt, the sweeper's.
  app = createApp({
    logger,
    env: {
      SHIPREADY_SWEEPER_INTERVAL_MS: '0',
      SHIPREADY_SWEEPER_STALE_MS: '1',
      SHIPREADY_QUEUE_ATTEMPTS: '1',
      ...env,
    },
  });
  const probot = new Probot({
    appId: 1,
    privateKey,
    baseUrl: sim.url,
    log: logger,
    // No retries: the failures below are exactly the completing PATCHes.
    Octokit: ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } }),
  });
  await probot.load(app);
  return { sim, app, probot };
}

/** A push whose run cannot be completed: the result's PATCH and the fault's PATCH both answer 502. */
async function strandedRun(env: Record<string, string> = {}) {
  const { sim, app, probot } = await start(env);
  const sha = sim.head(REPO);
  sim.failNext({ method: 'PATCH', path: /\/check-runs\/\d+$/, status: 502, times: 2 });
  await probot.receive({ id: 'push-1', name: 'push', payload: pushPayload(sha) });
  await app.queue.onIdle();
  const [run] = sim.repo(REPO).checkRuns;
  expect(run).toMatchObject({ head_sha: sha, status: 'in_progress' });
  expect(await app.background.runs.size()).toBe(1);
  return { sim, app, probot, sha, run };
}

describe('the sweeper', () => {
  it('completes a run left in progress with "re-queued", and the re-queued evaluation completes a new run', async () => {
    const { sim, app, sha, run } = await strandedRun();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const result = await app.background.sweeper!.sweepOnce();
    expect(result).toMatchObject({ skipped: false, requeued: 1, completed: 0, failed: 0 });
    expect(run).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(run.output.title).toBe('Evaluation did not finish; re-queued');
    await app.queue.onIdle();
    const runs = sim.repo(REPO).checkRuns.filter((candidate) => candidate.head_sha === sha);
    expect(runs).toHaveLength(2);
    expect(runs.every((candidate) => candidate.status === 'completed')).toBe(true);
    expect(runs[1].output.title).toMatch(/\d+\/100/);
    expect(await app.background.runs.size()).toBe(0);
    // Nothing left to sweep.
    expect(await app.background.sweeper!.sweepOnce()).toMatchObject({ requeued: 0, completed: 0 });
    expect(sim.violations).toEqual([]);
  }, 60_000);

  it('after the re-queues allowed, completes the run for good, saying the sweeper completed it', async () => {
    const { sim, app } = await strandedRun({ SHIPREADY_SWEEPER_REQUEUES: '0' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await app.background.sweeper!.sweepOnce()).toMatchObject({ requeued: 0, completed: 1 });
    const runs = sim.repo(REPO).checkRuns;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(runs[0].output.title).toBe('Completed by the sweeper: the evaluation did not finish');
    expect(runs[0].output.summary).toContain('Re-run');
  }, 60_000);

  it('forgets a run completed meanwhile, and leaves a run whose PATCH fails for the next sweep', async () => {
    const { sim, app, run } = await strandedRun();
    await new Promise((resolve) => setTimeout(resolve, 5));
    sim.failNext({ method: 'PATCH', path: /\/check-runs\/\d+$/, status: 502, times: 1 });
    expect(await app.background.sweeper!.sweepOnce()).toMatchObject({ failed: 1 });
    expect(run.status).toBe('in_progress');
    expect(await app.background.runs.size()).toBe(1);
    run.status = 'completed';
    run.conclusion = 'success';
    expect(await app.background.sweeper!.sweepOnce()).toMatchObject({ alreadyCompleted: 1, requeued: 0 });
    expect(await app.background.runs.size()).toBe(0);
  }, 60_000);
});

describe('the sweeper with Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('two instances sweep at once: one sweeps the shared runs, the other skips; the run is completed once', async () => {
    sim = await startSimulator({ repos: [{ owner: 'acme', name: 'api', files }] });
    const octokit = new Octokit({ baseUrl: sim.url, auth: 't' }) as unknown as OctokitLike;
    const sha = sim.head(REPO);
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
      owner: 'acme',
      repo: 'api',
      name: 'Production readiness',
      head_sha: sha,
      status: 'in_progress',
    });
    const id = (data as { id: number }).id;
    const clients = [new Redis(redis.url), new Redis(redis.url)];
    try {
      const sweepers = clients.map(
        (client) =>
          new CheckRunSweeper({
            registry: new RedisRunRegistry(client, 'sweeper-test'),
            lock: new RedisSweepLock(client, 'sweeper-test'),
            auth: async () => octokit,
            enqueue: async () => 'queued',
            staleAfterMs: 1,
            intervalMs: 60_000,
            maxRequeues: 0,
          }),
      );
      await new RedisRunRegistry(clients[0], 'sweeper-test').started({
        checkRunId: id,
        installationId: 1,
        owner: 'acme',
        repo: 'api',
        headSha: sha,
        startedAt: Date.now() - 60_000,
        request: { owner: 'acme', repo: 'api', installationId: 1, headSha: sha, reason: 'push' },
      });
      const results = await Promise.all(sweepers.map((sweeper) => sweeper.sweepOnce()));
      expect(results.map((result) => result.skipped).sort()).toEqual([false, true]);
      expect(results.find((result) => !result.skipped)).toMatchObject({ completed: 1 });
      const patches = sim.requests.filter((request) => request.method === 'PATCH' && request.url.endsWith(`/${id}`));
      expect(patches).toHaveLength(1);
      expect(sim.repo(REPO).checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
      expect(await new RedisRunRegistry(clients[1], 'sweeper-test').size()).toBe(0);
    } finally {
      clients.forEach((client) => client.disconnect());
    }
  }, 60_000);
});
