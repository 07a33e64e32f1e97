/**
 * With REDIS_URL, GitHub requests are throttled through Redis on a connection shipready owns (src/app/throttling.ts):
 * the client is the installed ioredis, Probot opens no Redis client of its own (it would load one through
 * npx-import-light and never close it), the limiters live in the shared Redis, and shutdown leaves no connection
 * behind — also when Redis is already gone. A real redis-server and the simulator; no mocks.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { ShipreadyServer } from '../../src/app/server.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { waitFor } from '../helpers/app-process.js';
import { startServerOn } from '../helpers/in-process-app.js';
import { deliver, pushPayload, REPO } from '../helpers/webhooks.js';
import { startRedisServer, type RedisServer } from './queue-redis-server.js';

const SECRET = 'throttle-secret';

let sim: Simulator | undefined;
let server: ShipreadyServer | undefined;
let redis: RedisServer | undefined;
let observer: Redis | undefined;
afterEach(async () => {
  await server?.close('test over');
  observer?.disconnect();
  await redis?.stop();
  await sim?.close();
  server = sim = redis = observer = undefined;
});

async function start() {
  redis = await startRedisServer();
  observer = new Redis(redis.url, { connectionName: 'test-observer' });
  sim = await startSimulator({ repos: [{ owner: 'acme', name: 'api', files: { 'README.md': '# api\n' } }] });
  server = await startServerOn(sim, {
    secret: SECRET,
    env: { REDIS_URL: redis.url, SHIPREADY_REDIS_PREFIX: 'throttle-test' },
    ...(process.env.TEST_LOG_LEVEL ? { logLevel: process.env.TEST_LOG_LEVEL } : {}),
  });
  return { sim, server, observer };
}

/** The names of the connections the redis-server has, but the observer's own. */
async function connectionNames(observer: Redis): Promise<string[]> {
  const list = (await observer.client('LIST')) as string;
  return list
    .split('\n')
    .filter(Boolean)
    .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')
    .filter((name) => name !== 'test-observer');
}

const deliverPush = async (server: ShipreadyServer, sha: string) =>
  (await deliver(server.url, { event: 'push', payload: pushPayload(sha), id: `throttle-${sha}`, secret: SECRET }))
    .status;

describe('GitHub request throttling with REDIS_URL', () => {
  it("runs on shipready's connection (the installed ioredis): its limiters in Redis, no Redis client of Probot's", async () => {
    const { sim, server, observer } = await start();
    expect(server.throttle?.client).toBeInstanceOf(Redis);
    expect(await deliverPush(server, sim.head(REPO))).toBe(200);
    await waitFor('a completed Check Run', () => sim.repo(REPO).checkRuns.some((run) => run.status === 'completed'));
    // The evaluation's requests went through Bottleneck's Redis store: its limiters' keys are in the shared Redis.
    expect((await observer.keys('b_octokit-*')).length).toBeGreaterThan(0);
    // Every connection is named by whoever opened it: ours and BullMQ's. Probot's would have no name.
    const names = await connectionNames(observer);
    expect(names.filter((name) => name === 'shipready-throttle')).toHaveLength(2);
    expect(names.filter((name) => name === '')).toEqual([]);
  }, 60_000);

  it('shutdown closes the connection: none left on the redis-server, none coming back', async () => {
    const { server: running, observer } = await start();
    await waitFor('the throttle connected', async () =>
      (await connectionNames(observer)).includes('shipready-throttle'),
    );
    const throttleClient = running.throttle!.client;
    await running.close('test over');
    server = undefined;
    await waitFor('no connection left', async () => (await connectionNames(observer)).length === 0);
    // Past ioredis's first reconnection delays: nothing reconnects.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await connectionNames(observer)).toEqual([]);
    expect(throttleClient.status).toBe('end');
  }, 60_000);

  it('shutdown while Redis is down drops the connection at once: it stops reconnecting', async () => {
    const { server: running } = await start();
    const throttleClient = running.throttle!.client;
    await waitFor('the throttle connected', () => throttleClient.status === 'ready');
    observer?.disconnect();
    await redis!.stop();
    redis = undefined;
    await waitFor('the throttle to notice', () => throttleClient.status !== 'ready');
    const started = Date.now();
    await running.close('test over');
    server = undefined;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(throttleClient.status).toBe('end');
  }, 60_000);
});
