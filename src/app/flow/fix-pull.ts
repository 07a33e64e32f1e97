import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import type { AnyCheckDefinition } from '../../engine/types.js';
import { evaluateFixed, planFixes } from '../../fix/plan.js';
import { createActionRefResolver } from '../../github/action-refs.js';
import { ensureFixPull, findFixPull, type FixPullResult } from '../../github/fix-pull.js';
import { SupersededError, type OctokitLike, type WriteGuard } from '../../github/octokit.js';
import { codeSpan, escapeMessage } from '../../report/escape.js';
import type { IssuePreview } from '../../report/issue-preview.js';
import type { CheckReport, Report } from '../../report/types.js';
import type { SnapshotSource } from '../../snapshot/types.js';
import type { Target } from './types.js';

/** The CLI command that makes the same fixes in a checkout: what the App says when it cannot push them itself. */
export const FIX_COMMAND = 'npx shipready fix --yes';

/**
 * Planning the fixes evaluates the tree twice more on the App's own thread (the fixers need the checks' contexts,
 * which stay in-process); above this many files that would hold up other deliveries, so the CLI is offered instead.
 */
export const FIX_PULL_MAX_FILES = 20_000;

export interface FixPullStep {
  /** Offer the "Open fix PR" button: something failing has a fixer. */
  offer: boolean;
  /** For the Check Run: what happened to the fix pull request, or why it could not be opened. */
  note?: string;
  result?: FixPullResult;
}

const needsFix = (report: CheckReport) =>
  (report.outcome === 'fail' || report.outcome === 'warn') && report.findings.some((finding) => !finding.suppressed);

/**
 * Step 8b, default branch only: the fix pull request. Opened when its button was pressed; kept up to date on every
 * later evaluation while it is open (its files re-made on the new head), and closed once nothing is left to fix.
 * Writing it needs `contents: write`, which app.yml does not ask for by default: without it the note names the
 * permission and gives the CLI command. Any other failure is a note too — the evaluation's verdict never depends
 * on it.
 */
export async function maintainFixPull(input: {
  octokit: OctokitLike;
  target: Target;
  head: Report;
  source: SnapshotSource;
  config: Config;
  checks: readonly AnyCheckDefinition[];
  issues?: IssuePreview;
  guard: WriteGuard;
  log: Logger;
  maxFiles?: number;
}): Promise<FixPullStep> {
  const { octokit, target, head, log } = input;
  if (!target.isDefaultBranch) return { offer: false };
  const fixable = new Set(input.checks.filter((check) => check.fix).map((check) => check.id));
  // A catalog without fixers (an App built with other checks) never has a fix pull request: not even a lookup.
  if (!fixable.size) return { offer: false };
  const reports = [...head.checks, ...(head.projects ?? []).flatMap((project) => project.checks)];
  const offer = reports.some((report) => fixable.has(report.id) && needsFix(report));
  const requested = target.fixPull === 'open';
  try {
    if (!requested && !(await findFixPull(octokit, target.owner, target.repo))) return { offer };
    const listing = await input.source.listTree();
    const files = listing.entries.length;
    if (files > (input.maxFiles ?? FIX_PULL_MAX_FILES))
      return {
        offer,
        note: `The repository has ${files.toLocaleString('en-US')} files, too many to prepare the fix pull request inside the App; run ${codeSpan(FIX_COMMAND)} in a checkout instead.`,
      };
    const planOptions = {
      source: input.source,
      checks: input.checks,
      config: input.config,
      services: {
        repository: `${target.owner}/${target.repo}`,
        resolveActionRef: createActionRefResolver(octokit),
      },
    };
    const plan = await planFixes(planOptions);
    const after = plan.applied.files.length ? await evaluateFixed(planOptions, plan) : head;
    const modes = new Map(listing.entries.map((entry) => [entry.path, entry.mode]));
    const fixed = fixedChecks(plan.before, after);
    const result = await ensureFixPull({
      octokit,
      owner: target.owner,
      repo: target.repo,
      defaultBranch: target.defaultBranch,
      baseSha: target.headSha,
      files: plan.applied.files.map((file) => ({
        path: file.path,
        text: file.after,
        ...(modes.get(file.path) === '100755' ? { mode: '100755' } : {}),
      })),
      title: 'shipready: fix production-readiness checks',
      body: renderFixPullBody({ target, before: plan.before, after, fixed, plan, issues: input.issues }),
      commitMessage: `Fix ${fixed.length ? fixed.join(', ') : 'production-readiness checks'} (shipready fix)`,
      create: requested,
      guard: input.guard,
    });
    return { offer: offer || result.action !== 'none', note: noteFor(result, requested), result };
  } catch (error) {
    if (error instanceof SupersededError) throw error;
    const status = (error as { status?: number }).status;
    if (status === 403 || status === 404) {
      log.info({ status }, 'fix pull request: the installation cannot write contents');
      return { offer, note: missingPermissionNote() };
    }
    log.warn({ err: error }, 'fix pull request could not be updated');
    return {
      offer,
      note: `The fix pull request could not be updated (${(error as Error).message}); run ${codeSpan(FIX_COMMAND)} in a checkout instead.`,
    };
  }
}

