import type { Context } from 'probot';
import { installationIdOf, schedule, type AppServices } from './common.js';

/** A push to the default branch: evaluate it and reconcile the remediation issues. Other branches wait for a PR. */
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
    reason: 'push',
  });
}
