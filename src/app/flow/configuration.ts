import { CONFIG_PATH } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { ConfigError } from '../../engine/errors.js';
import { loadAppConfig, type ConfigCapableOctokit, type ConfigFileCache } from '../config.js';
import { configBlobOf, type Trees } from './trees.js';
import type { FlowDeps, Target } from './types.js';

// Step 4: the rules the evaluation is judged by.

export interface Rules {
  /** The default branch's config: the rules the head and the base are evaluated and gated with. */
  config: Config;
  note?: string;
  /** The PR's own config, when it changes `.github/shipready.yml`: validated, and previewed (never applied). */
  pull?: { config: Config; path: string };
}

/**
 * The rules come from the default branch, as Probot's `context.config` reads them: a PR cannot change the rules it
 * is judged by. A PR that changes the config file has its version validated too (an error fails the run, as for
 * the default branch's) and previewed. Only when the default branch's own file is invalid and the PR's is valid
 * does the PR's version judge it — else a PR that repairs the file could never pass.
 */
export async function loadConfiguration(input: {
  octokit: ConfigCapableOctokit;
  target: Target;
  trees: Trees;
  checks: FlowDeps['checks'];
  orgConfigs?: ConfigFileCache;
  /**
   * The default branch's own file, kept for the PR evaluations judged by it: no contents request per push to a PR.
   * `fresh` (a settings event, a re-run) and an evaluation of the default branch itself read it again.
   */
  ownConfigs?: ConfigFileCache;
  fresh?: boolean;
}): Promise<Rules> {
  const { octokit, target, trees, checks, orgConfigs, ownConfigs } = input;
  const headBlob = configBlobOf(trees.head);
  const changedByPull = target.pull !== undefined && trees.base !== undefined && headBlob !== trees.base.configBlob;
  // The default branch's own evaluation: its head's tree is the default branch's, so a file it lacks is missing
  // (without a contents request that would answer 404).
  const evaluatesDefaultHead = !target.pull && target.isDefaultBranch && target.ref === target.defaultBranch;
  // A change to the org's `.github` repository: the org fallback cached for its owner is stale.
  if (evaluatesDefaultHead && target.repo === '.github') orgConfigs?.forget(target.owner);
  // The default branch evaluated (a push: its file may have changed), or an evaluation asked to read afresh.
  if (input.fresh || (!target.pull && target.isDefaultBranch)) ownConfigs?.forget(`${target.owner}/${target.repo}`);
  const load = (ref?: string) =>
    loadAppConfig({
      octokit,
      owner: target.owner,
      repo: target.repo,
      checks,
      ...(ref ? { ref } : {}),
      ...(!ref && evaluatesDefaultHead && headBlob === undefined ? { ownMissing: true } : {}),
      ...(orgConfigs ? { orgConfigs } : {}),
      ...(ownConfigs ? { ownConfigs } : {}),
    });
  // The PR's version first: its errors are what the author must fix, whatever the default branch has.
  const pull = changedByPull ? await load(target.headSha) : undefined;
  try {
    const rules = await load();
    return { ...rules, ...(pull ? { pull: { config: pull.config, path: CONFIG_PATH } } : {}) };
  } catch (error) {
    if (!pull || !(error instanceof ConfigError)) throw error;
    return {
      config: pull.config,
      note: `The default branch's \`${CONFIG_PATH}\` is invalid (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}), so this pull request, which changes it to a valid version, is evaluated with its own version.`,
    };
  }
}
