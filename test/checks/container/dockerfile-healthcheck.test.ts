import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/container/dockerfile-healthcheck.js';
import { runCheck } from '../../helpers/run-check.js';

const noHealth = 'FROM node:22-slim\nCOPY . /app\nCMD ["node","/app/server.js"]\n';

describe('dockerfile-healthcheck', () => {
  it('passes with a HEALTHCHECK in the final stage and says where', async () => {
    const report = await runCheck(check, {
      Dockerfile:
        'FROM node:22-slim\nHEALTHCHECK --interval=30s \\\n  CMD curl -f http://localhost:3000/health || exit 1\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('Health checked: Dockerfile (HEALTHCHECK on line 2)');
  });

  it('fails when only an earlier stage has the HEALTHCHECK', async () => {
    const report = await runCheck(check, {
      Dockerfile: 'FROM node:22 AS build\nHEALTHCHECK CMD true\nFROM node:22-slim\nCMD ["node"]\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({
      path: 'Dockerfile',
      line: 3,
      message: expect.stringContaining('the HEALTHCHECK on line 2 is in stage "build"'),
    });
  });

  it('fails on HEALTHCHECK NONE in the final stage, even if a parent stage had one', async () => {
    const report = await runCheck(check, {
      Dockerfile: 'FROM node:22 AS base\nHEALTHCHECK CMD true\nFROM base\nHEALTHCHECK NONE\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ line: 4, message: expect.stringContaining('HEALTHCHECK NONE') });
  });

  it('passes with a note when the compose service that builds the Dockerfile defines a healthcheck', async () => {
    const report = await runCheck(check, {
      'docker/api.Dockerfile': noHealth,
      'compose.yaml':
        'services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/api.Dockerfile\n    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost:3000/health"]\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('the compose service "api" that builds it defines a healthcheck (compose.yaml:6)');
  });

  it('does not accept a compose healthcheck that is disabled or on another service', async () => {
    const report = await runCheck(check, {
      Dockerfile: noHealth,
      'docker-compose.yml':
        'services:\n  app:\n    build: .\n    healthcheck:\n      disable: true\n  db:\n    image: postgres:17\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n',
    });
    expect(report.outcome).toBe('fail');
  });

  it('passes with a note when a Kubernetes workload running the image has probes', async () => {
    const report = await runCheck(check, {
      'services/orders/Dockerfile': noHealth,
      'deploy/k8s/orders.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: orders',
        '          readinessProbe:',
        '            httpGet: { path: /ready, port: 8080 }',
        '          image: ghcr.io/acme/orders:1.4.2',
        '          livenessProbe:',
        '            httpGet: { path: /health, port: 8080 }',
        '        - name: sidecar',
        '          image: envoyproxy/envoy:v1.31',
      ].join('\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain(
      'the Kubernetes workload running ghcr.io/acme/orders:1.4.2 defines readinessProbe and livenessProbe (deploy/k8s/orders.yaml:10)',
    );
  });

  it('fails when the matching Kubernetes container has no probes', async () => {
    const report = await runCheck(check, {
      'services/orders/Dockerfile': noHealth,
      'k8s/deployment.yaml':
        'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: orders\n        image: acme/orders:1\n      - name: other\n        image: acme/other:1\n        livenessProbe: {}\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: 'services/orders/Dockerfile', line: 1 });
  });

  it('matches a Helm template image when the repository has a single Dockerfile', async () => {
    const template = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: {{ .Chart.Name }}',
      '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
      '          livenessProbe:',
      '            {{- toYaml .Values.livenessProbe | nindent 12 }}',
    ].join('\n');
    const report = await runCheck(check, { Dockerfile: noHealth, 'charts/app/templates/deployment.yaml': template });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('defines livenessProbe (charts/app/templates/deployment.yaml:8)');
  });

  it('is not applicable without a Dockerfile', async () => {
    expect((await runCheck(check, { 'compose.yaml': 'services: {}\n' })).outcome).toBe('not-applicable');
  });

  it('survives malformed compose and k8s YAML', async () => {
    const report = await runCheck(check, {
      Dockerfile: noHealth,
      'compose.yaml': 'services:\n  api: [\n',
      'k8s/x.yaml': '{{ .Values }}\n  image: [\n',
    });
    expect(report.outcome).toBe('fail');
  });
});
