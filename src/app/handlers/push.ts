import type { Context } from 'probot';
import { installationIdOf, schedule, type AppServices, type JobOrdering } from './common.js';

/**
 * A push to the default branch: evaluate it against the commit before it and reconcile the remediation issues. Other
 * branches wait for a PR.
 */
export async function onPush(context: Context<'push'>, services: AppServices): Promise<void> {
  const { payload } = context;
  const defaultBranch = payload.repository.default_branch;
  if (payload.ref !== `refs/heads/${defaultBranch}` || payload.deleted || /^0+$/.test(payload.after)) return;
  await schedule(
    context,
    services,
    {
      owner: payload.repository.owner?.login ?? payload.repository.full_name.split('/')[0],
      repo: payload.repository.name,
      installationId: installationIdOf(context),
      defaultBranch,
      headSha: payload.after,
      // The branch's previous commit is the comparison (a new branch has none: `before` is all zeros).
      ...(/^0+$/.test(payload.before) ? {} : { before: payload.before }),
      reason: 'push',
    },
    pushOrdering(payload),
  );
}

/**
 * Pushes rank by push time (`repository.pushed_at`, seconds), ties by the commit chain (`before` → `after`), never
 * by arrival: a stale push delivered late never overwrites a newer one.
 */
export function pushOrdering(payload: Context<'push'>['payload']): JobOrdering {
  const pushedAt = (payload.repository as { pushed_at?: number | string | null }).pushed_at;
  const order =
    typeof pushedAt === 'number' ? pushedAt * 1000 : typeof pushedAt === 'string' ? Date.parse(pushedAt) : NaN;
  return {
    ...(Number.isFinite(order) ? { order } : {}),
    head: payload.after,
    ...(/^0+$/.test(payload.before) ? {} : { parent: payload.before }),
  };
}
