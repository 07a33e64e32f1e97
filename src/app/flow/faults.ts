import type { Logger } from 'pino';
import { ConfigError } from '../../engine/errors.js';
import { SupersededError, type OctokitLike } from '../../github/octokit.js';
import type { CheckRunAnnotation } from '../../report/check-run.js';
import { renderConfigErrorCheckRun } from '../../report/config-error.js';
import { codeSpan, escapeMarkdown } from '../../report/escape.js';
import { EvaluationCheckRun } from './check-run.js';
import { transientFault, type TransientFault } from './transient.js';
import type { EvaluationOutcome, EvaluationRequest, FlowDeps, Target } from './types.js';

// An evaluation that cannot finish: its Check Run is completed with what happened and what to do.

export interface QuotaExhausted extends Error {
  resetAt: Date;
}

/** Duck-typed so the flow does not depend on the source's module for an error class. */
export function isQuotaExhausted(error: unknown): error is QuotaExhausted {
  return error instanceof Error && error.name === 'QuotaExhaustedError';
}

export interface RequestFault extends Error {
  status: number;
  request?: { method?: string; url?: string };
}

export interface ApiError extends Error {
  status?: number;
  route?: string;
  kind: string;
  retryAfterSeconds?: number;
}

/** The source's GitHubApiError (duck-typed, like the quota error): its message already says what to do. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && error.name === 'GitHubApiError';
}

export function isRequestFault(error: unknown): error is RequestFault {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}

/**
 * The Check Run for an evaluation that could not finish; every message says what happened and what to do.
 * `attempts`: the runs the queue made of this job; a transient fault that outlasted them says so.
 */
export function describeFault(
  error: unknown,
  now: Date,
  attempts = 1,
): {
  status: EvaluationOutcome['status'];
  conclusion: 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations?: CheckRunAnnotation[];
} {
  const fault = describeOneFault(error, now);
  const transient = attempts > 1 ? transientFault(error) : undefined;
  if (!transient) return fault;
  return {
    ...fault,
    summary: `${fault.summary}\n\nshipready tried ${attempts} times, waiting longer each time; the last attempt also stopped because ${transient.description}, so it stopped retrying.`,
  };
}

function describeOneFault(
  error: unknown,
  now: Date,
): {
  status: EvaluationOutcome['status'];
  conclusion: 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations?: CheckRunAnnotation[];
} {
  if (error instanceof ConfigError) {
    return { status: 'config-error', conclusion: 'failure', ...renderConfigErrorCheckRun(error) };
  }
  if (error instanceof Error && error.name === 'EvaluationTimeoutError') {
    // Caused by the repository's content (or size), not by GitHub: failure, so a stalling PR cannot pass a gate.
    const { file, activity } = error as Error & { file?: string; activity?: string };
    const where = [file ? `on file ${codeSpan(file)}` : '', activity ? `(${escapeMarkdown(activity)})` : '']
      .filter(Boolean)
      .join(' ');
    return {
      status: 'failed',
      conclusion: 'failure',
      title: 'Could not finish: evaluation time budget exceeded',
      summary: `The evaluation exceeded its time budget${where ? ` ${where}` : ''} and was stopped; other evaluations were not affected. A file that takes this long to check is usually crafted or generated: look at it, or raise SHIPREADY_EVALUATION_TIMEOUT_MS.`,
    };
  }
  if (error instanceof SupersededError) {
    return {
      status: 'superseded',
      conclusion: 'neutral',
      title: 'Superseded by a newer evaluation',
      summary: 'A newer commit or request for this pull request or branch is being evaluated; see its Check Run.',
    };
  }
  if (isQuotaExhausted(error)) {
    const minutes = Math.max(1, Math.ceil((error.resetAt.getTime() - now.getTime()) / 60_000));
    return {
      status: 'quota-exhausted',
      conclusion: 'neutral',
      title: 'Paused: the installation is out of GitHub API quota',
      summary: `The GitHub API quota of this installation is used up until ${error.resetAt.toISOString()} (in about ${minutes} min), so the evaluation stopped cleanly instead of failing half-way. Re-run this check after that time.`,
    };
  }
  if (isApiError(error)) {
    const route = error.route ? ` (\`${error.route}\`)` : '';
    const title =
      error.kind === 'secondary-rate-limit'
        ? 'Could not finish: GitHub secondary rate limit'
        : `Could not finish: GitHub API error${error.status ? ` ${error.status}` : ''}`;
    const wait = error.retryAfterSeconds ? ` GitHub asked to wait ${error.retryAfterSeconds} s.` : '';
    return {
      status: 'failed',
      conclusion: 'neutral',
      title,
      summary: `${firstLine(error.message)}${route}.${wait}\n\nThe evaluation stopped cleanly and nothing was blamed on this change. Use **Re-run** to evaluate again.`,
    };
  }
  if (isRequestFault(error)) {
    const where =
      error.request?.method && error.request.url
        ? ` on \`${error.request.method} ${error.request.url.replace(/\?[^]*$/, '')}\``
        : '';
    const hint =
      error.status === 403 || error.status === 429
        ? 'GitHub refused or rate-limited the request (secondary rate limit or a missing permission).'
        : error.status >= 500
          ? 'GitHub had a server error and retries did not help.'
          : 'GitHub rejected the request.';
    return {
      status: 'failed',
      conclusion: 'neutral',
      title: `Could not finish: GitHub API error ${error.status}`,
      summary: `${hint} The request${where} answered ${error.status}: ${firstLine(error.message)}.\n\nNothing was blamed on this change. Use **Re-run** to evaluate again.`,
    };
  }
  return {
    status: 'failed',
    conclusion: 'neutral',
    title: 'Could not finish: internal error',
    summary: `shipready failed while evaluating: ${firstLine(error instanceof Error ? error.message : String(error))}. Use **Re-run** to try again; if it persists, please report it.`,
  };
}

