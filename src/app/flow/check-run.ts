import type { Comparison, GateDecision } from '../../engine/compare.js';
import {
  CHECK_RUN_NAME,
  ensureCheckRun,
  type CheckRunHandle,
  type CheckRunOutput,
  type EnsureCheckRunInput,
} from '../../github/check-runs.js';
import type { OctokitLike, WriteGuard } from '../../github/octokit.js';
import { renderCheckRun, type AnnotationLevel, type LinkContext } from '../../report/check-run.js';
import type { ConfigChangePreview } from '../../report/config-changes.js';
import type { IssuePreview } from '../../report/issue-preview.js';
import { codeSpan } from '../../report/escape.js';
import type { Report } from '../../report/types.js';
import { baseExternalId, type FlowDeps, type Target } from './types.js';

// Steps 2 and 9: the Check Run, created completed in one request when the evaluation is quick, else in progress at
// the end of a grace period and completed at the end.

/** How long an evaluation may run before its Check Run is created in progress (SHIPREADY_CHECK_RUN_GRACE_MS). */
export const DEFAULT_CHECK_RUN_GRACE_MS = 10_000;

/** One write of the run: its state, and what GitHub shows. */
export type CheckRunWrite = Pick<EnsureCheckRunInput, 'status' | 'conclusion' | 'output' | 'actions' | 'guard'>;

/**
 * The Check Run of one evaluation. An evaluation that ends within the grace period creates it once, completed (one
 * request instead of a POST and a PATCH); one that takes longer creates it in progress when the grace period ends
 * (a required check shows progress) and updates it at the end. Every path ends in `write`, which creates the run
 * if it does not exist yet, so a run is never left missing or in progress by the flow.
 */
export class EvaluationCheckRun {
  #handle: CheckRunHandle | undefined;
  #creating: Promise<CheckRunHandle> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #octokit: OctokitLike;
  readonly #target: Target;
  readonly #now: () => Date;
  /** When this evaluation began: the run's `started_at`, also when it is created completed or after the grace period. */
  readonly #startedAt: Date;
  readonly #onStarted: (handle: CheckRunHandle) => Promise<void>;
  readonly #onError: (error: unknown) => void;
  #completed = false;
  #annotationsSent = 0;

  constructor(input: {
    octokit: OctokitLike;
    target: Target;
    now: () => Date;
    /** An existing run to update (a button pressed on it, or one an earlier attempt left in progress). */
    existing?: CheckRunHandle;
    /** Called once a run is created in progress (the sweeper's registry): never for one created completed. */
    onStarted: (handle: CheckRunHandle) => Promise<void>;
    /** A creation at the end of the grace period that failed (the final write creates the run then). */
    onError: (error: unknown) => void;
  }) {
    this.#octokit = input.octokit;
    this.#target = input.target;
    this.#now = input.now;
    this.#startedAt = input.now();
    this.#handle = input.existing;
    this.#onStarted = input.onStarted;
    this.#onError = input.onError;
  }

  get id(): number | undefined {
    return this.#handle?.id;
  }

  get htmlUrl(): string | undefined {
    return this.#handle?.htmlUrl;
  }

  get appSlug(): string | undefined {
    return this.#handle?.appSlug;
  }

  /**
   * A write of this evaluation completed the run on GitHub (even if an annotation batch after it failed): nothing
   * may set it back in progress.
   */
  get completed(): boolean {
    return this.#completed;
  }

  /** The annotations the completing write got to GitHub (all of them, unless a batch after the first failed). */
  get annotationsSent(): number {
    return this.#annotationsSent;
  }

  /** Creates the run in progress (`Evaluating…`) now, unless it exists or is being created. */
  start(guard: WriteGuard): Promise<CheckRunHandle> {
    this.#cancelTimer();
    if (this.#handle) return Promise.resolve(this.#handle);
    this.#creating ??= this.#create({ status: 'in_progress', output: evaluatingOutput(this.#target), guard }).finally(
      () => {
        this.#creating = undefined;
      },
    );
    return this.#creating;
  }

