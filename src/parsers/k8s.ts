import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { isRecord } from './structured.js';
import { globMatcher, type RepoSnapshot } from '../snapshot/snapshot.js';
import { classifyPath } from '../engine/file-classes.js';

/** Manifests that are not the repository's own deployment: test fixtures, vendored charts (templates are Helm's). */
const isNotDeployment = (path: string) => !['project', 'example', 'template'].includes(classifyPath(path));

/**
 * Kubernetes workload manifests: where they are looked for, and a parse of every document (multi-document YAML,
 * with line numbers) that checks can share through `snapshot.memo`. Helm chart templates are Go templates, not YAML:
 * they are returned apart, as text, for a textual reading.
 */
export const K8S_MANIFEST_GLOBS = [
  {
    glob: '**/{*k8s*,*kubernetes*,kube,deploy*,*manifests,manifest,helm,charts,chart,kustomize,overlays,base,infra,infrastructure,ops,gitops,argocd,flux,clusters}/**/*.{yaml,yml}',
    max: 400,
  },
  {
    glob: '**/*{deployment,Deployment,statefulset,StatefulSet,daemonset,DaemonSet,k8s,kube,workload}*.{yaml,yml}',
    max: 100,
  },
  { glob: 'templates/**/*.{yaml,yml}', max: 50 },
  { glob: '**/values.{yaml,yml}', max: 50 },
  { glob: '**/kustomization.{yaml,yml}', max: 100 },
];

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout'];

export interface ContainerSpec {
  name: string;
  /** 1-based line of the container's entry in the manifest. */
  line: number;
  value: Record<string, unknown>;
}

export interface Workload {
  path: string;
  kind: string;
  name: string;
  /** 1-based line of the document's `kind:`. */
  line: number;
  podSpec: Record<string, unknown>;
  containers: ContainerSpec[];
}

export interface HelmTemplate {
  path: string;
  kind: string;
  line: number;
  text: string;
  /** The chart's values.yaml text, when present. */
  values?: { path: string; text: string };
}

export interface ManifestProblem {
  path: string;
  line?: number;
  message: string;
}

export interface K8sManifests {
  workloads: Workload[];
  helmTemplates: HelmTemplate[];
  problems: ManifestProblem[];
  /** Files read that held no workload (services, config maps, patches…). */
  filesRead: number;
}

const KIND_LINE = new RegExp(`^kind:\\s*["']?(${WORKLOAD_KINDS.join('|')})["']?\\s*$`, 'm');

function read(snapshot: RepoSnapshot, path: string): string | undefined {
  return snapshot.textIfRead(path); // undefined when it matched a glob but was past its max
}

function lineOfOffset(counter: LineCounter, offset: number | undefined): number {
  return offset === undefined ? 1 : counter.linePos(offset).line;
}

