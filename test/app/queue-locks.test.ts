/** The locks across instances, on a real redis-server started by the test (no mock Redis). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { LockTimeoutError, MemoryLocks, RedisLocks } from '../../src/app/locks.js';
import { useSharedLocks, withLock } from '../../src/github/octokit.js';
import { startRedisServer, type RedisServer } from './queue-redis-server.js';

let redis: RedisServer;
const clients: Redis[] = [];
const client = () => {
  const created = new Redis(redis.url, { maxRetriesPerRequest: null });
  clients.push(created);
  return created;
};

beforeAll(async () => {
  redis = await startRedisServer();
}, 20_000);

afterAll(async () => {
  useSharedLocks(undefined);
  await Promise.all(clients.map((each) => each.quit().catch(() => undefined)));
  await redis.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` under the lock on each "instance" at once and records whether two ever held it together. */
async function contend(instances: Array<{ withLock: RedisLocks['withLock'] }>, key: string) {
  let holders = 0;
  let most = 0;
  const order: number[] = [];
  await Promise.all(
    instances.map((instance, index) =>
      instance.withLock(key, async () => {
        holders += 1;
        most = Math.max(most, holders);
        await sleep(60);
        order.push(index);
        holders -= 1;
      }),
    ),
  );
  return { most, order };
}

describe('RedisLocks', () => {
  it('lets one instance at a time hold a key, and different keys at once', async () => {
    const a = new RedisLocks(client(), { prefix: 't1' });
    const b = new RedisLocks(client(), { prefix: 't1' });
    const { most, order } = await contend([a, b, a, b], 'comment:acme/api#1');
    expect(most).toBe(1);
    expect([...order].sort()).toEqual([0, 1, 2, 3]);
    let together = 0;
    await Promise.all([
      a.withLock('issues:acme/api', async () => {
        together += 1;
        await sleep(80);
      }),
      b.withLock('issues:acme/web', async () => {
        await sleep(20);
        together += 1;
      }),
    ]);
    expect(together).toBe(2);
  });

  it('a crashed holder blocks only until its lock expires', async () => {
    const dead = client();
    // What a holder leaves behind when its process is killed: the key, never released.
    await dead.set('t2:lock:comment:acme/api#2', 'token-of-a-dead-process', 'PX', 400);
    const survivor = new RedisLocks(client(), { prefix: 't2', ttlMs: 1000, waitMs: 5000 });
    const started = Date.now();
    await survivor.withLock('comment:acme/api#2', async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('renews the lock while the work runs longer than its ttl, and releases only its own token', async () => {
    const redisClient = client();
    const holder = new RedisLocks(redisClient, { prefix: 't3', ttlMs: 1000 });
    const other = new RedisLocks(client(), { prefix: 't3', ttlMs: 1000, waitMs: 100 });
    await holder.withLock('issues:acme/api', async () => {
      await sleep(1600);
      // Still held after more than its ttl: the other instance gives up waiting.
      await expect(other.withLock('issues:acme/api', async () => undefined)).rejects.toBeInstanceOf(LockTimeoutError);
    });
    expect(await redisClient.exists('t3:lock:issues:acme/api')).toBe(0);
    // An expired lock taken by someone else is not deleted by the late release of the first holder.
    await redisClient.set('t3:lock:issues:acme/web', 'someone-else', 'PX', 5000);
    const late = new RedisLocks(redisClient, { prefix: 't3', waitMs: 0 });
    await expect(late.withLock('issues:acme/web', async () => undefined)).rejects.toBeInstanceOf(LockTimeoutError);
    expect(await redisClient.get('t3:lock:issues:acme/web')).toBe('someone-else');
  }, 10_000);

  it('is what withLock (the comment and issue writers) takes once installed', async () => {
    const shared = new RedisLocks(client(), { prefix: 't4' });
    const observer = client();
    useSharedLocks(shared);
    try {
      const held = await withLock('comment:acme/api#9', () => observer.exists('t4:lock:comment:acme/api#9'));
      expect(held).toBe(1);
    } finally {
      useSharedLocks(undefined);
    }
    expect(await withLock('comment:acme/api#9', () => observer.exists('t4:lock:comment:acme/api#9'))).toBe(0);
  });
});

describe('MemoryLocks', () => {
  it('serialises one key in one process', async () => {
    const locks = new MemoryLocks();
    const { most } = await contend([locks, locks, locks], 'comment:acme/api#3');
    expect(most).toBe(1);
  });
});
