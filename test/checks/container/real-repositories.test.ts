import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { containerChecks } from '../../../checks/container/index.js';
import { runChecks } from '../../helpers/run-check.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'repos');

/** The fixture's files (SOURCE.md left out), keyed by their path inside the fixture. */
function loadFixture(name: string): Record<string, string> {
  const root = join(fixtures, name);
  const files: Record<string, string> = {};
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry !== 'SOURCE.md') files[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}

async function evaluate(name: string, config = {}) {
  const report = await runChecks(containerChecks, loadFixture(name), { config });
  return Object.fromEntries(report.checks.map((check) => [check.id, check]));
}

describe('real Dockerfiles', () => {
  it('grafana/loki cmd/loki/Dockerfile: multi-stage Go build, non-root distroless runtime, no HEALTHCHECK', async () => {
    const checks = await evaluate('container-loki');
    expect(checks['dockerfile-runs-as-non-root']).toMatchObject({
      outcome: 'pass',
      summary: 'Non-root: cmd/loki/Dockerfile runs as 10001',
    });
    expect(checks['dockerfile-multi-stage']).toMatchObject({
      outcome: 'pass',
      summary: 'Multi-stage: cmd/loki/Dockerfile (3 stages)',
    });
    expect(checks['dockerfile-healthcheck'].outcome).toBe('fail');
    expect(checks['dockerfile-healthcheck'].findings[0]).toMatchObject({ path: 'cmd/loki/Dockerfile', line: 20 });
    expect(checks['dockerfile-base-image-pinned']).toMatchObject({
      outcome: 'pass',
      summary: 'All 3 base image(s) pinned to a tag',
    });
    expect(checks['dockerfile-free-of-secrets'].outcome).toBe('pass');
    expect(checks['dockerignore-present'].findings[0]).toMatchObject({ path: 'cmd/loki/Dockerfile', line: 7 });
    const digest = await evaluate('container-loki', {
      checks: { 'dockerfile-base-image-pinned': { require: 'digest' } },
    });
    expect(digest['dockerfile-base-image-pinned'].findings.map((finding) => finding.line)).toEqual([5, 12, 20]);
    expect(digest['dockerfile-base-image-pinned'].findings[1].message).toBe(
      'cmd/loki/Dockerfile: FROM golang:${GO_VERSION} (= golang:1.23) is not pinned to a digest (require: digest)',
    );
  });

  it('dani-garcia/vaultwarden docker/Dockerfile.debian: digests and HEALTHCHECK, but the final stage runs as root', async () => {
    const checks = await evaluate('container-vaultwarden');
    expect(checks['dockerfile-runs-as-non-root'].outcome).toBe('fail');
    expect(checks['dockerfile-runs-as-non-root'].findings).toEqual([
      expect.objectContaining({
        path: 'docker/Dockerfile.debian',
        line: 165,
        message: expect.stringContaining('the final stage 4 (line 165'),
      }),
    ]);
    expect(checks['dockerfile-healthcheck']).toMatchObject({
      outcome: 'pass',
      summary: 'Health checked: docker/Dockerfile.debian (HEALTHCHECK on line 196)',
    });
    expect(checks['dockerfile-multi-stage'].summary).toBe('Multi-stage: docker/Dockerfile.debian (4 stages)');
    expect(checks['dockerfile-base-image-pinned']).toMatchObject({
      outcome: 'pass',
      summary: 'All 4 base image(s) pinned to a tag (2 by digest)',
    });
    expect(checks['dockerfile-free-of-secrets'].outcome).toBe('pass');
    expect(checks['dockerignore-present']).toMatchObject({ outcome: 'warn' });
    expect(checks['dockerignore-present'].findings).toEqual([
      {
        message: '.dockerignore does not exclude .git (assuming docker/Dockerfile.debian is built from .): add `.git`',
        path: '.dockerignore',
      },
    ]);
    const digest = await evaluate('container-vaultwarden', {
      checks: { 'dockerfile-base-image-pinned': { require: 'digest' } },
    });
    expect(digest['dockerfile-base-image-pinned'].findings.map((finding) => finding.line)).toEqual([39, 165]);
  });

  it('louislam/uptime-kuma docker/dockerfile: the last stage counts, not the release stage', async () => {
    const checks = await evaluate('container-uptime-kuma');
    expect(checks['dockerfile-multi-stage'].summary).toBe('Multi-stage: docker/dockerfile (4 stages)');
    expect(checks['dockerfile-runs-as-non-root'].findings[0]).toMatchObject({ path: 'docker/dockerfile', line: 29 });
    expect(checks['dockerfile-runs-as-non-root'].findings[0].message).toContain('the final stage "upload-artifact"');
    expect(checks['dockerfile-healthcheck'].outcome).toBe('fail');
    expect(checks['dockerfile-healthcheck'].findings[0]).toMatchObject({ path: 'docker/dockerfile', line: 29 });
    expect(checks['dockerfile-healthcheck'].findings[0].message).toContain(
      'the HEALTHCHECK on line 21 is in stage "release"',
    );
    expect(checks['dockerfile-free-of-secrets']).toMatchObject({ outcome: 'warn' });
    expect(checks['dockerfile-free-of-secrets'].findings).toEqual([
      expect.objectContaining({
        path: 'docker/dockerfile',
        line: 37,
        message: expect.stringContaining('ARG GITHUB_TOKEN'),
      }),
    ]);
    expect(checks['dockerfile-base-image-pinned']).toMatchObject({
      outcome: 'pass',
      summary: 'All 3 base image(s) pinned to a tag',
    });
    expect(checks['compose-services-healthy'].outcome).toBe('fail');
    expect(checks['compose-services-healthy'].findings[0]).toMatchObject({
      path: 'docker/docker-compose.yml',
      line: 7,
    });
    expect(checks['container-image-scanned'].outcome).toBe('fail');
  });

  it('stefanprodan/podinfo: no HEALTHCHECK, but the Kubernetes Deployment running the image has probes; trivy-action scans it', async () => {
    const checks = await evaluate('container-podinfo');
    expect(checks['dockerfile-runs-as-non-root']).toMatchObject({
      outcome: 'pass',
      summary: 'Non-root: Dockerfile runs as app',
    });
    expect(checks['dockerfile-multi-stage'].summary).toBe('Multi-stage: Dockerfile (2 stages)');
    expect(checks['dockerfile-healthcheck']).toMatchObject({
      outcome: 'pass',
      summary:
        'Health checked: Dockerfile (the Kubernetes workload running ghcr.io/stefanprodan/podinfo:6.1.1 defines livenessProbe and readinessProbe (kustomize/deployment.yaml:26))',
    });
    expect(checks['container-image-scanned']).toMatchObject({
      outcome: 'pass',
      summary: 'Image scanned by trivy-action (.github/workflows/cve-scan.yml:24)',
    });
    expect(checks['dockerignore-present'].findings).toEqual([
      { message: '.dockerignore does not exclude .git or .env: add `.git` and `.env`', path: '.dockerignore' },
    ]);
    expect(checks['dockerfile-base-image-pinned']).toMatchObject({
      outcome: 'pass',
      summary: 'All 2 base image(s) pinned to a tag',
    });
    expect(checks['dockerfile-free-of-secrets'].outcome).toBe('pass');
  });
});