/** Check Run notes are plain text with code spans (the renderer escapes everything else). */
export function missingPermissionNote(): string {
  return `Open fix PR needs the ${codeSpan('contents: write')} permission, which this installation of shipready does not have (it asks for read access only by default). An owner can grant it in the App's settings (Permissions & events → Repository permissions → Contents: Read and write) and accept it on the installation — or run ${codeSpan(FIX_COMMAND)} in a checkout and open the pull request from there.`;
}

function noteFor(result: FixPullResult, requested: boolean): string | undefined {
  const pull = result.number ? `#${result.number}${result.url ? ` (${result.url})` : ''}` : '';
  switch (result.action) {
    case 'created':
      return `Opened the fix pull request ${pull}.`;
    case 'updated':
      return `Updated the fix pull request ${pull} for this commit.`;
    case 'unchanged':
      return requested ? `The fix pull request ${pull} is up to date.` : undefined;
    case 'closed':
      return `Closed the fix pull request ${pull}: nothing is left that shipready can fix.`;
    default:
      return requested
        ? 'Nothing here that shipready can fix automatically: no fix pull request was opened.'
        : undefined;
  }
}

/** Checks that need a fix before and pass after (repository or any project), by id. */
function fixedChecks(before: Report, after: Report): string[] {
  const outcomes = (report: Report) => {
    const map = new Map<string, boolean>();
    for (const check of [...report.checks, ...(report.projects ?? []).flatMap((project) => project.checks)])
      map.set(check.id, (map.get(check.id) ?? false) || needsFix(check));
    return map;
  };
  const was = outcomes(before);
  const now = outcomes(after);
  return [...was].filter(([id, failing]) => failing && now.get(id) === false).map(([id]) => id);
}

/** The fix pull request's body: what it fixes, the score it reaches, what to check, and the issues it resolves. */
export function renderFixPullBody(input: {
  target: Pick<Target, 'headSha'>;
  before: Report;
  after: Report;
  fixed: readonly string[];
  plan: { runs: ReadonlyArray<{ checkId: string; notes: string[]; skipped: string[] }> };
  issues?: IssuePreview;
}): string {
  const score = (report: Report) => (report.score === null ? 'none' : String(report.score));
  const lines = [
    `shipready made these fixes on ${input.target.headSha.slice(0, 7)}: score ${score(input.before)} → ${score(input.after)} once merged.`,
    '',
  ];
  if (input.fixed.length) {
    lines.push('### Fixed', '');
    for (const id of input.fixed) lines.push(`- ${codeSpan(id)}`);
    lines.push('');
  }
  const notes = input.plan.runs.flatMap((run) =>
    run.notes.map((note) => `- ${codeSpan(run.checkId)}: ${escapeMessage(note)}`),
  );
  if (notes.length) lines.push('### Please check', '', ...notes, '');
  const skipped = input.plan.runs.flatMap((run) =>
    run.skipped.map((reason) => `- ${codeSpan(run.checkId)}: ${escapeMessage(reason)}`),
  );
  if (skipped.length) lines.push('### Left alone', '', ...skipped, '');
  const resolves = (input.issues?.items ?? []).filter(
    (item) => item.number !== undefined && item.action !== 'close' && input.fixed.includes(item.checkId),
  );
  if (resolves.length) {
    lines.push('### Issues', '');
    for (const item of resolves) lines.push(`Resolves #${item.number}`);
    lines.push('');
  }
  lines.push(
    '<sub>shipready keeps this pull request up to date on every push to the default branch, and closes it when nothing is left to fix. Push to the branch and the next update replaces your commits: merge or close it instead.</sub>',
  );
  return lines.join('\n');
}
