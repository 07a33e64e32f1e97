import type { ResolvedRef } from '../fix/types.js';
import type { OctokitLike } from './octokit.js';

/** A version tag short enough that a more specific one may point at the same commit (`v4`, `v4.2`, `1`). */
const SHORT_VERSION = /^v?\d{1,6}(\.\d{1,6})?$/;

/**
 * Resolves an action's ref to its commit through the REST API (`GET /repos/{o}/{r}/commits/{ref}` follows tags,
 * annotated or not, and branches), and for a short version tag the most specific tag at that commit (`v4` →
 * `v4.2.2`) from the first page of tags, so the comment the fixer writes tells Dependabot the exact version.
 * Undefined when the ref does not exist; other API errors propagate (the fixer reports the reference as skipped).
 */
export function createActionRefResolver(octokit: OctokitLike) {
  return async (owner: string, repo: string, ref: string): Promise<ResolvedRef | undefined> => {
    let sha: string;
    try {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo, ref });
      sha = data.sha;
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404 || status === 422) return undefined;
      throw error;
    }
    if (!SHORT_VERSION.test(ref)) return { sha };
    const { data: tags } = await octokit.request('GET /repos/{owner}/{repo}/tags', { owner, repo, per_page: 100 });
    const specific = tags
      .filter((tag) => tag.commit.sha === sha && tag.name.startsWith(`${ref}.`))
      .map((tag) => tag.name)
      .sort((a, b) => b.split('.').length - a.split('.').length || a.localeCompare(b));
    return specific.length ? { sha, tag: specific[0] } : { sha };
  };
}
