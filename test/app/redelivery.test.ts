/**
 * Redelivery of failed webhook deliveries against the simulator (which validates every request against GitHub's
 * OpenAPI description): the App, authenticated as itself, lists its deliveries page by page and redelivers each
 * delivery whose every attempt failed, once; with Redis, two instances at once redeliver it once between them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp, type ShipreadyApp } from '../../src/app/index.js';
import { MemoryRedeliveredStore, RedisRedeliveredStore, WebhookRedelivery } from '../../src/app/redelivery.js';
import { LocalSweepLock, RedisSweepLock } from '../../src/app/sweeper.js';
import type { OctokitLike } from '../../src/github/octokit.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { startRedisServer, type RedisServer } from './queue-redis-server.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const HOUR = 3600_000;

let sim: Simulator | undefined;
let app: ShipreadyApp | undefined;
afterEach(async () => {
  await app?.stop();
  await sim?.close();
  sim = undefined;
  app = undefined;
});

async function start() {
  sim = await startSimulator({ repos: [{ owner: 'acme', name: 'api', files: { 'README.md': '# api\n' } }] });
  const logger = pino({ level: 'silent' });
  app = createApp({ logger, env: { SHIPREADY_REDELIVERY_INTERVAL_MS: '0', SHIPREADY_SWEEPER_INTERVAL_MS: '0' } });
  const probot = new Probot({
    appId: 1,
    privateKey,
    baseUrl: sim.url,
    log: logger,
    Octokit: ProbotOctokit.defaults({ throttle: { enabled: false }, retry: { enabled: false } }),
  });
  await probot.load(app);
  return { sim, app, probot };
}

/** A log of deliveries: some failed for good, one failed then succeeded, one too old, one redelivered before. */
function recordLog(sim: Simulator) {
  const ago = (ms: number) => new Date(Date.now() - ms);
  const old = sim.recordDelivery({ event: 'push', statusCode: 503, deliveredAt: ago(7 * HOUR) });
  const recovered = sim.recordDelivery({
    event: 'pull_request',
    action: 'opened',
    statusCode: 503,
    deliveredAt: ago(HOUR),
  });
  sim.recordDelivery({
    guid: recovered.guid,
    event: 'pull_request',
    action: 'opened',
    statusCode: 200,
    deliveredAt: ago(HOUR - 60_000),
    redelivery: true,
  });
  const timedOut = sim.recordDelivery({ event: 'push', statusCode: 0, deliveredAt: ago(50 * 60_000) });
  const refused = sim.recordDelivery({
    event: 'pull_request',
    action: 'synchronize',
    statusCode: 503,
    deliveredAt: ago(40 * 60_000),
  });
  const triedBefore = sim.recordDelivery({
    event: 'check_run',
    action: 'rerequested',
    statusCode: 500,
    deliveredAt: ago(30 * 60_000),
  });
  sim.recordDelivery({
    guid: triedBefore.guid,
    event: 'check_run',
    action: 'rerequested',
    statusCode: 500,
    deliveredAt: ago(29 * 60_000),
    redelivery: true,
  });
  // 150 newer deliveries that succeeded: the failed ones are on the second page.
  for (let index = 0; index < 150; index += 1)
    sim.recordDelivery({ event: 'push', statusCode: 200, deliveredAt: ago(20 * 60_000 - index * 1000) });
  return { old, recovered, timedOut, refused, triedBefore };
}

describe('redelivery of failed webhook deliveries', () => {
  it('redelivers each delivery whose every attempt failed within the lookback, once, through the App', async () => {
    const { sim, app } = await start();
    const log = recordLog(sim);
    const first = await app.background.redelivery!.redeliverOnce();
    expect(first).toMatchObject({ skipped: false, listed: 156, failed: 3, redelivered: 2, alreadyRedelivered: 1 });
    expect(sim.redelivered.sort()).toEqual([log.timedOut.id, log.refused.id].sort());
    // The redeliveries answered OK; and even had they not, a GUID is redelivered once.
    const second = await app.background.redelivery!.redeliverOnce();
    expect(second.redelivered).toBe(0);
    expect(sim.redelivered).toHaveLength(2);
    expect(
      sim.requests.filter((request) => request.url.includes('/app/hook/deliveries?')).length,
    ).toBeGreaterThanOrEqual(4);
    expect(sim.violations).toEqual([]);
  }, 60_000);

  it('a redelivery that fails again is not redelivered again; a refused redelivery request is tried next run', async () => {
    const { sim, app } = await start();
    const failing = sim.recordDelivery({ event: 'push', statusCode: 503 });
    sim.redeliveryStatusCode = 503;
    expect(await app.background.redelivery!.redeliverOnce()).toMatchObject({ redelivered: 1 });
    expect(await app.background.redelivery!.redeliverOnce()).toMatchObject({ redelivered: 0, alreadyRedelivered: 1 });
    expect(sim.redelivered).toEqual([failing.id]);

    const refused = sim.recordDelivery({ event: 'push', statusCode: 502 });
    sim.failNext({ method: 'POST', path: '/attempts', status: 500 });
    expect(await app.background.redelivery!.redeliverOnce()).toMatchObject({ redelivered: 0, errors: 1 });
    expect(await app.background.redelivery!.redeliverOnce()).toMatchObject({ redelivered: 1 });
    expect(sim.redelivered).toEqual([failing.id, refused.id]);
  }, 60_000);
});

describe('redelivery with Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('two instances at once: one redelivers, the other skips the interval; each GUID once', async () => {
    const { sim, probot } = await start();
    const failed = sim.recordDelivery({ event: 'push', statusCode: 503 });
    const clients = [new Redis(redis.url), new Redis(redis.url)];
    try {
      const instances = clients.map(
        (client) =>
          new WebhookRedelivery({
            appOctokit: async () => (await probot.auth()) as OctokitLike,
            lock: new RedisSweepLock(client, 'redelivery-test'),
            store: new RedisRedeliveredStore(client, HOUR, 'redelivery-test'),
            intervalMs: 60_000,
          }),
      );
      const results = await Promise.all(instances.map((instance) => instance.redeliverOnce()));
      expect(results.map((result) => result.skipped).sort()).toEqual([false, true]);
      expect(sim.redelivered).toEqual([failed.id]);
      // Without the interval lock (another interval), the GUID mark still holds it to once.
      sim.redeliveryStatusCode = 503;
      const unlocked = new WebhookRedelivery({
        appOctokit: async () => (await probot.auth()) as OctokitLike,
        lock: new LocalSweepLock(),
        store: new RedisRedeliveredStore(clients[1], HOUR, 'redelivery-test'),
      });
      expect(await unlocked.redeliverOnce()).toMatchObject({ redelivered: 0 });
      const memory = new WebhookRedelivery({
        appOctokit: async () => (await probot.auth()) as OctokitLike,
        lock: new LocalSweepLock(),
        store: new MemoryRedeliveredStore(HOUR),
      });
      // A fresh instance without the shared mark still sees the OK redelivery in the log: nothing to do.
      expect(await memory.redeliverOnce()).toMatchObject({ failed: 0, redelivered: 0 });
      expect(sim.redelivered).toEqual([failed.id]);
    } finally {
      clients.forEach((client) => client.disconnect());
    }
  }, 60_000);
});
