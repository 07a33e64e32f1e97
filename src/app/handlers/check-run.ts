import type { Context } from 'probot';
import { CHECK_RUN_NAME } from '../../github/check-runs.js';
import { ACTION_OPEN_FIX_PULL } from '../../report/check-run.js';
import { BASE_EXTERNAL_ID } from '../evaluate-flow.js';
import { rerequest } from './check-suite.js';
import { installationIdOf, schedule, type AppServices } from './common.js';

const FILE_ACTIONS = new Set(['file-issues', 'file_issues']);
const PREVIEW_ACTIONS = new Set(['preview-issues', 'preview_issues']);

/** "Re-run" on our Check Run: the same as re-running its suite. */
export async function onCheckRunRerequested(
  context: Context<'check_run.rerequested'>,
  services: AppServices,
): Promise<void> {
  const run = context.payload.check_run;
  if (run.name !== CHECK_RUN_NAME) return;
  await rerequest(context, services, {
    sha: run.head_sha,
    branch: run.check_suite.head_branch ?? null,
    pullNumbers: run.pull_requests.map((pull) => pull.number),
  });
}

/**
 * The Check Run's buttons: "File issues" evaluates the default branch and files the remediation issues;
 * "Preview issues" evaluates it and lists what would be filed; "Open fix PR" opens (or updates) the fix pull request.
 * Issues and fixes always come from the default branch.
 */
export async function onCheckRunRequestedAction(
  context: Context<'check_run.requested_action'>,
  services: AppServices,
): Promise<void> {
  const { check_run: run, requested_action: action, repository } = context.payload;
  const identifier = action?.identifier ?? '';
  const issues = FILE_ACTIONS.has(identifier) ? 'file' : PREVIEW_ACTIONS.has(identifier) ? 'preview' : undefined;
  const fixPull = identifier === ACTION_OPEN_FIX_PULL;
  if (run.name !== CHECK_RUN_NAME || (!issues && !fixPull)) {
    context.log.info({ deliveryId: context.id, identifier }, 'requested action not ours: ignored');
    return;
  }
  const onDefault = run.check_suite.head_branch === repository.default_branch;
  const before = BASE_EXTERNAL_ID.exec(run.external_id ?? '')?.[1];
  await schedule(context, services, {
    owner: repository.owner.login,
    repo: repository.name,
    installationId: installationIdOf(context),
    defaultBranch: repository.default_branch,
    // A button pressed on a run of the default branch evaluates that run's commit and completes that same run (no
    // second "Production readiness" run on the commit); elsewhere it files against the default branch's head.
    ...(onDefault
      ? {
          headSha: run.head_sha,
          // The commit the run was compared with, so filing does not change its comparison (nor its verdict).
          ...(before ? { before } : {}),
          checkRun: { id: run.id, htmlUrl: run.html_url ?? undefined, appSlug: run.app?.slug ?? undefined },
        }
      : {}),
    ...(issues ? { issues } : {}),
    // "Open fix PR": the fix pull request is made from the default branch, like the issues.
    ...(fixPull ? { fixPull: 'open' as const } : {}),
    reason: `check_run.requested_action:${identifier}`,
  });
}
