import type { Logger } from 'pino';
import type { CheckRunHandle } from '../../github/check-runs.js';
import type { Sources } from './sources.js';
import type { EvaluationOutcome, EvaluationRequest, FlowDeps, Target } from './types.js';

/**
 * The end of every evaluation, finished or not: its duration and requests, told to `onEvaluated` and logged; its
 * Check Run, once completed, is no longer the sweeper's concern.
 */
export async function recordOutcome(input: {
  outcome: Omit<EvaluationOutcome, 'durationMs' | 'checkRunId' | 'requests'>;
  /** The evaluation's run: no id when none was created (a fault before the grace period ended, whose write failed). */
  run: { id?: number };
  started: number;
  /** When the job was queued (request.queuedAt). */
  queuedAt?: number;
  sources: Sources;
  deps: FlowDeps;
  log: Logger;
}): Promise<EvaluationOutcome> {
  const { outcome, run, started, sources, deps, log } = input;
  const { queuedAt } = input;
  const result = {
    ...outcome,
    ...(run.id !== undefined ? { checkRunId: run.id } : {}),
    durationMs: Date.now() - started,
    requests: sources.requests(),
    ...(queuedAt !== undefined ? { waitMs: Math.max(0, started - queuedAt) } : {}),
  };
  if (result.checkRunCompleted !== false && run.id !== undefined)
    await deps.runs?.finished(run.id).catch((error: unknown) => {
      log.warn(
        { err: error, checkRunId: run.id },
        'could not forget a completed Check Run (the sweeper will check it)',
      );
    });
  deps.onEvaluated?.(result);
  log.info(
    {
      checkRunId: run.id,
      status: result.status,
      conclusion: result.conclusion,
      durationMs: result.durationMs,
      waitMs: result.waitMs,
      requests: result.requests,
    },
    `evaluation ${result.status}`,
  );
  return result;
}

/** A Check Run just created in progress, remembered until it is completed (the sweeper completes it otherwise). */
export async function rememberStarted(input: {
  run: CheckRunHandle;
  target: Target;
  request: EvaluationRequest;
  deps: FlowDeps;
  log: Logger;
}): Promise<void> {
  const { run, target, request, deps, log } = input;
  // A run a button was pressed on was completed before: not in progress, nothing to sweep.
  if (!deps.runs || target.checkRun) return;
  await deps.runs
    .started({
      checkRunId: run.id,
      ...(request.installationId !== undefined ? { installationId: request.installationId } : {}),
      owner: target.owner,
      repo: target.repo,
      headSha: target.headSha,
      startedAt: deps.now().getTime(),
      request,
    })
    .catch((error: unknown) => log.warn({ err: error, checkRunId: run.id }, 'could not remember a started Check Run'));
}
