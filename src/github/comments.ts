import { hasMarker } from '../report/markers.js';
import { listAll, noGuard, withLock, type OctokitLike, type WriteGuard } from './octokit.js';
import { bodyHash, pullKey, type PublishedMemory } from './published-memory.js';

export interface EnsureCommentInput {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  /** The pull request (or issue) number. */
  number: number;
  /** The hidden marker that identifies our comment (COMMENT_MARKER of src/report/markers.ts), on a line of its own. */
  marker: string;
  body: string;
  /** False → only edit an existing comment (comment mode `on-change` before the PR changed readiness). */
  create?: boolean;
  guard?: WriteGuard;
  /** The comment's id and body as this process last left them: no listing when they are known. */
  memory?: PublishedMemory;
  /** The webhook said the pull request had no comment at all (PullTarget.countsAtDelivery). */
  noneAtDelivery?: boolean;
}

export type CommentAction = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface CommentResult {
  action: CommentAction;
  id?: number;
}

interface IssueComment {
  id: number;
  body?: string | null;
}

/** Finds our comment by its marker (the oldest one, should a duplicate ever exist). */
export async function findComment(
  input: Pick<EnsureCommentInput, 'octokit' | 'owner' | 'repo' | 'number' | 'marker'>,
): Promise<IssueComment | undefined> {
  const comments = await listAll<IssueComment>(
    input.octokit,
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
    {
      owner: input.owner,
      repo: input.repo,
      issue_number: input.number,
    },
  );
  return comments.find((comment) => hasMarker(comment.body, input.marker));
}

/**
 * One comment per PR, edited in place. Find-then-create runs under an in-process lock keyed by repo#number and
 * re-lists inside it, so concurrent deliveries for the same PR never create two comments.
 */
export async function ensureComment(input: EnsureCommentInput): Promise<CommentResult> {
  const guard = input.guard ?? noGuard;
  const body = hasMarker(input.body, input.marker) ? input.body : `${input.marker}\n${input.body}`;
  const key = pullKey(input.owner, input.repo, input.number);
  const { memory } = input;
  return withLock(`comment:${key}`, async () => {
    if (input.noneAtDelivery) memory?.noCommentAtDelivery(key);
    const known = memory?.comment(key);
    // Known to be absent: only a creation needs the listing (it must never duplicate a comment made meanwhile).
    if (known === 'absent' && input.create === false) return { action: 'skipped' };
    if (known && known !== 'absent') {
      if (known.bodyHash === bodyHash(body)) return { action: 'unchanged', id: known.id };
      guard();
      try {
        await patchComment(input, known.id, body);
        memory!.rememberComment(key, known.id, body);
        return { action: 'updated', id: known.id };
      } catch (error) {
        // Deleted meanwhile (by a person): find it again, or create it, as without the memory.
        if ((error as { status?: number }).status !== 404) throw error;
        memory!.forgetComment(key);
      }
    }
    const existing = await findComment(input);
    if (existing) {
      if (existing.body !== body) {
        guard();
        await patchComment(input, existing.id, body);
      }
      memory?.rememberComment(key, existing.id, body);
      if (existing.body === body) return { action: 'unchanged', id: existing.id };
      return { action: 'updated', id: existing.id };
    }
    if (input.create === false) {
      memory?.rememberNoComment(key);
      return { action: 'skipped' };
    }
    guard();
    const response = await input.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: input.owner,
      repo: input.repo,
      issue_number: input.number,
      body,
    });
    const id = (response.data as IssueComment).id;
    memory?.rememberComment(key, id, body);
    return { action: 'created', id };
  });
}

async function patchComment(input: EnsureCommentInput, id: number, body: string): Promise<void> {
  await input.octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
    owner: input.owner,
    repo: input.repo,
    comment_id: id,
    body,
  });
}
