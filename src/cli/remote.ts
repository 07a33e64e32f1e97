import type { GitHubSource } from '../github/source.js';

export interface RemoteTarget {
  source: GitHubSource;
  /** The text of `.github/shipready.yml` at the commit, when it exists. */
  configText?: string;
  sha: string;
}

/** `owner/name` (also accepts a github.com URL) → its parts, or undefined when it is not one. */
export function parseRepositoryName(value: string): { owner: string; repo: string } | undefined {
  const match = /^(?:https?:\/\/github\.com\/)?([A-Za-z0-9-_.]+)\/([A-Za-z0-9-_.]+?)(?:\.git)?\/?$/.exec(value.trim());
  return match ? { owner: match[1], repo: match[2] } : undefined;
}

/**
 * Resolves `--repo owner/name [--ref REF]` to a GitHubSource for one commit. Reads the token from GITHUB_TOKEN or
 * GH_TOKEN (public repositories work without one, within GitHub's anonymous rate limit) and the API root from
 * GITHUB_API_URL (GitHub Enterprise Server, or the test simulator).
 */
export async function resolveRemoteTarget(options: {
  owner: string;
  repo: string;
  ref?: string;
  env: Record<string, string | undefined>;
}): Promise<RemoteTarget> {
  const token = options.env.GITHUB_TOKEN || options.env.GH_TOKEN;
  // Loaded here, not at start-up: a scan of a directory never needs Octokit.
  const [{ Octokit }, { GitHubSource }] = await Promise.all([import('@octokit/rest'), import('../github/source.js')]);
  const octokit = new Octokit({
    ...(token ? { auth: token } : {}),
    baseUrl: options.env.GITHUB_API_URL || 'https://api.github.com',
    userAgent: 'shipready-cli',
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const { owner, repo } = options;
  const { data: repository } = await octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
  const ref = options.ref ?? repository.default_branch;
  const { data: commit } = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo, ref });
  let configText: string | undefined;
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner,
      repo,
      path: '.github/shipready.yml',
      ref: commit.sha,
      mediaType: { format: 'raw' },
    });
    configText = typeof data === 'string' ? data : undefined;
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
  }
  const source = new GitHubSource({
    octokit,
    owner,
    repo,
    sha: commit.sha,
    ref,
    defaultBranch: repository.default_branch,
  });
  return { source, configText, sha: commit.sha };
}
