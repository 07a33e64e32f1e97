import { parseMarkers, reviewMarker } from '../report/markers.js';
import { listAll, noGuard, withLock, type OctokitLike, type WriteGuard } from './octokit.js';
import { pullKey, type PublishedMemory } from './published-memory.js';

/** One review comment to have on the pull request, by key (its marker is in `body`). */
export interface DesiredReviewComment {
  key: string;
  path: string;
  /** First line (head side); equal to `line` for a one-line comment. */
  startLine: number;
  line: number;
  body: string;
}

export interface EnsureSuggestionsInput {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  number: number;
  /** The head commit the suggestions are made on. */
  headSha: string;
  comments: readonly DesiredReviewComment[];
  /** The review's body for this head (its marker is added). */
  reviewBody: string;
  /** What an older review of ours is left with once none of its comments remain. */
  outdatedBody: string;
  guard?: WriteGuard;
  /** Whether this process last left the PR without a suggestion comment of ours: then wanting none lists nothing. */
  memory?: PublishedMemory;
  /** The webhook said the pull request had no review comment at all (PullTarget.countsAtDelivery). */
  noneAtDelivery?: boolean;
}

export interface EnsureSuggestionsResult {
  created: number;
  updated: number;
  deleted: number;
  kept: number;
  /** The review made for this head now, when one was. */
  reviewId?: number;
}

interface ReviewComment {
  id: number;
  body: string;
  /** Null once GitHub can no longer place the comment on the current diff (the line changed). */
  line?: number | null;
  pull_request_review_id?: number | null;
}

interface Review {
  id: number;
  body?: string | null;
}

/**
 * Our suggestions on a pull request, kept equal to `comments`: a comment still wanted stays (edited when its body
 * changed), one no longer wanted (the PR fixed it, or its line is gone) is deleted, and the wanted ones missing are
 * posted in ONE review for the head — at most one per head, found by its marker, so a re-run, a retry or a
 * concurrent delivery never posts them twice, and a suggestion someone deleted by hand is not posted again on the
 * same head. Older reviews whose comments are all gone say they are outdated. Serialised per PR like the comment.
 */
export async function ensureSuggestions(input: EnsureSuggestionsInput): Promise<EnsureSuggestionsResult> {
  const guard = input.guard ?? noGuard;
  const { owner, repo, number } = input;
  const key = pullKey(owner, repo, number);
  const { memory } = input;
  return withLock(`review:${key}`, async () => {
    const result: EnsureSuggestionsResult = { created: 0, updated: 0, deleted: 0, kept: 0 };
    if (input.noneAtDelivery) memory?.noSuggestionsAtDelivery(key);
    if (!input.comments.length && memory?.hasNoSuggestions(key)) return result;
    const settled = await reconcileSuggestions(input, result, guard);
    memory?.rememberSuggestions(key, settled.kept + settled.updated + settled.created > 0);
    return settled;
  });
}

async function reconcileSuggestions(
  input: EnsureSuggestionsInput,
  result: EnsureSuggestionsResult,
  guard: WriteGuard,
): Promise<EnsureSuggestionsResult> {
  const { octokit, owner, repo, number } = input;
  const wanted = new Map(input.comments.map((comment) => [comment.key, comment]));
  const existing = (
    await listAll<ReviewComment>(octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', {
      owner,
      repo,
      pull_number: number,
    })
  ).filter((comment) => parseMarkers(comment.body).suggestion !== undefined);
  const present = new Set<string>();
  const remainingByReview = new Map<number, number>();
  for (const comment of existing) {
    const key = parseMarkers(comment.body).suggestion!;
    const desired = wanted.get(key);
    if (desired && comment.line != null && !present.has(key)) {
      present.add(key);
      if (comment.pull_request_review_id != null)
        remainingByReview.set(
          comment.pull_request_review_id,
          (remainingByReview.get(comment.pull_request_review_id) ?? 0) + 1,
        );
      if (comment.body === desired.body) {
        result.kept += 1;
        continue;
      }
      guard();
      await octokit.request('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', {
        owner,
        repo,
        comment_id: comment.id,
        body: desired.body,
      });
      result.updated += 1;
      continue;
    }
    guard();
    try {
      await octokit.request('DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}', {
        owner,
        repo,
        comment_id: comment.id,
      });
    } catch (error) {
      // Deleted meanwhile (by a person, or a concurrent run in another process): what we wanted.
      if ((error as { status?: number }).status !== 404) throw error;
    }
    result.deleted += 1;
  }
  const missing = input.comments.filter((comment) => !present.has(comment.key));
  // Reviews change only when a comment is posted or one was deleted: otherwise one listing is the whole cost.
  if (!missing.length && !result.deleted) return result;
  const reviews = await listAll<Review>(octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
    owner,
    repo,
    pull_number: number,
  });
  const ours = reviews.filter((review) => parseMarkers(review.body).review !== undefined);
  const forHead = ours.find((review) => parseMarkers(review.body).review === input.headSha);
  if (missing.length && !forHead) {
    guard();
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      owner,
      repo,
      pull_number: number,
      commit_id: input.headSha,
      event: 'COMMENT',
      body: `${input.reviewBody}\n\n${reviewMarker(input.headSha)}`,
      comments: missing.map((comment) => ({
        path: comment.path,
        line: comment.line,
        side: 'RIGHT' as const,
        ...(comment.startLine < comment.line ? { start_line: comment.startLine, start_side: 'RIGHT' as const } : {}),
        body: comment.body,
      })),
    });
    result.created = missing.length;
    result.reviewId = (data as Review).id;
  }
  for (const review of ours) {
    if (review.id === result.reviewId || review === forHead) continue;
    const sha = parseMarkers(review.body).review!;
    if (remainingByReview.get(review.id) || !/^[0-9a-f]{40}$/.test(sha)) continue;
    const body = `${input.outdatedBody}\n\n${reviewMarker(sha)}`;
    if (review.body === body) continue;
    guard();
    await octokit.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', {
      owner,
      repo,
      pull_number: number,
      review_id: review.id,
      body,
    });
  }
  return result;
}
