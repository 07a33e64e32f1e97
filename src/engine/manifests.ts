import { isExcludedFromProject } from './file-classes.js';
import type { Ecosystem } from './types.js';

/** Manifest file names (the last path segment) and the ecosystem each one means. */
const MANIFEST_RULES: Array<{ test: (name: string) => boolean; ecosystem: Ecosystem; primary: boolean }> = [
  { test: (name) => name === 'package.json', ecosystem: 'node', primary: true },
  { test: (name) => ['pyproject.toml', 'setup.py', 'setup.cfg'].includes(name), ecosystem: 'python', primary: true },
  {
    test: (name) => name === 'Pipfile' || /^requirements([-_.][\w.-]*)?\.txt$/.test(name),
    ecosystem: 'python',
    primary: false,
  },
  { test: (name) => name === 'go.mod', ecosystem: 'go', primary: true },
  { test: (name) => name === 'Cargo.toml', ecosystem: 'rust', primary: true },
  { test: (name) => ['pom.xml', 'build.gradle', 'build.gradle.kts'].includes(name), ecosystem: 'java', primary: true },
  { test: (name) => name === 'build.sbt', ecosystem: 'scala', primary: true },
  { test: (name) => name === 'Gemfile' || name.endsWith('.gemspec'), ecosystem: 'ruby', primary: true },
  { test: (name) => name === 'composer.json', ecosystem: 'php', primary: true },
  { test: (name) => /\.(csproj|fsproj|vbproj|sln)$/.test(name), ecosystem: 'dotnet', primary: true },
  { test: (name) => name === 'mix.exs', ecosystem: 'elixir', primary: true },
  { test: (name) => name === 'Package.swift', ecosystem: 'swift', primary: true },
  { test: (name) => name === 'pubspec.yaml', ecosystem: 'dart', primary: true },
  { test: (name) => name === 'stack.yaml' || name.endsWith('.cabal'), ecosystem: 'haskell', primary: true },
  {
    test: (name) => ['CMakeLists.txt', 'meson.build', 'configure.ac'].includes(name),
    ecosystem: 'c-cpp',
    primary: true,
  },
];

/** Globs for every manifest, so the engine fetches them for detection in the same round as the checks' needs. */
export const MANIFEST_GLOBS = [
  '**/package.json',
  '**/pnpm-workspace.yaml',
  '**/lerna.json',
  '**/pyproject.toml',
  '**/setup.py',
  '**/setup.cfg',
  '**/Pipfile',
  '**/requirements*.txt',
  '**/go.mod',
  '**/go.work',
  '**/Cargo.toml',
  '**/pom.xml',
  '**/build.gradle',
  '**/build.gradle.kts',
  '**/build.sbt',
  '**/Gemfile',
  '**/*.gemspec',
  '**/composer.json',
  '**/*.csproj',
  '**/*.fsproj',
  '**/mix.exs',
  '**/Package.swift',
  '**/pubspec.yaml',
];

/**
 * True for paths that cannot be a project root or ecosystem evidence: vendored, generated, test-fixture and template
 * trees (CATALOG "Which files count", decided in file-classes.ts). Examples count.
 */
export function isNonProjectPath(path: string): boolean {
  return isExcludedFromProject(path);
}

export interface ManifestInfo {
  path: string;
  directory: string;
  name: string;
  ecosystem: Ecosystem;
  primary: boolean;
}

/** The rule of each file name seen (null: no manifest), bounded: names come from the tree. */
const ruleOfName = new Map<string, (typeof MANIFEST_RULES)[number] | null>();
const MAX_CACHED_NAMES = 50_000;

export function classifyManifest(path: string): ManifestInfo | undefined {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  // By name first, once per distinct name: most paths are no manifest, and classifying their directories costs more.
  let rule = ruleOfName.get(name);
  if (rule === undefined) {
    rule = MANIFEST_RULES.find((candidate) => candidate.test(name)) ?? null;
    if (ruleOfName.size >= MAX_CACHED_NAMES) ruleOfName.clear();
    ruleOfName.set(name, rule);
  }
  if (!rule || isNonProjectPath(path)) return undefined;
  return {
    path,
    directory: slash < 0 ? '' : path.slice(0, slash),
    name,
    ecosystem: rule.ecosystem,
    primary: rule.primary,
  };
}
