import { describe, expect, it } from '@jest/globals';
import { EvaluationQueue } from '../../src/app/queue.js';
import { guardFor, SupersededError } from '../../src/github/octokit.js';
import { SettingsCache } from '../../src/app/evaluate-flow.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

describe('EvaluationQueue', () => {
  it('coalesces waiting jobs of the same key: only the newest runs', async () => {
    const queue = new EvaluationQueue({ concurrency: 1 });
    const gate = deferred();
    const ran: string[] = [];
    queue.enqueue('other', async () => {
      await gate.promise;
      ran.push('other');
    });
    expect(queue.enqueue('acme/api#1', async () => void ran.push('head-1'))).toBe('queued');
    expect(queue.enqueue('acme/api#1', async () => void ran.push('head-2'))).toBe('coalesced');
    expect(queue.enqueue('acme/api#1', async () => void ran.push('head-3'))).toBe('coalesced');
    gate.resolve();
    await queue.onIdle();
    expect(ran).toEqual(['other', 'head-3']);
    expect(queue.stats).toMatchObject({ completed: 2, superseded: 2, failed: 0 });
  });

  it('aborts a running evaluation of the same key, whose guarded writes then throw', async () => {
    const queue = new EvaluationQueue({ concurrency: 2 });
    const started = deferred();
    const release = deferred();
    const writes: string[] = [];
    queue.enqueue('acme/api#7', async (signal) => {
      started.resolve();
      await release.promise;
      guardFor(signal)();
      writes.push('old');
    });
    await started.promise;
    queue.enqueue('acme/api#7', async (signal) => {
      guardFor(signal)();
      writes.push('new');
    });
    release.resolve();
    await queue.onIdle();
    expect(writes).toEqual(['new']);
    expect(queue.stats.superseded).toBe(1);
  });

  it('runs different keys concurrently up to the bound', async () => {
    const queue = new EvaluationQueue({ concurrency: 2 });
    let running = 0;
    let peak = 0;
    for (let index = 0; index < 6; index += 1) {
      queue.enqueue(`acme/api#${index}`, async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
      });
    }
    await queue.onIdle();
    expect(peak).toBe(2);
    expect(queue.stats.completed).toBe(6);
  });

  it('rejects with a logged message when full, and after drain begins', async () => {
    const messages: string[] = [];
    const logger = {
      info: () => {},
      debug: () => {},
      error: () => {},
      warn: (_: unknown, message: string) => void messages.push(message),
    };
    const queue = new EvaluationQueue({ concurrency: 1, maxPending: 1, logger });
    const gate = deferred();
    queue.enqueue('a', () => gate.promise);
    queue.enqueue('b', async () => {});
    expect(queue.enqueue('c', async () => {})).toBe('rejected');
    expect(messages[0]).toMatch(/full \(1 waiting\), rejected c/);
    const drained = queue.drain(1000);
    expect(queue.accepting).toBe(false);
    expect(queue.enqueue('d', async () => {})).toBe('rejected');
    gate.resolve();
    await expect(drained).resolves.toBe(true);
  });

  it('drain reports false when work outlives the timeout', async () => {
    const queue = new EvaluationQueue();
    const gate = deferred();
    queue.enqueue('slow', () => gate.promise);
    await expect(queue.drain(20)).resolves.toBe(false);
    gate.resolve();
    await queue.onIdle();
  });

  it('counts a failing job and keeps going', async () => {
    const errors: unknown[] = [];
    const logger = {
      info: () => {},
      debug: () => {},
      warn: () => {},
      error: (fields: unknown) => void errors.push(fields),
    };
    const queue = new EvaluationQueue({ logger });
    queue.enqueue('x', async () => {
      throw new Error('boom');
    });
    queue.enqueue('y', async () => {
      throw new SupersededError();
    });
    await queue.onIdle();
    expect(queue.stats).toMatchObject({ failed: 1, superseded: 1 });
    expect(errors).toHaveLength(1);
  });
});

describe('EvaluationQueue ordering', () => {
  it('drops a delivery older than one already seen for the key (out-of-order webhooks)', async () => {
    const queue = new EvaluationQueue({ concurrency: 1 });
    const ran: string[] = [];
    const gate = deferred();
    queue.enqueue('other', () => gate.promise);
    expect(queue.enqueue('acme/api#1', async () => void ran.push('t2'), 't2', 2000)).toBe('queued');
    expect(queue.enqueue('acme/api#1', async () => void ran.push('t1'), 't1', 1000)).toBe('stale');
    expect(queue.enqueue('acme/api#1', async () => void ran.push('rerun'), 'rerun')).toBe('coalesced');
    gate.resolve();
    await queue.onIdle();
    expect(ran).toEqual(['rerun']);
  });
});

describe('SettingsCache', () => {
  it('reuses settings for a while, forgets them on request and after the TTL, and never keeps a failure', async () => {
    let now = 0;
    const cache = new SettingsCache({ ttlMs: 1000, now: () => now });
    let loads = 0;
    const load = async () => ({ secretScanning: { status: 'ok' as const, value: ++loads > 0 } });
    await cache.read('acme/api', 'secretScanning', load);
    await cache.read('acme/api', 'secretScanning', load);
    expect(loads).toBe(1);
    cache.forget('acme/api');
    await cache.read('acme/api', 'secretScanning', load);
    expect(loads).toBe(2);
    now = 2000;
    await cache.read('acme/api', 'secretScanning', load);
    expect(loads).toBe(3);
    await expect(cache.read('acme/other', 'x', () => Promise.reject(new Error('503')))).rejects.toThrow('503');
    await cache.read('acme/other', 'x', load);
    expect(loads).toBe(4);
  });
});
