import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { isRecord, readJson, readToml } from '../parsers/structured.js';
import { classifyManifest } from './manifests.js';
import { parseMsbuildPackageReferences, parsePom } from '../parsers/xml.js';

/**
 * Names of every dependency declared by the manifests of a snapshot view (lower-cased; npm names, PyPI names,
 * Go module paths, crate names, gem names, Maven `groupId:artifactId` and bare artifactId, NuGet ids…).
 * Parse failures are skipped here: `package-manifest-present` reports them.
 */
export function listDependencies(snapshot: RepoSnapshot): Set<string> {
  return collectAll(snapshot).all;
}

/**
 * Dependencies a deployed build ships with: without npm devDependencies, Composer require-dev, Cargo dev- and
 * build-dependencies, Poetry dev groups, PEP 735 dependency groups and optional extras, and requirements files named
 * for development (`requirements-dev.txt`, `requirements/test.txt`, `dev-requirements.txt`…). When a Python package
 * declares its dependencies in pyproject.toml or setup.py, its requirements files are development environments too.
 */
export function listRuntimeDependencies(snapshot: RepoSnapshot): Set<string> {
  return collectAll(snapshot).runtime;
}

/**
 * Every dependency except those declared only as Python optional extras (`[project.optional-dependencies]`): extras
 * are features offered to the package's users (Flask's `dotenv` extra), not what the project itself runs with.
 */
export function listOwnDependencies(snapshot: RepoSnapshot): Set<string> {
  return collectAll(snapshot).own;
}

const DEVELOPMENT_REQUIREMENTS =
  /(^|[-_./])(dev|develop|development|test|tests|testing|lint|docs?|ci|tox|tools?|local|typing|bench)([-_./]|$)/i;

function collectAll(snapshot: RepoSnapshot): { all: Set<string>; runtime: Set<string>; own: Set<string> } {
  return snapshot.memo('dependencies', () => {
    const all = new Set<string>();
    const runtime = new Set<string>();
    const own = new Set<string>();
    const packagedPython = new Set<string>();
    for (const entry of snapshot.entries) {
      const manifest = classifyManifest(entry.path);
      if (!manifest || (manifest.name !== 'pyproject.toml' && manifest.name !== 'setup.py')) continue;
      if (/\bdependencies\b|install_requires/.test(snapshot.textIfRead(entry.path) ?? ''))
        packagedPython.add(manifest.directory);
    }
    for (const entry of snapshot.entries) {
      const manifest = classifyManifest(entry.path);
      if (!manifest || entry.kind !== 'file') continue;
      const text = snapshot.textIfRead(entry.path);
      if (text === undefined) continue; // binary, unreadable, or not fetched
      const developmentFile =
        /^requirements/.test(manifest.name) &&
        (DEVELOPMENT_REQUIREMENTS.test(entry.path.slice(manifest.directory.length)) ||
          packagedPython.has(manifest.directory));
      const add = (name: string | undefined, development = false, extra = false) => {
        const trimmed = name?.trim().toLowerCase();
        if (!trimmed) return;
        all.add(trimmed);
        if (!extra) own.add(trimmed);
        if (!development && !developmentFile) runtime.add(trimmed);
      };
      collectDependencies(snapshot, manifest.name, entry.path, text, add);
    }
    return { all, runtime, own };
  });
}

type AddDependency = (name: string | undefined, development?: boolean, extra?: boolean) => void;

