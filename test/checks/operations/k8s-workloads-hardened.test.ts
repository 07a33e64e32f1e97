import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/operations/k8s-workloads-hardened.js';
import { runCheck } from '../../helpers/run-check.js';

const hardenedContainer = [
  '        - name: app',
  '          image: ghcr.io/acme/app:1.2.3',
  '          livenessProbe:',
  '            httpGet: { path: /healthz, port: 8080 }',
  '          readinessProbe:',
  '            httpGet: { path: /readyz, port: 8080 }',
  '          resources:',
  '            limits: { memory: 256Mi }',
  '          securityContext:',
  '            runAsNonRoot: true',
];
const deployment = (name: string, containers: string[], podSecurity: string[] = []) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  template:',
    '    spec:',
    ...podSecurity,
    '      containers:',
    ...containers,
  ].join('\n');
const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  ports: [{ port: 80 }]\n';

describe('k8s-workloads-hardened', () => {
  it('passes when every container has probes, a memory limit and runAsNonRoot', async () => {
    const report = await runCheck(check, {
      'k8s/app.yaml': `${service}---\n${deployment('app', hardenedContainer)}\n`,
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('1 workload(s), 1 container(s): probes, memory limits and runAsNonRoot everywhere');
  });

  it('accepts a pod-level runAsNonRoot or a non-zero runAsUser', async () => {
    const container = hardenedContainer.slice(0, 8);
    const report = await runCheck(check, {
      'deploy/a.yaml': deployment('a', container, ['      securityContext:', '        runAsNonRoot: true']),
      'deploy/b.yaml': deployment('b', container, ['      securityContext:', '        runAsUser: 10001']),
    });
    expect(report.outcome).toBe('pass');
  });

  it('fails a bare deployment, with one finding per container at its line', async () => {
    const text = `${service}---\n${deployment('api', ['        - name: api', '          image: acme/api:1', '        - name: sidecar', '          image: envoy:1'])}\n`;
    const report = await runCheck(check, { 'manifests/api.yaml': text });
    expect(report.outcome).toBe('fail');
    expect(report.findings).toEqual([
      {
        message:
          'Deployment api, container api: no livenessProbe, no readinessProbe, no resources.limits.memory, no securityContext.runAsNonRoot: true',
        path: 'manifests/api.yaml',
        line: 16,
      },
      {
        message:
          'Deployment api, container sidecar: no livenessProbe, no readinessProbe, no resources.limits.memory, no securityContext.runAsNonRoot: true',
        path: 'manifests/api.yaml',
        line: 18,
      },
    ]);
  });

  it('warns with the share of requirements met when some are missing', async () => {
    // Missing runAsNonRoot only: 3 of 4 requirements met; the container overrides the pod's setting with false.
    const container = [
      ...hardenedContainer.slice(0, 8),
      '          securityContext:',
      '            runAsNonRoot: false',
    ];
    const report = await runCheck(check, {
      'k8s/statefulset.yaml': deployment('db', container, [
        '      securityContext:',
        '        runAsNonRoot: true',
      ]).replace('kind: Deployment', 'kind: StatefulSet'),
    });
    expect(report.outcome).toBe('warn');
    expect(report.score).toBe(0.75);
    expect(report.findings[0].message).toBe('StatefulSet db, container app: no securityContext.runAsNonRoot: true');
  });

  it('skips kustomize patch files and partial documents', async () => {
    const report = await runCheck(check, {
      'deploy/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'deploy/base/deployment.yaml': deployment('app', hardenedContainer),
      'deploy/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: resources.yaml\n',
      'deploy/overlays/prod/resources.yaml': deployment('app', ['        - name: app', '          image: acme/app:2']),
      'deploy/overlays/prod/replicas.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: 3\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toMatch(/^1 workload/);
  });

  it('reads Helm templates as text, with values.yaml', async () => {
    const template = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ include "app.fullname" . }}',
      'spec:',
      '  template:',
      '    spec:',
      '      securityContext:',
      '        {{- toYaml .Values.podSecurityContext | nindent 8 }}',
      '      containers:',
      '        - name: {{ .Chart.Name }}',
      '          livenessProbe:',
      '            {{- toYaml .Values.livenessProbe | nindent 12 }}',
      '          readinessProbe:',
      '            {{- toYaml .Values.readinessProbe | nindent 12 }}',
      '          resources:',
      '            {{- toYaml .Values.resources | nindent 12 }}',
      '',
    ].join('\n');
    const defaults =
      'podSecurityContext: {}\n  # runAsNonRoot: true\nresources: {}\n  # limits:\n  #   memory: 128Mi\n';
    const failing = await runCheck(check, {
      'charts/app/Chart.yaml': 'name: app\n',
      'charts/app/templates/deployment.yaml': template,
      'charts/app/values.yaml': defaults,
    });
    expect(failing.outcome).toBe('warn');
    expect(failing.score).toBe(0.5);
    expect(failing.findings[0]).toMatchObject({ path: 'charts/app/templates/deployment.yaml', line: 2 });
    expect(failing.findings[0].message).toMatch(
      /neither it nor charts\/app\/values.yaml sets resources.limits.memory, securityContext.runAsNonRoot: true/,
    );

    const values =
      'podSecurityContext:\n  runAsNonRoot: true\nresources:\n  requests:\n    cpu: 100m\n  limits:\n    cpu: 500m\n    memory: 128Mi\n';
    const passing = await runCheck(check, {
      'charts/app/Chart.yaml': 'name: app\n',
      'charts/app/templates/deployment.yaml': template,
      'charts/app/values.yaml': values,
    });
    expect(passing.outcome).toBe('pass');
  });

  it('is not-applicable without workload manifests', async () => {
    const report = await runCheck(check, { 'k8s/service.yaml': service, Dockerfile: 'FROM nginx\n' });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toMatch(/^no Kubernetes Deployment, StatefulSet or DaemonSet manifests found/);
  });

  it('is not-applicable for a library', async () => {
    const report = await runCheck(check, { 'package.json': '{"name":"lib"}', 'index.js': '' });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toMatch(/service profile/);
  });

  it('warns on malformed YAML with the line, without throwing', async () => {
    const report = await runCheck(check, {
      'k8s/broken.yaml': 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template: [unclosed\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].path).toBe('k8s/broken.yaml');
    expect(report.findings[0].line).toBeGreaterThan(0);
    expect(report.findings[0].message).toMatch(/invalid YAML/);
  });

  it('reports an alias bomb as a problem instead of expanding it', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level += 1)
      lines.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(',')}]`,
      );
    const bomb = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: bomb',
      ...lines,
      'spec:',
      '  template:',
      '    spec:',
      '      containers: []',
    ].join('\n');
    const report = await runCheck(check, {
      'k8s/bomb.yaml': bomb,
      'k8s/app.yaml': deployment('app', hardenedContainer),
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'k8s/bomb.yaml' });
    expect(report.findings[0].message).toMatch(/could not read a document/);
  });

  it('honours a shipready-ignore comment on a container', async () => {
    const container = [
      '        # shipready-ignore k8s-workloads-hardened: batch worker, no HTTP port',
      ...hardenedContainer.slice(0, 2),
      ...hardenedContainer.slice(6),
    ];
    const report = await runCheck(check, { 'k8s/worker.yaml': deployment('worker', container) });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toMatch(/suppressed inline/);
  });
});