export async function completeWithFault(input: {
  octokit: OctokitLike;
  target: Target;
  run: EvaluationCheckRun;
  error: unknown;
  log: Logger;
  now: () => Date;
  /** Runs the queue made of this job (this one included). */
  attempts?: number;
}): Promise<Omit<EvaluationOutcome, 'durationMs'>> {
  const { run, error, log, now } = input;
  const fault = describeFault(error, now(), input.attempts);
  if (fault.status === 'failed') log.error({ err: error }, 'evaluation failed');
  else log.warn({ reason: fault.status }, fault.title);
  try {
    // No guard: a superseded run still closes its own in-progress Check Run (on its own commit) instead of spinning.
    await run.write({
      status: 'completed',
      conclusion: fault.conclusion,
      output: { title: fault.title, summary: fault.summary.slice(0, 65_000), annotations: fault.annotations },
    });
  } catch (publishError) {
    log.error({ err: publishError }, 'could not complete the Check Run after a fault; the sweeper will');
    return { status: fault.status, conclusion: fault.conclusion, message: fault.title, checkRunCompleted: false };
  }
  return { status: fault.status, conclusion: fault.conclusion, message: fault.title };
}

/**
 * Step 1b. The Check Runs that jobs this one replaced in the queue left in progress (they waited for a retry, saying
 * "Retrying…"; the queue carried them in `supersededRuns`) are completed the way every superseded evaluation's run is
 * (`completeWithFault` with a SupersededError: "Superseded by a newer evaluation"), at once rather than by the
 * sweeper. One on this evaluation's own head is continued instead, unless the request continues a run already:
 * its id is returned.
 */
export async function settleSupersededRuns(input: {
  octokit: OctokitLike;
  target: Target;
  request: EvaluationRequest;
  deps: Pick<FlowDeps, 'runs' | 'now'>;
  log: Logger;
}): Promise<number | undefined> {
  const { octokit, target, request, deps, log } = input;
  let continued: number | undefined;
  for (const left of request.supersededRuns ?? []) {
    if (left.id === request.resumeRun?.id || left.id === target.checkRun?.id) continue;
    if (continued === undefined && left.headSha === target.headSha && !request.resumeRun && !target.checkRun) {
      continued = left.id;
      continue;
    }
    const { headSha, ...handle } = left;
    const run = new EvaluationCheckRun({
      octokit,
      target: { ...target, headSha },
      now: deps.now,
      existing: { ...handle, requests: 0 },
      onStarted: async () => undefined,
      onError: () => undefined,
    });
    const outcome = await completeWithFault({
      octokit,
      target: { ...target, headSha },
      run,
      error: new SupersededError('a newer job for this pull request or branch replaced it while it waited to retry'),
      log: log.child({ checkRunId: left.id }),
      now: deps.now,
    });
    if (outcome.checkRunCompleted !== false)
      await deps.runs?.finished(left.id).catch(() => {
        // The sweeper finds it completed and forgets it.
      });
  }
  return continued;
}

/**
 * The queue will run the job again after the quota reset: the Check Run stays in progress and says so (the next
 * attempt continues this same run), instead of asking for a Re-run.
 */
export async function waitForQuotaReset(input: {
  octokit: OctokitLike;
  target: Target;
  run: EvaluationCheckRun;
  resetAt: Date;
  log: Logger;
  now: () => Date;
}): Promise<void> {
  const { run, resetAt, log, now } = input;
  const minutes = Math.max(1, Math.ceil((resetAt.getTime() - now().getTime()) / 60_000));
  log.warn({ resetAt: resetAt.toISOString() }, 'out of API quota: the evaluation waits for the reset');
  await run.write({
    status: 'in_progress',
    output: {
      title: 'Waiting for the GitHub API quota reset',
      summary: `The GitHub API quota of this installation is used up until ${resetAt.toISOString()} (in about ${minutes} min). shipready waits for the reset and then evaluates this commit again, in this same Check Run: nothing to do.`,
    },
  });
}

/**
 * A transient fault (5xx, secondary rate limit, connection reset) before the last attempt: the queue runs the job
 * again after its backoff, continuing this same run, which stays in progress and says so meanwhile (created now if
 * the grace period had not created it yet, so that the next attempt has a run to continue). GitHub may still be
 * failing, so this write may fail too: that is logged, and the next attempt looks for the run or creates it.
 */
export async function announceRetry(input: {
  target: Target;
  run: EvaluationCheckRun;
  fault: TransientFault;
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  log: Logger;
  now: () => Date;
}): Promise<void> {
  const { target, run, fault, attempt, maxAttempts, delayMs, log, now } = input;
  const at = new Date(now().getTime() + delayMs);
  log.warn(
    { fault: fault.kind, status: fault.status, attempt, maxAttempts, delayMs },
    `transient GitHub fault: the evaluation is retried in ${formatDelay(delayMs)}`,
  );
  try {
    await run.write({
      status: 'in_progress',
      output: {
        title: 'Retrying after a GitHub API error',
        summary: `Attempt ${attempt} of ${maxAttempts} stopped because ${fault.description}. shipready evaluates \`${target.headSha.slice(0, 7)}\` again in ${formatDelay(delayMs)} (at ${at.toISOString()}), in this same Check Run: nothing to do.`,
      },
    });
  } catch (error) {
    log.warn({ err: error }, 'could not say on the Check Run that the evaluation is retried');
  }
}

/** 900 ms → "1 s", 95 s → "1 min 35 s". */
export function formatDelay(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

export function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').replace(/(?<!\s)\s*-\s*https:\/\/docs\.github\.com\S*/, '').slice(0, 500);
}
