/**
 * Helpers shared by the container checks: compose files (services, build contexts, health checks, limits, with
 * lines), `.dockerignore` matching with Docker's semantics, Kubernetes probes, and which compose service or k8s
 * workload runs the image a Dockerfile builds.
 */
import { posix } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import picomatch from 'picomatch';
import type { Finding } from '../../src/engine/types.js';
import {
  DOCKERFILE_GLOBS,
  isNotTheProjectsOwn,
  getDockerfiles,
  type Dockerfile,
} from '../../src/parsers/dockerfile.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { isRecord, readJson, readToml } from '../../src/parsers/structured.js';
import { getImageBuilds } from './image-builds.js';
import { classifyPath } from '../../src/engine/file-classes.js';

export { DOCKERFILE_GLOBS };

/** compose.yaml, compose.yml, docker-compose.yml, docker-compose.prod.yml, compose.override.yaml … anywhere. */
export const COMPOSE_GLOBS = ['**/{compose,docker-compose}{,.*,-*}.{yml,yaml}'];
export const DOCKERIGNORE_GLOBS = ['**/.dockerignore', '**/*.dockerignore'];
/** Kubernetes manifests and Helm charts in the usual places (bounded: large GitOps trees exist). */
export const K8S_NEED = {
  glob: '**/{k8s,kube,kubernetes,deploy,deployment,deployments,manifests,helm,charts,chart,kustomize,.k8s,infra}/**/*.{yml,yaml}',
  max: 300,
};

/** Like isNotTheProjectsOwn, but Helm charts keep their manifests in `templates/`. */
function isNotOwnManifest(path: string): boolean {
  const fileClass = classifyPath(path);
  return fileClass !== 'project' && fileClass !== 'example' && fileClass !== 'template';
}

const COMPOSE_PATTERN = /(^|\/)(compose|docker-compose)([.-][^/]*)?\.ya?ml$/;

export interface Located {
  line: number;
}

export interface ComposeBuild {
  /** Build context relative to the view root ('' for the root); undefined when remote (a git URL). */
  context?: string;
  /** The Dockerfile the service builds, relative to the view root; undefined for `dockerfile_inline` or remote contexts. */
  dockerfile?: string;
  /** `build.target`: the stage built instead of the final one. */
  target?: string;
  line: number;
}

export interface ComposeService {
  name: string;
  file: string;
  line: number;
  image?: string;
  build?: ComposeBuild;
  /** The `healthcheck:` block; `disabled` for `disable: true` or `test: ["NONE"]`. */
  healthcheck?: { line: number; disabled: boolean };
  /** Where a memory or CPU limit is set (`deploy.resources.limits`, `mem_limit`, `cpus`, `memswap_limit`). */
  limits?: { line: number; how: string };
  /** `extends: { service }` within the same file. */
  extends?: string;
}

export interface ComposeFile {
  path: string;
  directory: string;
  ok: boolean;
  error?: string;
  errorLine?: number;
  services: ComposeService[];
}

function lineAt(counter: LineCounter, node: Node | null | undefined, fallback = 1): number {
  const offset = node?.range?.[0];
  return offset === undefined ? fallback : counter.linePos(offset).line;
}

function keyLine(counter: LineCounter, map: YAMLMap, key: string, fallback: number): number {
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
  return pair ? lineAt(counter, pair.key as Node, fallback) : fallback;
}

function scalarString(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')
    ? String(node.value)
    : undefined;
}

