import type { Logger } from 'pino';
import { guardFor, SupersededError } from '../github/octokit.js';
import type { ConfigCapableOctokit } from './config.js';
import { linksFor, openCheckRun, publishCheckRun } from './flow/check-run.js';
import { publishComment } from './flow/comment.js';
import { suggestFixes } from './flow/fix-suggestions.js';
import { maintainFixPull } from './flow/fix-pull.js';
import { compareAndGate, previewConfigChanges } from './flow/compare.js';
import { loadConfiguration } from './flow/configuration.js';
import { evaluateBase, evaluateHead, rememberDefaultBranch } from './flow/evaluate.js';
import {
  announceRetry,
  completeWithFault,
  isQuotaExhausted,
  settleSupersededRuns,
  waitForQuotaReset,
} from './flow/faults.js';
import { transientFault } from './flow/transient.js';
import { RetryLaterError } from './queue/types.js';
import { recordOutcome, rememberStarted } from './flow/outcome.js';
import { joinNotes } from './flow/helpers.js';
import { reconcileRemediationIssues } from './flow/issues.js';
import { createSources } from './flow/sources.js';
import { resolveTarget, withPreviousEvaluation } from './flow/target.js';
import { listTrees } from './flow/trees.js';
import type { EvaluationOutcome, EvaluationRequest, FlowDeps, Target } from './flow/types.js';

// The flow's public surface, from the modules of its steps (handlers, the App and tests import it from here).
export { ReportCache, SettingsCache } from './caches.js';
export { describeFault } from './flow/faults.js';
export { toPreview } from './flow/issues.js';
export {
  BASE_EXTERNAL_ID,
  baseExternalId,
  type EvaluationOutcome,
  type EvaluationRequest,
  type ExistingCheckRun,
  type FlowDeps,
  type PullTarget,
  type SourceFactory,
  type SourceOptions,
} from './flow/types.js';
export { QuotaTracker } from './quota-tracker.js';

/**
 * The one evaluation, as numbered steps:
 *  1. resolve the target (default branch, head sha)      6. evaluate the base (reused when the tree is the same)
 *  2. create the Check Run in_progress                   7. compare and gate
 *  3. list the trees of head and base                    8. reconcile remediation issues (default branch only),
 *  4. load and validate the config                          then the fix pull request (its button; kept up to date)
 *  5. evaluate the head                                  9. complete the Check Run (annotations in batches)
 *                                                       10. the PR comment
 *                                                       11. fix suggestions on the PR's own lines (a review)
 *  1b (before 2): the runs of jobs this one replaced in the queue, left in progress waiting to retry, are completed
 *  as superseded.
 * Every write checks the signal first: a newer head for the same PR aborts it and nothing stale is published.
 * A config error, an exhausted quota or an API fault completes the Check Run with a clear message.
 */
