import { compileRepositoryGlob } from '../snapshot/glob.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { isRecord, readJson, readToml, readYaml } from '../parsers/structured.js';
import { findDependency, listRuntimeDependencies } from './dependencies.js';
import { classifyManifest, isNonProjectPath, type ManifestInfo } from './manifests.js';
import type { Ecosystem, Profile, Project } from './types.js';

/** Files besides manifests that detection reads: workspace declarations and deployment descriptors. */
export const DETECTION_GLOBS = [
  'pnpm-workspace.yaml',
  'lerna.json',
  'go.work',
  'Procfile',
  'app.yaml',
  'fly.toml',
  'render.yaml',
];

export function listManifests(snapshot: RepoSnapshot): ManifestInfo[] {
  return snapshot.memo('manifests', () => {
    const manifests: ManifestInfo[] = [];
    for (const entry of snapshot.entries) {
      if (entry.kind !== 'file') continue;
      const manifest = classifyManifest(entry.path);
      if (manifest) manifests.push(manifest);
    }
    return manifests;
  });
}

export function detectEcosystems(snapshot: RepoSnapshot): Ecosystem[] {
  const found = new Set<Ecosystem>();
  for (const manifest of listManifests(snapshot)) found.add(manifest.ecosystem);
  return [...found].sort();
}

/** npm web frameworks and servers. */
const NODE_WEB_FRAMEWORKS = [
  'express',
  'fastify',
  'koa',
  '@hapi/hapi',
  '@nestjs/core',
  'next',
  'nuxt',
  '@remix-run/node',
  'hono',
  'probot',
  '@sveltejs/kit',
  'restify',
];

/** Web frameworks and servers whose presence makes a repository a deployable service. */
const SERVICE_DEPENDENCIES = [
  ...NODE_WEB_FRAMEWORKS,
  'flask',
  'django',
  'fastapi',
  'starlette',
  'aiohttp',
  'tornado',
  'sanic',
  'gunicorn',
  'uvicorn',
  'pyramid',
  'falcon',
  'litestar',
  'github.com/gin-gonic/gin',
  'github.com/labstack/echo*',
  'github.com/gofiber/fiber*',
  'github.com/go-chi/chi*',
  'github.com/gorilla/mux',
  'actix-web',
  'axum',
  'rocket',
  'warp',
  'poem',
  'tide',
  'org.springframework.boot:spring-boot-starter-web',
  'spring-boot-starter-web',
  'spring-boot-starter-webflux',
  'quarkus-resteasy',
  'micronaut-http-server-netty',
  'io.javalin:javalin',
  'javalin',
  'rails',
  'sinatra',
  'hanami',
  'roda',
  'puma',
  'laravel/framework',
  'symfony/framework-bundle',
  'slim/slim',
  'phoenix',
  'plug_cowboy',
  'microsoft.aspnetcore.app',
  'vapor',
];

/**
 * The npm servers among SERVICE_DEPENDENCIES, judged per package.json (npm `phoenix` is the Phoenix channels client,
 * not the Elixir server). `connect` is the server under Express and vite's dev server.
 */
const NODE_SERVICE_DEPENDENCIES = [...NODE_WEB_FRAMEWORKS, 'connect'];

export interface ProfileDetection {
  profile: Profile;
  /** Why, naming the files that decided it (CATALOG: every output says which profile and why). */
  reason: string;
}

