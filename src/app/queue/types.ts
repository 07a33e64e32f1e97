import type { EvaluationRequest } from '../evaluate-flow.js';

/** pino-like (Probot's `app.log` fits). */
export interface QueueLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * `queued`: a new job; `coalesced`: it replaced a job of the same key that had not started (or will supersede the
 * one running); `stale`: older than a job already seen for the key, dropped; `duplicate`: this delivery id was
 * handled before (acknowledged, not evaluated again); `rejected`: refused (full, or shutting down).
 */
export type EnqueueResult = 'queued' | 'coalesced' | 'rejected' | 'stale' | 'duplicate';

/**
 * One evaluation to run, as data: it crosses processes (BullMQ stores it in Redis), so it holds no Octokit and no
 * closure; the worker authenticates as `request.installationId`.
 */
export interface EvaluationJob {
  /** Coalescing key: `owner/repo#PR` or `owner/repo@branch` (see handlers/common.ts `jobKey`). */
  key: string;
  /**
   * Ranks jobs of one key by recency: push order (`pushed_at`), the PR's `updated_at`. A job with a lower order than
   * one already seen for its key is stale. Absent: the job is newest by arrival (a re-run click).
   */
  order?: number;
  /** The head commit and the commit it was pushed on top of: a tie in `order` is broken by this chain. */
  head?: string;
  parent?: string;
  /** The webhook delivery id (`X-GitHub-Delivery`): a delivery seen before is acknowledged, not evaluated again. */
  deliveryId?: string;
  /** For logs: e.g. `pull_request.synchronize (delivery id)`. */
  label: string;
  request: EvaluationRequest;
}

/** What a running job can ask its queue. */
export interface JobControl {
  /** Aborted when a newer job of the same key was enqueued (on any instance): stop, publish nothing. */
  readonly signal: AbortSignal;
  /** Asks the shared store whether a newer job of this key exists: call it before publishing. */
  isSuperseded(): Promise<boolean>;
  /** 1 on the first run; more on retries and after a crash of the instance that ran it. */
  readonly attempt: number;
  /** No retry follows this run: a fault must be published now (the Check Run completed), not waited out. */
  readonly finalAttempt: boolean;
  /** Runs of one job at most (`attempt` of `maxAttempts`, for the Check Run's "retrying" message). */
  readonly maxAttempts: number;
  /**
   * How long the queue waits before the next attempt when this one throws a RetryLaterError without `delayUntil`:
   * its backoff, or `minimumMs` (GitHub's `retry-after`) when that is longer.
   */
  retryDelayMs(minimumMs?: number): number;
}

export type JobProcessor = (job: EvaluationJob, control: JobControl) => Promise<void>;

/**
 * Thrown by a processor to have the job run again later: `delayUntil` (a quota reset) or after the queue's backoff
 * (a 5xx, a secondary rate limit, connection resets). The memory queue retries the same way, in process.
 */
export class RetryLaterError extends Error {
  /** Not sooner than this after now (GitHub's `retry-after`), even when the backoff is shorter. */
  readonly minDelayMs?: number;
  /**
   * Fields of the job's request changed for the next attempt (e.g. the Check Run this attempt created, to continue
   * it): the memory queue keeps them with the job, BullMQ writes them to the job's data in Redis.
   */
  readonly update?: Partial<EvaluationRequest>;

  constructor(
    message: string,
    readonly delayUntil?: Date,
    options: { minDelayMs?: number; update?: Partial<EvaluationRequest> } = {},
  ) {
    super(message);
    this.name = 'RetryLaterError';
    if (options.minDelayMs !== undefined) this.minDelayMs = options.minDelayMs;
    if (options.update !== undefined) this.update = options.update;
  }
}

/**
 * The wait before attempt `attempt + 1` after a retryable failure of attempt `attempt` (1-based): `baseMs` doubled
 * per attempt, never less than `minimumMs`. One rule for both queues.
 */
export function backoffDelayMs(baseMs: number, attempt: number, minimumMs = 0): number {
  return Math.max(baseMs * 2 ** Math.max(0, attempt - 1), minimumMs);
}

