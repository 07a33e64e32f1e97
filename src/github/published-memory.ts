import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** Pull requests remembered: SHIPREADY_PUBLISHED_MEMORY_ENTRIES would be the knob, should one be needed. */
export const DEFAULT_PUBLISHED_ENTRIES = 5000;

/**
 * What this process last published on a pull request, keyed by owner/repo#number: the sticky comment's id and a
 * hash of its body, and whether no comment (sticky or suggestion) of ours is there. It saves the listings that find
 * them again. Bounded (least recently used out).
 *
 * Another process (scale-out) may have written since. A remembered comment stays exact: its body carries the head
 * and Check Run it was rendered for, so an equal hash means the same publication again, a different one is PATCHed
 * to the remembered id, and a deleted comment (404) falls back to listing. An absence is not: another process may
 * have posted since, and this one would then leave that comment stale. So absences are remembered only when this
 * process is the only one publishing (`rememberAbsence`: no shared queue).
 *
 * A pull request's webhook says how many issue and review comments it had when it was sent: none means none of ours
 * either. With this process the only publisher, an absence so learnt is exact unless this process published after
 * the webhook was made — and then it remembers what it published, which the absence never overrides (`…AtDelivery`
 * only fill what is not known). Evicted entries are the bound's price: an LRU of active pull requests.
 */
export class PublishedMemory {
  readonly #comments: LRUCache<string, { id: number; bodyHash: string } | { id?: undefined }>;
  /** True: no suggestion comment of ours is left; false: some are (a listing is needed to reconcile them). */
  readonly #withoutSuggestions: LRUCache<string, boolean>;
  readonly #rememberAbsence: boolean;

  constructor(options: { maxEntries?: number; rememberAbsence?: boolean } = {}) {
    const max = Math.max(1, options.maxEntries ?? DEFAULT_PUBLISHED_ENTRIES);
    this.#comments = new LRUCache({ max });
    this.#withoutSuggestions = new LRUCache({ max });
    this.#rememberAbsence = options.rememberAbsence ?? true;
  }

  /** The comment as last left, `absent` when this process knows there is none, undefined when it does not know. */
  comment(key: string): { id: number; bodyHash: string } | 'absent' | undefined {
    const known = this.#comments.get(key);
    if (!known) return undefined;
    return known.id === undefined ? 'absent' : known;
  }

  rememberComment(key: string, id: number, body: string): void {
    this.#comments.set(key, { id, bodyHash: bodyHash(body) });
  }

  rememberNoComment(key: string): void {
    if (this.#rememberAbsence) this.#comments.set(key, {});
    else this.#comments.delete(key);
  }

  forgetComment(key: string): void {
    this.#comments.delete(key);
  }

  /** The webhook said the pull request had no issue comment: none of ours, unless this process knows better. */
  noCommentAtDelivery(key: string): void {
    if (this.#rememberAbsence && !this.#comments.has(key)) this.#comments.set(key, {});
  }

  /** The webhook said the pull request had no review comment: no suggestion of ours, unless this process knows better. */
  noSuggestionsAtDelivery(key: string): void {
    if (this.#rememberAbsence && !this.#withoutSuggestions.has(key)) this.#withoutSuggestions.set(key, true);
  }

  /** True when this process last left the pull request with no suggestion comment of ours. */
  hasNoSuggestions(key: string): boolean {
    return this.#withoutSuggestions.get(key) === true;
  }

  rememberSuggestions(key: string, anyLeft: boolean): void {
    // Some left is kept too: an absence learnt from a webhook made before they were posted must not override it.
    if (anyLeft) this.#withoutSuggestions.set(key, false);
    else if (this.#rememberAbsence) this.#withoutSuggestions.set(key, true);
    else this.#withoutSuggestions.delete(key);
  }
}

export function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('base64url');
}

export function pullKey(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`;
}