  /** Creates the run in progress when `graceMs` have passed, unless it was written before. */
  startAfter(graceMs: number, guard: WriteGuard): void {
    if (this.#handle || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.start(guard).catch((error: unknown) => this.#onError(error));
    }, graceMs);
    // A pending creation must not keep a process that is shutting down alive.
    this.#timer.unref?.();
  }

  /** Updates the run, or, when none exists yet, creates it in this state in one request. */
  async write(write: CheckRunWrite): Promise<CheckRunHandle> {
    this.#cancelTimer();
    // A creation in flight (the grace period ended) is awaited: the run is then updated, never created twice. If it
    // failed, the run is created here.
    if (this.#creating) await this.#creating.catch(() => undefined);
    const existing = this.#handle;
    if (!existing) return this.#create(write);
    const written = await ensureCheckRun({
      octokit: this.#octokit,
      owner: this.#target.owner,
      repo: this.#target.repo,
      headSha: this.#target.headSha,
      id: existing.id,
      ...write,
      now: this.#now,
      onWritten: (_handle, sent) => this.#written(write, sent),
    });
    return { ...existing, requests: written.requests };
  }

  /** Stops a creation still waiting for the end of the grace period (the evaluation ended without a write). */
  cancel(): void {
    this.#cancelTimer();
  }

  async #create(write: CheckRunWrite): Promise<CheckRunHandle> {
    const target = this.#target;
    const handle = await ensureCheckRun({
      octokit: this.#octokit,
      owner: target.owner,
      repo: target.repo,
      headSha: target.headSha,
      ...write,
      ...(target.isDefaultBranch && target.base ? { externalId: baseExternalId(target.base.sha) } : {}),
      startedAt: this.#startedAt,
      now: this.#now,
      // Known as soon as it exists: an annotation batch that fails after the POST leaves a run to continue.
      onWritten: (created, sent) => {
        this.#handle = created;
        this.#written(write, sent);
      },
    });
    this.#handle = handle;
    if (write.status !== 'completed') await this.#onStarted(handle);
    return handle;
  }

  #written(write: CheckRunWrite, annotationsSent: number): void {
    if (write.status !== 'completed') return;
    this.#completed = true;
    this.#annotationsSent = annotationsSent;
  }

  #cancelTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function evaluatingOutput(target: Target): CheckRunOutput {
  return {
    title: 'Evaluating…',
    // The branch name is repository text: a code span fenced to fit whatever it holds.
    summary: `shipready is evaluating \`${target.headSha.slice(0, 7)}\`${target.pull ? ` of #${target.pull.number}` : ` on ${codeSpan(target.ref)}`}.`,
  };
}

/**
 * Step 2. The run a button was pressed on is updated (completed once, at the end; it is not set back to in progress:
 * GitHub may not allow a completed run to restart). A later attempt of the same job continues the run an earlier one
 * left in progress. Otherwise the run is created in progress now (`graceMs` 0) or when `graceMs` have passed, unless
 * the evaluation has completed it by then.
 */