export async function runEvaluation(input: {
  request: EvaluationRequest;
  octokit: ConfigCapableOctokit;
  deps: FlowDeps;
  signal?: AbortSignal;
  /**
   * Asks the queue whether a newer job of this PR or branch exists (on any instance): checked before each publishing
   * step, so an older evaluation whose abort message was missed still publishes nothing.
   */
  isSuperseded?: () => Promise<boolean>;
  /** A later attempt of the same job (a retry, a takeover after a crash): continue the run it left in progress. */
  resumeCheckRun?: boolean;
  /**
   * The queue runs the job again after a quota reset: an exhausted quota leaves the Check Run in progress, saying it
   * waits for the reset, and is thrown (QuotaExhaustedError, with `resetAt`) instead of completing the run.
   */
  waitForQuota?: boolean;
  /**
   * The queue's attempts of this job: a transient fault (5xx, secondary rate limit, connection reset; see
   * flow/transient.ts) before the last one leaves the Check Run in progress saying it retries, and throws a
   * RetryLaterError (after `delayMs`); on the last one, the run is completed neutral, saying how often it was tried.
   * Absent: a transient fault completes the run at once, like any other.
   */
  retry?: { attempt: number; maxAttempts: number; final: boolean; delayMs(minimumMs?: number): number };
  log: Logger;
}): Promise<EvaluationOutcome> {
  const { octokit, deps, log, request } = input;
  const started = Date.now();
  const guard = guardFor(input.signal);
  const stillNewest = async () => {
    guard();
    if (await input.isSuperseded?.()) throw new SupersededError('a newer evaluation of this head was queued');
  };
  // 1.
  const target = resumedTarget(
    withPreviousEvaluation(await resolveTarget({ octokit, request }), {
      reports: deps.reports,
      pinned: request.headSha !== undefined,
    }),
    request,
  );
  // 1b. Runs that replaced jobs left in progress: completed as superseded, or continued when on this head.
  const continued = await settleSupersededRuns({ octokit, target, request, deps, log });
  // 2.
  const run = await openCheckRun({
    octokit,
    target,
    guard,
    now: deps.now,
    resume: input.resumeCheckRun,
    ...(request.resumeRun && request.resumeRun.headSha === target.headSha
      ? { runId: request.resumeRun.id }
      : continued !== undefined
        ? { runId: continued }
        : {}),
    graceMs: deps.checkRunGraceMs ?? 0,
    onStarted: (handle) => rememberStarted({ run: handle, target, request, deps, log }),
    onError: (error) =>
      log.warn({ err: error }, 'could not create the Check Run in progress; it is created when the evaluation ends'),
  });
  const reads = deps.quota ? deps.quota.wrap(octokit, String(request.installationId ?? target.owner)) : octokit;
  const sources = createSources({ octokit: reads, target, deps, log, fresh: request.settings !== 'cached' });
  const finish = (outcome: Parameters<typeof recordOutcome>[0]['outcome']) =>
    recordOutcome({ outcome, run, started, queuedAt: request.queuedAt, sources, deps, log });
  // Set once step 9 completed the run (a pressed button's run, or a resumed one, was completed before): a fault after
  // it must not set it back in progress.
  let completed = target.checkRun !== undefined;
  try {
    // `guard()` between steps too: a superseded evaluation stops reading as well as writing, saving quota.
    // 3.
    const trees = await listTrees({ sources, target, reports: deps.reports });
    guard();
    // 4.
    const rules = await loadConfiguration({
      octokit,
      target,
      trees,
      checks: deps.checks,
      ...(deps.orgConfigs ? { orgConfigs: deps.orgConfigs } : {}),
      ...(deps.ownConfigs ? { ownConfigs: deps.ownConfigs } : {}),
      fresh: request.settings !== 'cached',
    });
    const { config } = rules;
    guard();
    // 5.
    const head = await evaluateHead({ sources, config, checks: deps.checks, evaluate: deps.evaluate });
    guard();
    // 6.
    const base = await evaluateBase({ sources, target, trees, head, config, deps, log });
    guard();
    // 7.
    const { comparison, gate } = await compareAndGate({ head, base: base.report, config, target });
    rememberDefaultBranch({ target, trees, config, head, compared: base.report !== undefined, deps });
    const sameTree = trees.base?.signature === trees.headSignature;
    const configChanges = await previewConfigChanges({
      sources,
      rules,
      head,
      base,
      sameTree,
      comparison,
      gate,
      target,
      checks: deps.checks,
    });
    await stillNewest();
    // 8.
    // Issue bodies link the run that files them, and its App is their author: the run must exist first.
    if (target.isDefaultBranch && config.issues.mode !== 'off') await run.start(guard);
    const issues = await reconcileRemediationIssues({ octokit, target, head, config, run, guard, deps });
    const fixes = await maintainFixPull({
      octokit,
      target,
      head,
      source: sources.head,
      config,
      checks: deps.checks,
      issues,
      guard,
      log,
    });
    // 9.
    await stillNewest();
    const links = linksFor({ target, deps });
    const note = joinNotes(rules.note, base.note, fixes.note);
    const conclusion = await publishCheckRun({
      target,
      run,
      head,
      comparison,
      gate,
      note,
      issues,
      configChanges,
      preexistingAnnotations: config.annotations.preexisting,
      links,
      offerFixPull: fixes.offer,
      guard,
    });
    completed = true;
    // 10.
    await stillNewest();
    await publishComment({
      octokit,
      target,
      head,
      comparison,
      gate,
      config,
      configChanges,
      run,
      links,
      guard,
      memory: deps.published,
    });
    // 11.
    await suggestFixes({
      octokit,
      target,
      head: sources.head,
      comparison,
      config,
      checks: deps.checks,
      guard,
      log,
      memory: deps.published,
    });
    return finish({ status: 'completed', conclusion });
  } catch (thrown) {
    // A newer job replaced this one meanwhile: whatever the fault, the run is superseded, not retried ("Retrying…"
    // would leave it spinning, since the queue drops a superseded job's retry).
    const error =
      input.signal?.aborted && input.signal.reason instanceof SupersededError ? input.signal.reason : thrown;
    // The completing write may have landed before the fault (an extra annotation batch failed): completed all the same.
    completed ||= run.completed;
    if (input.waitForQuota && isQuotaExhausted(error)) {
      // The queue delays the job until the reset (the error carries it); the run says it is waiting meanwhile, unless
      // it is completed already (a later step ran out).
      if (!completed) await waitForQuotaReset({ octokit, target, run, resetAt: error.resetAt, log, now: deps.now });
      throw error;
    }
    const transient = input.retry && !(error instanceof SupersededError) ? transientFault(error) : undefined;
    if (transient && input.retry && !input.retry.final) {
      const delayMs = input.retry.delayMs(transient.retryAfterMs);
      if (!completed)
        await announceRetry({ target, run, fault: transient, ...input.retry, delayMs, log, now: deps.now });
      throw new RetryLaterError(`transient GitHub fault: ${transient.description}`, undefined, {
        ...(transient.retryAfterMs !== undefined ? { minDelayMs: transient.retryAfterMs } : {}),
        ...(run.id !== undefined
          ? {
              update: {
                resumeRun: {
                  ...resumable(run),
                  headSha: target.headSha,
                  ...(completed ? { completed } : {}),
                  ...annotationsSent(run, target),
                },
              },
            }
          : {}),
      });
    }
    return finish(
      await completeWithFault({ octokit, target, run, error, log, now: deps.now, attempts: input.retry?.attempt }),
    );
  } finally {
    run.cancel();
  }
}

