import type { Octokit } from '@octokit/core';

/** What the GitHub access layer needs from an Octokit: Probot's `context.octokit` fits, so does `@octokit/rest`. */
export interface OctokitLike {
  request: Octokit['request'];
  graphql: Octokit['graphql'];
}

/**
 * Called before every write. An evaluation that a newer one superseded throws here, so it never publishes stale
 * results over fresh ones.
 */
export type WriteGuard = () => void;

export const noGuard: WriteGuard = () => {};

/** Thrown by a WriteGuard when a newer evaluation of the same pull request or branch has started. */
export class SupersededError extends Error {
  constructor(message = 'superseded by a newer evaluation') {
    super(message);
    this.name = 'SupersededError';
  }
}

/** A guard bound to an AbortSignal: aborting the signal (a newer head arrived) turns every later write into a throw. */
export function guardFor(signal: AbortSignal | undefined): WriteGuard {
  if (!signal) return noGuard;
  return () => {
    if (signal.aborted) throw signal.reason instanceof SupersededError ? signal.reason : new SupersededError();
  };
}

const tails = new Map<string, Promise<unknown>>();

/** A lock held across processes (src/app/locks.ts `RedisLocks`), installed by the server when REDIS_URL is set. */
export interface SharedLocks {
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
}
let sharedLocks: SharedLocks | undefined;

/** Installs (or, with undefined, removes) the lock shared by every instance; `withLock` takes it inside its own. */
export function useSharedLocks(locks: SharedLocks | undefined): void {
  sharedLocks = locks;
}

/**
 * Runs `work` after every earlier `withLock` of the same key has settled (in-process, FIFO), holding the shared
 * lock too when one is installed (several instances on one Redis). Used to serialise find-then-create writes (the PR
 * comment, an issue) so that concurrent deliveries cannot both create.
 */
export async function withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  // In process first (FIFO, free), then across instances: one Redis lock request per key at a time per process.
  const shared = sharedLocks;
  const locked = shared ? () => shared.withLock(key, work) : work;
  const current = previous.catch(() => undefined).then(locked);
  const tail = current.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await current;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** Follows `Link: rel="next"` up to `maxPages` for a list endpoint (no dependency on the paginate plugin). */
export async function listAll<T>(
  octokit: OctokitLike,
  route: string,
  parameters: Record<string, unknown>,
  maxPages = 10,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= maxPages; page += 1) {
    const response = await octokit.request(route, { ...parameters, per_page: 100, page });
    const data = response.data as T[];
    items.push(...data);
    const link = String((response.headers as Record<string, unknown>).link ?? '');
    if (data.length < 100 || !link.includes('rel="next"')) break;
  }
  return items;
}
