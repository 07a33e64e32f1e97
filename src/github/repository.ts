import type { OctokitLike } from './octokit.js';

/** The repository's default branch, for a request whose payload did not carry it. */
export async function getDefaultBranch(octokit: OctokitLike, owner: string, repo: string): Promise<string> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
  return (data as { default_branch: string }).default_branch;
}

/** The commit a branch points at now. */
export async function getBranchHeadSha(
  octokit: OctokitLike,
  owner: string,
  repo: string,
  branch: string,
): Promise<string> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', { owner, repo, branch });
  return (data as { commit: { sha: string } }).commit.sha;
}
