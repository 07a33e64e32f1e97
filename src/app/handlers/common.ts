import type { Context } from 'probot';
import type { Logger } from 'pino';
import type { PullLike } from '../../github/pulls.js';
import { SupersededError } from '../../github/octokit.js';
import type { ConfigCapableOctokit } from '../config.js';
import { transientFault } from '../flow/transient.js';
import { runEvaluation, type EvaluationRequest, type FlowDeps, type PullTarget } from '../evaluate-flow.js';
import {
  QueueRefusedError,
  RetryLaterError,
  type EnqueueResult,
  type EvaluationJob,
  type JobControl,
  type JobQueue,
} from '../queue.js';

export type { PullLike } from '../../github/pulls.js';

export interface AppServices {
  queue: JobQueue;
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
    ...(typeof pull.comments === 'number' && typeof pull.review_comments === 'number'
      ? { countsAtDelivery: { comments: pull.comments, reviewComments: pull.review_comments } }
      : {}),
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

/** How a delivery ranks among the others of its key (see `EvaluationJob`): never by arrival. */
export type JobOrdering = Pick<EvaluationJob, 'order' | 'head' | 'parent'>;

/**
 * Answers the webhook once the job is stored: the evaluation goes to the queue (in process, or Redis), coalesced by
 * PR or branch and ranked by `ordering`. A delivery the queue refuses (full, shutting down) is answered 503, so
 * GitHub records it as failed and it is redelivered, never dropped silently.
 */
export async function schedule(
  context: Context,
  services: AppServices,
  request: EvaluationRequest,
  ordering: JobOrdering = {},
): Promise<EnqueueResult> {
  const log = deliveryLogger(context, request);
  const key = jobKey(request);
  const result = await services.queue.enqueue({
    key,
    ...(ordering.order !== undefined && Number.isFinite(ordering.order) ? { order: ordering.order } : {}),
    ...(ordering.head ? { head: ordering.head } : {}),
    ...(ordering.parent ? { parent: ordering.parent } : {}),
    ...(context.id ? { deliveryId: context.id } : {}),
    label: `${request.reason} (${context.id})`,
    request,
  });
  log.info({ job: key, queued: result }, `${request.reason}: evaluation ${result}`);
  if (result === 'rejected') throw new QueueRefusedError(`the evaluation queue refused ${request.reason}: try again`);
  return result;
}

/**
 * Runs one job from the queue: on this instance or another (a `worker`), so it authenticates again as the job's
 * installation (Probot caches the token). `isSuperseded` is asked before every publishing step.
 */
export async function runJob(
  probot: { auth(installationId?: number): Promise<unknown>; log: Logger },
  services: AppServices,
  job: EvaluationJob,
  control: JobControl,
): Promise<void> {
  const { request } = job;
  const octokit = (await probot.auth(request.installationId)) as ConfigCapableOctokit;
  const log = probot.log.child({
    deliveryId: job.deliveryId,
    job: job.key,
    attempt: control.attempt,
    installationId: request.installationId,
    repository: `${request.owner}/${request.repo}`,
  });
  let outcome: Awaited<ReturnType<typeof runEvaluation>>;
  try {
    outcome = await runEvaluation({
      request,
      octokit,
      deps: services.deps,
      signal: control.signal,
      isSuperseded: control.isSuperseded,
      resumeCheckRun: control.attempt > 1,
      waitForQuota: !control.finalAttempt,
      retry: {
        attempt: control.attempt,
        maxAttempts: control.maxAttempts,
        final: control.finalAttempt,
        delayMs: control.retryDelayMs,
      },
      log,
    });
  } catch (error) {
    if (error instanceof SupersededError || control.signal.aborted) throw error;
    // A transient fault the flow announced on its Check Run: the queue's backoff, the run continued next time.
    if (error instanceof RetryLaterError) throw error;
    const resetAt = quotaResetOf(error);
    // A second after the reset: the quota is renewed by then.
    if (resetAt) throw new RetryLaterError('out of GitHub API quota', new Date(resetAt.getTime() + 1000));
    // The flow completes its Check Run itself on every fault it knows; what escapes it failed before the run existed
    // (resolving the target, creating the run) or is a write that kept failing: run the job again later (not sooner
    // than a secondary rate limit's retry-after), which continues that same run.
    const minDelayMs = transientFault(error)?.retryAfterMs;
    throw new RetryLaterError(
      `the evaluation did not finish: ${(error as Error).message}`,
      undefined,
      minDelayMs !== undefined ? { minDelayMs } : {},
    );
  }
  // Even the fault could not be published (the completing PATCH kept failing): run the job again later, which
  // continues that same run; after the last attempt the sweeper completes it.
  if (outcome.checkRunCompleted === false && !control.finalAttempt)
    throw new RetryLaterError('the Check Run could not be completed');
}

/**
 * When the error is an exhausted primary quota, its reset: the flow's QuotaExhaustedError, or a write (the first
 * Check Run POST) answered 403/429 with `x-ratelimit-remaining: 0`.
 */
export function quotaResetOf(error: unknown): Date | undefined {
  const failure = error as {
    name?: string;
    resetAt?: unknown;
    status?: number;
    response?: { headers?: Record<string, string | undefined> };
  };
  if (failure?.name === 'QuotaExhaustedError' && failure.resetAt instanceof Date) return failure.resetAt;
  const headers = failure?.response?.headers;
  if ((failure?.status === 403 || failure?.status === 429) && headers?.['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset) && !headers['retry-after']) return new Date(reset * 1000);
  }
  return undefined;
}

export function installationIdOf(context: Context): number | undefined {
  const payload = context.payload as { installation?: { id?: number } };
  return payload.installation?.id;
}
