/**
 * Which files count — one rule for every check (CATALOG "Which files count"). Vendored and generated trees and
 * test-fixture trees are never project roots, ecosystems, workflows, Dockerfiles or profile evidence; `.devcontainer/`
 * Dockerfiles are development images; `examples/` are real code and count. Key material and `.env` files inside
 * test-fixture trees are `warn`, never a critical `fail` (the checks read `isTestFixture`).
 */

export type FileClass =
  /** Installed or copied third-party code: `node_modules/`, `vendor/`, `third_party/`, virtualenvs. */
  | 'vendored'
  /** Build output: `dist/`, `build/`, CMake's `CMakeFiles/`. */
  | 'generated'
  /** Test data: `testdata/`, `fixtures/`, `__fixtures__/`, `test…/fixtures/`, `__tests__/` sub-trees, `playground/`. */
  | 'fixture'
  /** Files shipped to users as data (`templates/`): not project roots. */
  | 'template'
  /** Development-container definitions (`.devcontainer/`). */
  | 'dev-container'
  /** Example and sample code: real code, counted like the project's own. */
  | 'example'
  /** Everything else. */
  | 'project';

const VENDORED = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  'third_party',
  'third-party',
  'thirdparty',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  'site-packages',
  '.git',
]);
/** `CMakeFiles/` is CMake's build tree (compiler-identification sources and binaries), wherever it was committed. */
const GENERATED = new Set(['dist', 'build', 'CMakeFiles']);
const FIXTURE = new Set([
  'testdata',
  'test-data',
  'test_data',
  'fixtures',
  'fixture',
  '__fixtures__',
  'test-fixtures',
  'test_fixtures',
  'playground',
  'playgrounds',
]);
const TEMPLATE = new Set(['templates', 'template']);
const EXAMPLE = new Set(['examples', 'example', 'samples', 'sample']);
/** Below `src/`, these names are source packages (`src/main/java/org/…/samples/petclinic/` is a Java package). */
const PACKAGE_NAMES_BELOW_SRC = new Set([...TEMPLATE, ...EXAMPLE, ...GENERATED]);

/** Classes by directory: a tree has far fewer directories than files, and every check asks about many files. */
const classOfDirectory = new Map<string, FileClass>();
const MAX_CACHED_DIRECTORIES = 50_000;

/** The class of a repository path (file or directory), by its directory segments; the outermost special one wins. */
export function classifyPath(path: string): FileClass {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return 'project';
  const directory = path.slice(0, slash);
  let known = classOfDirectory.get(directory);
  if (known === undefined) {
    known = classifyDirectories(directory.split('/'));
    if (classOfDirectory.size >= MAX_CACHED_DIRECTORIES) classOfDirectory.clear();
    classOfDirectory.set(directory, known);
  }
  return known;
}

function classifyDirectories(directories: readonly string[]): FileClass {
  let belowSrc = false;
  for (let index = 0; index < directories.length; index += 1) {
    const name = directories[index];
    if (VENDORED.has(name)) return 'vendored';
    if (belowSrc && PACKAGE_NAMES_BELOW_SRC.has(name)) continue;
    if (GENERATED.has(name)) return 'generated';
    if (FIXTURE.has(name)) return 'fixture';
    // `__tests__/` holds tests; its sub-directories hold the data those tests read (vite's `__tests__/fixtures/…`).
    if (name === '__tests__' && index < directories.length - 1) return 'fixture';
    if (name === '.devcontainer') return 'dev-container';
    if (TEMPLATE.has(name)) return 'template';
    if (EXAMPLE.has(name)) return 'example';
    if (name === 'src') belowSrc = true;
  }
  return 'project';
}

/** Vendored or generated: never the project's own files. */
export function isVendoredOrGenerated(path: string): boolean {
  const fileClass = classifyPath(path);
  return fileClass === 'vendored' || fileClass === 'generated';
}

/** Inside a test-fixture tree. */
export function isTestFixture(path: string): boolean {
  return classifyPath(path) === 'fixture';
}

/**
 * True when a path cannot be a project root, an ecosystem, a workflow, a Dockerfile or profile evidence: vendored,
 * generated, fixture and template trees (and dev containers). Examples count.
 */
export function isExcludedFromProject(path: string): boolean {
  const fileClass = classifyPath(path);
  return fileClass !== 'project' && fileClass !== 'example';
}

/**
 * Build-tool wrapper jars, committed by design (the wrapper scripts download the tool; their checksums are
 * verifiable): `gradle/wrapper/gradle-wrapper.jar` and `.mvn/wrapper/maven-wrapper.jar`, in any project directory.
 */
export function isBuildToolWrapper(path: string): boolean {
  return BUILD_TOOL_WRAPPERS.some((wrapper) => path === wrapper || path.endsWith(`/${wrapper}`));
}
const BUILD_TOOL_WRAPPERS = ['gradle/wrapper/gradle-wrapper.jar', '.mvn/wrapper/maven-wrapper.jar'];