/** Deployment descriptors: a repository that ships one of these is deployed, so it is a service. */
const DEPLOYMENT_FILE =
  /(^|\/)(Dockerfile|Containerfile)(\.[\w.-]+)?$|(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$|^Procfile$|^(fly\.toml|render\.yaml|app\.yaml)$|(^|\/)(k8s|kubernetes|helm|charts|deploy|manifests)\//;

/**
 * Whether a path can be profile evidence (CATALOG "Which files count": not vendored, generated, fixture or template
 * trees, not a dev container). Decided by the manifests module's one rule (isNonProjectPath).
 */
function countsAsEvidence(path: string): boolean {
  return !isNonProjectPath(path); // vendored, generated, fixture, template and .devcontainer/ trees (file-classes.ts)
}

/** Source files of a programming language (not documents, not data): a repository with code is never `docs`. */
const CODE_FILE =
  /\.(py|pyw|js|mjs|cjs|jsx|ts|mts|cts|tsx|go|rs|java|kt|kts|scala|rb|php|cs|fs|vb|c|cc|cpp|cxx|h|hpp|m|mm|swift|ex|exs|erl|hs|dart|lua|pl|pm|r|jl|clj|zig|nim|ml|elm|sh|bash|ps1)$/i;

interface NodePackage {
  path: string;
  /** Runtime dependency names (lower-case). */
  runtime: string[];
  framework?: string;
  /** Why it is published (`"exports"`), when it is. */
  published?: string;
  /** A `start` script: the package is run as a server, not only published. */
  start?: string;
}

/** Node packages of the repository with their service-framework dependency and publication fields. */
function nodePackages(snapshot: RepoSnapshot, manifests: ManifestInfo[]): NodePackage[] {
  const packages: NodePackage[] = [];
  for (const manifest of manifests) {
    if (manifest.name !== 'package.json' || !countsAsEvidence(manifest.path)) continue;
    const parsed = readJson(snapshot, manifest.path);
    if (!parsed?.ok || !isRecord(parsed.value)) continue;
    const document = parsed.value;
    const runtime = (isRecord(document.dependencies) ? Object.keys(document.dependencies) : []).map((name) =>
      name.toLowerCase(),
    );
    const framework = findDependency(new Set(runtime), NODE_SERVICE_DEPENDENCIES);
    const field = ['exports', 'main', 'module', 'bin'].find((key) => document[key] !== undefined);
    const scripts = isRecord(document.scripts) ? document.scripts : {};
    packages.push({
      path: manifest.path,
      runtime,
      ...(framework ? { framework } : {}),
      ...(field && document.private !== true ? { published: `"${field}"` } : {}),
      ...(typeof scripts.start === 'string' ? { start: scripts.start } : {}),
    });
  }
  return packages;
}

export function detectProfile(snapshot: RepoSnapshot): ProfileDetection {
  const manifests = listManifests(snapshot);
  const deployable = snapshot.entries.find(
    (entry) =>
      entry.kind === 'file' &&
      DEPLOYMENT_FILE.test(entry.path) &&
      !classifyManifest(entry.path) &&
      countsAsEvidence(entry.path),
  );
  if (deployable) return { profile: 'service', reason: `deployment file ${deployable.path}` };

  // A web framework makes a service only where something runs it: a published package (`main`/`exports`/`bin`) that
  // depends on `connect` for a dev server is a library (CATALOG, Profiles).
  const node = nodePackages(snapshot, manifests);
  const served = node.find((pkg) => pkg.framework && (!pkg.published || pkg.start));
  if (served)
    return {
      profile: 'service',
      reason: `web framework dependency "${served.framework}" in ${served.path}${served.start ? ` (started by \`${served.start}\`)` : ''}`,
    };
  const publishedWithFramework = node.filter((pkg) => pkg.framework && pkg.published && !pkg.start);
  // Other ecosystems' manifests: npm names were judged above, package by package.
  const npmNames = new Set(node.flatMap((pkg) => pkg.runtime));
  const other = [...listRuntimeDependencies(snapshot)].filter((name) => !npmNames.has(name));
  const framework = findDependency(new Set(other), SERVICE_DEPENDENCIES);
  const pythonLibrary = framework ? publishedPythonLibrary(snapshot, manifests, framework, other) : undefined;
  if (framework && !pythonLibrary) return { profile: 'service', reason: `web framework dependency "${framework}"` };

  const cli = detectCommandLine(snapshot, manifests);
  if (cli) return { profile: 'cli', reason: cli };
  const published = publishedWithFramework[0];
  const libraryNote = published
    ? `; "${published.framework}" is a dependency of the published package ${published.path} (${published.published}), not a deployed service (no Dockerfile, compose, Procfile, k8s/Helm or start script)`
    : pythonLibrary
      ? `; ${pythonLibrary}`
      : '';
  if (manifests.length === 0) {
    const action = ['action.yml', 'action.yaml'].find((name) => snapshot.has(name));
    if (action) return { profile: 'library', reason: `a GitHub Action (${action}), published for workflows to use` };
    const code = snapshot.entries.filter(
      (entry) => entry.kind === 'file' && CODE_FILE.test(entry.path) && countsAsEvidence(entry.path),
    );
    if (code.length)
      return {
        profile: 'library',
        reason: `no package manifest, but ${code.length} source file(s) (${code
          .slice(0, 3)
          .map((entry) => entry.path)
          .join(', ')}${code.length > 3 ? ', …' : ''}): code is never a docs repository`,
      };
    const documents = snapshot.entries.filter((entry) => /\.(md|mdx|rst|adoc|txt)$/i.test(entry.path)).length;
    if (documents > 0)
      return { profile: 'docs', reason: `no package manifest and no source code; ${documents} document(s)` };
    return { profile: 'library', reason: 'no manifest found' };
  }
  const first = manifests.find((manifest) => manifest.directory === '') ?? manifests[0];
  return {
    profile: 'library',
    reason: `${first.path}: a package without a deployment file, server framework or command-line entry point${libraryNote}`,
  };
}

/** Python web frameworks that a library may build on (an extension, a plugin); servers (uvicorn, gunicorn) are not. */
const PYTHON_FRAMEWORKS = new Set([
  'flask',
  'django',
  'fastapi',
  'starlette',
  'aiohttp',
  'tornado',
  'sanic',
  'pyramid',
  'falcon',
  'litestar',
]);
const PYTHON_SERVERS = ['gunicorn', 'uvicorn', 'hypercorn', 'daphne', 'waitress', 'granian'];
/** Files that start or configure a Python web service. */
const PYTHON_SERVER_ENTRY = /^(manage|wsgi|asgi|app|main|server|api_server|application)\.py$/;

/**
 * Why a Python framework dependency is a published library's, not a service's: a pyproject.toml with a
 * `[build-system]` and a project name (something published to PyPI), no ASGI/WSGI server among the dependencies, and no
 * server entry file (`manage.py`, `wsgi.py`, `asgi.py`, `app.py`, `main.py`, `server.py`…) outside tests.
 */
function publishedPythonLibrary(
  snapshot: RepoSnapshot,
  manifests: ManifestInfo[],
  framework: string,
  dependencies: string[],
): string | undefined {
  if (!PYTHON_FRAMEWORKS.has(framework)) return undefined;
  if (findDependency(new Set(dependencies), PYTHON_SERVERS)) return undefined;
  const pyproject = manifests.find((manifest) => {
    if (manifest.name !== 'pyproject.toml' || !countsAsEvidence(manifest.path)) return false;
    const parsed = readToml(snapshot, manifest.path);
    if (!parsed?.ok) return false;
    const project = parsed.value.project;
    return isRecord(parsed.value['build-system']) && isRecord(project) && typeof project.name === 'string';
  });
  if (!pyproject) return undefined;
  const entry = snapshot.entries.find(
    (candidate) =>
      candidate.kind === 'file' &&
      PYTHON_SERVER_ENTRY.test(candidate.path.slice(candidate.path.lastIndexOf('/') + 1)) &&
      countsAsEvidence(candidate.path) &&
      !/(^|\/)(tests?|docs?|examples?|scripts?)\//.test(candidate.path),
  );
  if (entry) return undefined;
  return `"${framework}" is a dependency of the published package ${pyproject.path} ([build-system] and [project]), with no server dependency or entry file: a library, not a deployed service`;
}

function detectCommandLine(snapshot: RepoSnapshot, manifests: ManifestInfo[]): string | undefined {
  for (const manifest of manifests) {
    if (manifest.directory !== '') continue;
    if (manifest.name === 'package.json') {
      const parsed = readJson(snapshot, manifest.path);
      if (parsed?.ok && isRecord(parsed.value) && parsed.value.bin) return 'package.json declares "bin"';
    }
    if (manifest.name === 'pyproject.toml') {
      const parsed = readToml(snapshot, manifest.path);
      const project = parsed?.ok ? parsed.value.project : undefined;
      if (isRecord(project) && (isRecord(project.scripts) || isRecord(project['gui-scripts'])))
        return 'pyproject.toml declares [project.scripts]';
      const tool = parsed?.ok ? parsed.value.tool : undefined;
      if (isRecord(tool) && isRecord(tool.poetry) && isRecord(tool.poetry.scripts))
        return 'pyproject.toml declares [tool.poetry.scripts]';
    }
    if (manifest.name === 'Cargo.toml') {
      const parsed = readToml(snapshot, manifest.path);
      if (parsed?.ok && (Array.isArray(parsed.value.bin) || snapshot.has('src/main.rs')) && !snapshot.has('src/lib.rs'))
        return 'a Rust binary crate';
    }
    if (manifest.name === 'go.mod') {
      if (snapshot.has('main.go') || snapshot.entries.some((entry) => /^cmd\/[^/]+\/main\.go$/.test(entry.path)))
        return 'a Go main package';
    }
  }
  return undefined;
}

function workspaceGlobs(snapshot: RepoSnapshot): string[] {
  const globs: string[] = [];
  const root = readJson(snapshot, 'package.json');
  if (root?.ok && isRecord(root.value)) {
    const workspaces = root.value.workspaces;
    if (Array.isArray(workspaces)) globs.push(...workspaces.filter((item): item is string => typeof item === 'string'));
    else if (isRecord(workspaces) && Array.isArray(workspaces.packages))
      globs.push(...workspaces.packages.filter((item): item is string => typeof item === 'string'));
  }
  const pnpm = snapshot.has('pnpm-workspace.yaml') ? readYaml(snapshot, 'pnpm-workspace.yaml') : undefined;
  if (pnpm?.ok && isRecord(pnpm.value) && Array.isArray(pnpm.value.packages))
    globs.push(...pnpm.value.packages.filter((item): item is string => typeof item === 'string'));
  const lerna = snapshot.has('lerna.json') ? readJson(snapshot, 'lerna.json') : undefined;
  if (lerna?.ok && isRecord(lerna.value) && Array.isArray(lerna.value.packages))
    globs.push(...lerna.value.packages.filter((item): item is string => typeof item === 'string'));
  const cargo = snapshot.has('Cargo.toml') ? readToml(snapshot, 'Cargo.toml') : undefined;
  if (cargo?.ok && isRecord(cargo.value.workspace) && Array.isArray(cargo.value.workspace.members)) {
    globs.push(...cargo.value.workspace.members.filter((item): item is string => typeof item === 'string'));
  }
  return globs;
}

/**
 * The most projects evaluated one by one (each runs every project check). Far above real monorepos once fixtures and
 * data are left out (vite: 23 of 296 manifests); beyond it, the report says how many were left out and how to list
 * the ones that matter in `projects:`.
 */
export const MAX_PROJECTS = 1000;

export interface ProjectDiscovery {
  projects: Project[];
  /** Project roots left out beyond MAX_PROJECTS. */
  omitted: number;
  /** The first roots left out (at most 5), for the note. */
  omittedRoots: string[];
  /** True when the roots came from the config's `projects:`. */
  configured: boolean;
}

/**
 * The report note for projects left out beyond MAX_PROJECTS: how many, which ones first, and how to choose them with
 * `projects:` (or, when `projects:` already lists more than the bound, that the list is cut). Undefined when none.
 */
export function omittedProjectsNote(discovery: ProjectDiscovery): string | undefined {
  if (!discovery.omitted) return undefined;
  const first = discovery.omittedRoots.map((root) => `\`${root}\``).join(', ');
  const which = `${first}${discovery.omitted > discovery.omittedRoots.length ? ', …' : ''}`;
  return discovery.configured
    ? `${discovery.omitted} project(s) left out: \`projects:\` in .github/shipready.yml lists more than the ${MAX_PROJECTS} projects shipready evaluates one by one; the ones after the first ${MAX_PROJECTS} (sorted: ${which}) were not evaluated — shorten the list`
    : `${discovery.omitted} project(s) left out: shipready evaluates at most ${MAX_PROJECTS} projects one by one and found ${discovery.projects.length + discovery.omitted} (sorted by path, not evaluated: ${which}); list the ones to evaluate in \`projects:\` in .github/shipready.yml (e.g. \`projects: [packages/api, packages/web]\`)`;
}

/**
 * Whether a manifest directory is a project root. Not: a directory with `__tests__` in its path (test packages and
 * their data); a package.json nested inside another package (not the repository root) that no workspace glob
 * includes — a template or stub the enclosing package ships as data, or a test fixture (create-vite's `template-*`,
 * vite's `src/types/package.json`). Other ecosystems' nested roots (a Maven module's sub-module) stay projects.
 */
function isProjectRoot(
  directory: string,
  list: ManifestInfo[],
  nodeDirectories: ReadonlySet<string>,
  isMember: (directory: string) => boolean,
): boolean {
  if (!list.some((manifest) => manifest.primary)) return false;
  const segments = directory.split('/');
  if (segments.includes('__tests__')) return false;
  if (list.some((manifest) => manifest.name !== 'package.json' && manifest.primary)) return true;
  if (isMember(directory)) return true;
  for (let depth = segments.length - 1; depth >= 1; depth -= 1)
    if (nodeDirectories.has(segments.slice(0, depth).join('/'))) return false;
  return true;
}

/**
 * Projects of a monorepo: workspace members (npm, yarn, pnpm, lerna, Cargo) and other directories with a primary
 * manifest — not fixtures, vendored, generated or template trees (classifyManifest leaves those out), nor package.json
 * files that are data of another package. Returns no projects for a single-project repository. `configured` (the
 * config's `projects`) wins when given.
 */
export function discoverProjects(snapshot: RepoSnapshot, configured?: string[]): ProjectDiscovery {
  const manifests = listManifests(snapshot);
  const byDirectory = new Map<string, ManifestInfo[]>();
  for (const manifest of manifests) {
    const list = byDirectory.get(manifest.directory) ?? [];
    list.push(manifest);
    byDirectory.set(manifest.directory, list);
  }
  let roots: string[];
  if (configured?.length) {
    roots = configured.map((root) => root.replace(/^\.\/|\/$/g, '')).filter((root) => root !== '');
  } else {
    const globs = workspaceGlobs(snapshot).map((glob) => glob.replace(/^\.\//, '').replace(/\/$/, ''));
    const excluded = globs.filter((glob) => glob.startsWith('!')).map((glob) => glob.slice(1));
    const included = globs.filter((glob) => !glob.startsWith('!'));
    const isExcluded = compileRepositoryGlob(excluded);
    const isIncluded = compileRepositoryGlob(included);
    const nodeDirectories = new Set(
      manifests.filter((manifest) => manifest.name === 'package.json').map((manifest) => manifest.directory),
    );
    roots = [...byDirectory]
      .filter(
        ([directory, list]) =>
          directory !== '' &&
          !isExcluded(directory) &&
          isProjectRoot(directory, list, nodeDirectories, (candidate) => isIncluded(candidate)),
      )
      .map(([directory]) => directory);
  }
  roots.sort();
  return {
    projects: roots.slice(0, MAX_PROJECTS).map((path) => {
      const own = byDirectory.get(path) ?? [];
      return {
        path,
        ecosystems: [...new Set(own.map((manifest) => manifest.ecosystem))].sort(),
        manifests: own.map((manifest) => manifest.path),
      };
    }),
    omitted: Math.max(0, roots.length - MAX_PROJECTS),
    omittedRoots: roots.slice(MAX_PROJECTS, MAX_PROJECTS + 5),
    configured: Boolean(configured?.length),
  };
}
