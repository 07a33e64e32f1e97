import { compileRepositoryGlob } from '../../src/snapshot/glob.js';
import { defineCheck, result } from '../../src/engine/define-check.js';
import { classifyManifest, isNonProjectPath } from '../../src/engine/manifests.js';
import { gitignoreMatch } from '../../src/parsers/gitignore.js';
import type { Ecosystem, Finding } from '../../src/engine/types.js';
import { isRecord, parseJsonText, readYaml } from '../../src/parsers/structured.js';
import { parseMsbuildPackageReferences } from '../../src/parsers/xml.js';
import { baseName, directoryOf, isManifestName, joinPath, lineOf, plural, ProjectView } from '../lib/project-view.js';
import { getPath, tomlOf } from '../lib/tool-detection.js';

const NODE_LOCKFILES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
];
const PYTHON_LOCKFILE =
  /^(poetry\.lock|uv\.lock|Pipfile\.lock|pdm\.lock|pylock(\.[\w-]+)?\.toml|requirements[\w.-]*\.lock|conda-lock\.ya?ml)$/;

interface Verdict {
  /** Repository path of the manifest this verdict is about. */
  manifest: string;
  ecosystem: Ecosystem;
  status: 'locked' | 'missing' | 'optional' | 'nothing' | 'no-convention';
  /** The lockfile (or pinned file) that covers it, or what is expected. */
  detail: string;
  line?: number;
}

interface Context {
  view: ProjectView;
  has: (path: string) => boolean;
  text: (path: string) => string | undefined;
}

/**
 * A requirement whose reference (the word after `@ git+` or `@ https://`) carries `proof` (a commit, a hash).
 * Two steps, not one `\S+@…` expression: a word of `@`s would make that backtrack quadratically.
 */