/** Patch files named by kustomizations: partial documents, not workloads of their own. */
function kustomizePatches(snapshot: RepoSnapshot, paths: string[]): Set<string> {
  const patches = new Set<string>();
  for (const path of paths.filter((candidate) => /(^|\/)kustomization\.ya?ml$/.test(candidate))) {
    const text = read(snapshot, path);
    if (!text) continue;
    const directory = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    const documents = parseAllDocuments(text);
    if (!Array.isArray(documents)) continue;
    for (const document of documents) {
      let value: unknown;
      try {
        value = document.toJS({ maxAliasCount: 1000 });
      } catch {
        continue; // alias bomb or similar: not a kustomization we can use
      }
      if (!isRecord(value)) continue;
      const entries = [value.patchesStrategicMerge, value.patches, value.patchesJson6902].flatMap((list) =>
        Array.isArray(list) ? list : [],
      );
      for (const entry of entries) {
        const file =
          typeof entry === 'string'
            ? entry
            : isRecord(entry) && typeof entry.path === 'string'
              ? entry.path
              : undefined;
        if (file && !file.includes('\n')) patches.add(normalize(directory + file));
      }
    }
  }
  return patches;
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part && part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/** The chart directory of a Helm template (`<chart>/templates/…` with `<chart>/Chart.yaml`), if it is one. */
function chartOf(snapshot: RepoSnapshot, path: string): string | undefined {
  const index = path.lastIndexOf('templates/');
  if (index < 0 || (index > 0 && path[index - 1] !== '/')) return undefined;
  const chart = path.slice(0, index);
  return snapshot.has(`${chart}Chart.yaml`) || snapshot.has(`${chart}Chart.yml`) ? chart : undefined;
}

function workloadsOf(path: string, document: Document.Parsed, counter: LineCounter): Workload | undefined {
  const value = document.toJS({ maxAliasCount: 1000 }) as unknown;
  if (!isRecord(value) || typeof value.kind !== 'string' || !WORKLOAD_KINDS.includes(value.kind)) return undefined;
  const spec = value.spec;
  const template = isRecord(spec) ? spec.template : undefined;
  const podSpec = isRecord(template) ? template.spec : undefined;
  // A document without a pod template is a partial (a kustomize patch, a scale override): nothing to judge.
  if (!isRecord(podSpec) || !Array.isArray(podSpec.containers)) return undefined;
  const containersNode = document.getIn(['spec', 'template', 'spec', 'containers'], true);
  const kindNode = isMap(document.contents)
    ? document.contents.items.find((pair) => (pair.key as { value?: unknown })?.value === 'kind')
    : undefined;
  const containers: ContainerSpec[] = podSpec.containers.map((container, index) => {
    const node = isSeq(containersNode) ? containersNode.items[index] : undefined;
    const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    return {
      name: isRecord(container) && typeof container.name === 'string' ? container.name : `#${index + 1}`,
      line: lineOfOffset(counter, offset),
      value: isRecord(container) ? container : {},
    };
  });
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  return {
    path,
    kind: value.kind,
    name: typeof metadata.name === 'string' ? metadata.name : '(unnamed)',
    line: lineOfOffset(counter, (kindNode?.key as { range?: [number, number, number] } | undefined)?.range?.[0]),
    podSpec,
    containers,
  };
}

/** Every workload in the manifests the snapshot holds (declare K8S_MANIFEST_GLOBS in the check's needs). */
export function readK8sManifests(snapshot: RepoSnapshot): K8sManifests {
  return snapshot.memo('k8s-manifests', () => {
    const isManifest = globMatcher(
      K8S_MANIFEST_GLOBS.filter((need) => !/values|kustomization/.test(need.glob)).map((need) => need.glob),
    );
    const paths = snapshot.entries.filter((entry) => entry.kind === 'file').map((entry) => entry.path);
    const patches = kustomizePatches(snapshot, paths);
    const manifests: K8sManifests = { workloads: [], helmTemplates: [], problems: [], filesRead: 0 };
    for (const path of paths) {
      if (
        !isManifest(path) ||
        isNotDeployment(path) ||
        patches.has(path) ||
        /(^|\/)(kustomization|values|Chart)\.ya?ml$/.test(path)
      )
        continue;
      const text = read(snapshot, path);
      if (text === undefined) continue;
      manifests.filesRead += 1;
      const kind = KIND_LINE.exec(text);
      const chart = chartOf(snapshot, path);
      if (chart !== undefined) {
        if (!kind) continue;
        const valuesPath = [`${chart}values.yaml`, `${chart}values.yml`].find((candidate) => snapshot.has(candidate));
        const valuesText = valuesPath ? read(snapshot, valuesPath) : undefined;
        manifests.helmTemplates.push({
          path,
          kind: kind[1],
          line: text.slice(0, kind.index).split('\n').length,
          text,
          ...(valuesPath && valuesText !== undefined ? { values: { path: valuesPath, text: valuesText } } : {}),
        });
        continue;
      }
      if (!kind) continue; // no workload in this file: skip parsing it
      const counter = new LineCounter();
      const documents = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false });
      if (!Array.isArray(documents)) continue;
      for (const document of documents) {
        if (document.errors.length) {
          const error = document.errors[0];
          manifests.problems.push({
            path,
            line: error.linePos?.[0]?.line ?? lineOfOffset(counter, error.pos?.[0]),
            message: `${path}: invalid YAML, workloads in it were not checked (${error.message.split('\n')[0]})`,
          });
          continue;
        }
        let workload: Workload | undefined;
        try {
          workload = workloadsOf(path, document, counter);
        } catch (error) {
          manifests.problems.push({
            path,
            message: `${path}: could not read a document (${(error as Error).message})`,
          });
          continue;
        }
        if (workload) manifests.workloads.push(workload);
      }
    }
    return manifests;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Containers and their probes, for matching a Dockerfile's image to the workloads that run it

/** Kubernetes manifests and Helm charts in the usual places (bounded: large GitOps trees exist). */
export const K8S_NEED = {
  glob: '**/{k8s,kube,kubernetes,deploy,deployment,deployments,manifests,helm,charts,chart,kustomize,.k8s,infra}/**/*.{yml,yaml}',
  max: 300,
};

export interface K8sContainer {
  file: string;
  /** 1-based line of the container's `image:`. */
  line: number;
  image: string;
  probes: string[];
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/**
 * Containers of the Kubernetes manifests in K8S_NEED, with the probes each declares (declare K8S_NEED). Manifests are
 * parsed as multi-document YAML; Helm templates (`{{ }}`) and files that do not parse are read line by line.
 */
export function getK8sContainers(snapshot: RepoSnapshot): K8sContainer[] {
  return snapshot.memo('k8s:containers', () => {
    const matches = globMatcher(K8S_NEED.glob);
    const containers: K8sContainer[] = [];
    for (const entry of snapshot.entries) {
      if (entry.kind !== 'file' || !matches(entry.path) || isNotDeployment(entry.path)) continue;
      const text = snapshot.textIfRead(entry.path); // undefined beyond the bounded need: not fetched
      if (text?.includes('image:')) containers.push(...containersInText(entry.path, text));
    }
    return containers;
  });
}

/** Each container (a map with `image` in a `containers`/`initContainers` list) of every document in `text`. */
export function containersInText(file: string, text: string): K8sContainer[] {
  if (!text.includes('{{')) {
    const counter = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false });
    if (Array.isArray(documents) && documents.every((document) => document.errors.length === 0)) {
      const containers: K8sContainer[] = [];
      for (const document of documents) collectContainers(file, document.contents, counter, containers, 0);
      return containers;
    }
  }
  return containersInTemplate(file, text);
}

/** Walks maps and sequences (not scalars: a ConfigMap's embedded YAML is data, not a container). */
function collectContainers(
  file: string,
  node: unknown,
  counter: LineCounter,
  into: K8sContainer[],
  depth: number,
): void {
  if (depth > 40) return;
  if (isSeq(node)) {
    for (const item of node.items) collectContainers(file, item, counter, into, depth + 1);
    return;
  }
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key === 'string' && CONTAINER_LISTS.has(key) && isSeq(pair.value)) {
      for (const item of pair.value.items) {
        if (!isMap(item)) continue;
        const imagePair = item.items.find((entry) => isScalar(entry.key) && entry.key.value === 'image');
        const image = isScalar(imagePair?.value) ? imagePair.value.value : undefined;
        if (typeof image !== 'string' || !image.trim()) continue;
        const probes = item.items // in the manifest's order
          .map((entry) => (isScalar(entry.key) ? entry.key.value : undefined))
          .filter((name): name is string => typeof name === 'string' && PROBES.includes(name));
        const offset = (imagePair!.key as Node).range?.[0];
        into.push({ file, line: lineOfOffset(counter, offset), image: image.trim(), probes });
      }
      continue;
    }
    collectContainers(file, pair.value, counter, into, depth + 1);
  }
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** `image: value # comment` (after an optional `- `): the value without quotes and comment, or undefined. */
function imageValue(line: string): { value: string; listItem: boolean } | undefined {
  let rest = line.trimStart();
  const listItem = rest.startsWith('- ');
  if (listItem) rest = rest.slice(2).trimStart();
  if (!rest.startsWith('image:')) return undefined;
  rest = rest.slice('image:'.length);
  const comment = rest.search(/\s#/);
  if (comment >= 0) rest = rest.slice(0, comment);
  rest = rest.trim();
  if (rest.length >= 2 && (rest[0] === '"' || rest[0] === "'") && rest.endsWith(rest[0])) rest = rest.slice(1, -1);
  rest = rest.trim();
  return rest && !rest.startsWith('#') ? { value: rest, listItem } : undefined;
}

/**
 * Helm templates are Go templates, not YAML: each `image:` line, with the probes of the list item (container) that
 * holds it, found by indentation.
 */
function containersInTemplate(file: string, text: string): K8sContainer[] {
  const lines = text.split(/\r?\n/);
  const isContent = (line: string) => line.trim() !== '' && !line.trim().startsWith('#');
  const containers: K8sContainer[] = [];
  lines.forEach((line, index) => {
    const image = imageValue(line);
    if (!image) return;
    // The list item holding this image: the image line itself when it starts with `-`, else the nearest `- ` above it.
    let start = index;
    if (!image.listItem) {
      const own = indentOf(line);
      for (let cursor = index - 1; cursor >= 0; cursor -= 1) {
        const candidate = lines[cursor];
        if (!isContent(candidate)) continue;
        if (candidate.startsWith('---') || indentOf(candidate) < own - 2) break;
        if (candidate.trimStart().startsWith('- ') && indentOf(candidate) === own - 2) {
          start = cursor;
          break;
        }
      }
    }
    const itemIndent = indentOf(lines[start]);
    const probes: string[] = [];
    for (let cursor = start; cursor < lines.length; cursor += 1) {
      const candidate = lines[cursor];
      if (cursor > start && isContent(candidate) && (indentOf(candidate) <= itemIndent || candidate.startsWith('---')))
        break;
      let key = candidate.trimStart();
      if (key.startsWith('- ')) key = key.slice(2).trimStart();
      const probe = PROBES.find((name) => key.startsWith(`${name}:`));
      if (probe && !probes.includes(probe)) probes.push(probe);
    }
    containers.push({ file, line: index + 1, image: image.value, probes });
  });
  return containers;
}
