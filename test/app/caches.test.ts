/** The process's caches are bounded: in count or bytes (least recently used out first) and, where GitHub's data can change, in age. */
import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { ReportCache, SettingsCache } from '../../src/app/caches.js';
import { appSettingsFromEnv } from '../../src/app/settings.js';
import { BlobCache } from '../../src/github/blob-cache.js';
import { configureKnownLabels, ensureLabels, forgetKnownLabels } from '../../src/github/issues.js';
import type { OctokitLike } from '../../src/github/octokit.js';
import { Octokit } from '@octokit/rest';
import type { Report } from '../../src/report/types.js';

const report = (score: number) => ({ score }) as unknown as Report;

describe('ReportCache', () => {
  it('keeps at most maxEntries commits, least recently used out first, each for ttlMs', () => {
    let now = 0;
    const cache = new ReportCache({ maxEntries: 2, ttlMs: 1000, now: () => now });
    const put = (sha: string) => cache.set(`acme/api@${sha}`, { signature: sha, configKey: 'c', report: report(1) });
    put('a');
    put('b');
    expect(cache.get('acme/api@a')).toBeDefined(); // a is now the most recently used
    put('c');
    expect(cache.get('acme/api@b')).toBeUndefined();
    expect(cache.get('acme/api@a')?.reports.get('c')).toEqual(report(1));
    expect(cache.size).toBe(2);
    now = 1001;
    expect(cache.get('acme/api@a')).toBeUndefined();
    expect(cache.get('acme/api@c')).toBeUndefined();
  });

  it('keeps a few reports per commit (one per config), not one per config ever seen', () => {
    const cache = new ReportCache();
    for (let index = 0; index < 10; index += 1)
      cache.set('acme/api@a', { signature: 'a', configKey: `config-${index}`, report: report(index) });
    const entry = cache.get('acme/api@a')!;
    expect(entry.reports.get('config-9')).toEqual(report(9));
    expect(entry.reports.get('config-0')).toBeUndefined();
  });
});

describe('SettingsCache', () => {
  it('holds at most maxEntries repositories', async () => {
    const cache = new SettingsCache({ maxEntries: 3 });
    let loads = 0;
    const load = async () => ({ secretScanning: { status: 'ok' as const, value: ++loads > 0 } });
    for (const repository of ['a/1', 'a/2', 'a/3', 'a/4']) await cache.read(repository, 'secretScanning', load);
    expect(cache.size).toBe(3);
    await cache.read('a/1', 'secretScanning', load);
    expect(loads).toBe(5); // a/1 was evicted, so it is read again
  });
});

describe('BlobCache', () => {
  const blob = (chars: number) => ({ text: 'x'.repeat(chars), binary: false, truncated: false, size: chars });

  it('evicts the least recently used past maxBytes and counts it; an entry larger than the cache is not kept', () => {
    const cache = new BlobCache({ maxBytes: 3000 });
    cache.set('a', blob(600));
    cache.set('b', blob(600));
    expect(cache.get('a')).toBeDefined();
    cache.set('c', blob(600));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.stats).toMatchObject({ evictions: 1, entries: 2 });
    expect(cache.stats.bytes).toBeLessThanOrEqual(3000);
    cache.set('huge', blob(10_000));
    expect(cache.has('huge')).toBe(false);
    expect(cache.stats.entries).toBe(2);
  });

  it('shares a fetch in flight: claimed once, awaited by the others, released on failure', async () => {
    const cache = new BlobCache();
    expect(cache.claim('sha1')).toBe(true);
    expect(cache.claim('sha1')).toBe(false);
    const waiting = cache.inflight('sha1');
    cache.settle('sha1', blob(3));
    await expect(waiting).resolves.toEqual(blob(3));
    expect(cache.inflight('sha1')).toBeUndefined();
    expect(cache.claim('sha2')).toBe(true);
    const failed = cache.inflight('sha2');
    cache.settle('sha2', undefined);
    await expect(failed).resolves.toBeUndefined();
    expect(cache.stats.shared).toBe(2);
  });

  it('runs one load per key at a time (tree listings)', async () => {
    const cache = new BlobCache();
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'listing';
    };
    const answers = await Promise.all([1, 2, 3].map(() => cache.shareInflight('listing:acme/api@a', load)));
    expect(answers).toEqual(['listing', 'listing', 'listing']);
    expect(loads).toBe(1);
    await cache.shareInflight('listing:acme/api@a', load);
    expect(loads).toBe(2); // only in flight, not kept: setImmutable is what keeps a listing
  });
});

