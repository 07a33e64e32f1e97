import { classifyManifest } from '../../src/engine/manifests.js';
import type { Ecosystem } from '../../src/engine/types.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { isManifestName, type ProjectView } from './project-view.js';
import { forEachOwnEntry } from './tree-queries.js';
import { isTestFixture, isVendoredOrGenerated } from '../../src/engine/file-classes.js';

/** Source-file extensions per ecosystem (build scripts such as `build.gradle.kts`, `mix.exs` are excluded below). */
export const SOURCE_EXTENSIONS: Record<Ecosystem, string[]> = {
  node: ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'vue', 'svelte'],
  python: ['py'],
  go: ['go'],
  rust: ['rs'],
  java: ['java', 'kt', 'groovy'],
  scala: ['scala'],
  ruby: ['rb'],
  php: ['php'],
  dotnet: ['cs', 'fs', 'vb'],
  elixir: ['ex', 'exs'],
  swift: ['swift'],
  dart: ['dart'],
  haskell: ['hs', 'lhs'],
  'c-cpp': ['c', 'cc', 'cpp', 'cxx', 'h', 'hh', 'hpp', 'hxx'],
};

const EXTENSION_TO_ECOSYSTEM = new Map<string, Ecosystem>(
  Object.entries(SOURCE_EXTENSIONS).flatMap(([ecosystem, extensions]) =>
    extensions.map((extension) => [extension, ecosystem as Ecosystem]),
  ),
);

/**
 * Build output, caches and documentation sites: never counted as source or tests. `doc/` is not excluded: in Go it
 * is often a real package (spf13/cobra's `doc/` generates man pages).
 */
const GENERATED_DIRECTORY =
  /(^|\/)(node_modules|dist|build|out|target|coverage|\.next|\.nuxt|\.svelte-kit|\.output|\.venv|venv|__pycache__|\.tox|\.nox|site-packages|bower_components|\.git|\.github|\.idea|\.vscode|docs|documentation|website|storybook-static|generated|\.gradle|Pods|obj)\//;

/** Tool configuration written in a programming language: not the project's source. */
const CONFIG_FILE =
  /(^|\/)([^/]+\.config\.[cm]?[jt]s|\.[^/]+rc\.[cm]?js|Gruntfile\.js|Gulpfile\.js|gulpfile\.js|webpack\.[^/]+\.js|setup\.py|conftest\.py|noxfile\.py|fabfile\.py|mix\.exs|Package\.swift|[^/]+\.d\.[cm]?ts|[^/]+\.min\.js|Rakefile|Dangerfile|[^/]+\.gradle\.kts|build\.rs)$/;

/** Directories that hold tests, by the conventions of each ecosystem. */
const TEST_DIRECTORY =
  /(^|\/)(__tests__|__specs__|__mocks__|tests?|specs?|e2e|integration[-_]?tests?|unit[-_]?tests?|test[-_]?suites?|cypress|playwright|androidTest|testFixtures|[\w.-]*\.(?:Unit|Integration|Functional|Acceptance)?Tests?|\w+Tests)\//i;

/** Test files by name: `*.test.*`, `*.spec.*`, `*_test.go`, `test_*.py`, `*_spec.rb`, `FooTest.java`, `*.bats` … */
const TEST_FILE =
  /((\.|_|-)(test|spec|tests|specs|e2e|unittest)\.[a-z0-9]+$)|((^|\/)test_[^/]+\.py$)|((^|\/)[A-Z][\w]*(Test|Tests|IT|Spec|Specs|Suite)\.(java|kt|groovy|scala|cs|fs|vb|php|swift)$)|(\.bats$)/;

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function ecosystemOfFile(path: string): Ecosystem | undefined {
  return EXTENSION_TO_ECOSYSTEM.get(extensionOf(path));
}

export function isGenerated(relativePath: string): boolean {
  return isVendoredOrGenerated(relativePath) || isTestFixture(relativePath) || GENERATED_DIRECTORY.test(relativePath);
}

export function isTestPath(relativePath: string): boolean {
  return TEST_DIRECTORY.test(relativePath) || TEST_FILE.test(relativePath);
}

/**
 * `isTestPath` in two halves, for tests run once per directory and once per base name (tree-index.ts):
 * `isTestPath(path)` is `isTestDirectory(its directory) || isTestFileName(its base name)`, as TEST_DIRECTORY only
 * matches directory segments and TEST_FILE only the last segment.
 */
export function isTestDirectory(directory: string): boolean {
  return directory !== '' && TEST_DIRECTORY.test(`${directory}/`);
}

export function isTestFileName(name: string): boolean {
  return TEST_FILE.test(name);
}

/** True when the path is inside a test directory (`test/`, `__tests__/`, `spec/`, `src/test/`, `Foo.Tests/`…). */
export function isInTestDirectory(relativePath: string): boolean {
  return TEST_DIRECTORY.test(relativePath);
}

/**
 * Test data: inside a test-fixture tree (CATALOG "Which files count") or a test directory (requests' `tests/certs/`).
 * Key material and `.env` files there are a `warn`, never a critical fail.
 */
export function isTestData(relativePath: string): boolean {
  return isTestFixture(relativePath) || isInTestDirectory(relativePath);
}

export function isConfigScript(relativePath: string): boolean {
  return CONFIG_FILE.test(relativePath);
}

