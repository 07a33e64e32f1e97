import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { isRecord } from '../../src/parsers/structured.js';
import {
  K8S_MANIFEST_GLOBS,
  readK8sManifests,
  type ContainerSpec,
  type HelmTemplate,
  type Workload,
} from '../../src/parsers/k8s.js';

const REQUIREMENTS = ['livenessProbe', 'readinessProbe', 'memory limit', 'runAsNonRoot'] as const;
type Requirement = (typeof REQUIREMENTS)[number];

const FIX: Record<Requirement, string> = {
  livenessProbe: 'livenessProbe',
  readinessProbe: 'readinessProbe',
  'memory limit': 'resources.limits.memory',
  runAsNonRoot: 'securityContext.runAsNonRoot: true',
};

function runsAsNonRoot(context: unknown): boolean | undefined {
  if (!isRecord(context)) return undefined;
  if (context.runAsNonRoot === true) return true;
  if (typeof context.runAsUser === 'number') return context.runAsUser > 0;
  if (context.runAsNonRoot === false) return false;
  return undefined;
}

function missingInContainer(workload: Workload, container: ContainerSpec): Requirement[] {
  const missing: Requirement[] = [];
  const value = container.value;
  if (!isRecord(value.livenessProbe)) missing.push('livenessProbe');
  if (!isRecord(value.readinessProbe)) missing.push('readinessProbe');
  const resources = isRecord(value.resources) ? value.resources : {};
  const limits = isRecord(resources.limits) ? resources.limits : {};
  if (limits.memory === undefined || limits.memory === null || limits.memory === '') missing.push('memory limit');
  // The container's own securityContext wins over the pod's.
  const own = runsAsNonRoot(value.securityContext);
  if (!(own ?? runsAsNonRoot(workload.podSpec.securityContext) ?? false)) missing.push('runAsNonRoot');
  return missing;
}

/** Uncommented lines only: a commented-out `# limits:` in values.yaml sets nothing. */
function activeText(text: string | undefined): string {
  return (text ?? '')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
}

/**
 * True when a `parent:` key holds a `child` key: inline (`limits: { memory: 256Mi }`) or in the lines indented deeper
 * below it. Indentation-aware, so an empty `limits:` followed by `requests: { memory: … }` does not count.
 */
function hasNestedKey(text: string, parent: string, child: RegExp): boolean {
  const lines = text.split('\n');
  // `[^]*` to the end, not `.*$`: a `\r` in the line would make `\s*(.*)$` backtrack quadratically.
  const opener = new RegExp(`^(\\s*)(?:- )?${parent}:\\s*([^]*)$`);
  for (let index = 0; index < lines.length; index += 1) {
    const match = opener.exec(lines[index]);
    if (!match) continue;
    const inline = match[2].trim();
    if (inline.startsWith('{') && new RegExp(`[{,]\\s*${child.source.replace(/^\^/, '')}`).test(inline)) return true;
    const indent = match[1].length;
    for (let next = index + 1; next < lines.length; next += 1) {
      const line = lines[next];
      if (!line.trim()) continue;
      const depth = line.length - line.trimStart().length;
      if (depth <= indent) break;
      if (child.test(line.trim())) return true;
    }
  }
  return false;
}

function missingInHelm(template: HelmTemplate): Requirement[] {
  const own = activeText(template.text);
  const values = activeText(template.values?.text);
  const either = `${own}\n${values}`;
  const missing: Requirement[] = [];
  if (!/\blivenessProbe\b/.test(either)) missing.push('livenessProbe');
  if (!/\breadinessProbe\b/.test(either)) missing.push('readinessProbe');
  if (!hasNestedKey(either, 'limits', /^memory:\s*\S/)) missing.push('memory limit');
  if (!/\brunAsNonRoot:\s*true\b|\brunAsUser:\s*[1-9]\d*\b/.test(either)) missing.push('runAsNonRoot');
  return missing;
}

