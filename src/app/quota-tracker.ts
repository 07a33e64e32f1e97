import { LRUCache } from 'lru-cache';
import type { OctokitLike } from '../github/octokit.js';
import { QuotaExhaustedError } from '../github/source.js';

/**
 * The REST quota of each installation, from the `x-ratelimit-*` headers of the reads. Once fewer than `reserve`
 * requests are left, the next read throws QuotaExhaustedError instead of being sent: Probot's throttling would
 * otherwise hold the evaluation until the reset (up to an hour), and the reserve is what completing the Check Run
 * ("paused until …") and the comment still need.
 */
export class QuotaTracker {
  /** By installation; bounded, and an entry outlives its window (an hour) by little: older answers say nothing. */
  readonly #state = new LRUCache<string, { remaining: number; resetAt: number }>({ max: 10_000, ttl: 2 * 60 * 60_000 });
  readonly #reserve: number;
  readonly #now: () => number;

  constructor(options: { reserve?: number; now?: () => number } = {}) {
    this.#reserve = options.reserve ?? 25;
    this.#now = options.now ?? Date.now;
  }

  observe(key: string, headers: Record<string, unknown> | undefined): void {
    if (String(headers?.['x-ratelimit-resource'] ?? 'core') !== 'core') return;
    const remaining = Number(headers?.['x-ratelimit-remaining']);
    const reset = Number(headers?.['x-ratelimit-reset']);
    if (Number.isFinite(remaining) && Number.isFinite(reset))
      this.#state.set(key, { remaining, resetAt: reset * 1000 });
  }

  /** Throws when the last answer left no more than the reserve and the window has not reset yet. */
  check(key: string): void {
    const state = this.#state.get(key);
    if (!state || state.resetAt <= this.#now()) return;
    if (state.remaining <= this.#reserve) {
      throw new QuotaExhaustedError(
        new Date(state.resetAt),
        `${state.remaining} requests left, kept in reserve to report this`,
      );
    }
  }

  /** Reads through `octokit`, checked before and observed after each REST request. */
  wrap(octokit: OctokitLike, key: string): OctokitLike {
    const request = async (...args: Parameters<OctokitLike['request']>) => {
      this.check(key);
      try {
        const response = await octokit.request(...args);
        this.observe(key, response.headers as Record<string, unknown>);
        return response;
      } catch (error) {
        this.observe(key, (error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
        throw error;
      }
    };
    return {
      request: Object.assign(request, octokit.request) as unknown as OctokitLike['request'],
      graphql: octokit.graphql,
    };
  }
}
