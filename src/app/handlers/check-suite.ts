import type { Context } from 'probot';
import { findPullForSha, getPull } from '../../github/pulls.js';
import { installationIdOf, pullTarget, schedule, type AppServices } from './common.js';

/**
 * "Re-run all checks": evaluate the suite's head again — as a PR when one is open for it (looked up when the
 * suite lists none, as for forks), else as the default branch when the suite is on it.
 */
export async function onCheckSuiteRerequested(
  context: Context<'check_suite.rerequested'>,
  services: AppServices,
): Promise<void> {
  const suite = context.payload.check_suite;
  await rerequest(context, services, {
    sha: suite.head_sha,
    branch: suite.head_branch,
    pullNumbers: suite.pull_requests.map((pull) => pull.number),
  });
}

export async function rerequest(
  context: Context<'check_suite.rerequested' | 'check_run.rerequested'>,
  services: AppServices,
  suite: { sha: string; branch: string | null; pullNumbers: number[] },
): Promise<void> {
  const { repository } = context.payload;
  const owner = repository.owner.login;
  const repo = repository.name;
  const base = {
    owner,
    repo,
    installationId: installationIdOf(context),
    defaultBranch: repository.default_branch,
    reason: `${context.name}.rerequested`,
  };
  const octokit = context.octokit;
  const pull = suite.pullNumbers.length
    ? await getPull(octokit, owner, repo, suite.pullNumbers[0])
    : await findPullForSha(octokit, owner, repo, suite.sha);
  if (pull && (pull.state ?? 'open') === 'open') {
    await schedule(context, services, { ...base, pull: pullTarget(pull) });
  } else if (suite.branch === repository.default_branch) {
    await schedule(context, services, { ...base, headSha: suite.sha });
  } else {
    context.log.info(
      { deliveryId: context.id, sha: suite.sha },
      'no open pull request and not the default branch: nothing to evaluate',
    );
  }
}
