/**
 * Blob texts by git blob SHA. A blob id names immutable content, so an entry is never stale and one cache is
 * shared by every delivery and every repository of the process: a warm evaluation fetches only changed blobs.
 * Least recently used entries are evicted past `maxBytes` (an estimate of the memory the texts hold).
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

export interface BlobCacheStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  bytes: number;
}

const ENTRY_OVERHEAD = 96;

/** Bytes an entry is taken to hold: JavaScript strings take up to two bytes per UTF-16 unit. */
function cost(sha: string, blob: CachedBlob): number {
  return ENTRY_OVERHEAD + sha.length * 2 + (blob.text?.length ?? 0) * 2;
}

export class BlobCache {
  readonly maxBytes: number;
  private readonly entries = new Map<string, { blob: CachedBlob; cost: number }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  /** `maxBytes` defaults to 64 MiB. */
  constructor(options: { maxBytes?: number } = {}) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  get(sha: string): CachedBlob | undefined {
    const entry = this.entries.get(sha);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    // Most recently used moves to the end (Map keeps insertion order).
    this.entries.delete(sha);
    this.entries.set(sha, entry);
    return entry.blob;
  }

  has(sha: string): boolean {
    return this.entries.has(sha);
  }

  set(sha: string, blob: CachedBlob): void {
    const size = cost(sha, blob);
    const previous = this.entries.get(sha);
    if (previous) {
      this.entries.delete(sha);
      this.bytes -= previous.cost;
    }
    if (size > this.maxBytes) return;
    this.entries.set(sha, { blob, cost: size });
    this.bytes += size;
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= entry.cost;
      this.evictions += 1;
    }
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
}
