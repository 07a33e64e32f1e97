/**
 * Helpers shared by the container checks: `.dockerignore` matching with Docker's semantics, and which compose
 * service or k8s workload runs the image a Dockerfile builds (compose and Kubernetes files are read by
 * src/parsers/compose.ts and src/parsers/k8s.ts).
 */
import { posix } from 'node:path';
import { compileRepositoryGlob } from '../../src/snapshot/glob.js';
import type { Finding } from '../../src/engine/types.js';
import { DOCKERFILE_GLOBS, getDockerfiles, type Dockerfile } from '../../src/parsers/dockerfile.js';
import { getComposeFiles, type ComposeService } from '../../src/parsers/compose.js';
import { getK8sContainers, type K8sContainer } from '../../src/parsers/k8s.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { isRecord, readJson, readToml } from '../../src/parsers/structured.js';
import { getImageBuilds } from './image-builds.js';

export { DOCKERFILE_GLOBS };

export const DOCKERIGNORE_GLOBS = ['**/.dockerignore', '**/*.dockerignore'];
/** Compose services that build `dockerfile` (by their resolved `build.dockerfile`). */
export function servicesBuilding(snapshot: RepoSnapshot, dockerfile: string): ComposeService[] {
  return getComposeFiles(snapshot).flatMap((file) =>
    file.services.filter((service) => service.build?.dockerfile === dockerfile),
  );
}

/** True when a service in the same directory's compose files (base + overrides) defines an enabled healthcheck for `name`. */
export function composeHealthcheck(snapshot: RepoSnapshot, service: ComposeService): ComposeService | undefined {
  const directory = service.file.includes('/') ? service.file.slice(0, service.file.lastIndexOf('/')) : '';
  const siblings = getComposeFiles(snapshot).filter(
    (file) =>
      file.directory === directory ||
      (file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '') === directory,
  );
  const candidates = siblings.flatMap((file) =>
    file.services.filter((candidate) => candidate.name === service.name || candidate.name === service.extends),
  );
  return candidates.find((candidate) => candidate.healthcheck && !candidate.healthcheck.disabled);
}

// ---------------------------------------------------------------------------------------------------------------
// .dockerignore

export interface IgnoreRule {
  pattern: string;
  negated: boolean;
  line: number;
  matches: (path: string) => boolean;
}

/** Docker's .dockerignore rules: comments, `!` re-includes, leading `/` and `./` stripped, `**` for any depth. */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    let pattern = raw.trim();
    if (!pattern || pattern.startsWith('#')) return;
    let negated = false;
    if (pattern.startsWith('!')) {
      negated = true;
      pattern = pattern.slice(1).trim();
    }
    pattern = posix.normalize(pattern.replace(/^\/+/, '')).replace(/(?<!\/)\/+$/, '');
    if (!pattern || pattern === '.') return;
    const matcher = compileRepositoryGlob(pattern, { dot: true });
    rules.push({ pattern: raw.trim(), negated, line: index + 1, matches: (path) => matcher(path) });
  });
  return rules;
}

/**
 * Whether Docker leaves `path` (relative to the context) out of the context: the last rule matching the path or one
 * of its parent directories wins.
 */
export function isIgnored(rules: readonly IgnoreRule[], path: string): boolean {
  const parts = path.split('/');
  const prefixes = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const rule of rules) if (prefixes.some((prefix) => rule.matches(prefix))) ignored = !rule.negated;
  return ignored;
}

/** Last path segment of an image repository, without tag or digest: `ghcr.io/org/api:1.2` → `api`. */
export function imageBaseName(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const last = withoutDigest.slice(lastSlash + 1);
  const colon = last.indexOf(':');
  return (colon >= 0 ? last.slice(0, colon) : last).toLowerCase();
}

/** `Dockerfile.<suffix>` suffixes that name a variant of the build, not the image. */
const VARIANT_SUFFIX =
  /^(dev|develop|development|prod|production|staging|test|tests|ci|debug|local|build|builder|release|base|alpine|debian|ubuntu|slim|distroless|buildx|buildkit|cross|arm|arm64|amd64|windows|linux|gpu|cpu|cuda)$/i;

