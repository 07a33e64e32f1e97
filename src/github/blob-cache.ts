/**
 * What GitHubSource keeps between deliveries, in one bytes-bounded LRU shared by every delivery and repository of the
 * process:
 * - blob texts by git blob SHA: a blob id names immutable content, so an entry is never stale and a warm evaluation
 *   fetches only changed blobs;
 * - tree listings by commit SHA (immutable too): the base commit of every PR on a branch is listed once;
 * - REST answers with their ETag, so a repeated settings read is a conditional request — GitHub answers 304, which
 *   does not count against the primary rate limit.
 * Least recently used entries are evicted past `maxBytes` (an estimate of the memory held).
 */

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
}

const ENTRY_OVERHEAD = 96;

type Entry =
  { kind: 'blob'; value: CachedBlob } | { kind: 'response'; value: CachedResponse } | { kind: 'tree'; value: unknown };

/** Bytes an entry is taken to hold: JavaScript strings take up to two bytes per UTF-16 unit. */
function cost(key: string, entry: Entry, approximateChars: number): number {
  return ENTRY_OVERHEAD + key.length * 2 + approximateChars * 2;
}

export class BlobCache {
  readonly maxBytes: number;
  private readonly entries = new Map<string, { entry: Entry; cost: number }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  /** `maxBytes` defaults to 64 MiB. */
  constructor(options: { maxBytes?: number } = {}) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
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
    this.bytes = 0;
  }

  get stats(): BlobCacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      entries: this.entries.size,
      bytes: this.bytes,
    };
  }

  private lookup(key: string): Entry | undefined {
    const found = this.entries.get(key);
    if (!found) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    // Most recently used moves to the end (Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, found);
    return found.entry;
  }

  private store(key: string, entry: Entry, approximateChars: number): void {
    const size = cost(key, entry, approximateChars);
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.cost;
    }
    if (size > this.maxBytes) return;
    this.entries.set(key, { entry, cost: size });
    this.bytes += size;
    for (const [oldest, held] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= held.cost;
      this.evictions += 1;
    }
  }
}
