import { ConfigError } from '../engine/errors.js';
import type { AnyCheckDefinition } from '../engine/types.js';
import { CONFIG_PATH, findConfigLine, parseConfigText, validateConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { OctokitLike } from '../github/octokit.js';

/** Probot's config plugin (`context.octokit.config`, `@probot/octokit-plugin-config`): `_extends` and org defaults. */
export interface ConfigCapableOctokit extends OctokitLike {
  config: {
    get(options: {
      owner: string;
      repo: string;
      path: string;
      branch?: string;
      defaults?: (configs: object[]) => object;
    }): Promise<{
      config: Record<string, unknown>;
      files: Array<{ owner: string; repo: string; path: string; url: string; config: Record<string, unknown> | null }>;
    }>;
  };
}

export interface LoadedConfig {
  config: Config;
  /** Where it came from, for the Check Run ("org defaults from acme/.github", "the PR's version"). */
  note?: string;
}

/**
 * Reads `.github/shipready.yml` the way Probot's `context.config` does (default branch unless `ref`; org defaults
 * from the `.github` repository and `_extends`), then validates it. A broken file becomes a ConfigError naming
 * key, line and expectation: the raw text is fetched only then, to find the lines.
 */
export async function loadAppConfig(input: {
  octokit: ConfigCapableOctokit;
  owner: string;
  repo: string;
  checks: readonly AnyCheckDefinition[];
  /** A commit to read the repository's file from (a PR that changes the config); default branch otherwise. */
  ref?: string;
}): Promise<LoadedConfig> {
  const { octokit, owner, repo, checks, ref } = input;
  const file = ref ? `${CONFIG_PATH} (at ${ref.slice(0, 7)})` : CONFIG_PATH;
  let merged: Record<string, unknown>;
  let sources: Array<{ owner: string; repo: string; config: unknown }>;
  try {
    const result = await octokit.config.get({
      owner,
      repo,
      path: CONFIG_PATH,
      ...(ref ? { branch: ref } : {}),
      defaults: (configs) => configs.reduce<object>((merged, config) => deepMerge(merged, config), {}),
    });
    merged = result.config ?? {};
    sources = result.files;
  } catch (error) {
    if (typeof (error as { status?: unknown }).status === 'number') throw error;
    // The plugin throws on invalid YAML, a non-object document or a bad `_extends`; parse the raw text for a line.
    const text = await fetchConfigText({ octokit, owner, repo, ref });
    if (text !== undefined) parseConfigText(text, { file, checks });
    throw new ConfigError(file, [{ key: '', message: stripPluginPrefix((error as Error).message) }]);
  }
  if (merged === null || typeof merged !== 'object' || Array.isArray(merged)) {
    throw new ConfigError(file, [
      { key: '', line: 1, message: 'expected a mapping of keys (profile, checks, ignore, gate, …)' },
    ]);
  }
  let config: Config;
  try {
    config = validateConfig(merged, { file, checks });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const text = await fetchConfigText({ octokit, owner, repo, ref });
    if (text === undefined) throw error;
    config = validateConfig(merged, { file, checks, lineOf: (key) => findConfigLine(text, key) });
  }
  const used = sources.filter((source) => source.config !== null);
  const inherited = used.filter((source) => source.owner !== owner || source.repo !== repo);
  const notes: string[] = [];
  if (ref)
    notes.push(
      `This pull request changes \`${CONFIG_PATH}\`: it was evaluated with the pull request's version of the file.`,
    );
  if (inherited.length)
    notes.push(
      `Org defaults from ${inherited.map((source) => `\`${source.owner}/${source.repo}\``).join(', ')} apply.`,
    );
  return { config, ...(notes.length ? { note: notes.join(' ') } : {}) };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deep merge of plain objects, later wins; arrays are replaced, not concatenated (a repo's `labels` replace the org's). */
export function deepMerge(base: unknown, override: unknown): object {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override ?? base) as object;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override))
    merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? deepMerge(merged[key], value) : value;
  return merged;
}

function stripPluginPrefix(message: string): string {
  return message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, '');
}

/** The raw text of the repository's config file, or undefined when it has none. */
export async function fetchConfigText(input: {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  ref?: string;
}): Promise<string | undefined> {
  try {
    const response = await input.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: input.owner,
      repo: input.repo,
      path: CONFIG_PATH,
      ...(input.ref ? { ref: input.ref } : {}),
      mediaType: { format: 'raw' },
    });
    return typeof response.data === 'string' ? response.data : undefined;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