function collectDependencies(
  snapshot: RepoSnapshot,
  name: string,
  path: string,
  text: string,
  add: AddDependency,
): void {
  if (name === 'package.json' || name === 'composer.json') {
    const parsed = readJson(snapshot, path);
    if (!parsed?.ok || !isRecord(parsed.value)) return;
    const keys =
      name === 'package.json'
        ? ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']
        : ['require', 'require-dev'];
    for (const key of keys) {
      const block = parsed.value[key];
      const development = key === 'devDependencies' || key === 'require-dev';
      if (isRecord(block)) for (const dependency of Object.keys(block)) add(dependency, development);
    }
    return;
  }
  if (name === 'pyproject.toml' || name === 'Cargo.toml' || name === 'Pipfile') {
    const parsed = readToml(snapshot, path);
    if (!parsed?.ok) return;
    collectTomlDependencies(parsed.value, add);
    return;
  }
  if (/^requirements.*\.txt$/.test(name)) {
    for (const line of text.split('\n')) add(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line.replace(/#.*/, ''))?.[1]);
    return;
  }
  if (name === 'setup.py' || name === 'setup.cfg') {
    for (const name of setupRequirementNames(text)) add(name);
    return;
  }
  if (name === 'go.mod') {
    for (const match of text.matchAll(/^[ \t]*(?:require[ \t]+)?([a-z0-9-]+(?:\.[a-z0-9-]+)+\/\S+)[ \t]+v[\d.]/gm))
      add(match[1]);
    return;
  }
  if (name === 'Gemfile' || name.endsWith('.gemspec')) {
    for (const match of text.matchAll(
      /^[ \t]*(?:gem|spec\.add_(?:development_|runtime_)?dependency|s\.add_(?:development_|runtime_)?dependency)[ \t]*(?:\([ \t]*)?["']([^"']+)["']/gm,
    ))
      add(match[1]);
    return;
  }
  if (name === 'pom.xml') {
    // Parsed as XML: commented-out dependencies and <dependencyManagement> versions are not dependencies.
    for (const dependency of parsePom(text)?.dependencies ?? []) {
      if (dependency.groupId) add(`${dependency.groupId}:${dependency.artifactId}`);
      add(dependency.artifactId);
    }
    return;
  }
  if (name.startsWith('build.gradle')) {
    for (const match of text.matchAll(/["']([\w.-]+):([\w.-]+)(?::[^"']*)?["']/g)) {
      add(`${match[1]}:${match[2]}`);
      add(match[2]);
    }
    return;
  }
  if (/\.(cs|fs|vb)proj$/.test(name)) {
    for (const reference of parseMsbuildPackageReferences(text)) add(reference);
    return;
  }
  if (name === 'mix.exs') {
    for (const match of text.matchAll(/\{:(\w+),/g)) add(match[1]);
  }
}

function collectTomlDependencies(document: Record<string, unknown>, add: AddDependency): void {
  const fromPep508 = (list: unknown, development = false, extra = false) => {
    if (Array.isArray(list))
      for (const item of list)
        if (typeof item === 'string') add(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(item)?.[1], development, extra);
  };
  const fromTable = (table: unknown, development = false) => {
    if (isRecord(table)) for (const key of Object.keys(table)) add(key, development);
  };
  const project = document.project;
  if (isRecord(project)) {
    fromPep508(project.dependencies);
    // Extras are opt-in: a library's `server` extra does not make the library a service.
    if (isRecord(project['optional-dependencies']))
      for (const list of Object.values(project['optional-dependencies'])) fromPep508(list, true, true);
  }
  if (isRecord(document['dependency-groups']))
    for (const list of Object.values(document['dependency-groups'])) fromPep508(list, true);
  const tool = document.tool;
  if (isRecord(tool) && isRecord(tool.poetry)) {
    fromTable(tool.poetry.dependencies);
    fromTable(tool.poetry['dev-dependencies'], true);
    if (isRecord(tool.poetry.group))
      for (const group of Object.values(tool.poetry.group)) if (isRecord(group)) fromTable(group.dependencies, true);
  }
  // Cargo.toml and Pipfile
  fromTable(document.dependencies);
  fromTable(document.packages);
  for (const key of ['dev-dependencies', 'build-dependencies', 'dev-packages']) fromTable(document[key], true);
  if (isRecord(document.workspace)) fromTable(document.workspace.dependencies);
}

/** The first of `names` (lower-case; a trailing `*` matches a prefix) that is a declared dependency, if any. */
export function hasDependency(snapshot: RepoSnapshot, names: readonly string[]): string | undefined {
  return findDependency(listDependencies(snapshot), names);
}

/** The first of `names` (a trailing `*` matches a prefix) in `dependencies`, if any. */
export function findDependency(dependencies: ReadonlySet<string>, names: readonly string[]): string | undefined {
  for (const name of names) {
    if (name.endsWith('*')) {
      const prefix = name.slice(0, -1);
      for (const dependency of dependencies) if (dependency.startsWith(prefix)) return dependency;
    } else if (dependencies.has(name)) return name;
  }
  return undefined;
}

const REQUIREMENT_HEAD = /([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\][]*\]\s*)?(?:[<>=!~]|$)/y;

/**
 * Requirement names in setup.py / setup.cfg: in each `,`- or newline-ended piece, the first name that ends it (after
 * its extras and version: `'flask[async]>=2',`, `    requests`). A scan over the name runs of each piece; as one
 * regex, the free start and the optional parts retried at every position (4th-degree polynomial).
 */
function setupRequirementNames(text: string): string[] {
  const names: string[] = [];
  const pieces = text.split(/[,\n]/);
  pieces.pop(); // a requirement ends with a separator
  for (const piece of pieces) {
    let region = piece.trimEnd();
    if (region.endsWith('"') || region.endsWith("'")) region = region.slice(0, -1);
    region = region.slice(Math.max(region.lastIndexOf('"'), region.lastIndexOf("'")) + 1);
    // Every start inside one run of name characters ends the name at the same place: one try per run.
    for (let start = 0; start < region.length; start += 1) {
      if (!/[A-Za-z0-9]/.test(region[start])) continue;
      REQUIREMENT_HEAD.lastIndex = start;
      const match = REQUIREMENT_HEAD.exec(region);
      if (match) {
        names.push(match[1]);
        break;
      }
      while (start + 1 < region.length && /[A-Za-z0-9._-]/.test(region[start + 1])) start += 1;
    }
  }
  return names;
}
