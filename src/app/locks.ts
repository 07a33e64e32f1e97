import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { withLock } from '../github/octokit.js';

/**
 * Mutual exclusion for find-then-create writes (the sticky PR comment, a remediation issue), so that two evaluations
 * never both create. In one process the FIFO lock of `src/github/octokit.ts` is enough; with several instances
 * (REDIS_URL) `RedisLocks` is installed there with `useLocks`.
 */
export interface LockService {
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** One process: the in-process FIFO lock (what `withLock` does without a shared lock installed). */
export class MemoryLocks implements LockService {
  withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    return withLock(key, work);
  }
}

export class LockTimeoutError extends Error {
  constructor(key: string, waitedMs: number) {
    super(`could not take the lock ${key} within ${Math.round(waitedMs / 1000)} s: another instance holds it`);
    this.name = 'LockTimeoutError';
  }
}

export interface RedisLockOptions {
  /** Key prefix (default `shipready`). */
  prefix?: string;
  /** A lock expires this long after it was last renewed, so a crashed holder never blocks for good (default 30 s). */
  ttlMs?: number;
  /** How long to wait for a held lock before giving up (default 2 min: a comment write takes seconds). */
  waitMs?: number;
  /** Poll interval while waiting (default 50 ms). */
  retryMs?: number;
}

/** Deletes the lock only when it still holds our token: an expired lock taken by another instance stays theirs. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** Renews the lock only when it still holds our token. */
const EXTEND_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * A lock in Redis: `SET key token NX PX ttl`, renewed at a third of the ttl while the work runs, released by a
 * compare-and-delete script (the single-instance algorithm Redis documents; shipready runs one Redis).
 */
export class RedisLocks implements LockService {
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #waitMs: number;
  readonly #retryMs: number;

  constructor(
    readonly client: Redis,
    options: RedisLockOptions = {},
  ) {
    this.#prefix = options.prefix ?? 'shipready';
    this.#ttlMs = Math.max(1000, options.ttlMs ?? 30_000);
    this.#waitMs = Math.max(0, options.waitMs ?? 120_000);
    this.#retryMs = Math.max(5, options.retryMs ?? 50);
  }

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const lockKey = `${this.#prefix}:lock:${key}`;
    const token = randomBytes(16).toString('hex');
    const started = Date.now();
    while ((await this.client.set(lockKey, token, 'PX', this.#ttlMs, 'NX')) !== 'OK') {
      if (Date.now() - started > this.#waitMs) throw new LockTimeoutError(key, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, this.#retryMs));
    }
    const renew = setInterval(
      () => void this.client.eval(EXTEND_SCRIPT, 1, lockKey, token, String(this.#ttlMs)).catch(() => undefined),
      Math.floor(this.#ttlMs / 3),
    );
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.client.eval(RELEASE_SCRIPT, 1, lockKey, token).catch(() => undefined);
    }
  }
}
