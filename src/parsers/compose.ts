/**
 * Compose files (compose.yaml, docker-compose*.yml …): services with their image, build context and Dockerfile,
 * health check, resource limits and `extends`, each with its line. Parsed with `yaml` (merge keys and aliases
 * followed); a file that does not parse is returned with its first error and line, never thrown.
 */
import { posix } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { isNotTheProjectsOwn } from './dockerfile.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';

/** compose.yaml, compose.yml, docker-compose.yml, docker-compose.prod.yml, compose.override.yaml … anywhere. */
export const COMPOSE_GLOBS = ['**/{compose,docker-compose}{,.*,-*}.{yml,yaml}'];
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