function pinnedReference(line: string, reference: RegExp, proof: RegExp): boolean {
  return [...line.matchAll(reference)].some((match) => proof.test(match[1]));
}
function pinnedRequirements(text: string): {
  pinned: boolean;
  count: number;
  /** Requirements not pinned with `==` (a file with some pinned and some not is "partly pinned": `warn`). */
  unpinnedCount: number;
  /** Editable installs of the project itself (`-e .`): neither pinned nor loose. */
  editable: number;
  firstUnpinned?: { line: number; text: string };
} {
  let count = 0;
  let unpinnedCount = 0;
  let editable = 0;
  let firstUnpinned: { line: number; text: string } | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    let line = lines[index]
      .replace(/(?<!\s)\s+#[^]*$/, '')
      .replace(/^#.*$/, '')
      .trim();
    if (!line) continue;
    while (line.endsWith('\\') && index + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++index].trim()}`;
    if (line.startsWith('-')) {
      // Options: -r/-c includes, --hash, --index-url… An editable local path (-e .) is the project itself.
      if (/^(-e|--editable)\s+(\.|git\+\S+@[0-9a-f]{7,40})/.test(line)) {
        count += 1;
        editable += 1;
      }
      continue;
    }
    count += 1;
    if (
      /^[\w.-]+[ \t]*(?:\[[^\]]*\][ \t]*)?===?[ \t]*[\w.+!-]+[ \t]*(?:;[^]*)?$/.test(
        line.replace(/(?<!\s)\s+--hash=\S+/g, ''),
      )
    )
      continue; // name==1.2.3, not 1.2.*
    if (
      /^(\.|\/|file:)/.test(line) ||
      pinnedReference(line, /@\s*git\+(\S+)/g, /.@[0-9a-f]{7}/) ||
      pinnedReference(line, /@\s*https?:\/\/(\S+)/g, /.#sha256=/)
    )
      continue;
    unpinnedCount += 1;
    firstUnpinned ??= { line: index + 1, text: line };
  }
  return {
    pinned: count > 0 && !firstUnpinned,
    count,
    unpinnedCount,
    editable,
    ...(firstUnpinned ? { firstUnpinned } : {}),
  };
}

const LOCKFILE_FILES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'poetry.lock',
  'uv.lock',
  'Pipfile.lock',
  'pdm.lock',
  'go.sum',
  'Cargo.lock',
  'Gemfile.lock',
  'gems.locked',
  'composer.lock',
  'packages.lock.json',
  'mix.lock',
  'pubspec.lock',
  'Package.resolved',
  'stack.yaml.lock',
];

/** A `.gitignore` rule (beside the manifest or at the root) that keeps a lockfile of `directory` out of the repository. */
function ignoredBy(context: Context, directory: string): string | undefined {
  for (const candidate of [...new Set([joinPath(directory, '.gitignore'), '.gitignore'])]) {
    const text = context.text(candidate);
    if (!text) continue;
    const base = candidate.includes('/') ? candidate.slice(0, candidate.lastIndexOf('/')) : '';
    const relative =
      base && directory.startsWith(`${base}/`) ? directory.slice(base.length + 1) : base ? '' : directory;
    for (const name of LOCKFILE_FILES) {
      const match = gitignoreMatch(text, relative ? `${relative}/${name}` : name);
      if (match) return `${candidate}:${match.line} (${match.rule})`;
    }
  }
  return undefined;
}

function nodeDependencyCount(manifest: unknown): number {
  if (!isRecord(manifest)) return 0;
  return ['dependencies', 'devDependencies', 'optionalDependencies'].reduce(
    (sum, key) => sum + (isRecord(manifest[key]) ? Object.keys(manifest[key]).length : 0),
    0,
  );
}

/**
 * The npm/yarn/pnpm/lerna workspace root above `directory` whose globs include it — the outermost one: a nested
 * "workspace" that an outer workspace already includes (a test fixture shaped like a yarn workspace) is a member.
 */
function nodeWorkspaceRoot(context: Context, directory: string): string | undefined {
  const parts = directory.split('/');
  for (let depth = 0; depth < parts.length; depth += 1) {
    const root = parts.slice(0, depth).join('/');
    const relative = parts.slice(depth).join('/');
    const globs: string[] = [];
    const text = context.text(joinPath(root, 'package.json'));
    const parsed = text ? parseJsonText(text) : undefined;
    if (parsed?.ok && isRecord(parsed.value)) {
      const workspaces = parsed.value.workspaces;
      if (Array.isArray(workspaces))
        globs.push(...workspaces.filter((item): item is string => typeof item === 'string'));
      else if (isRecord(workspaces) && Array.isArray(workspaces.packages))
        globs.push(...workspaces.packages.filter((item): item is string => typeof item === 'string'));
    }
    for (const file of ['pnpm-workspace.yaml', 'lerna.json']) {
      const path = joinPath(root, file);
      if (!context.has(path)) continue;
      const document = file.endsWith('.yaml')
        ? readYaml(context.view.repository, path)
        : (() => {
            const raw = context.text(path);
            return raw ? parseJsonText(raw) : undefined;
          })();
      if (document?.ok && isRecord(document.value) && Array.isArray(document.value.packages))
        globs.push(...document.value.packages.filter((item): item is string => typeof item === 'string'));
    }
    const include = globs
      .filter((glob) => !glob.startsWith('!'))
      .map((glob) => glob.replace(/^\.\//, '').replace(/\/$/, ''));
    const exclude = globs
      .filter((glob) => glob.startsWith('!'))
      .map((glob) => glob.slice(1).replace(/^\.\//, '').replace(/\/$/, ''));
    if (compileRepositoryGlob(include)(relative) && !compileRepositoryGlob(exclude)(relative)) return root;
  }
  return undefined;
}

/** Directories named for scaffolding shipped to users (`template/`, `templates/`, `template-react-ts/`). */
function isTemplateDirectory(name: string): boolean {
  return name === 'template' || name === 'templates' || /^templates?[-_.]/.test(name);
}

/**
 * A package.json that is data of an enclosing package, not a root to lock: a template the package ships (its
 * directory is named `template*`, or the enclosing package's `files` lists it) — create-vite's `template-react/`.
 */
function isShippedData(context: Context, directory: string): string | undefined {
  const parts = directory.split('/');
  for (let depth = parts.length - 1; depth >= 1; depth -= 1) {
    const enclosing = parts.slice(0, depth).join('/');
    const text = context.text(joinPath(enclosing, 'package.json'));
    if (text === undefined) continue;
    const relative = parts.slice(depth).join('/');
    if (parts.slice(depth).some(isTemplateDirectory))
      return `a template inside the package ${joinPath(enclosing, 'package.json')}`;
    const parsed = parseJsonText(text);
    const files = parsed.ok && isRecord(parsed.value) ? parsed.value.files : undefined;
    const globs = Array.isArray(files)
      ? files.filter((item): item is string => typeof item === 'string' && !item.startsWith('!'))
      : [];
    const normalised = globs.map((glob) => glob.replace(/^\.\//, '').replace(/\/$/, ''));
    if (compileRepositoryGlob(normalised.flatMap((glob) => [glob, `${glob}/**`]))(relative))
      return `shipped as data by ${joinPath(enclosing, 'package.json')} ("files")`;
  }
  return undefined;
}

function judgeNode(context: Context, manifest: string): Verdict {
  const directory = directoryOf(manifest);
  const lock = NODE_LOCKFILES.find((name) => context.has(joinPath(directory, name)));
  if (lock) return { manifest, ecosystem: 'node', status: 'locked', detail: joinPath(directory, lock) };
  const data = directory ? isShippedData(context, directory) : undefined;
  if (data) return { manifest, ecosystem: 'node', status: 'nothing', detail: `not a project root: ${data}` };
  const workspaceRoot = nodeWorkspaceRoot(context, directory);
  if (workspaceRoot !== undefined) {
    const rootLock = NODE_LOCKFILES.find((name) => context.has(joinPath(workspaceRoot, name)));
    if (rootLock)
      return {
        manifest,
        ecosystem: 'node',
        status: 'locked',
        detail: `${joinPath(workspaceRoot, rootLock)} (workspace root)`,
      };
    return {
      manifest,
      ecosystem: 'node',
      status: 'missing',
      detail: `its workspace root ${joinPath(workspaceRoot, 'package.json')} has no lockfile (${NODE_LOCKFILES.join(', ')})`,
    };
  }
  const text = context.text(manifest);
  const parsed = text ? parseJsonText(text) : undefined;
  const document = parsed?.ok ? parsed.value : undefined;
  const isWorkspaceRoot = isRecord(document) && document.workspaces !== undefined;
  if (parsed?.ok && nodeDependencyCount(document) === 0 && !isWorkspaceRoot)
    return { manifest, ecosystem: 'node', status: 'nothing', detail: 'no dependencies' };
  const npmrc = context.text(joinPath(directory, '.npmrc')) ?? context.text('.npmrc');
  if (npmrc && /^[ \t]*package-lock[ \t]*=[ \t]*false[ \t]*\r?$/m.test(npmrc)) {
    return {
      manifest,
      ecosystem: 'node',
      status: 'optional',
      detail:
        'lockfile turned off on purpose by package-lock=false in .npmrc (common for libraries; applications should lock)',
    };
  }
  return {
    manifest,
    ecosystem: 'node',
    status: 'missing',
    detail: `no lockfile beside it (looked for ${NODE_LOCKFILES.join(', ')})`,
  };
}

/** PEP 503 normalised name of a requirement string (`Click[extra]>=8.1` → `click`). */
function requirementName(requirement: unknown): string | undefined {
  if (typeof requirement !== 'string') return undefined;
  const name = /^[ \t]*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1];
  return name?.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The repository's own Python package, named by the root pyproject.toml. An example or a member that depends on
 * nothing but it (pallets/click's `examples/*`, each `dependencies = ["click>=8.1"]`) installs it from the checkout:
 * there is nothing third-party to lock.
 */
function ownPythonPackage(context: Context): string | undefined {
  return requirementName(getPath(tomlOf(context.view, 'pyproject.toml') ?? {}, ['project', 'name']));
}

function pythonNeedsLock(context: Context, directory: string, names: string[]): boolean {
  const own = directory ? ownPythonPackage(context) : undefined;
  for (const name of names) {
    const path = joinPath(directory, name);
    if (name === 'setup.py' || name === 'Pipfile') return true;
    if (name === 'pyproject.toml') {
      const document = tomlOf(context.view, path);
      if (!document) return true;
      const deps = getPath(document, ['project', 'dependencies']);
      const optional = getPath(document, ['project', 'optional-dependencies']);
      const groups = document['dependency-groups'];
      const poetry = getPath(document, ['tool', 'poetry', 'dependencies']);
      if (Array.isArray(deps) && deps.some((dep) => own === undefined || requirementName(dep) !== own)) return true;
      if (isRecord(optional) && Object.keys(optional).length) return true;
      if (isRecord(groups) && Object.keys(groups).length) return true;
      if (isRecord(poetry) && Object.keys(poetry).some((key) => key !== 'python')) return true;
    }
    if (name === 'setup.cfg' && /^[ \t]*install_requires[ \t]*=/m.test(context.text(path) ?? '')) return true;
  }
  return false;
}

/** The repository's own package when a member's pyproject.toml lists it as its only dependency. */
function onlyOwnPythonDependency(context: Context, directory: string, names: string[]): string | undefined {
  const own = directory ? ownPythonPackage(context) : undefined;
  if (!own || !names.includes('pyproject.toml')) return undefined;
  const deps = getPath(tomlOf(context.view, joinPath(directory, 'pyproject.toml')), ['project', 'dependencies']);
  return Array.isArray(deps) && deps.length > 0 && deps.every((dep) => requirementName(dep) === own) ? own : undefined;
}

function judgePython(context: Context, directory: string, names: string[]): Verdict {
  const requirements = names.filter((name) => /^requirements.*\.txt$/.test(name));
  const primary =
    names.find((name) => /^(pyproject\.toml|Pipfile|setup\.py|setup\.cfg)$/.test(name)) ?? requirements[0];
  const manifest = joinPath(directory, primary);
  const index = context.view.repository.index;
  const siblings = index
    .childrenOfNumber(index.directoryNumber(directory))
    .filter((entry) => PYTHON_LOCKFILE.test(baseName(entry.path)));
  if (siblings.length)
    return { manifest, ecosystem: 'python', status: 'locked', detail: siblings.map((entry) => entry.path).join(', ') };
  // A uv workspace member is locked by the workspace root's uv.lock.
  const parts = directory ? directory.split('/') : [];
  for (let depth = parts.length - 1; depth >= 0; depth -= 1) {
    const root = parts.slice(0, depth).join('/');
    if (
      context.has(joinPath(root, 'uv.lock')) &&
      getPath(tomlOf(context.view, joinPath(root, 'pyproject.toml')), ['tool', 'uv', 'workspace']) !== undefined
    ) {
      return {
        manifest,
        ecosystem: 'python',
        status: 'locked',
        detail: `${joinPath(root, 'uv.lock')} (uv workspace root)`,
      };
    }
  }
  let unpinned: { path: string; line: number; text: string; partly: string | undefined } | undefined;
  for (const name of requirements) {
    const path = joinPath(directory, name);
    const text = context.text(path);
    if (text === undefined) continue;
    const pinned = pinnedRequirements(text);
    if (pinned.pinned)
      return { manifest, ecosystem: 'python', status: 'locked', detail: `${path} (every requirement pinned with ==)` };
    if (pinned.firstUnpinned && !unpinned) {
      const pinnedCount = pinned.count - pinned.unpinnedCount - pinned.editable;
      const total = pinned.count - pinned.editable;
      unpinned = {
        path,
        ...pinned.firstUnpinned,
        partly: pinnedCount > 0 ? `${pinnedCount} of ${total} requirements pinned with ==` : undefined,
      };
    }
  }
  const needsLock = requirements.length > 0 || pythonNeedsLock(context, directory, names);
  if (!needsLock) {
    // An example that depends on the repository's own package (click's `examples/*`: `click>=8.1`) declares one.
    const own = onlyOwnPythonDependency(context, directory, names);
    return {
      manifest,
      ecosystem: 'python',
      status: 'nothing',
      detail: own ? `depends only on this repository's own package \`${own}\`` : 'no dependencies declared',
    };
  }
  const document = names.includes('pyproject.toml')
    ? tomlOf(context.view, joinPath(directory, 'pyproject.toml'))
    : undefined;
  const expected = names.includes('Pipfile')
    ? 'Pipfile.lock'
    : getPath(document, ['tool', 'poetry']) !== undefined
      ? 'poetry.lock'
      : getPath(document, ['tool', 'pdm']) !== undefined
        ? 'pdm.lock'
        : 'uv.lock, poetry.lock, pdm.lock or a fully pinned requirements.txt';
  if (unpinned) {
    return {
      manifest: unpinned.path,
      ecosystem: 'python',
      // CATALOG: fully pinned requirements lock; partly pinned ones `warn`.
      status: unpinned.partly ? 'optional' : 'missing',
      line: unpinned.line,
      detail: unpinned.partly
        ? `partly pinned (${unpinned.partly}): "${unpinned.text}" is not, and there is no lockfile (expected ${expected})`
        : `"${unpinned.text}" is not pinned with == and there is no lockfile (expected ${expected})`,
    };
  }
  return { manifest, ecosystem: 'python', status: 'missing', detail: `no ${expected}` };
}

function judgeGo(context: Context, manifest: string): Verdict {
  const directory = directoryOf(manifest);
  const text = context.text(manifest) ?? '';
  const requires = /^[ \t]*require\b/m.test(text);
  if (context.has(joinPath(directory, 'go.sum')))
    return { manifest, ecosystem: 'go', status: 'locked', detail: joinPath(directory, 'go.sum') };
  if (!requires) return { manifest, ecosystem: 'go', status: 'nothing', detail: 'go.mod requires no modules' };
  return {
    manifest,
    ecosystem: 'go',
    status: 'missing',
    detail: 'go.mod requires modules but go.sum is missing (run `go mod tidy`)',
    line: lineOf(text, /^\s*require\b/),
  };
}

function cargoIsBinary(context: Context, directory: string): boolean {
  const document = tomlOf(context.view, joinPath(directory, 'Cargo.toml'));
  if (Array.isArray(document?.bin)) return true;
  return (
    context.has(joinPath(directory, 'src/main.rs')) ||
    context.view.repository.entries.some((entry) => entry.path.startsWith(joinPath(directory, 'src/bin/')))
  );
}

function judgeRust(context: Context, manifest: string): Verdict | undefined {
  const directory = directoryOf(manifest);
  const document = tomlOf(context.view, manifest);
  const parts = directory ? directory.split('/') : [];
  // A workspace member is locked by the workspace root's Cargo.lock: judge it there.
  for (let depth = parts.length - 1; depth >= 0; depth -= 1) {
    const root = parts.slice(0, depth).join('/');
    const rootManifest = joinPath(root, 'Cargo.toml');
    if (!context.has(rootManifest) || !isRecord(tomlOf(context.view, rootManifest)?.workspace)) continue;
    if (context.has(joinPath(root, 'Cargo.lock')))
      return {
        manifest,
        ecosystem: 'rust',
        status: 'locked',
        detail: `${joinPath(root, 'Cargo.lock')} (workspace root)`,
      };
    if (!context.view.isOwn(rootManifest))
      return {
        manifest,
        ecosystem: 'rust',
        status: cargoIsBinary(context, directory) ? 'missing' : 'optional',
        detail: `its workspace root ${rootManifest} has no Cargo.lock`,
      };
    return undefined; // reported once, at the workspace root
  }
  if (context.has(joinPath(directory, 'Cargo.lock')))
    return { manifest, ecosystem: 'rust', status: 'locked', detail: joinPath(directory, 'Cargo.lock') };
  let binary = cargoIsBinary(context, directory);
  if (isRecord(document?.workspace)) {
    const members = context.view.repository.index
      .namedOneOf(['Cargo.toml'])
      .filter((entry) => entry.path.startsWith(directory ? `${directory}/` : '') && entry.path !== manifest);
    binary = binary || members.some((entry) => cargoIsBinary(context, directoryOf(entry.path)));
  } else if (
    document &&
    !['dependencies', 'dev-dependencies', 'build-dependencies'].some(
      (key) => isRecord(document[key]) && Object.keys(document[key]).length,
    )
  ) {
    return { manifest, ecosystem: 'rust', status: 'nothing', detail: 'no dependencies' };
  }
  if (binary) return { manifest, ecosystem: 'rust', status: 'missing', detail: 'a binary crate without Cargo.lock' };
  return {
    manifest,
    ecosystem: 'rust',
    status: 'optional',
    detail:
      'a library crate without Cargo.lock (Cargo now recommends committing it for libraries too, for reproducible CI)',
  };
}

function judgeRuby(context: Context, directory: string, names: string[]): Verdict | undefined {
  const gemfile = names.find((name) => name === 'Gemfile' || name === 'gems.rb');
  if (!gemfile) return undefined; // a gemspec alone: a gem without Bundler
  const manifest = joinPath(directory, gemfile);
  const lock = gemfile === 'gems.rb' ? 'gems.locked' : 'Gemfile.lock';
  if (context.has(joinPath(directory, lock)))
    return { manifest, ecosystem: 'ruby', status: 'locked', detail: joinPath(directory, lock) };
  const library = names.some((name) => name.endsWith('.gemspec'));
  return {
    manifest,
    ecosystem: 'ruby',
    status: library ? 'optional' : 'missing',
    detail: library ? `a gem library without ${lock} (Bundler recommends committing it)` : `no ${lock}`,
  };
}

function judgePhp(context: Context, manifest: string): Verdict {
  const directory = directoryOf(manifest);
  if (context.has(joinPath(directory, 'composer.lock')))
    return { manifest, ecosystem: 'php', status: 'locked', detail: joinPath(directory, 'composer.lock') };
  const text = context.text(manifest);
  const parsed = text ? parseJsonText(text) : undefined;
  const document = parsed?.ok && isRecord(parsed.value) ? parsed.value : {};
  const requires = [
    ...Object.keys(isRecord(document.require) ? document.require : {}),
    ...Object.keys(isRecord(document['require-dev']) ? document['require-dev'] : {}),
  ].filter((name) => name !== 'php' && !name.startsWith('ext-'));
  if (parsed?.ok && !requires.length)
    return { manifest, ecosystem: 'php', status: 'nothing', detail: 'no package requirements' };
  const library = (document.type === undefined || document.type === 'library') && typeof document.name === 'string';
  return {
    manifest,
    ecosystem: 'php',
    status: library ? 'optional' : 'missing',
    detail: library ? 'a Composer library without composer.lock' : 'no composer.lock',
  };
}

function judgeDotnet(context: Context, manifest: string): Verdict | undefined {
  if (manifest.endsWith('.sln')) return undefined;
  const directory = directoryOf(manifest);
  if (context.has(joinPath(directory, 'packages.lock.json')))
    return { manifest, ecosystem: 'dotnet', status: 'locked', detail: joinPath(directory, 'packages.lock.json') };
  // Parsed, so a commented-out <PackageReference> is not a dependency.
  if (!parseMsbuildPackageReferences(context.text(manifest) ?? '').length)
    return { manifest, ecosystem: 'dotnet', status: 'nothing', detail: 'no PackageReference' };
  const parts = directory ? directory.split('/') : [];
  for (let depth = parts.length; depth >= 0; depth -= 1) {
    const root = parts.slice(0, depth).join('/');
    if (context.has(joinPath(root, 'paket.lock')))
      return { manifest, ecosystem: 'dotnet', status: 'locked', detail: joinPath(root, 'paket.lock') };
  }
  return {
    manifest,
    ecosystem: 'dotnet',
    // NuGet lockfiles are opt-in (RestorePackagesWithLockFile), so the catalog makes their absence a `warn`.
    status: 'optional',
    detail: 'no packages.lock.json (set <RestorePackagesWithLockFile>true</RestorePackagesWithLockFile>)',
  };
}

function judgeSimple(
  context: Context,
  manifest: string,
  ecosystem: Ecosystem,
  lock: string,
  isLibrary: boolean,
  searchUp = false,
): Verdict {
  const directory = directoryOf(manifest);
  const parts = directory ? directory.split('/') : [];
  for (let depth = parts.length; depth >= (searchUp ? 0 : parts.length); depth -= 1) {
    const candidate = joinPath(parts.slice(0, depth).join('/'), lock);
    if (context.has(candidate)) return { manifest, ecosystem, status: 'locked', detail: candidate };
  }
  return {
    manifest,
    ecosystem,
    status: isLibrary ? 'optional' : 'missing',
    detail: `no ${lock}${isLibrary ? ' (a library: optional)' : ''}`,
  };
}

function judgeAll(context: Context): Verdict[] {
  const byDirectory = new Map<string, Map<Ecosystem, string[]>>();
  for (const entry of context.view.ownEntriesNamed('manifest', isManifestName)) {
    if (entry.kind !== 'file' || isNonProjectPath(entry.path)) continue;
    const manifest = classifyManifest(entry.path);
    if (!manifest) continue;
    const ecosystems = byDirectory.get(manifest.directory) ?? new Map<Ecosystem, string[]>();
    const names = ecosystems.get(manifest.ecosystem) ?? [];
    names.push(manifest.name);
    ecosystems.set(manifest.ecosystem, names);
    byDirectory.set(manifest.directory, ecosystems);
  }
  const verdicts: Verdict[] = [];
  for (const [directory, ecosystems] of byDirectory) {
    for (const [ecosystem, names] of ecosystems) {
      const path = (name: string) => joinPath(directory, name);
      const add = (verdict: Verdict | undefined) => {
        if (verdict) verdicts.push(verdict);
      };
      switch (ecosystem) {
        case 'node':
          add(judgeNode(context, path('package.json')));
          break;
        case 'python':
          if (
            names.length === 1 &&
            names[0] === 'setup.cfg' &&
            !/^[ \t]*\[(metadata|options)\]/m.test(context.text(path('setup.cfg')) ?? '')
          )
            break; // tool configuration only
          add(judgePython(context, directory, names));
          break;
        case 'go':
          add(judgeGo(context, path('go.mod')));
          break;
        case 'rust':
          add(judgeRust(context, path('Cargo.toml')));
          break;
        case 'ruby':
          add(judgeRuby(context, directory, names));
          break;
        case 'php':
          add(judgePhp(context, path('composer.json')));
          break;
        case 'dotnet':
          for (const name of names) add(judgeDotnet(context, path(name)));
          break;
        case 'elixir':
          add(judgeSimple(context, path('mix.exs'), 'elixir', 'mix.lock', false, true));
          break;
        case 'dart': {
          const text = context.text(path('pubspec.yaml')) ?? '';
          const application = /^publish_to:\s*['"]?none/m.test(text) || context.has(path('lib/main.dart'));
          add(judgeSimple(context, path('pubspec.yaml'), 'dart', 'pubspec.lock', !application));
          break;
        }
        case 'swift': {
          const text = context.text(path('Package.swift')) ?? '';
          add(
            judgeSimple(
              context,
              path('Package.swift'),
              'swift',
              'Package.resolved',
              !/\.executable(Target)?\s*\(/.test(text),
            ),
          );
          break;
        }
        case 'haskell':
          if (names.includes('stack.yaml'))
            add(judgeSimple(context, path('stack.yaml'), 'haskell', 'stack.yaml.lock', false));
          break;
        default: {
          const lock = ['gradle.lockfile', 'gradle/verification-metadata.xml']
            .map(path)
            .find((candidate) => context.has(candidate));
          verdicts.push({
            manifest: path(names[0]),
            ecosystem,
            status: lock ? 'locked' : 'no-convention',
            detail: lock ?? `${names[0]} has no standard lockfile`,
          });
        }
      }
    }
  }
  return verdicts;
}

export default defineCheck({
  id: 'lockfile-committed',
  category: 'configuration',
  severity: 'high',
  problemTitle: 'Dependency lockfiles are not committed',
  title: 'Dependency lockfile committed',
  description:
    "Every manifest with dependencies has its lockfile committed beside it: package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml or bun.lock(b) (workspace members are covered by the workspace root's lockfile); poetry.lock, uv.lock, Pipfile.lock, pdm.lock, pylock.toml or a requirements*.txt pinned entirely with `==`; go.sum when go.mod requires modules; Cargo.lock (a library crate only warns); Gemfile.lock (a gem only warns); composer.lock (a Composer library only warns); packages.lock.json or paket.lock; mix.lock, pubspec.lock, Package.resolved, stack.yaml.lock. A manifest that depends only on the repository's own package (an example of it) needs none. Manifests in test fixtures, templates, vendored and generated code are skipped (examples count); Maven, Gradle, sbt and CMake have no standard lockfile and are not judged.",
  rationale:
    'Without a lockfile every install resolves versions anew: builds are not reproducible, a compromised or broken release of a transitive dependency ships without anyone changing a line, and "works on my machine" becomes the norm.',
  remediation: [
    'Generate the lockfile with the package manager and commit it next to the manifest the finding names (and remove it from `.gitignore` if it is listed there):',
    '',
    '```sh',
    'npm install            # writes package-lock.json',
    'uv lock                # or: poetry lock, pipenv lock, pip-compile',
    'go mod tidy            # writes go.sum',
    'cargo generate-lockfile',
    'bundle lock && composer update --lock',
    'git add package-lock.json uv.lock go.sum Cargo.lock',
    '```',
  ].join('\n'),
  effort: 'minutes',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'project',
  needs: {
    files: [
      // Package manifests (package.json, pyproject.toml, setup.cfg, Cargo.toml, pom.xml, build.gradle, *.csproj, go.mod…)
      // are always read by the engine (MANIFEST_GLOBS): repeating them here would cost a tree scan per project root.
      { glob: '**/{.npmrc,.gitignore,*.vbproj}', max: 40 },
    ],
  },
  evaluate(context) {
    const view = new ProjectView(context);
    const lockContext: Context = { view, has: (path) => view.repository.has(path), text: (path) => view.text(path) };
    const verdicts = judgeAll(lockContext);
    const judged = verdicts.filter((verdict) => verdict.status !== 'nothing' && verdict.status !== 'no-convention');
    if (!judged.length) {
      const notes = verdicts.map((verdict) => `${view.display(verdict.manifest)}: ${verdict.detail}`);
      return result.notApplicable(
        notes.length ? `nothing to lock (${notes.slice(0, 5).join('; ')})` : 'no package manifest with dependencies',
      );
    }
    const locked = judged.filter((verdict) => verdict.status === 'locked');
    // Workspace members share their root's lockfile: name each lockfile once.
    const byPath = new Map<string, string>();
    for (const verdict of locked) {
      const note = verdict.detail.indexOf(' (');
      const path = note < 0 ? verdict.detail : verdict.detail.slice(0, note);
      if (!byPath.has(path)) byPath.set(path, view.display(path) + verdict.detail.slice(path.length));
    }
    const lockfiles = [...byPath.values()];
    const lockfileList = `${lockfiles.slice(0, 6).join(', ')}${lockfiles.length > 6 ? ` and ${lockfiles.length - 6} more` : ''}`;
    const findingOf = (verdict: Verdict): Finding => {
      const ignored = ignoredBy(lockContext, directoryOf(verdict.manifest));
      const note = ignored ? `; it is ignored by ${ignored}` : '';
      return view.finding(
        verdict.manifest,
        `${view.display(verdict.manifest)}: ${verdict.detail}${note}`,
        verdict.line,
      );
    };
    const missing = judged.filter((verdict) => verdict.status === 'missing').map(findingOf);
    const optional = judged.filter((verdict) => verdict.status === 'optional').map(findingOf);
    const lockedText = locked.length ? `locked by ${lockfileList}` : '';
    const score = (locked.length + optional.length * 0.5) / judged.length;
    if (missing.length)
      return {
        ...result.fail(
          `${plural(missing.length, 'manifest')} without a lockfile${lockedText ? `; ${lockedText}` : ''}`,
          [...missing, ...optional],
        ),
        score,
      };
    if (optional.length)
      return result.warn(
        `${plural(optional.length, 'manifest')} without a full lockfile (a library's, optional, or partly pinned)${lockedText ? `; ${lockedText}` : ''}`,
        optional,
        score,
      );
    return result.pass(`${plural(locked.length, 'manifest')} locked (${lockfileList})`);
  },
});
