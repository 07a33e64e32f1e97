import type { Config } from '../../config/schema.js';
import type { CheckRunHandle } from '../../github/check-runs.js';
import { reconcileIssues, type DesiredIssue, type ReconcileResult, type ResolvedIssue } from '../../github/issues.js';
import type { OctokitLike, WriteGuard } from '../../github/octokit.js';
import { serverOf } from '../../report/check-run.js';
import type { IssuePreview } from '../../report/issue-preview.js';
import { planIssues } from '../../report/issue-body.js';
import type { Report } from '../../report/types.js';
import { linksFor } from './check-run.js';
import type { FlowDeps, Target } from './types.js';

// Step 8: the remediation issues of the default branch, filed or previewed.

export async function reconcileRemediationIssues(input: {
  octokit: OctokitLike;
  target: Target;
  head: Report;
  config: Config;
  /** The run that files them (its page is linked; its App is the issues' author). */
  run: Pick<CheckRunHandle, 'htmlUrl' | 'appSlug'>;
  guard: WriteGuard;
  deps: FlowDeps;
}): Promise<IssuePreview | undefined> {
  const { octokit, target, head, config, run, guard, deps } = input;
  const settings = config.issues;
  if (!target.isDefaultBranch || settings.mode === 'off') return undefined;
  const context = {
    repository: `${target.owner}/${target.repo}`,
    sha: target.headSha,
    serverUrl: deps.serverUrl,
    docsBaseUrl: deps.docsBaseUrl,
    // Issue bodies link the run that filed them.
    ...(run.htmlUrl ? { checkRunUrl: run.htmlUrl } : {}),
  };
  const short = target.headSha.slice(0, 7);
  // One policy for both modes (src/report/issue-body.ts): failures in monorepo projects count, a check that passes,
  // warns or no longer applies has its issue closed, and one whose state is unknown (error, not-supported) is left.
  const plan = planIssues(head, context, { mode: settings.mode, minSeverity: settings.minSeverity });
  const desired: DesiredIssue[] = plan.desired.map(({ key, title, body, fingerprint }) => ({
    key,
    title,
    body,
    fingerprint,
  }));
  const resolved: ResolvedIssue[] = plan.resolved;
  const create = target.issues === 'file' || (settings.file === 'auto' && target.issues !== 'preview');
  const result = await reconcileIssues({
    octokit,
    owner: target.owner,
    repo: target.repo,
    creator: run.appSlug ? `${run.appSlug}[bot]` : undefined,
    labels: settings.labels,
    desired,
    resolved,
    create,
    max: settings.max,
    reopenComment: () => `This fails again as of ${short}; reopened by shipready.`,
    guard,
  });
  return toPreview(result, {
    mode: settings.mode,
    filing: create,
    max: settings.max,
    issueUrl: (number) => `${serverOf(linksFor({ target, deps }))}/${target.owner}/${target.repo}/issues/${number}`,
  });
}

/**
 * What the Check Run says about issues, from what reconciling did: the one place that maps ReconcileResult to the
 * preview. Filing (auto, or the button): what was done, with numbers and links; what the cap (`issues.max`) left is
 * listed apart as deferred, never as filed. Preview: the issues that wait for the button, as many as one click would
 * open (the cap again), the rest deferred; when none wait, what maintenance did (updates, closes, reopens) is shown
 * as done.
 */
export function toPreview(
  result: ReconcileResult,
  options: { mode: 'per-check' | 'dashboard'; filing: boolean; max: number; issueUrl?: (number: number) => string },
): IssuePreview {
  const item = (entry: ReconcileResult['items'][number]) => ({
    checkId: entry.key,
    title: entry.title,
    action: entry.action,
    ...(entry.number !== undefined ? { number: entry.number } : {}),
    ...(entry.number !== undefined && options.issueUrl ? { url: options.issueUrl(entry.number) } : {}),
  });
  const done = result.items.filter((entry) => entry.done).map(item);
  const pending = result.items.filter((entry) => !entry.done).map(item);
  const filed = options.filing || pending.length === 0;
  const items = filed ? done : pending.slice(0, options.max);
  const deferredItems = filed ? pending : pending.slice(options.max);
  return {
    mode: options.mode,
    items,
    filed,
    max: options.max,
    ...(deferredItems.length ? { deferred: deferredItems.length, deferredItems } : {}),
  };
}
