import { quoteValue } from '../config/describe.js';
import { CONFIG_PATH, parseConfigDocument, validateConfig, type ConfigPlace } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../engine/errors.js';
import type { AnyCheckDefinition } from '../engine/types.js';
import type { OctokitLike } from '../github/octokit.js';
import { MAX_CONFIG_BYTES } from '../parsers/structured.js';
import { codeSpan } from '../report/escape.js';
import { readConfigFile, readConfigFilesAtHead, type FileRef, type ReadResult } from '../github/config-file.js';
import { LRUCache } from 'lru-cache';

/** Five minutes: SHIPREADY_ORG_CONFIG_CACHE_TTL_MS and SHIPREADY_REPO_CONFIG_CACHE_TTL_MS. */
export const DEFAULT_ORG_CONFIG_TTL_MS = 5 * 60_000;
/** Owners whose org `.github` config is kept: SHIPREADY_ORG_CONFIG_CACHE_ENTRIES. */
export const DEFAULT_ORG_CONFIG_ENTRIES = 1000;
/** Repositories whose default branch's config is kept for their PR evaluations: SHIPREADY_REPO_CONFIG_CACHE_ENTRIES. */
export const DEFAULT_REPO_CONFIG_ENTRIES = 1000;

/**
 * One config file's read (its text, or that it is missing) per key, for a few minutes. Two uses: the org `.github`
 * repository's file per owner (every repository of an org without its own file falls back to it, and a burst of
 * deliveries need not read it each time; an evaluation of the `.github` repository's default branch forgets it),
 * and a repository's own file on its default branch, per `owner/repo`, for the PR evaluations judged by it (forgotten
 * by an evaluation of the default branch, a settings event and a re-run, which read it fresh). Keys are
 * case-insensitive, as GitHub's names are. A failed read is not kept; concurrent reads share the one in flight.
 */
export class ConfigFileCache {
  readonly #entries: LRUCache<string, { value: Promise<ReadResult>; settled?: ReadResult }>;

