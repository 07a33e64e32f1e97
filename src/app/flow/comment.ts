import type { Config } from '../../config/schema.js';
import type { Comparison, GateDecision } from '../../engine/compare.js';
import type { CheckRunHandle } from '../../github/check-runs.js';
import { ensureComment } from '../../github/comments.js';
import type { OctokitLike, WriteGuard } from '../../github/octokit.js';
import type { PublishedMemory } from '../../github/published-memory.js';
import type { LinkContext } from '../../report/check-run.js';
import type { ConfigChangePreview } from '../../report/config-changes.js';
import { changesReadiness, COMMENT_MARKER, renderPrComment } from '../../report/pr-comment.js';
import type { Report } from '../../report/types.js';
import type { Target } from './types.js';

// Step 10: the sticky PR comment.

export async function publishComment(input: {
  octokit: OctokitLike;
  target: Target;
  head: Report;
  comparison: Comparison;
  gate: GateDecision;
  config: Config;
  configChanges?: ConfigChangePreview;
  /** The Check Run the comment links to. */
  run: Pick<CheckRunHandle, 'htmlUrl'>;
  links: LinkContext;
  guard: WriteGuard;
  memory?: PublishedMemory;
}): Promise<void> {
  const { octokit, target, head, comparison, gate, config, configChanges, run, links, guard } = input;
  if (!target.pull || config.comment.mode === 'never') return;
  const body = renderPrComment({
    report: head,
    comparison,
    gate,
    ...(configChanges ? { configChanges } : {}),
    links: { ...links, ...(run.htmlUrl ? { checkRunUrl: run.htmlUrl } : {}) },
  });
  // `on-change`: create only when the PR changes readiness (or its config would); an existing comment is kept up to
  // date regardless.
  const create = config.comment.mode === 'always' || changesReadiness(comparison, configChanges);
  await ensureComment({
    octokit,
    owner: target.owner,
    repo: target.repo,
    number: target.pull.number,
    marker: COMMENT_MARKER,
    body,
    create,
    guard,
    ...(input.memory ? { memory: input.memory } : {}),
    ...(target.pull.countsAtDelivery?.comments === 0 ? { noneAtDelivery: true } : {}),
  });
}