/** The delay a RetryLaterError asks for, from `now`: until its date, or the backoff (at least its minimum). */
export function retryDelayFor(error: RetryLaterError, baseMs: number, attempt: number, now = Date.now()): number {
  if (error.delayUntil) return Math.max(0, error.delayUntil.getTime() - now);
  return backoffDelayMs(baseMs, attempt, error.minDelayMs);
}

/** The job as the next attempt sees it: the request with the retry's `update` applied. */
export function withRetryUpdate<T extends EvaluationJob>(job: T, error: RetryLaterError): T {
  return error.update ? { ...job, request: { ...job.request, ...error.update } } : job;
}

/** Runs carried at most (a burst of replacements of jobs that each waited for a retry): the sweeper has the rest. */
const SUPERSEDED_RUNS_CARRIED = 20;

/**
 * The newer job that replaces `replaced` before it ran again: it carries the Check Runs `replaced` left in progress
 * (its own retry's run, and those it carried), so the evaluation that runs completes them as superseded at once
 * instead of leaving them spinning until the sweeper. One rule for both queues; the queue itself never calls GitHub.
 */
export function replacing<T extends EvaluationJob>(newer: T, replaced: EvaluationJob): T {
  const { resumeRun, supersededRuns = [] } = replaced.request;
  const carried = [...supersededRuns, ...(newer.request.supersededRuns ?? [])];
  if (resumeRun && !resumeRun.completed) {
    const { completed: _completed, ...run } = resumeRun;
    carried.push(run);
  }
  if (!carried.length) return newer;
  const unique = [...new Map(carried.map((run) => [run.id, run])).values()].slice(-SUPERSEDED_RUNS_CARRIED);
  return { ...newer, request: { ...newer.request, supersededRuns: unique } };
}

/**
 * The delivery was not taken (queue full or shutting down). `status` 503 makes Octokit's webhook middleware answer
 * 503, so GitHub records the delivery as failed and the redelivery job (or a "Redeliver" click) sends it again.
 */
export class QueueRefusedError extends Error {
  readonly status = 503;
  constructor(message: string) {
    super(message);
    this.name = 'QueueRefusedError';
  }
}

export interface QueueStats {
  waiting: number;
  running: number;
  delayed: number;
  completed: number;
  superseded: number;
  failed: number;
  retried: number;
  duplicates: number;
  stale: number;
  rejected: number;
  /** Jobs this instance found stalled (their instance stopped renewing the lock) and put back to run (Redis only). */
  stalled?: number;
  /** Jobs that may wait at most before deliveries are refused. */
  bound: number;
}

export interface JobQueue {
  readonly kind: 'memory' | 'redis';
  /** False once shutdown began (or Redis is unreachable); `/ready` answers 503 then. */
  readonly accepting: boolean;
  /** Why the queue is not ready (Redis unreachable), when it is not. */
  readonly problem?: string;
  /** A snapshot (the Redis one refreshes in the background): the metrics read it at scrape time. */
  readonly stats: QueueStats;
  /** Resolves once the job is stored (memory: at once; Redis: written there), so the delivery may be answered. */
  enqueue(job: EvaluationJob): Promise<EnqueueResult>;
  /** Starts taking jobs (the `worker` and `all` roles); a `web` instance never calls it. */
  process(processor: JobProcessor): void;
  /** Resolves when nothing is waiting or running (across instances for Redis). */
  onIdle(): Promise<void>;
  /** Stops taking work and waits for this instance's running jobs; true when they finished in time. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Releases connections (after drain). */
  close(): Promise<void>;
}

/** Is `candidate` older than `latest` (both of one key)? Shared by both queues (the Redis one in Lua, same rule). */
export function isOlder(
  candidate: Pick<EvaluationJob, 'order' | 'head' | 'parent'>,
  latest: Pick<EvaluationJob, 'order' | 'head' | 'parent'> | undefined,
): boolean {
  if (!latest || candidate.order === undefined || latest.order === undefined) return false;
  if (candidate.order !== latest.order) return candidate.order < latest.order;
  // Same timestamp (one-second resolution): the job whose head is the latest's parent was pushed before it.
  return candidate.head !== undefined && candidate.head === latest.parent;
}
