import type { Context } from 'probot';
import type { Logger } from 'pino';
import type { OctokitLike } from '../../github/octokit.js';
import type { ConfigCapableOctokit } from '../config.js';
import { runEvaluation, type EvaluationRequest, type FlowDeps, type PullTarget } from '../evaluate-flow.js';
import type { EnqueueResult, EvaluationQueue } from '../queue.js';

export interface AppServices {
  queue: EvaluationQueue;
  deps: FlowDeps;
}

/** The fields of a pull request payload (webhook or REST) the flow needs. */
export interface PullLike {
  number: number;
  state?: string;
  draft?: boolean;
  head: { sha: string; ref: string; repo?: { full_name: string } | null };
  base: { sha: string; ref: string; repo: { full_name: string } };
}

export function pullTarget(pull: PullLike): PullTarget {
  return {
    number: pull.number,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    baseSha: pull.base.sha,
    baseRef: pull.base.ref,
    draft: pull.draft ?? false,
    fork: (pull.head.repo?.full_name ?? '') !== pull.base.repo.full_name,
  };
}

/** The coalescing key: one evaluation per PR, one per default branch (a "File issues" click has its own). */
export function jobKey(request: EvaluationRequest): string {
  const repository = `${request.owner}/${request.repo}`;
  if (request.pull) return `${repository}#${request.pull.number}`;
  return request.issues ? `${repository}@default+issues` : `${repository}@default`;
}

/** A logger for one delivery: delivery id, installation and repository on every line (never a token). */
export function deliveryLogger(
  context: Context,
  request: Pick<EvaluationRequest, 'owner' | 'repo' | 'installationId'>,
): Logger {
  return context.log.child({
    deliveryId: context.id,
    event: `${context.name}${'action' in context.payload && context.payload.action ? `.${context.payload.action}` : ''}`,
    installationId: request.installationId,
    repository: `${request.owner}/${request.repo}`,
  });
}

/** Answers the webhook at once: the evaluation goes to the bounded queue, coalesced by PR or branch. */
export function schedule(
  context: Context,
  services: AppServices,
  request: EvaluationRequest,
  order?: number,
): EnqueueResult {
  const log = deliveryLogger(context, request);
  const octokit = context.octokit as unknown as ConfigCapableOctokit;
  const key = jobKey(request);
  const result = services.queue.enqueue(
    key,
    async (signal) => {
      await runEvaluation({ request, octokit, deps: services.deps, signal, log });
    },
    `${request.reason} (${context.id})`,
    order,
  );
  log.info({ job: key, queued: result }, `${request.reason}: evaluation ${result}`);
  return result;
}

export function installationIdOf(context: Context): number | undefined {
  const payload = context.payload as { installation?: { id?: number } };
  return payload.installation?.id;
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