/** The run's id, page and App, as a later attempt gets them back (plain data: BullMQ stores it). */
function resumable(run: { id?: number; htmlUrl?: string; appSlug?: string }) {
  return {
    id: run.id!,
    ...(run.htmlUrl ? { htmlUrl: run.htmlUrl } : {}),
    ...(run.appSlug ? { appSlug: run.appSlug } : {}),
  };
}

/**
 * The annotations the run has from this job's completing writes (this attempt's and an earlier one's), so that the
 * next attempt sends only the rest; none when the run was completed otherwise (a pressed button's run has them all).
 */
function annotationsSent(run: { completed: boolean; annotationsSent: number }, target: Target) {
  const before = target.checkRun?.annotationsSent;
  if (run.completed) return { annotationsSent: (before ?? 0) + run.annotationsSent };
  return before !== undefined ? { annotationsSent: before } : {};
}

/**
 * A retry of a job whose earlier attempt had already completed its Check Run (a later step failed): that run is
 * updated as a pressed button's run is — not set back in progress, its annotations not sent again.
 */
function resumedTarget(target: Target, request: EvaluationRequest): Target {
  const resume = request.resumeRun;
  if (!resume?.completed || resume.headSha !== target.headSha || target.checkRun) return target;
  const { id, htmlUrl, appSlug, annotationsSent: sent } = resume;
  return {
    ...target,
    checkRun: {
      id,
      ...(htmlUrl ? { htmlUrl } : {}),
      ...(appSlug ? { appSlug } : {}),
      ...(sent !== undefined ? { annotationsSent: sent } : {}),
    },
  };
}
