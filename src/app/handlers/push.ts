import type { Context } from 'probot';
import { installationIdOf, schedule, type AppServices } from './common.js';

/**
 * A push to the default branch: evaluate it against the commit before it and reconcile the remediation issues. Other
 * branches wait for a PR.
 */
export async function onPush(context: Context<'push'>, services: AppServices): Promise<void> {
  const { payload } = context;
  const defaultBranch = payload.repository.default_branch;
  if (payload.ref !== `refs/heads/${defaultBranch}` || payload.deleted || /^0+$/.test(payload.after)) return;
  schedule(context, services, {
    owner: payload.repository.owner?.login ?? payload.repository.full_name.split('/')[0],
    repo: payload.repository.name,
    installationId: installationIdOf(context),
    defaultBranch,
    headSha: payload.after,
    // The branch's previous commit is the comparison (a new branch has none: `before` is all zeros).
    ...(/^0+$/.test(payload.before) ? {} : { before: payload.before }),
    reason: 'push',
  });
}
