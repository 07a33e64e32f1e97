import type { Logger } from 'pino';
import type { evaluateRepository } from '../../engine/runner.js';
import type { AnyCheckDefinition } from '../../engine/types.js';
import type { OctokitLike } from '../../github/octokit.js';
import type { SnapshotSource } from '../../snapshot/types.js';
import type { PublishedMemory } from '../../github/published-memory.js';
import type { ReportCache, SettingsCache } from '../caches.js';
import type { ConfigFileCache } from '../config.js';
import type { QuotaTracker } from '../quota-tracker.js';
import type { RunRegistry } from '../sweeper.js';

/** What a handler asks for: one commit of a pull request, or the default branch. */
export interface EvaluationRequest {
  owner: string;
  repo: string;
  installationId?: number;
  /** From the payload when it has one; else one request resolves it. */
  defaultBranch?: string;
  /** A branch evaluation without a sha evaluates the branch's current head. */
  headSha?: string;
  /**
   * The commit the branch pointed at before (a push's `before`): the default branch's head is compared with it, as
   * a PR with its base. Without it, the last default-branch evaluation this process made is the comparison.
   */
  before?: string;
  pull?: PullTarget;
  /** `check_run.requested_action`: file the remediation issues now, or only preview them. */
  issues?: 'file' | 'preview';
  /** `check_run.requested_action` "Open fix PR": open (or update) the fix pull request of the default branch. */
  fixPull?: 'open';
  /**
   * The Check Run to update instead of creating one: the run whose "File issues" button was pressed (on the commit
   * evaluated). Its page and App come from the payload.
   */
  checkRun?: ExistingCheckRun;
  /** e.g. `pull_request.synchronize` — for logs. */
  reason: string;
  /**
   * `cached`: repository settings read in the last minutes may be reused (pushes to a PR); `fresh` (default):
   * read them again — a settings event, a push to the default branch, a re-run.
   */
  settings?: 'cached' | 'fresh';
  /** Times the sweeper re-queued this evaluation after its Check Run was left in progress. */
  sweeps?: number;
  /** When the job was queued (epoch ms), stamped by the App's queue: the job's wait time is measured from it. */
  queuedAt?: number;
  /**
   * The Check Run an earlier attempt of this job created on `headSha` (set by the retry after a transient fault):
   * continued instead of a second one. `completed`: that attempt had already completed it (a later step failed), so
   * it is not set back in progress and its annotations are not sent again.
   */
  resumeRun?: ExistingCheckRun & { headSha: string; completed?: boolean };
  /**
   * Check Runs that jobs this one replaced in the queue had left in progress (a job waiting for its retry, its run
   * saying "Retrying…"): the queue carries them here, since it never writes to GitHub, and this evaluation completes
   * them as superseded when it starts (or continues the one on its own head).
   */
  supersededRuns?: Array<ExistingCheckRun & { headSha: string }>;
}

/**
 * The Check Run's `external_id` on the default branch: the commit its head was compared with, so a button pressed on
 * it later (in another process, after a restart) repeats the same comparison.
 */
export const BASE_EXTERNAL_ID = /^shipready:base=([0-9a-f]{40})$/;
export const baseExternalId = (sha: string): string => `shipready:base=${sha}`;

export interface ExistingCheckRun {
  id: number;
  htmlUrl?: string;
  appSlug?: string;
  /**
   * An earlier attempt of this job completed the run with this many of its annotations before a batch failed: the
   * rest are sent. Absent: the run has its annotations (a button pressed on it), none are sent.
   */
  annotationsSent?: number;
}

export interface PullTarget {
  number: number;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  draft: boolean;
  /** The head lives in a fork (its commits are still readable through the base repository). */
  fork: boolean;
  /**
   * Its issue comments and review comments when the webhook (or GET pulls/{n}) was made: 0 means none of ours existed
   * then, so without a later publication of this process there is none to find (see PublishedMemory).
   */
  countsAtDelivery?: { comments: number; reviewComments: number };
}

export interface SourceOptions {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  sha: string;
  ref?: string;
  defaultBranch: string;
  log?: Logger;
}

export type SourceFactory = (options: SourceOptions) => SnapshotSource & { stats?: { rest: number; graphql: number } };

export interface FlowDeps {
  checks: readonly AnyCheckDefinition[];
  /** Runs one evaluation (server.ts passes the worker pool's); evaluateRepository, in-process, when absent. */
  evaluate?: typeof evaluateRepository;
  createSource: SourceFactory;
  /** Reports of base commits, reused across the deliveries of a PR. */
  reports: ReportCache;
  /** Repository settings (protection, security features), reused for a few minutes by PR evaluations. */
  settings?: SettingsCache;
  /** The sticky comment's id and body, and whether suggestions are left, per PR: spares the listings. */
  published?: PublishedMemory;
  /** The org `.github` repository's config per owner, for a few minutes. */
  orgConfigs?: ConfigFileCache;
  /** Each repository's own config on its default branch, for a few minutes, for its PR evaluations. */
  ownConfigs?: ConfigFileCache;
  /** The installations' REST quota as last seen: reads stop before it runs out, keeping a reserve to publish. */
  quota?: QuotaTracker;
  now: () => Date;
  /** https://github.com, or the GitHub Enterprise Server URL (links in comments and issues). */
  serverUrl?: string;
  docsBaseUrl?: string;
  onEvaluated?: (outcome: EvaluationOutcome) => void;
  /**
   * How long an evaluation runs before its Check Run is created in progress; one that ends sooner creates it completed,
   * in one request (SHIPREADY_CHECK_RUN_GRACE_MS in the App). Unset or 0: created in progress at once.
   */
  checkRunGraceMs?: number;
  /** Check Runs started and not yet completed, for the sweeper (src/app/sweeper.ts). */
  runs?: RunRegistry;
}

export interface EvaluationOutcome {
  status: 'completed' | 'superseded' | 'config-error' | 'quota-exhausted' | 'failed';
  conclusion?: 'success' | 'failure' | 'neutral';
  checkRunId?: number;
  durationMs: number;
  /** API requests the snapshot sources made (the writes are not counted). */
  requests?: { rest: number; graphql: number };
  message?: string;
  /** From `request.queuedAt` to the start of this evaluation. */
  waitMs?: number;
  /** False when even the fault could not be published: the run is left in progress, for the sweeper. */
  checkRunCompleted?: boolean;
}

export interface Target {
  owner: string;
  repo: string;
  defaultBranch: string;
  headSha: string;
  /** The branch evaluated (`pull.headRef` for PRs). */
  ref: string;
  pull?: PullTarget;
  /** The commit compared with: the PR's base, or the default branch's previous evaluated commit. */
  base?: { sha: string; ref: string };
  isDefaultBranch: boolean;
  issues?: 'file' | 'preview';
  fixPull?: 'open';
  /** Update this run (a button on it was pressed) instead of creating one. */
  checkRun?: ExistingCheckRun;
}
