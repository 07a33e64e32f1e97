import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import type { Comparison } from '../../engine/compare.js';
import type { AnyCheckDefinition, Finding } from '../../engine/types.js';
import { planFixes } from '../../fix/plan.js';
import {
  addedLines,
  OUTDATED_REVIEW_BODY,
  planSuggestions,
  renderSuggestion,
  renderSuggestionReview,
  SUGGESTED_CHECKS,
} from '../../fix/suggestions.js';
import { createActionRefResolver } from '../../github/action-refs.js';
import { listAll, SupersededError, type OctokitLike, type WriteGuard } from '../../github/octokit.js';
import type { PublishedMemory } from '../../github/published-memory.js';
import { ensureSuggestions, type EnsureSuggestionsResult } from '../../github/reviews.js';
import type { SnapshotSource } from '../../snapshot/types.js';

const WORKFLOWS = '.github/workflows/';

/**
 * The PR flow's suggestion step: the findings this pull request adds on its own lines that a fixer can fix (an
 * unpinned `uses:`, a workflow without `permissions`, a job without `timeout-minutes`) become review comments with a
 * ```suggestion, and the ones it no longer needs are removed. Best effort: a failure here is logged and never
 * changes the Check Run (the comment and the run are already published).
 */
export async function suggestFixes(input: {
  octokit: OctokitLike;
  target: {
    owner: string;
    repo: string;
    headSha: string;
    pull?: { number: number; countsAtDelivery?: { reviewComments: number } };
  };
  head: SnapshotSource;
  comparison: Comparison;
  config: Config;
  checks: readonly AnyCheckDefinition[];
  guard: WriteGuard;
  log: Logger;
  memory?: PublishedMemory;
}): Promise<EnsureSuggestionsResult | undefined> {
  const { octokit, target, log } = input;
  if (!target.pull) return undefined;
  try {
    const added = addedFindings(input.comparison);
    // Without an added workflow finding, only suggestions made earlier can need removing: none without workflows.
    if (!added.size && !(await input.head.listTree()).entries.some((entry) => entry.path.startsWith(WORKFLOWS)))
      return undefined;
    const suggestions = added.size ? await suggestionsFor({ ...input, pull: target.pull.number, added }) : [];
    const result = await ensureSuggestions({
      octokit,
      owner: target.owner,
      repo: target.repo,
      number: target.pull.number,
      headSha: target.headSha,
      comments: suggestions.map((suggestion) => ({
        key: suggestion.key,
        path: suggestion.path,
        startLine: suggestion.startLine,
        line: suggestion.line,
        body: renderSuggestion(suggestion),
      })),
      reviewBody: renderSuggestionReview(suggestions.length),
      outdatedBody: OUTDATED_REVIEW_BODY,
      guard: input.guard,
      ...(input.memory ? { memory: input.memory } : {}),
      ...(target.pull.countsAtDelivery?.reviewComments === 0 ? { noneAtDelivery: true } : {}),
    });
    if (result.created || result.updated || result.deleted)
      log.info({ pull: target.pull.number, ...result }, 'fix suggestions updated');
    return result;
  } catch (error) {
    if (error instanceof SupersededError) throw error;
    log.warn({ err: error, pull: target.pull.number }, 'fix suggestions could not be published');
    return undefined;
  }
}

/** What the PR adds to the suggested checks, by check id (repository-level: workflows belong to the root). */
function addedFindings(comparison: Comparison): Map<string, Finding[]> {
  const added = new Map<string, Finding[]>();
  for (const change of [...comparison.regressions, ...comparison.newProblems, ...comparison.findingsAdded]) {
    if (change.project !== '' || !SUGGESTED_CHECKS.includes(change.id)) continue;
    const findings = change.addedFindings.filter((finding) => finding.path?.startsWith(WORKFLOWS));
    if (findings.length) added.set(change.id, [...(added.get(change.id) ?? []), ...findings]);
  }
  return added;
}

async function suggestionsFor(input: {
  octokit: OctokitLike;
  target: { owner: string; repo: string };
  head: SnapshotSource;
  config: Config;
  checks: readonly AnyCheckDefinition[];
  pull: number;
  added: Map<string, Finding[]>;
}) {
  const { octokit, target } = input;
  const paths = new Set([...input.added.values()].flat().map((finding) => finding.path!));
  const files = await listAll<{ filename: string; patch?: string }>(
    octokit,
    'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
    { owner: target.owner, repo: target.repo, pull_number: input.pull },
  );
  const changed = new Map(
    files.filter((file) => paths.has(file.filename)).map((file) => [file.filename, addedLines(file.patch)]),
  );
  if (!changed.size) return [];
  // Only the suggested checks run (a few workflow files read): the config is cut to them, since it is validated
  // against the checks given and may set others.
  const checks = input.checks.filter((check) => input.added.has(check.id));
  const config: Config = {
    ...input.config,
    checks: Object.fromEntries(Object.entries(input.config.checks).filter(([id]) => input.added.has(id))),
  };
  const plan = await planFixes({
    source: input.head,
    checks,
    config,
    only: [...input.added.keys()],
    services: { repository: `${target.owner}/${target.repo}`, resolveActionRef: createActionRefResolver(octokit) },
  });
  const before = new Map(plan.applied.files.map((file) => [file.path, file.before]));
  return planSuggestions({ runs: plan.runs, added: input.added, changed, text: (path) => before.get(path) });
}