export interface CodeFiles {
  /** Source files (not tests, not config scripts, not generated), repository paths. */
  sources: TreeEntry[];
  /** Test files by path convention, repository paths. */
  tests: TreeEntry[];
  byEcosystem: Map<Ecosystem, { sources: number; tests: number }>;
}

/** What a code file's base name tells (config scripts are no code files): its ecosystem, whether it names a test. */
interface CodeName {
  ecosystem: Ecosystem;
  testName: boolean;
}

/**
 * The project's code files, split into sources and tests (memoised per project). The tests go by the parts of the
 * path relative to the project: its base name (ecosystem, config script, test name) and its directory (generated,
 * test directory), each computed once per distinct name and directory of the shared tree index.
 */
export function listCodeFiles(view: ProjectView): CodeFiles {
  return view.repository.memo(`code-files:${view.root}`, () => {
    const sources: TreeEntry[] = [];
    const tests: TreeEntry[] = [];
    const byEcosystem = new Map<Ecosystem, { sources: number; tests: number }>();
    forEachOwnEntry(
      view,
      'code-files',
      (name): CodeName | undefined => {
        const ecosystem = ecosystemOfFile(name);
        return ecosystem && !isConfigScript(name) ? { ecosystem, testName: isTestFileName(name) } : undefined;
      },
      (directory) => (isGenerated(directory ? `${directory}/_` : '_') ? undefined : isTestDirectory(directory)),
      (entry, name, inTestDirectory) => {
        if (entry.kind !== 'file') return;
        const counts = byEcosystem.get(name.ecosystem) ?? { sources: 0, tests: 0 };
        if (inTestDirectory || name.testName) {
          tests.push(entry);
          counts.tests += 1;
        } else {
          sources.push(entry);
          counts.sources += 1;
        }
        byEcosystem.set(name.ecosystem, counts);
      },
    );
    return { sources, tests, byEcosystem };
  });
}

const TYPESCRIPT_CONFIGS = new Set(['tsconfig.json', 'deno.json', 'deno.jsonc']);

/** Directories of documentation sites: a `website/package.json` does not make a Go repository a Node project. */
const SECONDARY_DIRECTORY = /^(docs?|documentation|website|site|www|book|benchmarks?|bench|scripts|tools|hack)(\/|$)/;

export interface RelevantEcosystems {
  /** Ecosystems whose tools the check should look for. */
  relevant: Ecosystem[];
  /** Ecosystems left out, with the reason (for the summary). */
  skipped: Array<{ ecosystem: Ecosystem; reason: string }>;
}

/**
 * The project's ecosystems that have code: the engine's detection (manifests), minus ecosystems whose manifests
 * only sit in documentation-site or tooling directories (when another ecosystem remains), minus ecosystems with
 * no source file at all (a package.json that only runs commitlint does not make a Python project a Node one).
 */
export function relevantEcosystems(view: ProjectView): RelevantEcosystems {
  return view.repository.memo(`relevant-ecosystems:${view.root}`, () => {
    const code = listCodeFiles(view);
    const manifestDirectories = new Map<Ecosystem, string[]>();
    for (const entry of view.ownEntriesNamed('manifest', isManifestName)) {
      const manifest = classifyManifest(entry.path);
      if (!manifest) continue;
      const list = manifestDirectories.get(manifest.ecosystem) ?? [];
      list.push(manifest.directory.slice(view.prefix.length));
      manifestDirectories.set(manifest.ecosystem, list);
    }
    const candidates = new Set<Ecosystem>([...view.ecosystems, ...manifestDirectories.keys()]);
    // TypeScript without package.json (Deno, a tsconfig-only project) is still the node ecosystem for tooling.
    if (
      !candidates.has('node') &&
      view.ownEntriesNamed('tsconfig-or-deno', (name) => TYPESCRIPT_CONFIGS.has(name)).length > 0
    )
      candidates.add('node');
    // No manifest at all (a folder of scripts): the languages of the code are the ecosystems.
    if (!candidates.size)
      for (const [ecosystem, counts] of code.byEcosystem) if (counts.sources > 0) candidates.add(ecosystem);
    const relevant: Ecosystem[] = [];
    const skipped: Array<{ ecosystem: Ecosystem; reason: string }> = [];
    for (const ecosystem of [...candidates].sort()) {
      const counts = code.byEcosystem.get(ecosystem);
      if (!counts || counts.sources + counts.tests === 0) {
        skipped.push({ ecosystem, reason: 'manifest but no source files' });
        continue;
      }
      relevant.push(ecosystem);
    }
    if (!view.root && relevant.length > 1) {
      const primary = relevant.filter((ecosystem) =>
        (manifestDirectories.get(ecosystem) ?? ['']).some((directory) => !SECONDARY_DIRECTORY.test(directory)),
      );
      if (primary.length) {
        for (const ecosystem of relevant)
          if (!primary.includes(ecosystem))
            skipped.push({ ecosystem, reason: 'only in a documentation or tooling directory' });
        return { relevant: primary, skipped };
      }
    }
    return { relevant, skipped };
  });
}

export const ECOSYSTEM_NAMES: Record<Ecosystem, string> = {
  node: 'JavaScript/TypeScript',
  python: 'Python',
  go: 'Go',
  rust: 'Rust',
  java: 'Java/Kotlin',
  scala: 'Scala',
  ruby: 'Ruby',
  php: 'PHP',
  dotnet: '.NET',
  elixir: 'Elixir',
  swift: 'Swift',
  dart: 'Dart',
  haskell: 'Haskell',
  'c-cpp': 'C/C++',
};
