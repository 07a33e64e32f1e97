import type { Report } from '../report/types.js';
import type { Settings } from '../snapshot/types.js';

export interface CachedCommit {
  signature: string;
  configBlob?: string;
  reports: Map<string, Report>;
  expires: number;
}

/**
 * Reports of base commits by repository and sha (a PR's base rarely moves while it is pushed to), for a while:
 * settings such as branch protection belong to the repository and can change, so entries expire.
 */
export class ReportCache {
  readonly #entries = new Map<string, CachedCommit>();
  /** Per repository: the default branch's last evaluated commit and what it was compared with. */
  readonly #last = new Map<string, { sha: string; baseSha?: string }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  hits = 0;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#maxEntries = options.maxEntries ?? 200;
    this.#now = options.now ?? Date.now;
  }

  get(key: string): CachedCommit | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    this.hits += 1;
    return entry;
  }

  set(key: string, value: { signature: string; configBlob?: string; configKey: string; report: Report }): void {
    const entry = this.#entries.get(key) ?? {
      signature: value.signature,
      configBlob: value.configBlob,
      reports: new Map(),
      expires: 0,
    };
    entry.reports.set(value.configKey, value.report);
    entry.expires = this.#now() + this.#ttlMs;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  lastEvaluated(repository: string): { sha: string; baseSha?: string } | undefined {
    return this.#last.get(repository);
  }

  rememberEvaluated(repository: string, sha: string, baseSha?: string): void {
    this.#last.delete(repository);
    this.#last.set(repository, { sha, ...(baseSha ? { baseSha } : {}) });
    while (this.#last.size > this.#maxEntries) this.#last.delete(this.#last.keys().next().value!);
  }
}

/**
 * Repository settings by repository and keys, for a few minutes. They belong to the repository, not a commit, and
 * a burst of pushes to a PR need not read them each time; settings events and default-branch evaluations read
 * them fresh (`forget`). A failed read is not kept.
 */
export class SettingsCache {
  readonly #entries = new Map<string, { value: Promise<Settings>; expires: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  read(repository: string, keys: string, load: () => Promise<Settings>): Promise<Settings> {
    const key = `${repository}\u0000${keys}`;
    const known = this.#entries.get(key);
    if (known && known.expires > this.#now()) return known.value;
    const value = load();
    this.#entries.set(key, { value, expires: this.#now() + this.#ttlMs });
    value.catch(() => this.#entries.delete(key));
    if (this.#entries.size > 1000) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }

  forget(repository: string): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith(`${repository}\u0000`)) this.#entries.delete(key);
  }
}
