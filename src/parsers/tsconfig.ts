/**
 * tsconfig files: the effective `strict` after the `extends` chain (files in the repository, workspace packages and
 * well-known npm bases) and the configs a solution-style tsconfig references. Reads through the snapshot only.
 */
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { readJsonc, lineOfJsonKey } from './jsonc.js';
import { isRecord, parseJsonText } from './structured.js';

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function joinPath(directory: string, name: string): string {
  return directory ? `${directory}/${name}` : name;
}

/** A fetched JSON document, or undefined (missing, not read, malformed). */
function jsonOf(snapshot: RepoSnapshot, path: string): unknown {
  return snapshot.memo(`json-doc:${path}`, () => {
    const text = snapshot.textIfRead(path);
    if (text === undefined) return undefined;
    const parsed = parseJsonText(text);
    return parsed.ok ? parsed.value : undefined;
  });
}

/** Files a tsconfig may extend inside the repository (turborepo's `packages/typescript-config/base.json` and the like). */
export const TSCONFIG_NEEDS = [
  {
    glob: '**/{*tsconfig*.json,jsconfig.json,deno.json,deno.jsonc,typescript-config/*.json,tsconfig/*.json,tsconfigs/*.json,config-typescript/*.json,ts-config/*.json,typescript/*.json}',
    max: 100,
  },
  // Shared configs kept beside other tool configs (`"extends": "./configs/base"`).
  { glob: '**/{config,configs,.config}/*.json', max: 30 },
];
/**
 * Shared configurations published on npm whose `strict` is known (checked against tsconfig/bases): the
 * repository cannot show them, so without this table every `extends: "@tsconfig/node20"` would be unverifiable.
 */
const KNOWN_PACKAGES: Array<{ pattern: RegExp; strict: boolean }> = [
  { pattern: /^@tsconfig\/svelte(\/|$)/, strict: false },
  {
    pattern:
      /^@tsconfig\/(strictest|recommended|node[\w-]*|bun|deno|next[\w-]*|vite-react|react-native|remix|nuxt|esm)(\/|\.json|$)/,
    strict: true,
  },
  { pattern: /^@sindresorhus\/tsconfig(\/|$)/, strict: true },
  { pattern: /^@total-typescript\/tsconfig(\/|$)/, strict: true },
  { pattern: /^@vue\/tsconfig(\/|$)/, strict: true },
  { pattern: /^astro\/tsconfigs\/(strict|strictest)(\.json)?$/, strict: true },
  { pattern: /^astro\/tsconfigs\/base(\.json)?$/, strict: false },
];

export interface StrictResolution {
  /** Effective `strict` after the `extends` chain; undefined when nothing sets it (TypeScript's default: off). */
  strict: boolean | undefined;
  /** Where the effective value is set (repository path and line), or the package it comes from. */
  setIn?: { path?: string; line?: number; package?: string };
  /** The individual strict-family flags turned on when `strict` is off. */
  flags: string[];
  /** An `extends` that could not be followed (a package not in the repository and not known). */
  unresolved?: string;
  /** A tsconfig in the chain that could not be parsed. */
  error?: { path: string; line?: number; message: string };
}

const STRICT_FLAGS = [
  'noImplicitAny',
  'strictNullChecks',
  'strictFunctionTypes',
  'strictBindCallApply',
  'strictPropertyInitialization',
  'noImplicitThis',
  'alwaysStrict',
  'useUnknownInCatchVariables',
];

