import type { OctokitLike } from '../../github/octokit.js';
import { getBranchHeadSha, getDefaultBranch } from '../../github/repository.js';
import type { ReportCache } from '../caches.js';
import type { EvaluationRequest, Target } from './types.js';

// Step 1: what is evaluated — the head commit, the branch, and the commit it is compared with.

export async function resolveTarget({
  octokit,
  request,
}: {
  octokit: OctokitLike;
  request: EvaluationRequest;
}): Promise<Target> {
  const { owner, repo } = request;
  let defaultBranch = request.defaultBranch;
  defaultBranch ??= await getDefaultBranch(octokit, owner, repo);
  if (request.pull) {
    const { pull } = request;
    return {
      owner,
      repo,
      defaultBranch,
      headSha: pull.headSha,
      ref: pull.headRef,
      pull,
      base: { sha: pull.baseSha, ref: pull.baseRef },
      isDefaultBranch: false,
    };
  }
  const headSha = request.headSha ?? (await getBranchHeadSha(octokit, owner, repo, defaultBranch));
  return {
    owner,
    repo,
    defaultBranch,
    headSha,
    ref: defaultBranch,
    ...(request.before && request.before !== headSha ? { base: { sha: request.before, ref: defaultBranch } } : {}),
    isDefaultBranch: true,
    issues: request.issues,
    ...(request.fixPull ? { fixPull: request.fixPull } : {}),
    // Only a run on the commit evaluated is updated; a button on an older commit gets a run on the head.
    ...(request.checkRun && request.headSha === headSha ? { checkRun: request.checkRun } : {}),
  };
}

/**
 * A default-branch evaluation without a push's `before` (a settings event, a re-run, a button) compares with the
 * previous evaluation this process made: the same commit keeps the comparison it had (so a button does not change
 * the run's verdict or title), the branch's current head is compared with the last evaluated commit. An older
 * commit asked for by sha (a re-run or a button on an old run) is never compared with a newer one.
 */
export function withPreviousEvaluation(target: Target, options: { reports: ReportCache; pinned: boolean }): Target {
  if (!target.isDefaultBranch || target.base) return target;
  const last = options.reports.lastEvaluated(`${target.owner}/${target.repo}`);
  if (!last) return target;
  const sha = last.sha === target.headSha ? last.baseSha : options.pinned ? undefined : last.sha;
  return sha ? { ...target, base: { sha, ref: target.defaultBranch } } : target;
}