  constructor(options: { ttlMs?: number; maxEntries?: number } = {}) {
    this.#entries = new LRUCache({
      max: Math.max(1, options.maxEntries ?? DEFAULT_ORG_CONFIG_ENTRIES),
      ttl: Math.max(1, options.ttlMs ?? DEFAULT_ORG_CONFIG_TTL_MS),
    });
  }

  read(name: string, load: () => Promise<ReadResult>): Promise<ReadResult> {
    // Owner logins and repository names are case-insensitive on GitHub.
    const key = name.toLowerCase();
    const known = this.#entries.get(key);
    if (known) return known.value;
    const entry: { value: Promise<ReadResult>; settled?: ReadResult } = { value: load() };
    this.#entries.set(key, entry);
    entry.value.then(
      (result) => {
        entry.settled = result;
      },
      () => {
        if (this.#entries.peek(key) === entry) this.#entries.delete(key);
      },
    );
    return entry.value;
  }

  forget(name: string): void {
    this.#entries.delete(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.#entries.has(name.toLowerCase());
  }

  /**
   * True when the read kept for `name` found no repository at all (the org has no `.github` repository, or the App
   * cannot see it): the org's community-health fallbacks need no request of their own then.
   */
  knowsNoRepository(name: string): boolean {
    const settled = this.#entries.get(name.toLowerCase())?.settled;
    return settled?.kind === 'missing' && settled.noRepository === true;
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The org `.github` fallback's cache, keyed by owner. */
export const OrgConfigCache = ConfigFileCache;
export type OrgConfigCache = ConfigFileCache;

/**
 * Any Octokit: the config is read with plain contents requests (not Probot's config plugin, which reads every file
 * it `_extends` whole and parses it unbounded on the event loop), so the budgets below apply to every file.
 */
export type ConfigCapableOctokit = OctokitLike;

/** `_extends` hops followed at most: org defaults are one or two files; 150 files chained is an attack. */
export const MAX_EXTENDS_DEPTH = 10;

export interface LoadedConfig {
  config: Config;
  /** Where it came from, for the Check Run ("org defaults from acme/.github", "the PR's version"). */
  note?: string;
}

const NAME_CHARS = new Set('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.');

/** `repo`, `owner/repo` or `owner/repo:path.yml` (Probot's `_extends` forms), or undefined when it is none of them. */
function parseExtends(value: string, owner: string): FileRef | undefined {
  const colon = value.indexOf(':');
  const target = colon === -1 ? value : value.slice(0, colon);
  const path = colon === -1 ? CONFIG_PATH : value.slice(colon + 1);
  const parts = target.split('/');
  if (parts.length > 2 || parts.some((part) => !part || part.length > 100 || [...part].some((c) => !NAME_CHARS.has(c))))
    return undefined;
  if (
    colon !== -1 &&
    (!(path.toLowerCase().endsWith('.yml') || path.toLowerCase().endsWith('.yaml')) ||
      path.split('/').some((segment) => segment === '..' || !segment))
  )
    return undefined;
  return parts.length === 2 ? { owner: parts[0], repo: parts[1], path } : { owner, repo: parts[0], path };
}

interface LoadedFile {
  file: FileRef;
  name: string;
  own: boolean;
  value: Record<string, unknown>;
  lineOf: (key: string) => number | undefined;
}

/**
 * Reads `.github/shipready.yml` the way Probot's `context.config` does — the repository's file (default branch
 * unless `ref`), else the org's `.github` repository's, then each file `_extends` names, later files giving way to
 * earlier ones — but within budgets: every file at most MAX_CONFIG_BYTES (the rest is never downloaded), parsed
 * within the nesting and alias budgets, at most MAX_EXTENDS_DEPTH hops, no loops. Every file is validated with
 * its own lines; a problem in a file reached through `_extends` is also pinned to the repository's `_extends`
 * line. A missing `_extends` target is an error too: silently using other rules than the org meant is worse.
 */
export async function loadAppConfig(input: {
  octokit: ConfigCapableOctokit;
  owner: string;
  repo: string;
  checks: readonly AnyCheckDefinition[];
  /** A commit to read the repository's file from (a PR that changes the config); default branch otherwise. */
  ref?: string;
  /**
   * The repository's own file is known to be missing (the default branch's tree listing has no such path, for an
   * evaluation of that branch's head): no contents request for it.
   */
  ownMissing?: boolean;
  /** The org `.github` fallback, cached per owner. */
  orgConfigs?: ConfigFileCache;
  /** The repository's own file on its default branch (no `ref`), cached per `owner/repo`. */
  ownConfigs?: ConfigFileCache;
}): Promise<LoadedConfig> {
  const { octokit, owner, repo, checks, ref } = input;
  const chain: LoadedFile[] = [];
  const nameOf = (file: FileRef, own: boolean) =>
    own ? (ref ? `${CONFIG_PATH} (at ${ref.slice(0, 7)})` : CONFIG_PATH) : `${file.owner}/${file.repo}:${file.path}`;
  // Lines of the repository's own file can be annotated; a file elsewhere is pinned to the own `_extends` line.
  const placeFor = (own: boolean): ConfigPlace => {
    if (own) return { path: CONFIG_PATH };
    const root = chain[0];
    return root?.own ? { via: { path: CONFIG_PATH, ...lineOption(root.lineOf('_extends')) } } : {};
  };
  const load = (file: FileRef, own: boolean, text: string): LoadedFile => {
    const name = nameOf(file, own);
    const parsed = parseConfigDocument(text, { file: name, place: placeFor(own) });
    return { file, name, own, value: (parsed.value ?? {}) as Record<string, unknown>, lineOf: parsed.lineOf };
  };

  const ownFile: FileRef = { owner, repo, path: CONFIG_PATH, ...(ref ? { ref } : {}) };
  const orgFile: FileRef = { owner, repo: '.github', path: CONFIG_PATH };
  const ownKey = `${owner}/${repo}`;
  let readOwn = () => readConfigFile(octokit, ownFile);
  let readOrg = () => readConfigFile(octokit, orgFile);
  // Neither the repository's file nor the org's known: both in one query (the org's is used only if the repository
  // has none, and is kept for the owner's other repositories).
  const ownUnknown = !input.ownMissing && !(input.ownConfigs && !ref && input.ownConfigs.has(ownKey));
  const orgUnknown = repo !== '.github' && !input.orgConfigs?.has(owner);
  if (!ref && ownUnknown && orgUnknown) {
    const both = readConfigFilesAtHead(octokit, [ownFile, orgFile]);
    readOwn = () => both.then(([result]) => result!);
    readOrg = () => both.then(([, result]) => result!);
    void input.orgConfigs?.read(owner, readOrg).catch(() => undefined);
  }
  let start: ReadResult = input.ownMissing
    ? { kind: 'missing' }
    : await (input.ownConfigs && !ref ? input.ownConfigs.read(ownKey, readOwn) : readOwn());
  let startFile = ownFile;
  let own = true;
  if (start.kind === 'missing' && repo !== '.github') {
    startFile = orgFile;
    own = false;
    start = await (input.orgConfigs ? input.orgConfigs.read(owner, readOrg) : readOrg());
  }
  if (start.kind === 'missing') return { config: validateConfig({}, { checks }) };
  if (start.kind !== 'text')
    throw new ConfigError(nameOf(startFile, own), [{ key: '', message: unreadableMessage(start.kind) }], placeFor(own));
  chain.push(load(startFile, own, start.text));

  for (;;) {
    const from = chain[chain.length - 1];
    const extendsValue = from.value._extends;
    if (extendsValue === undefined) break;
    const problem = (message: string) =>
      new ConfigError(
        from.name,
        [{ key: '_extends', ...lineOption(from.lineOf('_extends')), message }],
        placeFor(from.own),
      );
    const target = typeof extendsValue === 'string' ? parseExtends(extendsValue, owner) : undefined;
    if (!target)
      throw problem(
        `${quoteValue(extendsValue)} is not a config to extend: use ${codeSpan('repo')}, ${codeSpan('owner/repo')} or ${codeSpan('owner/repo:path.yml')}`,
      );
    const targetName = nameOf(target, false);
    const seen = chain.find(
      (loaded) =>
        loaded.file.owner === target.owner && loaded.file.repo === target.repo && loaded.file.path === target.path,
    );
    if (seen) throw problem(`${codeSpan(targetName)} was already read: the ${codeSpan('_extends')} chain loops`);
    if (chain.length > MAX_EXTENDS_DEPTH)
      throw problem(
        `${codeSpan('_extends')} goes more than ${MAX_EXTENDS_DEPTH} files deep (${chain.map((loaded) => codeSpan(loaded.name)).join(' → ')} → …): shipready stops there`,
      );
    const read = await readConfigFile(octokit, target);
    if (read.kind === 'missing')
      throw problem(
        `${codeSpan(targetName)} does not exist, or the App is not installed on ${codeSpan(`${target.owner}/${target.repo}`)}`,
      );
    if (read.kind !== 'text') throw problem(`${codeSpan(targetName)} ${unreadableMessage(read.kind)}`);
    chain.push(load(target, false, read.text));
  }

  // Each file is judged on its own lines; the merge of valid files is valid.
  for (const loaded of chain)
    validateConfig(loaded.value, { file: loaded.name, checks, lineOf: loaded.lineOf, place: placeFor(loaded.own) });
  const merged = chain
    .map((loaded) => loaded.value)
    .reverse()
    .reduce<object>((result, config) => deepMerge(result, config), {}) as Record<string, unknown>;
  delete merged._extends;
  const config = validateConfig(merged, { file: nameOf(ownFile, true), checks });

  const inherited = chain.filter((loaded) => !loaded.own);
  const notes: string[] = [];
  if (ref)
    notes.push(
      `This pull request changes \`${CONFIG_PATH}\`: it was evaluated with the pull request's version of the file.`,
    );
  if (inherited.length)
    notes.push(
      `Org defaults from ${[...new Set(inherited.map((loaded) => `\`${loaded.file.owner}/${loaded.file.repo}\``))].join(', ')} apply.`,
    );
  return { config, ...(notes.length ? { note: notes.join(' ') } : {}) };
}

function lineOption(line: number | undefined): { line?: number } {
  return line ? { line } : {};
}

function unreadableMessage(kind: 'too-large' | 'directory'): string {
  return kind === 'too-large'
    ? `is larger than the ${MAX_CONFIG_BYTES.toLocaleString('en-US')}-byte limit for a config file: not read`
    : 'is a directory or a submodule, not a file';
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

/** The raw text of the repository's config file (within MAX_CONFIG_BYTES), or undefined when it has none. */
export async function fetchConfigText(input: {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  ref?: string;
}): Promise<string | undefined> {
  const read = await readConfigFile(input.octokit, {
    owner: input.owner,
    repo: input.repo,
    path: CONFIG_PATH,
    ...(input.ref ? { ref: input.ref } : {}),
  });
  if (read.kind === 'missing') return undefined;
  if (read.kind !== 'text')
    throw new ConfigError(CONFIG_PATH, [{ key: '', message: unreadableMessage(read.kind) }], { path: CONFIG_PATH });
  return read.text;
}
