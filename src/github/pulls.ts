import type { OctokitLike } from './octokit.js';

/** The fields of a pull request payload (webhook or REST) the flow needs. */
export interface PullLike {
  number: number;
  state?: string;
  draft?: boolean;
  head: { sha: string; ref: string; repo?: { full_name: string } | null };
  base: { sha: string; ref: string; repo: { full_name: string } };
  /** Issue comments and review comments on it (a full pull request and its webhooks have them; a listing has not). */
  comments?: number;
  review_comments?: number;
}

/**
 * The open PR whose head is `sha`. A check suite lists its PRs only when the head branch is in the same
 * repository; for forks the list is empty, so ask the commit's associated PRs, then scan the open PRs.
 */
export async function findPullForSha(
  octokit: OctokitLike,
  owner: string,
  repo: string,
  sha: string,
): Promise<PullLike | undefined> {
  const matches = (pull: PullLike) =>
    pull.head.sha === sha &&
    (pull.state ?? 'open') === 'open' &&
    pull.base.repo.full_name.toLowerCase() === `${owner}/${repo}`.toLowerCase();
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
      owner,
      repo,
      commit_sha: sha,
    });
    const found = (data as PullLike[]).find(matches);
    if (found) return found;
  } catch (error) {
    if ((error as { status?: number }).status !== 404 && (error as { status?: number }).status !== 422) throw error;
  }
  for (let page = 1; page <= 5; page += 1) {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls', {
      owner,
      repo,
      state: 'open',
      per_page: 100,
      page,
    });
    const pulls = data as PullLike[];
    const found = pulls.find(matches);
    if (found) return found;
    if (pulls.length < 100) break;
  }
  return undefined;
}

/** The full PR (draft flag, current base) for a number a check suite lists. */
export async function getPull(octokit: OctokitLike, owner: string, repo: string, number: number): Promise<PullLike> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner,
    repo,
    pull_number: number,
  });
  return data as PullLike;
}