/** Joins a compose-relative path onto the compose file's directory; undefined when it leaves the view or is a URL. */
function resolveRelative(directory: string, relative: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(relative) || /^git@|\.git(#|$)/.test(relative) || relative.startsWith('/'))
    return undefined;
  const joined = posix.normalize(posix.join(directory || '.', relative));
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

export function parseComposeText(path: string, text: string): ComposeFile {
  const slash = path.lastIndexOf('/');
  const directory = slash < 0 ? '' : path.slice(0, slash);
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: false });
  if (document.errors.length) {
    const first = document.errors[0];
    return {
      path,
      directory,
      ok: false,
      error: first.message.split('\n')[0],
      errorLine: first.linePos?.[0]?.line ?? counter.linePos(first.pos[0]).line,
      services: [],
    };
  }
  const root = document.contents;
  if (!isMap(root))
    return { path, directory, ok: false, error: 'the file is not a YAML mapping', errorLine: 1, services: [] };
  /** A key of a map, following YAML merge keys (`<<: *defaults`), which compose files use a lot. */
  const get = (map: YAMLMap, key: string, depth = 0): Node | null | undefined => {
    if (map.has(key)) {
      const value = map.get(key, true) as Node | null | undefined;
      return isAlias(value) ? (value.resolve(document) as Node | undefined) : value;
    }
    if (depth > 5) return undefined;
    for (const item of map.items) {
      if (!isScalar(item.key) || item.key.value !== '<<') continue;
      const sources = isSeq(item.value) ? item.value.items : [item.value];
      for (const source of sources) {
        const resolved = isAlias(source) ? source.resolve(document) : source;
        if (!isMap(resolved)) continue;
        const found = get(resolved as YAMLMap, key, depth + 1);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  const servicesNode = root.get('services', true);
  const services: ComposeService[] = [];
  if (servicesNode !== undefined && !isMap(servicesNode)) {
    return {
      path,
      directory,
      ok: false,
      error: '`services` is not a mapping',
      errorLine: keyLine(counter, root, 'services', 1),
      services,
    };
  }
  for (const pair of isMap(servicesNode) ? servicesNode.items : []) {
    const name = scalarString(pair.key);
    if (!name) continue;
    const line = lineAt(counter, pair.key as Node);
    const service: ComposeService = { name, file: path, line };
    const body = isAlias(pair.value) ? pair.value.resolve(document) : pair.value;
    if (isMap(body)) {
      const image = scalarString(get(body, 'image'));
      if (image) service.image = image;
      const build = get(body, 'build') as Node | null | undefined;
      if (build !== undefined && build !== null) {
        const buildLine = keyLine(counter, body, 'build', line);
        if (isScalar(build)) {
          const context = resolveRelative(directory, String(build.value ?? '.'));
          service.build = {
            line: buildLine,
            ...(context !== undefined ? { context, dockerfile: context ? `${context}/Dockerfile` : 'Dockerfile' } : {}),
          };
        } else if (isMap(build)) {
          const context = resolveRelative(directory, scalarString(get(build, 'context')) ?? '.');
          const dockerfileName = scalarString(get(build, 'dockerfile'));
          const inline = get(build, 'dockerfile_inline') !== undefined;
          const dockerfile =
            context === undefined || inline
              ? undefined
              : dockerfileName
                ? resolveRelative(context, dockerfileName)
                : context
                  ? `${context}/Dockerfile`
                  : 'Dockerfile';
          const target = scalarString(get(build, 'target'));
          service.build = {
            line: buildLine,
            ...(context !== undefined ? { context } : {}),
            ...(dockerfile !== undefined ? { dockerfile } : {}),
            ...(target ? { target } : {}),
          };
        }
      }
      const healthcheck = get(body, 'healthcheck') as Node | null | undefined;
      if (healthcheck !== undefined) {
        let disabled = false;
        if (isMap(healthcheck)) {
          const disable = get(healthcheck, 'disable');
          if (isScalar(disable) && disable.value === true) disabled = true;
          const test = get(healthcheck, 'test');
          if (isSeq(test) && scalarString(test.items[0])?.toUpperCase() === 'NONE') disabled = true;
        } else if (healthcheck === null || (isScalar(healthcheck) && healthcheck.value === null)) {
          disabled = true;
        }
        service.healthcheck = { line: keyLine(counter, body, 'healthcheck', line), disabled };
      }
      const deploy = get(body, 'deploy');
      const resources = isMap(deploy) ? get(deploy, 'resources') : undefined;
      const limits = isMap(resources) ? get(resources, 'limits') : undefined;
      if (isMap(limits) && limits.items.length && isMap(resources)) {
        service.limits = { line: keyLine(counter, resources, 'limits', line), how: 'deploy.resources.limits' };
      } else {
        for (const key of ['mem_limit', 'cpus', 'memswap_limit', 'cpu_quota']) {
          if (get(body, key) !== undefined) {
            service.limits = { line: keyLine(counter, body, key, line), how: key };
            break;
          }
        }
      }
      const extendsNode = get(body, 'extends');
      const extended =
        isMap(extendsNode) && !(get(extendsNode, 'file') !== undefined)
          ? scalarString(get(extendsNode, 'service'))
          : scalarString(extendsNode);
      if (extended) service.extends = extended;
    }
    services.push(service);
  }
  return { path, directory, ok: true, services };
}

/** The view's own compose files, parsed once. Declare COMPOSE_GLOBS. */
export function getComposeFiles(snapshot: RepoSnapshot): ComposeFile[] {
  return snapshot.memo('container:compose', () =>
    snapshot.entries
      .filter((entry) => entry.kind === 'file' && COMPOSE_PATTERN.test(entry.path) && !isNotTheProjectsOwn(entry.path))
      .map((entry) => {
        const file = snapshot.file(entry.path);
        if (!file || file.text === null) {
          return {
            path: entry.path,
            directory: '',
            ok: false,
            error: file?.binary ? 'binary file' : (file?.error ?? 'unreadable'),
            services: [],
          };
        }
        if (file.truncated)
          return {
            path: entry.path,
            directory: '',
            ok: false,
            error: 'the file is larger than the read limit',
            services: [],
          };
        return parseComposeText(entry.path, file.text);
      }),
  );
}

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
    const matcher = picomatch(pattern, { dot: true });
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

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes

export interface K8sContainer {
  file: string;
  line: number;
  image: string;
  probes: string[];
}

/**
 * Containers of Kubernetes workloads (and Helm templates, read as text: they are rarely valid YAML) with the probes
 * each declares. Text-based on purpose: Helm `{{ }}` blocks and multi-document files break a YAML parser.
 */
export function getK8sContainers(snapshot: RepoSnapshot): K8sContainer[] {
  return snapshot.memo('container:k8s', () => {
    const matches = picomatch(K8S_NEED.glob, { dot: true });
    const containers: K8sContainer[] = [];
    for (const entry of snapshot.entries) {
      if (entry.kind !== 'file' || !matches(entry.path) || isNotOwnManifest(entry.path)) continue;
      const text = snapshot.textIfRead(entry.path); // undefined beyond the bounded need: not fetched
      if (
        !text ||
        !/\bkind:\s*["']?(Deployment|StatefulSet|DaemonSet|Rollout|DeploymentConfig|Job|CronJob)\b|\bimage:/.test(text)
      )
        continue;
      containers.push(...containersInText(entry.path, text));
    }
    return containers;
  });
}

const indentOf = (line: string) => /^\s*/.exec(line)![0].length;

/** Each `image:` line with the probes of the list item (container) that holds it. */
export function containersInText(file: string, text: string): K8sContainer[] {
  const lines = text.split(/\r?\n/);
  const containers: K8sContainer[] = [];
  lines.forEach((line, index) => {
    const image = imageLine(line);
    if (!image) return;
    // The list item holding this image: the image line itself when it starts with `-`, else the nearest `- ` above it.
    let start = index;
    if (!image[1]) {
      const own = image[0].length;
      for (let cursor = index - 1; cursor >= 0; cursor -= 1) {
        const candidate = lines[cursor];
        if (!candidate.trim() || candidate.trim().startsWith('#')) continue;
        if (/^---/.test(candidate) || indentOf(candidate) < own - 2) break;
        if (/^\s*-\s/.test(candidate) && indentOf(candidate) === own - 2) {
          start = cursor;
          break;
        }
      }
    }
    const itemIndent = indentOf(lines[start]);
    const probes: string[] = [];
    for (let cursor = start; cursor < lines.length; cursor += 1) {
      const candidate = lines[cursor];
      if (
        cursor > start &&
        candidate.trim() &&
        !candidate.trim().startsWith('#') &&
        (indentOf(candidate) <= itemIndent || /^---/.test(candidate))
      )
        break;
      const probe = /^\s*(?:-\s+)?(livenessProbe|readinessProbe|startupProbe):/.exec(candidate);
      if (probe && !probes.includes(probe[1])) probes.push(probe[1]);
    }
    containers.push({ file, line: index + 1, image: image[2].trim(), probes });
  });
  return containers;
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

/**
 * An `image:` line of a manifest: [indent, `- ` (when the line opens a list item), the image]. In code: as one regex,
 * the lazy value and the optional quotes and blanks around it backtrack quadratically on long lines.
 */
function imageLine(line: string): [string, string | undefined, string] | undefined {
  const key = /^(\s*)(-\s+)?image:\s*/.exec(line);
  if (!key) return undefined;
  const rest = line.slice(key[0].length);
  const comment = rest.indexOf('#');
  let value = (comment < 0 ? rest : rest.slice(0, comment)).trimEnd();
  if (value.startsWith('"') || value.startsWith("'")) value = value.slice(1);
  if (value.endsWith('"') || value.endsWith("'")) value = value.slice(0, -1);
  if (!value || /^\s|["']/.test(value)) return undefined;
  return [key[1], key[2], value];
}
