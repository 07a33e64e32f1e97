import type { Context } from 'probot';
import type { Logger } from 'pino';
import type { PullLike } from '../../github/pulls.js';
import type { ConfigCapableOctokit } from '../config.js';
import { runEvaluation, type EvaluationRequest, type FlowDeps, type PullTarget } from '../evaluate-flow.js';
import type { EnqueueResult, EvaluationQueue } from '../queue.js';

export type { PullLike } from '../../github/pulls.js';

export interface AppServices {
  queue: EvaluationQueue;
  deps: FlowDeps;
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
