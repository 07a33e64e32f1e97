import type { Comparison, GateDecision } from '../../engine/compare.js';
import { CHECK_RUN_NAME, ensureCheckRun, type CheckRunHandle } from '../../github/check-runs.js';
import type { OctokitLike, WriteGuard } from '../../github/octokit.js';
import { renderCheckRun, type AnnotationLevel, type LinkContext } from '../../report/check-run.js';
import type { ConfigChangePreview } from '../../report/config-changes.js';
import type { IssuePreview } from '../../report/issue-preview.js';
import { codeSpan } from '../../report/escape.js';
import type { Report } from '../../report/types.js';
import { baseExternalId, type FlowDeps, type Target } from './types.js';

// Steps 2 and 9: the Check Run, created in progress, then completed with the report.

export async function startCheckRun({
  octokit,
  target,
  guard,
  now,
  resume,
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
}): Promise<CheckRunHandle> {
  // The run a button was pressed on is completed once, at the end: one run per commit, not a second one. It is not
  // set back to in progress (GitHub may not allow a completed run to restart).
  if (target.checkRun) {
    const { id, htmlUrl, appSlug } = target.checkRun;
    return { id, ...(htmlUrl ? { htmlUrl } : {}), ...(appSlug ? { appSlug } : {}), requests: 0 };
  }
  const leftInProgress = resume ? await findRunInProgress(octokit, target) : undefined;
  return ensureCheckRun({
    octokit,
    owner: target.owner,
    repo: target.repo,
    headSha: target.headSha,
    ...(leftInProgress !== undefined ? { id: leftInProgress } : {}),
    status: 'in_progress',
    ...(target.isDefaultBranch && target.base ? { externalId: baseExternalId(target.base.sha) } : {}),
    output: {
      title: 'Evaluating…',
      // The branch name is repository text: a code span fenced to fit whatever it holds.
      summary: `shipready is evaluating \`${target.headSha.slice(0, 7)}\`${target.pull ? ` of #${target.pull.number}` : ` on ${codeSpan(target.ref)}`}.`,
    },
    guard,
    now,
  });
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
  octokit: OctokitLike;
  target: Target;
  run: CheckRunHandle;
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
  deps: FlowDeps;
}): Promise<GateDecision['conclusion']> {
  const { octokit, target, run, head, comparison, gate, note, issues, configChanges, links, guard, deps } = input;
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
  await ensureCheckRun({
    octokit,
    owner: target.owner,
    repo: target.repo,
    headSha: target.headSha,
    id: run.id,
    status: 'completed',
    conclusion: gate.conclusion,
    // A run completed before (its button was pressed) already has its annotations: GitHub appends those of every
    // update, so they are not sent twice; its buttons are replaced, so an empty list removes "File issues".
    output: {
      title: output.title,
      summary: output.summary,
      text: output.text,
      ...(target.checkRun ? {} : { annotations: output.annotations }),
    },
    ...(target.checkRun || output.actions.length ? { actions: output.actions } : {}),
    guard,
    now: deps.now,
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
