import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import healthEndpointPresent from '../../../checks/operations/health-endpoint-present.js';
import { operationsChecks } from '../../../checks/operations/index.js';
import noBinaryArtifacts from '../../../checks/security/no-binary-artifacts.js';
import noHardcodedSecrets from '../../../checks/security/no-hardcoded-secrets.js';
import type { CheckReport } from '../../../src/report/types.js';
import { runCheck, runChecks, type RepoFiles } from '../../helpers/run-check.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'repos');

/** The fixture's files, keyed by path relative to it (SOURCE.md, the provenance note, left out). */
function loadFixture(name: string): RepoFiles {
  const root = join(fixtures, name);
  const files: RepoFiles = {};
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name !== 'SOURCE.md') files[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}

async function evaluate(name: string): Promise<Map<string, CheckReport>> {
  const report = await runChecks([...operationsChecks, noHardcodedSecrets, noBinaryArtifacts], loadFixture(name));
  expect(report.profile).toBe('service');
  return new Map(report.checks.map((check) => [check.id, check]));
}

describe('operations and security checks on real repositories', () => {
  it('stefanprodan/podinfo: healthz route, Prometheus, zap; Helm and kustomize workloads without runAsNonRoot', async () => {
    const checks = await evaluate('ops-podinfo');
    expect(checks.get('health-endpoint-present')).toMatchObject({
      outcome: 'pass',
      findings: [{ path: 'pkg/api/http/server.go', line: 39 }],
    });
    expect(checks.get('health-endpoint-present')?.summary).toBe('/healthz in pkg/api/http/server.go:39');
    expect(checks.get('metrics-instrumented')?.summary).toBe(
      'metrics library "github.com/prometheus/client_golang" (go)',
    );
    expect(checks.get('structured-logging-used')?.summary).toBe('structured logger "go.uber.org/zap" (go)');

    const k8s = checks.get('k8s-workloads-hardened');
    expect(k8s?.outcome).toBe('warn');
    // kustomize Deployment: 3 of 4; Helm template: probes only (values.yaml has an empty `limits:` and `securityContext: {}`).
    expect(k8s?.score).toBe(0.63);
    expect(k8s?.findings).toEqual([
      {
        message: 'Deployment podinfo, container podinfod: no securityContext.runAsNonRoot: true',
        path: 'kustomize/deployment.yaml',
        line: 25,
      },
      {
        message:
          'Helm template Deployment (charts/podinfo/templates/deployment.yaml): neither it nor charts/podinfo/values.yaml sets resources.limits.memory, securityContext.runAsNonRoot: true',
        path: 'charts/podinfo/templates/deployment.yaml',
        line: 2,
      },
    ]);

    expect(checks.get('no-hardcoded-secrets')?.outcome).toBe('pass');
    expect(checks.get('no-binary-artifacts')?.outcome).toBe('pass');
  });

  it('GoogleCloudPlatform/microservices-demo: /_healthz, OpenTelemetry, logrus; kubernetes-manifests/ without runAsNonRoot', async () => {
    const checks = await evaluate('ops-microservices-demo');
    expect(checks.get('health-endpoint-present')).toMatchObject({
      outcome: 'pass',
      findings: [{ path: 'src/frontend/main.go', line: 66 }],
    });
    expect(checks.get('metrics-instrumented')?.summary).toBe('metrics library "go.opentelemetry.io/otel" (go)');
    expect(checks.get('structured-logging-used')?.summary).toBe('structured logger "github.com/sirupsen/logrus" (go)');

    const k8s = checks.get('k8s-workloads-hardened');
    expect(k8s).toMatchObject({ outcome: 'warn', score: 0.75 });
    expect(k8s?.summary).toBe(
      '2 of 2 container(s) lack probes, a memory limit or runAsNonRoot (6 of 8 requirements met)',
    );
    expect(k8s?.findings.map((finding) => `${finding.path}:${finding.line}`)).toEqual([
      'kubernetes-manifests/cartservice.yaml:31',
      'kubernetes-manifests/frontend.yaml:34',
    ]);
  });

  it('fastapi/full-stack-fastapi-template: a FastAPI /health-check/ route under routes/', async () => {
    const report = await runCheck(healthEndpointPresent, loadFixture('ops-fastapi-template'), {
      config: { profile: 'service' },
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('/health-check/ in backend/app/api/routes/utils.py:29');
  });
});