describe('known labels', () => {
  it('are checked again once their TTL has passed (a label a maintainer deleted is created again)', async () => {
    const octokit = new Octokit({
      baseUrl: 'https://api.github.test',
      request: { retries: 0 },
    }) as unknown as OctokitLike;
    configureKnownLabels({ ttlMs: 50 });
    try {
      nock('https://api.github.test')
        .get('/repos/acme/api/labels/shipready')
        .times(2)
        .reply(200, { name: 'shipready' });
      await ensureLabels({ octokit, owner: 'acme', repo: 'api', labels: ['shipready'] });
      await ensureLabels({ octokit, owner: 'acme', repo: 'api', labels: ['shipready'] });
      await new Promise((resolve) => setTimeout(resolve, 80));
      await ensureLabels({ octokit, owner: 'acme', repo: 'api', labels: ['shipready'] });
      expect(nock.isDone()).toBe(true);
    } finally {
      nock.cleanAll();
      configureKnownLabels({});
      forgetKnownLabels();
    }
  });
});

describe('cache settings', () => {
  it('come from one SHIPREADY_ variable each, with defaults', () => {
    expect(appSettingsFromEnv({}).caches).toEqual({
      blobBytes: 64 * 1024 * 1024,
      reportEntries: 200,
      reportTtlMs: 600_000,
      settingsEntries: 1000,
      settingsTtlMs: 300_000,
      labelTtlMs: 3_600_000,
      orgConfigEntries: 1000,
      orgConfigTtlMs: 300_000,
      repoConfigEntries: 1000,
      repoConfigTtlMs: 300_000,
    });
    expect(appSettingsFromEnv({}).checkRunGraceMs).toBe(10_000);
    const env = {
      SHIPREADY_BLOB_CACHE_BYTES: '1048576',
      SHIPREADY_REPORT_CACHE_ENTRIES: '10',
      SHIPREADY_REPORT_CACHE_TTL_MS: '1000',
      SHIPREADY_SETTINGS_CACHE_ENTRIES: '20',
      SHIPREADY_SETTINGS_CACHE_TTL_MS: '2000',
      SHIPREADY_LABEL_CACHE_TTL_MS: '3000',
      SHIPREADY_ORG_CONFIG_CACHE_ENTRIES: '30',
      SHIPREADY_ORG_CONFIG_CACHE_TTL_MS: '4000',
      SHIPREADY_REPO_CONFIG_CACHE_ENTRIES: '40',
      SHIPREADY_REPO_CONFIG_CACHE_TTL_MS: '5000',
      SHIPREADY_CHECK_RUN_GRACE_MS: '0',
      SHIPREADY_QUEUE_CONCURRENCY: 'many',
    };
    expect(appSettingsFromEnv(env)).toMatchObject({
      caches: {
        blobBytes: 1_048_576,
        reportEntries: 10,
        reportTtlMs: 1000,
        settingsEntries: 20,
        settingsTtlMs: 2000,
        labelTtlMs: 3000,
        orgConfigEntries: 30,
        orgConfigTtlMs: 4000,
        repoConfigEntries: 40,
        repoConfigTtlMs: 5000,
      },
      checkRunGraceMs: 0,
      queue: { concurrency: 4 },
    });
  });
});
