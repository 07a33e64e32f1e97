import { describe, expect, it } from '@jest/globals';
import { SettingsCache } from '../../src/app/evaluate-flow.js';

// The queue's behaviour is tested by the contract suite run against both queues: queue.contract.test.ts.

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
