import type { Logger } from 'pino';
import type { CheckRunHandle } from '../../github/check-runs.js';
import type { Sources } from './sources.js';
import type { EvaluationOutcome, FlowDeps } from './types.js';

/** The end of every evaluation, finished or not: its duration and requests, told to `onEvaluated` and logged. */
export function recordOutcome(input: {
  outcome: Omit<EvaluationOutcome, 'durationMs' | 'checkRunId' | 'requests'>;
  run: CheckRunHandle;
  started: number;
  sources: Sources;
  deps: FlowDeps;
  log: Logger;
}): EvaluationOutcome {
  const { outcome, run, started, sources, deps, log } = input;
  const result = { ...outcome, checkRunId: run.id, durationMs: Date.now() - started, requests: sources.requests() };
  deps.onEvaluated?.(result);
  log.info(
    {
      checkRunId: run.id,
      status: result.status,
      conclusion: result.conclusion,
      durationMs: result.durationMs,
      requests: result.requests,
    },
    `evaluation ${result.status}`,
  );
  return result;
}