export async function openCheckRun({
  octokit,
  target,
  guard,
  now,
  resume,
  runId,
  graceMs,
  onStarted,
  onError,
}: {
  octokit: OctokitLike;
  target: Target;
  guard: WriteGuard;
  now: () => Date;
  /**
   * The job runs again (a retry, or another instance took it over after a crash): the run an earlier attempt left
   * in progress on this commit is continued instead of a second one being created.
   */
  resume?: boolean;
  /** The run an earlier attempt of this job created (the retry carried it in the job): continued, not looked for. */
  runId?: number;
  graceMs: number;
  onStarted: (handle: CheckRunHandle) => Promise<void>;
  onError: (error: unknown) => void;
}): Promise<EvaluationCheckRun> {
  if (target.checkRun) {
    const { id, htmlUrl, appSlug } = target.checkRun;
    const existing = { id, ...(htmlUrl ? { htmlUrl } : {}), ...(appSlug ? { appSlug } : {}), requests: 0 };
    return new EvaluationCheckRun({ octokit, target, now, existing, onStarted, onError });
  }
  const leftInProgress = runId ?? (resume ? await findRunInProgress(octokit, target) : undefined);
  const run = new EvaluationCheckRun({
    octokit,
    target,
    now,
    ...(leftInProgress !== undefined ? { existing: { id: leftInProgress, requests: 0 } } : {}),
    onStarted,
    onError,
  });
  if (leftInProgress !== undefined) {
    // Continued: it says `Evaluating…` again, and the sweeper knows it (again).
    const handle = await run.write({ status: 'in_progress', output: evaluatingOutput(target), guard });
    await onStarted(handle);
  } else if (graceMs <= 0) await run.start(guard);
  else run.startAfter(graceMs, guard);
  return run;
}

export function linksFor({ target, deps }: { target: Target; deps: FlowDeps }): LinkContext {
  return {
    repository: `${target.owner}/${target.repo}`,
    sha: target.headSha,
    ...(deps.serverUrl ? { serverUrl: deps.serverUrl } : {}),
    ...(deps.docsBaseUrl ? { docsBaseUrl: deps.docsBaseUrl } : {}),
  };
}

export async function publishCheckRun(input: {
  target: Target;
  run: EvaluationCheckRun;
  head: Report;
  comparison: Comparison;
  gate: GateDecision;
  note?: string;
  issues?: IssuePreview;
  configChanges?: ConfigChangePreview;
  /** `annotations.preexisting` of the rules the run is judged by (the base's on a pull request). */
  preexistingAnnotations?: AnnotationLevel;
  links: LinkContext;
  /** Offer "Open fix PR" (step 8b found something it can fix). */
  offerFixPull?: boolean;
  guard: WriteGuard;
}): Promise<GateDecision['conclusion']> {
  const { target, run, head, comparison, gate, note, issues, configChanges, links, guard } = input;
  const output = renderCheckRun({
    report: head,
    comparison,
    gate,
    ...(note ? { configNote: note } : {}),
    ...(issues ? { issuePreview: issues } : {}),
    ...(configChanges ? { configChanges } : {}),
    ...(input.preexistingAnnotations ? { preexistingAnnotations: input.preexistingAnnotations } : {}),
    ...(input.offerFixPull ? { offer: { fixPull: true } } : {}),
    // A default-branch run compares with the previous evaluated commit: its texts say "this push", not "this PR".
    event: target.pull ? 'pull_request' : 'push',
    links,
  });
  await run.write({
    status: 'completed',
    conclusion: gate.conclusion,
    // A run completed before (its button was pressed) already has its annotations: GitHub appends those of every
    // update, so they are not sent twice; its buttons are replaced, so an empty list removes "File issues".
    output: {
      title: output.title,
      summary: output.summary,
      text: output.text,
      // A run an earlier attempt of this job completed gets the annotations that did not get through (a failed batch).
      ...(target.checkRun
        ? target.checkRun.annotationsSent !== undefined
          ? { annotations: output.annotations.slice(target.checkRun.annotationsSent) }
          : {}
        : { annotations: output.annotations }),
    },
    ...(target.checkRun || output.actions.length ? { actions: output.actions } : {}),
    guard,
  });
  return gate.conclusion;
}

/** Our Check Run on the head commit that an earlier attempt of this job left in progress, if any. */
async function findRunInProgress(octokit: OctokitLike, target: Target): Promise<number | undefined> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
    owner: target.owner,
    repo: target.repo,
    ref: target.headSha,
    check_name: CHECK_RUN_NAME,
    status: 'in_progress',
    per_page: 10,
  });
  const runs = (data as { check_runs: Array<{ id: number; head_sha: string; app?: { slug?: string } | null }> })
    .check_runs;
  return runs.find((run) => run.head_sha === target.headSha)?.id;
}