/** Names under which the image a Dockerfile builds is probably known: its directory, its suffix, compose services. */
export function imageNamesFor(snapshot: RepoSnapshot, dockerfile: Dockerfile): Set<string> {
  const names = new Set<string>();
  const base = dockerfile.path.slice(dockerfile.path.lastIndexOf('/') + 1);
  const suffix =
    /^(?:Dockerfile|Containerfile)[.-](.+)$/i.exec(base)?.[1] ??
    /^(.+)\.(?:Dockerfile|Containerfile)$/i.exec(base)?.[1];
  if (suffix && !VARIANT_SUFFIX.test(suffix)) names.add(suffix.toLowerCase());
  const directory = dockerfile.directory
    .split('/')
    .filter((part) => part && !/^(docker|build|deploy|\.docker|containers?)$/i.test(part))
    .pop();
  if (directory) names.add(directory.toLowerCase());
  if (snapshot.root) names.add(snapshot.root.split('/').pop()!.toLowerCase());
  for (const service of servicesBuilding(snapshot, dockerfile.path)) {
    names.add(service.name.toLowerCase());
    if (service.image) names.add(imageBaseName(service.image));
  }
  for (const build of getImageBuilds(snapshot)) {
    if (build.dockerfile !== dockerfile.path) continue;
    for (const tag of build.tags) {
      const name = imageBaseName(tag);
      if (name && !/[${}]/.test(name)) names.add(name);
    }
  }
  // The project's own name: package.json "name", the last segment of the go.mod module, Cargo/pyproject names.
  try {
    addManifestNames(snapshot, dockerfile.directory, names);
  } catch {
    // A manifest beyond the read budget is not fetched: the other names still count.
  }
  names.delete('');
  return names;
}

function addManifestNames(snapshot: RepoSnapshot, directory: string, names: Set<string>): void {
  const manifestName = (path: string) => (directory ? `${directory}/${path}` : path);
  const packageJson = snapshot.has(manifestName('package.json'))
    ? readJson(snapshot, manifestName('package.json'))
    : undefined;
  if (packageJson?.ok && isRecord(packageJson.value) && typeof packageJson.value.name === 'string')
    names.add(packageJson.value.name.replace(/^@[^/]+\//, '').toLowerCase());
  const goMod = snapshot.has(manifestName('go.mod')) ? snapshot.text(manifestName('go.mod')) : undefined;
  const module = goMod ? /^module\s+(\S+)/m.exec(goMod)?.[1] : undefined;
  if (module)
    names.add(
      module
        .replace(/\/v\d+$/, '')
        .split('/')
        .pop()!
        .toLowerCase(),
    );
  for (const toml of ['Cargo.toml', 'pyproject.toml']) {
    const parsed = snapshot.has(manifestName(toml)) ? readToml(snapshot, manifestName(toml)) : undefined;
    const section = parsed?.ok ? (parsed.value.package ?? parsed.value.project) : undefined;
    if (isRecord(section) && typeof section.name === 'string') names.add(section.name.toLowerCase());
  }
}

/** The k8s containers that run the image `dockerfile` builds (by name, or a templated image when it is the only Dockerfile). */
export function k8sContainersFor(
  snapshot: RepoSnapshot,
  dockerfile: Dockerfile,
  dockerfileCount: number,
): K8sContainer[] {
  const names = imageNamesFor(snapshot, dockerfile);
  return getK8sContainers(snapshot).filter((container) => {
    if (/\{\{|\$\{|\$\(/.test(container.image)) return dockerfileCount === 1;
    return names.has(imageBaseName(container.image));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Common shapes of the container checks

export const NO_DOCKERFILE =
  'no Dockerfile or Containerfile found (looked for Dockerfile, Dockerfile.*, *.Dockerfile and Containerfile in every directory, outside test fixtures, examples and vendored code)';

/** Findings for Dockerfiles that could not be read or hold no stage: a check cannot judge them. */
export function unusableFindings(dockerfiles: readonly Dockerfile[]): Finding[] {
  return dockerfiles
    .filter((dockerfile) => !dockerfile.readable || dockerfile.stages.length === 0)
    .map((dockerfile) => ({
      message: `${dockerfile.path} could not be evaluated: ${dockerfile.problems[0]?.message ?? 'no stages'}`,
      path: dockerfile.path,
      ...(dockerfile.problems[0]?.line ? { line: dockerfile.problems[0].line } : {}),
    }));
}

export function getDockerfilesIn(snapshot: RepoSnapshot): {
  all: Dockerfile[];
  usable: Dockerfile[];
  unusable: Finding[];
} {
  const all = getDockerfiles(snapshot);
  return {
    all,
    usable: all.filter((dockerfile) => dockerfile.readable && dockerfile.stages.length > 0),
    unusable: unusableFindings(all),
  };
}

/** `a, b and 3 more` for summaries. */
export function listNames(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
