/**
 * What GitHubSource keeps between deliveries, in one bytes-bounded LRU shared by every delivery and repository of the
 * process:
 * - blob texts by git blob SHA: a blob id names immutable content, so an entry is never stale and a warm evaluation
 *   fetches only changed blobs;
 * - tree listings by commit SHA (immutable too): the base commit of every PR on a branch is listed once;
 * - REST answers with their ETag, so a repeated settings read is a conditional request — GitHub answers 304, which
 *   does not count against the primary rate limit.
 * Least recently used entries are evicted past `maxBytes` (an estimate of the memory held), by lru-cache.
 *
 * It also shares blob fetches in flight: concurrent evaluations of one repository (four PRs pushed at once) want
 * mostly the same blobs; the first to ask fetches a blob, the others wait for its answer instead of asking GitHub
 * again (`claim` / `settle` / `inflight`).
 */
import { LRUCache } from 'lru-cache';

export interface CachedBlob {
  /** GitHub's text (possibly cut by GitHub: `truncated`), null for binary blobs. */
  text: string | null;
  binary: boolean;
  /** GitHub cut the text (`Blob.isTruncated`). */
  truncated: boolean;
  /** The blob's size in bytes. */
  size: number;
}

export interface CachedResponse {
  etag: string;
  status: number;
  data: unknown;
}

export interface BlobCacheStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  bytes: number;
  /** Blob reads answered by another evaluation's fetch in flight. */
  shared: number;
}

const ENTRY_OVERHEAD = 96;

/** 64 MiB: SHIPREADY_BLOB_CACHE_BYTES. */
export const DEFAULT_BLOB_CACHE_BYTES = 64 * 1024 * 1024;

type Entry =
  { kind: 'blob'; value: CachedBlob } | { kind: 'response'; value: CachedResponse } | { kind: 'tree'; value: unknown };

/** Bytes an entry is taken to hold: JavaScript strings take up to two bytes per UTF-16 unit. */
function cost(key: string, approximateChars: number): number {
  return ENTRY_OVERHEAD + key.length * 2 + approximateChars * 2;
}

export class BlobCache {
  readonly maxBytes: number;
  private readonly entries: LRUCache<string, Entry>;
  /** Blob fetches in flight, by blob SHA: resolved with the blob, or undefined when the fetch failed. */
  private readonly pending = new Map<string, Promise<CachedBlob | undefined>>();
  private readonly settlers = new Map<string, (blob: CachedBlob | undefined) => void>();
  private readonly loads = new Map<string, Promise<unknown>>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private shared = 0;

  /** `maxBytes` defaults to 64 MiB. */
  constructor(options: { maxBytes?: number } = {}) {
    this.maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_BLOB_CACHE_BYTES);
    this.entries = new LRUCache<string, Entry>({
      maxSize: this.maxBytes,
      // An entry larger than the whole cache is not kept (lru-cache refuses it rather than evicting everything).
      maxEntrySize: this.maxBytes,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') this.evictions += 1;
      },
    });
  }

  /** A blob's text by blob SHA. */
  get(sha: string): CachedBlob | undefined {
    const found = this.lookup(`blob:${sha}`);
    return found?.kind === 'blob' ? found.value : undefined;
  }

  has(sha: string): boolean {
    return this.entries.has(`blob:${sha}`);
  }

  set(sha: string, blob: CachedBlob): void {
    this.store(`blob:${sha}`, { kind: 'blob', value: blob }, blob.text?.length ?? 0);
  }

  /**
   * Takes the fetch of a blob on: true when no other read is fetching it (the caller fetches it, then `settle`s),
   * false when one is (the caller awaits `inflight(sha)`).
   */
  claim(sha: string): boolean {
    if (this.pending.has(sha)) return false;
    this.pending.set(sha, new Promise((resolve) => this.settlers.set(sha, resolve)));
    return true;
  }

  /** The fetch in flight for a blob, if any. */
  inflight(sha: string): Promise<CachedBlob | undefined> | undefined {
    const waiting = this.pending.get(sha);
    if (waiting) this.shared += 1;
    return waiting;
  }

  /** Ends a claimed fetch: `blob` when it was read (it is also cached), undefined when it failed (waiters fetch). */
  settle(sha: string, blob: CachedBlob | undefined): void {
    const resolve = this.settlers.get(sha);
    this.settlers.delete(sha);
    this.pending.delete(sha);
    resolve?.(blob);
  }

  /** `load`'s answer, shared with every caller asking for the same key while it runs (tree listings by commit). */
  shareInflight<T>(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.loads.get(key) as Promise<T> | undefined;
    if (running) {
      this.shared += 1;
      return running;
    }
    const started = load().finally(() => this.loads.delete(key));
    this.loads.set(key, started);
    return started;
  }

  /** A REST answer and its ETag, by request key. */
  getResponse(key: string): CachedResponse | undefined {
    const found = this.lookup(`rest:${key}`);
    return found?.kind === 'response' ? found.value : undefined;
  }

  setResponse(key: string, response: CachedResponse, approximateChars: number): void {
    this.store(`rest:${key}`, { kind: 'response', value: response }, approximateChars);
  }

  /** Anything immutable keyed by a commit SHA (tree listings). */
  getImmutable<T>(key: string): T | undefined {
    const found = this.lookup(`immutable:${key}`);
    return found?.kind === 'tree' ? (found.value as T) : undefined;
  }

  setImmutable(key: string, value: unknown, approximateChars: number): void {
    this.store(`immutable:${key}`, { kind: 'tree', value }, approximateChars);
  }

  clear(): void {
    this.entries.clear();
  }

  get stats(): BlobCacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      entries: this.entries.size,
      bytes: this.entries.calculatedSize,
      shared: this.shared,
    };
  }

  private lookup(key: string): Entry | undefined {
    const found = this.entries.get(key);
    if (found) this.hits += 1;
    else this.misses += 1;
    return found;
  }

  private store(key: string, entry: Entry, approximateChars: number): void {
    const size = cost(key, approximateChars);
    // A replaced entry is not an eviction; one too large for the cache replaces nothing and is not kept.
    if (size > this.maxBytes) {
      this.entries.delete(key);
      return;
    }
    this.entries.set(key, entry, { size });
  }
}
