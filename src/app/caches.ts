import { LRUCache } from 'lru-cache';
import type { Report } from '../report/types.js';
import type { Settings } from '../snapshot/types.js';

/** Ten minutes: SHIPREADY_REPORT_CACHE_TTL_MS. */
export const DEFAULT_REPORT_TTL_MS = 10 * 60_000;
/** Commits whose reports are kept: SHIPREADY_REPORT_CACHE_ENTRIES. */
export const DEFAULT_REPORT_ENTRIES = 200;
/** Five minutes: SHIPREADY_SETTINGS_CACHE_TTL_MS. */
export const DEFAULT_SETTINGS_TTL_MS = 5 * 60_000;
/** Repositories × setting sets kept: SHIPREADY_SETTINGS_CACHE_ENTRIES. */
export const DEFAULT_SETTINGS_ENTRIES = 1000;
/** Reports of one commit under different configs (the default branch's and a PR's own, previewed). */
const REPORTS_PER_COMMIT = 4;

export interface CachedCommit {
  signature: string;
  configBlob?: string;
  /** By config hash. */
  reports: Pick<Map<string, Report>, 'get'>;
}

/**
 * Reports of base commits by repository and sha (a PR's base rarely moves while it is pushed to), for a while:
 * settings such as branch protection belong to the repository and can change, so entries expire. Bounded in
 * count (least recently used first out) and in age, by lru-cache.
 */
export class ReportCache {
  readonly #entries: LRUCache<string, { signature: string; configBlob?: string; reports: LRUCache<string, Report> }>;
  /**
   * Per repository: the default branch's last evaluated commit and what it was compared with. Bounded in count,
   * not in age: it is the next evaluation's base, however long ago the branch last moved.
   */
  readonly #last: LRUCache<string, { sha: string; baseSha?: string }>;
  hits = 0;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    const max = Math.max(1, options.maxEntries ?? DEFAULT_REPORT_ENTRIES);
    this.#entries = new LRUCache({
      max,
      ttl: Math.max(1, options.ttlMs ?? DEFAULT_REPORT_TTL_MS),
      ...clock(options.now),
    });
    this.#last = new LRUCache({ max: Math.max(max, 1000) });
  }

  get(key: string): CachedCommit | undefined {
    const entry = this.#entries.get(key);
    if (entry) this.hits += 1;
    return entry;
  }

  set(key: string, value: { signature: string; configBlob?: string; configKey: string; report: Report }): void {
    const entry = this.#entries.get(key) ?? {
      signature: value.signature,
      configBlob: value.configBlob,
      reports: new LRUCache<string, Report>({ max: REPORTS_PER_COMMIT }),
    };
    entry.reports.set(value.configKey, value.report);
    // Setting again restarts the entry's TTL, as a fresh report of the commit should.
    this.#entries.set(key, entry);
  }

  get size(): number {
    return this.#entries.size;
  }

  lastEvaluated(repository: string): { sha: string; baseSha?: string } | undefined {
    return this.#last.get(repository);
  }

  rememberEvaluated(repository: string, sha: string, baseSha?: string): void {
    this.#last.set(repository, { sha, ...(baseSha ? { baseSha } : {}) });
  }
}

/**
 * Repository settings by repository and keys, for a few minutes. They belong to the repository, not a commit, and
 * a burst of pushes to a PR need not read them each time; settings events and default-branch evaluations read
 * them fresh (`forget`). A failed read is not kept. Concurrent reads of one repository share the read in flight
 * (the promise is what is cached).
 */
export class SettingsCache {
  readonly #entries: LRUCache<string, { value: Promise<Settings> }>;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#entries = new LRUCache({
      max: Math.max(1, options.maxEntries ?? DEFAULT_SETTINGS_ENTRIES),
      ttl: Math.max(1, options.ttlMs ?? DEFAULT_SETTINGS_TTL_MS),
      ...clock(options.now),
    });
  }

  read(repository: string, keys: string, load: () => Promise<Settings>): Promise<Settings> {
    const key = `${repository}\u0000${keys}`;
    const known = this.#entries.get(key);
    if (known) return known.value;
    const value = load();
    const entry = { value };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.peek(key) === entry) this.#entries.delete(key);
    });
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }

  forget(repository: string): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith(`${repository}\u0000`)) this.#entries.delete(key);
  }
}

/**
 * lru-cache's clock from an injected `now` (tests move time by hand), read on every check (no time caching). Offset
 * by one: lru-cache takes an entry stored at time 0 for one without a start, which never expires.
 */
function clock(now: (() => number) | undefined): { perf?: { now: () => number }; ttlResolution?: number } {
  return now ? { perf: { now: () => now() + 1 }, ttlResolution: 0 } : {};
}