export default defineCheck({
  id: 'k8s-workloads-hardened',
  category: 'operations',
  severity: 'low',
  problemTitle: 'Kubernetes workloads lack probes, memory limits or a non-root user',
  title: 'Kubernetes workloads hardened',
  description: [
    'Every container of every Deployment, StatefulSet, DaemonSet (and ReplicaSet, Argo Rollout) defines a `livenessProbe` and a `readinessProbe`, a memory limit (`resources.limits.memory`; a CPU limit is not required, since it throttles more than it protects),',
    'and runs as non-root (`runAsNonRoot: true`, or a non-zero `runAsUser`, on the container or the pod). Manifests are multi-document YAML under `k8s/`, `kubernetes/`, `kubernetes-manifests/`, `deploy*/`, `manifests/`, `charts/`, `helm/`, kustomize `base/`/`overlays/`… and files named `*deployment*.yaml`, `*k8s*.yaml`; kustomize patch files and manifests under `fixtures/`, `testdata/`, `examples/` are skipped.',
    'Helm chart templates are Go templates, not YAML: they are read as text, and a requirement counts as met when the template or the chart’s `values.yaml` sets it.',
    'The score is the share of requirements met over all containers; `warn` from half, `fail` below. `not-applicable` without workload manifests.',
  ].join(' '),
  rationale:
    'Without probes Kubernetes sends traffic to pods that are not ready and never restarts a hung one; without a memory limit one leaking pod can starve its node; a container running as root turns any code-execution bug into a much larger breach.',
  remediation: [
    'In the workload manifest named in the finding, give each container probes, a memory limit and a non-root security context:',
    '',
    '```yaml',
    'containers:',
    '  - name: app',
    '    livenessProbe:',
    '      httpGet: { path: /healthz, port: 8080 }',
    '    readinessProbe:',
    '      httpGet: { path: /readyz, port: 8080 }',
    '    resources:',
    '      requests: { cpu: 100m, memory: 128Mi }',
    '      limits: { memory: 256Mi }',
    '    securityContext:',
    '      runAsNonRoot: true',
    '      allowPrivilegeEscalation: false',
    '```',
  ].join('\n'),
  effort: 'hours',
  profiles: ['service'],
  scope: 'repository',
  needs: { files: K8S_MANIFEST_GLOBS },
  evaluate({ snapshot }) {
    const manifests = readK8sManifests(snapshot);
    const findings: Finding[] = [];
    let total = 0;
    let met = 0;
    let containers = 0;
    for (const workload of manifests.workloads) {
      for (const container of workload.containers) {
        containers += 1;
        const missing = missingInContainer(workload, container);
        total += REQUIREMENTS.length;
        met += REQUIREMENTS.length - missing.length;
        if (missing.length) {
          findings.push({
            message: `${workload.kind} ${workload.name}, container ${container.name}: no ${missing.map((item) => FIX[item]).join(', no ')}`,
            path: workload.path,
            line: container.line,
          });
        }
      }
    }
    for (const template of manifests.helmTemplates) {
      containers += 1;
      const missing = missingInHelm(template);
      total += REQUIREMENTS.length;
      met += REQUIREMENTS.length - missing.length;
      if (missing.length) {
        findings.push({
          message: `Helm template ${template.kind} (${template.path}): neither it nor ${template.values?.path ?? 'a values.yaml'} sets ${missing.map((item) => FIX[item]).join(', ')}`,
          path: template.path,
          line: template.line,
        });
      }
    }
    const problems: Finding[] = manifests.problems.map((problem) => ({
      message: problem.message,
      path: problem.path,
      ...(problem.line ? { line: problem.line } : {}),
    }));
    if (total === 0) {
      if (problems.length)
        return result.warn(`no workload could be checked: ${problems.length} manifest(s) did not parse`, problems);
      return result.notApplicable(
        `no Kubernetes Deployment, StatefulSet or DaemonSet manifests found (looked in k8s/, kubernetes*/, deploy*/, *manifests/, charts/, helm/, kustomize directories and *deployment*.yaml; ${manifests.filesRead} YAML file(s) read)`,
      );
    }
    const workloads = manifests.workloads.length + manifests.helmTemplates.length;
    const score = Math.round((met / total) * 100) / 100;
    const counted = `${workloads} workload(s), ${containers} container(s)`;
    if (findings.length === 0 && problems.length === 0)
      return result.pass(`${counted}: probes, memory limits and runAsNonRoot everywhere`);
    if (findings.length === 0)
      return result.warn(`${counted} hardened, but ${problems.length} manifest(s) did not parse`, problems, score);
    const summary = `${findings.length} of ${containers} container(s) lack probes, a memory limit or runAsNonRoot (${met} of ${total} requirements met)`;
    return score >= 0.5
      ? result.warn(summary, [...findings, ...problems], score)
      : result.fail(summary, [...findings, ...problems]);
  },
});
