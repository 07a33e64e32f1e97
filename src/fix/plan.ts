import { evaluateRepository } from '../engine/runner.js';
import type { AnyCheckDefinition, CheckContext } from '../engine/types.js';
import type { Config } from '../config/schema.js';
import type { CheckReport, Report } from '../report/types.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import type { SnapshotSource } from '../snapshot/types.js';
import { applyEdits, type ApplyResult, type FileBefore } from './apply.js';
import { OverlaySource } from './overlay-source.js';
import type { FileEdit, FixServices } from './types.js';

/** One fixer's run in one place (the repository, or a monorepo project). */
export interface FixRun {
  checkId: string;
  /** '' for the repository. */
  projectPath: string;
  edits: FileEdit[];
  notes: string[];
  skipped: string[];
}

export interface FixPlan {
  /** The report the fixers ran on. */
  before: Report;
  runs: FixRun[];
  /** The edits applied to the tree (in memory): changed files and refused edits. */
  applied: ApplyResult;
  /** Failing or warning checks in `only` (or all) that have no fixer. */
  unfixable: string[];
}

export interface PlanOptions {
  source: SnapshotSource;
  checks: readonly AnyCheckDefinition[];
  config?: Config;
  /** Check ids to fix; all fixable checks when absent. */
  only?: readonly string[];
  services?: FixServices;
}

const needsFix = (report: CheckReport) =>
  (report.outcome === 'fail' || report.outcome === 'warn') && report.findings.some((finding) => !finding.suppressed);

/**
 * Evaluates the repository, runs the fixer of every failing or warning check (in catalog order, per project), and
 * applies their edits in memory. Nothing is written: the CLI writes the files, the App commits them.
 */
export async function planFixes(options: PlanOptions): Promise<FixPlan> {
  const only = options.only ? new Set(options.only) : undefined;
  const pending: Array<{ check: AnyCheckDefinition; context: CheckContext<unknown>; report: CheckReport }> = [];
  const unfixable = new Set<string>();
  let repository: RepoSnapshot | undefined;
  const before = await evaluateRepository({
    source: options.source,
    checks: options.checks,
    ...(options.config ? { config: options.config } : {}),
    onCheckEvaluated(check, context, report) {
      repository ??= context.repository;
      if (only && !only.has(check.id)) return;
      if (!needsFix(report)) return;
      if (check.fix) pending.push({ check, context, report });
      else unfixable.add(check.id);
    },
  });
  const services: FixServices = {
    ...(before.target.repository ? { repository: before.target.repository } : {}),
    ...options.services,
  };
  const runs: FixRun[] = [];
  for (const { check, context, report } of pending) {
    const run: FixRun = { checkId: check.id, projectPath: context.projectPath, edits: [], notes: [], skipped: [] };
    try {
      const output = await check.fix!({ ...context, result: report, services });
      run.edits = output.edits;
      run.notes = output.notes ?? [];
      run.skipped = output.skipped ?? [];
    } catch (error) {
      // A fixer's bug skips that fix alone, as a check's bug gives that check an `error`.
      run.skipped = [`the fixer failed: ${(error as Error).message}`];
    }
    runs.push(run);
  }
  const applied = applyEdits(
    runs.flatMap((run) => run.edits),
    (path) => readBefore(repository, path),
  );
  return { before, runs, applied, unfixable: [...unfixable] };
}

/** What an edit may start from: the text as read, whole; a file read only in part or not as text is refused. */
function readBefore(repository: RepoSnapshot | undefined, path: string): FileBefore {
  const entry = repository?.entry(path);
  if (!entry) return { text: undefined };
  if (entry.kind !== 'file') return { text: undefined, refuse: `is a ${entry.kind}` };
  const file = repository!.fileIfRead(path);
  if (!file) return { text: undefined, refuse: 'was not read' };
  if (file.text === null) return { text: undefined, refuse: file.binary ? 'is binary' : 'could not be read' };
  if (file.truncated) return { text: undefined, refuse: 'is too large to edit safely' };
  return { text: file.longLines?.fullText ?? file.text };
}

/** The report on the tree as the plan would leave it. */
export async function evaluateFixed(options: PlanOptions, plan: FixPlan): Promise<Report> {
  const changed = new Map(plan.applied.files.map((file) => [file.path, file.after]));
  return evaluateRepository({
    source: new OverlaySource(options.source, changed),
    checks: options.checks,
    ...(options.config ? { config: options.config } : {}),
  });
}
