import { createHash } from 'node:crypto';
import { FIX_PULL_MARKER, hasMarker } from '../report/markers.js';
import { listAll, noGuard, withLock, type OctokitLike, type WriteGuard } from './octokit.js';

/** The branch of the fix pull request: shipready's own, rebuilt on the default branch's head on every update. */
export const FIX_BRANCH = 'shipready/fixes';

export interface FixFile {
  path: string;
  text: string;
  /** The file's mode on the base ('100755' stays executable); '100644' when new. */
  mode?: string;
}

export interface EnsureFixPullInput {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  defaultBranch: string;
  /** The default branch's head the fixes were made on: the fix commit's only parent. */
  baseSha: string;
  /** The files as the fixes leave them; empty closes the pull request. */
  files: readonly FixFile[];
  title: string;
  /** The pull request's body (its marker is added). */
  body: string;
  commitMessage: string;
  /** Create the pull request when none is open (the button); without it only an open one is kept up to date. */
  create: boolean;
  guard?: WriteGuard;
}

export interface FixPullResult {
  action: 'created' | 'updated' | 'unchanged' | 'closed' | 'none';
  number?: number;
  url?: string;
}

interface Pull {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
}

/** Git's blob id of a text: an unchanged branch is recognised without writing a blob. */
export function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text);
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest('hex');
}

/** The open fix pull request (ours by its branch and marker), if any. */
export async function findFixPull(octokit: OctokitLike, owner: string, repo: string): Promise<Pull | undefined> {
  const pulls = await listAll<Pull>(octokit, 'GET /repos/{owner}/{repo}/pulls', {
    owner,
    repo,
    state: 'open',
    head: `${owner}:${FIX_BRANCH}`,
  });
  return pulls.find((pull) => hasMarker(pull.body, FIX_PULL_MARKER));
}

/**
 * One fix pull request per repository, from branch `shipready/fixes`: its single commit (on the default branch's
 * head) holds exactly `files`, written through the Git Data API (blobs, a tree on the base's tree, a commit, the
 * ref). An unchanged set of files on the same base writes nothing; a changed one force-moves the branch (the branch
 * is shipready's own) and edits the pull request in place; no files closes it and deletes the branch. Serialised
 * per repository, so two runs never open two pull requests.
 */
export async function ensureFixPull(input: EnsureFixPullInput): Promise<FixPullResult> {
  const guard = input.guard ?? noGuard;
  const { octokit, owner, repo } = input;
  return withLock(`fix-pull:${owner}/${repo}`, async () => {
    const open = await findFixPull(octokit, owner, repo);
    if (!input.files.length) {
      if (!open) return { action: 'none' };
      guard();
      await octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner,
        repo,
        pull_number: open.number,
        state: 'closed',
      });
      await deleteBranch(octokit, owner, repo);
      return { action: 'closed', number: open.number, url: open.html_url };
    }
    if (!open && !input.create) return { action: 'none' };
    const committed = await writeBranch(input, guard);
    const body = `${input.body}\n\n${FIX_PULL_MARKER}`;
    if (open) {
      if (open.title === input.title && open.body === body && !committed) {
        return { action: 'unchanged', number: open.number, url: open.html_url };
      }
      if (open.title !== input.title || open.body !== body) {
        guard();
        await octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
          owner,
          repo,
          pull_number: open.number,
          title: input.title,
          body,
        });
      }
      return { action: 'updated', number: open.number, url: open.html_url };
    }
    guard();
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/pulls', {
      owner,
      repo,
      title: input.title,
      head: FIX_BRANCH,
      base: input.defaultBranch,
      body,
      maintainer_can_modify: true,
    });
    const pull = data as Pull;
    return { action: 'created', number: pull.number, url: pull.html_url };
  });
}

/** Points the branch at a commit holding `files` on the base; false when it already did (nothing written). */
async function writeBranch(input: EnsureFixPullInput, guard: WriteGuard): Promise<boolean> {
  const { octokit, owner, repo } = input;
  const current = await branchHead(octokit, owner, repo);
  if (current && (await holdsExactly(input, current))) return false;
  const { data: base } = await octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
    owner,
    repo,
    commit_sha: input.baseSha,
  });
  const entries = [];
  for (const file of input.files) {
    guard();
    const { data: blob } = await octokit.request('POST /repos/{owner}/{repo}/git/blobs', {
      owner,
      repo,
      content: Buffer.from(file.text).toString('base64'),
      encoding: 'base64',
    });
    entries.push({
      path: file.path,
      mode: (file.mode ?? '100644') as '100644' | '100755',
      type: 'blob' as const,
      sha: blob.sha,
    });
  }
  guard();
  const { data: tree } = await octokit.request('POST /repos/{owner}/{repo}/git/trees', {
    owner,
    repo,
    base_tree: base.tree.sha,
    tree: entries,
  });
  guard();
  const { data: commit } = await octokit.request('POST /repos/{owner}/{repo}/git/commits', {
    owner,
    repo,
    message: input.commitMessage,
    tree: tree.sha,
    parents: [input.baseSha],
  });
  guard();
  if (current)
    await octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
      owner,
      repo,
      ref: `heads/${FIX_BRANCH}`,
      sha: commit.sha,
      force: true,
    });
  else
    await octokit.request('POST /repos/{owner}/{repo}/git/refs', {
      owner,
      repo,
      ref: `refs/heads/${FIX_BRANCH}`,
      sha: commit.sha,
    });
  return true;
}

async function branchHead(octokit: OctokitLike, owner: string, repo: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
      owner,
      repo,
      ref: `heads/${FIX_BRANCH}`,
    });
    return data.object.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/**
 * The branch's commit is one commit on the base that changes exactly `files` to their texts: compared through
 * the commit's parents and the two trees' listings, by blob id, without writing anything.
 */
async function holdsExactly(input: EnsureFixPullInput, sha: string): Promise<boolean> {
  const { octokit, owner, repo } = input;
  const { data: commit } = await octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
    owner,
    repo,
    commit_sha: sha,
  });
  if (commit.parents.length !== 1 || commit.parents[0].sha !== input.baseSha) return false;
  const list = async (tree: string) => {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner,
      repo,
      tree_sha: tree,
      recursive: '1',
    });
    if (data.truncated) return undefined;
    return new Map(data.tree.filter((item) => item.type === 'blob').map((item) => [item.path!, item.sha!]));
  };
  const { data: base } = await octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
    owner,
    repo,
    commit_sha: input.baseSha,
  });
  const [ours, theirs] = await Promise.all([list(commit.tree.sha), list(base.tree.sha)]);
  if (!ours || !theirs) return false;
  const expected = new Map(theirs);
  for (const file of input.files) expected.set(file.path, gitBlobSha(file.text));
  if (expected.size !== ours.size) return false;
  for (const [path, blob] of expected) if (ours.get(path) !== blob) return false;
  return true;
}

async function deleteBranch(octokit: OctokitLike, owner: string, repo: string): Promise<void> {
  try {
    await octokit.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { owner, repo, ref: `heads/${FIX_BRANCH}` });
  } catch (error) {
    // Gone already (deleted with the pull request): nothing to tidy.
    if ((error as { status?: number }).status !== 422 && (error as { status?: number }).status !== 404) throw error;
  }
}
