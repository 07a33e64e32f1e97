import picomatch from 'picomatch';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { isRecord, readJson, readToml, readYaml } from '../parsers/structured.js';
import { findDependency, listRuntimeDependencies } from './dependencies.js';
import { classifyManifest, type ManifestInfo } from './manifests.js';
import type { Ecosystem, Profile, Project } from './types.js';
import { isExcludedFromProject } from './file-classes.js';

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

const MAX_PROJECTS = 50;

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

/** Web frameworks and servers whose presence makes a repository a deployable service. */
const SERVICE_DEPENDENCIES = [
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

export interface ProfileDetection {
  profile: Profile;
  reason: string;
}

export function detectProfile(snapshot: RepoSnapshot): ProfileDetection {
  const manifests = listManifests(snapshot);
  const framework = findDependency(listRuntimeDependencies(snapshot), SERVICE_DEPENDENCIES);
  if (framework) return { profile: 'service', reason: `web framework dependency "${framework}"` };
  const deployable = snapshot.entries.find((entry) =>
    /(^|\/)(Dockerfile|Containerfile)(\.[\w.-]+)?$|(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$|^Procfile$|^(fly\.toml|render\.yaml|app\.yaml)$|(^|\/)(k8s|kubernetes|helm|charts|deploy|manifests)\//.test(
      entry.path,
    ),
  );
  if (deployable && !classifyManifest(deployable.path) && !isExcludedFromProject(deployable.path)) {
    return { profile: 'service', reason: `deployment file ${deployable.path}` };
  }
  const cli = detectCommandLine(snapshot, manifests);
  if (cli) return { profile: 'cli', reason: cli };
  if (manifests.length === 0) {
    const documents = snapshot.entries.filter((entry) => /\.(md|mdx|rst|adoc|txt)$/i.test(entry.path)).length;
    if (documents > 0) return { profile: 'docs', reason: 'no package manifest; the repository holds documents' };
  }
  return {
    profile: 'library',
    reason: manifests.length ? 'a package without a service or command-line entry point' : 'no manifest found',
  };
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
 * Projects of a monorepo: workspace members (npm, yarn, pnpm, lerna, Cargo) and other directories with a primary
 * manifest. Returns [] for a single-project repository. `configured` (the config's `projects`) wins when given.
 */
export function discoverProjects(snapshot: RepoSnapshot, configured?: string[]): Project[] {
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
    const excluded = workspaceGlobs(snapshot)
      .filter((glob) => glob.startsWith('!'))
      .map((glob) => glob.slice(1));
    const isExcluded = excluded.length ? picomatch(excluded) : () => false;
    roots = [...byDirectory]
      .filter(
        ([directory, list]) => directory !== '' && list.some((manifest) => manifest.primary) && !isExcluded(directory),
      )
      .map(([directory]) => directory);
    // A nested manifest root inside another project (e.g. a Maven module's sub-module) stays its own project.
  }
  roots.sort();
  return roots.slice(0, MAX_PROJECTS).map((path) => {
    const own = byDirectory.get(path) ?? [];
    return {
      path,
      ecosystems: [...new Set(own.map((manifest) => manifest.ecosystem))].sort(),
      manifests: own.map((manifest) => manifest.path),
    };
  });
}
