import type { Context } from 'probot';
import { installationIdOf, pullTarget, schedule, type AppServices } from './common.js';

export const PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
  'pull_request.edited',
] as const;

/** A PR's head is evaluated and compared with its base. `edited` matters only when the base branch changed. */
export async function onPullRequest(context: Context<'pull_request'>, services: AppServices): Promise<void> {
  const { payload } = context;
  if (payload.action === 'edited' && !('base' in (payload.changes ?? {}))) {
    context.log.debug({ deliveryId: context.id }, 'pull_request.edited without a base change: nothing to evaluate');
    return;
  }
  if (payload.pull_request.state !== 'open') return;
  await schedule(
    context,
    services,
    {
      owner: payload.repository.owner.login,
      repo: payload.repository.name,
      installationId: installationIdOf(context),
      defaultBranch: payload.repository.default_branch,
      pull: pullTarget(payload.pull_request),
      reason: `pull_request.${payload.action}`,
      settings: 'cached',
    },
    {
      order: Date.parse(payload.pull_request.updated_at),
      head: payload.pull_request.head.sha,
      // synchronize says which head this one replaced: a tie in updated_at (one-second resolution) is broken by it.
      ...('before' in payload && typeof payload.before === 'string' ? { parent: payload.before } : {}),
    },
  );
}