/** Normalises `a/./b/../c` into `a/c` (repository-relative, no leading slash). */
export function normalizePath(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (!parts.length) return undefined; // outside the repository
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

function workspacePackageDirectory(snapshot: RepoSnapshot, name: string): string | undefined {
  const byName = snapshot.memo('tsconfig:workspace-packages', () => {
    const map = new Map<string, string>();
    for (const entry of snapshot.entries) {
      if (!/(^|\/)package\.json$/.test(entry.path) || /(^|\/)node_modules\//.test(entry.path)) continue;
      const document = jsonOf(snapshot, entry.path);
      if (isRecord(document) && typeof document.name === 'string' && !map.has(document.name))
        map.set(document.name, directoryOf(entry.path));
    }
    return map;
  });
  return byName.get(name);
}

/** The repository path an `extends` value points to, or a package name that is not in the repository. */
function resolveExtends(snapshot: RepoSnapshot, from: string, target: string): { path?: string; package?: string } {
  const directory = directoryOf(from);
  const candidates: string[] = [];
  if (target.startsWith('.') || target.startsWith('/')) {
    const base = normalizePath(target.startsWith('/') ? target : joinPath(directory, target));
    if (base === undefined) return { package: target };
    candidates.push(base, `${base}.json`, joinPath(base, 'tsconfig.json'));
  } else {
    const parts = target.split('/');
    const nameLength = target.startsWith('@') ? 2 : 1;
    const name = parts.slice(0, nameLength).join('/');
    const subpath = parts.slice(nameLength).join('/');
    const packageDirectory = workspacePackageDirectory(snapshot, name);
    if (packageDirectory === undefined) return { package: target };
    if (subpath) candidates.push(joinPath(packageDirectory, subpath), joinPath(packageDirectory, `${subpath}.json`));
    else {
      const manifest = jsonOf(snapshot, joinPath(packageDirectory, 'package.json'));
      if (isRecord(manifest) && typeof manifest.tsconfig === 'string')
        candidates.push(normalizePath(joinPath(packageDirectory, manifest.tsconfig)) ?? '');
      candidates.push(joinPath(packageDirectory, 'tsconfig.json'));
    }
  }
  const found = candidates.find((candidate) => candidate && snapshot.has(candidate));
  return found ? { path: found } : { package: target };
}

/** Follows `extends` (a string or, since TypeScript 5.0, an array) and returns the effective strictness. */
export function resolveStrict(snapshot: RepoSnapshot, path: string, seen: Set<string> = new Set()): StrictResolution {
  if (seen.has(path) || seen.size > 10) return { strict: undefined, flags: [] };
  seen.add(path);
  const parsed = readJsonc(snapshot, path);
  if (!parsed)
    return {
      strict: undefined,
      flags: [],
      error: {
        path,
        message:
          'not read: the check reads *tsconfig*.json, jsconfig.json and the JSON files of tsconfig/, typescript/, typescript-config/ (100 at most) and config/, configs/, .config/ folders (30 at most); name shared configs tsconfig.<name>.json',
      },
    };
  if (!parsed.ok)
    return {
      strict: undefined,
      flags: [],
      error: { path, ...(parsed.line ? { line: parsed.line } : {}), message: parsed.error },
    };
  const document = parsed.value;
  if (!isRecord(document))
    return { strict: undefined, flags: [], error: { path, message: 'a tsconfig must be a JSON object' } };
  let inherited: StrictResolution = { strict: undefined, flags: [] };
  const targets =
    typeof document.extends === 'string'
      ? [document.extends]
      : Array.isArray(document.extends)
        ? document.extends.filter((item): item is string => typeof item === 'string')
        : [];
  for (const target of targets) {
    const resolved = resolveExtends(snapshot, path, target);
    let parent: StrictResolution;
    if (resolved.path) parent = resolveStrict(snapshot, resolved.path, seen);
    else {
      const known = KNOWN_PACKAGES.find((item) => item.pattern.test(target));
      parent = known
        ? { strict: known.strict, setIn: { package: target }, flags: [] }
        : { strict: undefined, flags: [], unresolved: target };
    }
    // Later entries of an `extends` array override earlier ones.
    inherited = {
      strict: parent.strict ?? inherited.strict,
      setIn: parent.strict !== undefined ? parent.setIn : inherited.setIn,
      flags: [...new Set([...inherited.flags, ...parent.flags])],
      ...((parent.unresolved ?? inherited.unresolved) ? { unresolved: parent.unresolved ?? inherited.unresolved } : {}),
      ...((parent.error ?? inherited.error) ? { error: parent.error ?? inherited.error } : {}),
    };
  }
  const options = isRecord(document.compilerOptions) ? document.compilerOptions : {};
  const text = snapshot.textIfRead(path) ?? '';
  const flags = [
    ...inherited.flags.filter((flag) => options[flag] !== false),
    ...STRICT_FLAGS.filter((flag) => options[flag] === true && !inherited.flags.includes(flag)),
  ];
  if (typeof options.strict === 'boolean') {
    const strictLine = lineOfJsonKey(text, ['compilerOptions', 'strict']);
    // The file's own value wins: what its parents say (or that they could not be read) no longer matters.
    return {
      strict: options.strict,
      setIn: { path, ...(strictLine ? { line: strictLine } : {}) },
      flags,
    };
  }
  return { ...inherited, flags };
}

/** A solution-style tsconfig (`"files": []` with `references`) type-checks nothing itself: its references do. */
export function referencedConfigs(snapshot: RepoSnapshot, path: string): string[] | undefined {
  const parsed = readJsonc(snapshot, path);
  if (!parsed?.ok || !isRecord(parsed.value)) return undefined;
  const { files, include, references } = parsed.value;
  if (!Array.isArray(references) || !references.length) return undefined;
  if (!(Array.isArray(files) && files.length === 0) && !(Array.isArray(include) && include.length === 0))
    return undefined;
  const directory = directoryOf(path);
  const result: string[] = [];
  for (const reference of references) {
    if (!isRecord(reference) || typeof reference.path !== 'string') continue;
    const base = normalizePath(joinPath(directory, reference.path));
    if (base === undefined) continue;
    const found = [base, joinPath(base, 'tsconfig.json')].find(
      (candidate) => /\.json$/.test(candidate) && snapshot.has(candidate),
    );
    if (found) result.push(found);
  }
  return result;
}
