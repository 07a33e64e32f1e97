import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/container/compose-services-healthy.js';
import { runCheck } from '../../helpers/run-check.js';

const healthy = [
  'services:',
  '  api:',
  '    build: .',
  '    healthcheck:',
  '      test: ["CMD", "curl", "-f", "http://localhost:3000/health"]',
  '    deploy:',
  '      resources:',
  '        limits: { cpus: "0.5", memory: 256M }',
  '  db:',
  '    image: postgres:17',
  '    mem_limit: 512m',
  '    healthcheck:',
  '      test: ["CMD-SHELL", "pg_isready"]',
  '',
].join('\n');

describe('compose-services-healthy', () => {
  it('passes when every service has a healthcheck and limits', async () => {
    const report = await runCheck(check, { 'compose.yaml': healthy });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('All 2 compose service(s) define a healthcheck and resource limits');
  });

  it('fails for services without a healthcheck, or with it disabled, with lines', async () => {
    const report = await runCheck(check, {
      'docker-compose.yml':
        'services:\n  web:\n    image: nginx:1.27\n    cpus: 1\n  worker:\n    build: ./worker\n    mem_limit: 1g\n    healthcheck:\n      disable: true\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => [finding.path, finding.line, finding.message])).toEqual([
      ['docker-compose.yml', 2, 'docker-compose.yml: service "web" has no healthcheck'],
      ['docker-compose.yml', 8, 'docker-compose.yml: service "worker" disables its healthcheck'],
    ]);
  });

  it('warns for services without resource limits, with the share that have them', async () => {
    const report = await runCheck(check, {
      'compose.yml':
        'services:\n  a:\n    image: x:1\n    healthcheck: { test: ["CMD", "true"] }\n  b:\n    image: y:1\n    healthcheck: { test: ["CMD", "true"] }\n    deploy: { resources: { limits: { memory: 64M } } }\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.score).toBe(0.5);
    expect(report.findings).toEqual([
      expect.objectContaining({
        path: 'compose.yml',
        line: 2,
        message: expect.stringContaining('"a" sets no resource limits'),
      }),
    ]);
  });

  it('merges override files of the same directory and follows extends', async () => {
    const report = await runCheck(check, {
      'docker-compose.yml':
        'services:\n  api:\n    build: .\n  base:\n    image: x:1\n    healthcheck: { test: ["CMD", "true"] }\n    cpus: 1\n  job:\n    extends: { service: base }\n',
      'docker-compose.override.yml':
        'services:\n  api:\n    healthcheck:\n      test: ["CMD", "true"]\n    mem_limit: 1g\n',
    });
    expect(report.outcome).toBe('pass');
  });

  it('counts the HEALTHCHECK of the Dockerfile stage a service builds (build.target or the final stage)', async () => {
    const compose = (target: string) =>
      `services:\n  web:\n    build:\n      context: .\n      target: ${target}\n    mem_limit: 256m\n`;
    const dockerfile =
      'FROM node:22 AS release\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nFROM release AS nightly\nFROM node:22 AS tools\n';
    const release = await runCheck(check, { 'compose.yaml': compose('release'), Dockerfile: dockerfile });
    expect(release).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('"web" uses the HEALTHCHECK of Dockerfile:2 (target "release")'),
    });
    expect((await runCheck(check, { 'compose.yaml': compose('nightly'), Dockerfile: dockerfile })).outcome).toBe(
      'pass',
    );
    const tools = await runCheck(check, { 'compose.yaml': compose('tools'), Dockerfile: dockerfile });
    expect(tools.outcome).toBe('fail');
    expect(tools.findings[0]).toMatchObject({ path: 'compose.yaml', line: 2 });
  });

  it('follows YAML merge keys and aliases, as getsentry/self-hosted writes them', async () => {
    const compose = [
      'x-restart-policy: &restart_policy',
      '  restart: unless-stopped',
      'x-healthcheck-defaults: &healthcheck_defaults',
      '  interval: "$HEALTHCHECK_INTERVAL"',
      'x-limits: &limits',
      '  mem_limit: 1g',
      'x-sentry-defaults: &sentry_defaults',
      '  <<: [*restart_policy, *limits]',
      '  build:',
      '    context: ./sentry',
      '  healthcheck:',
      '    <<: *healthcheck_defaults',
      '    test: ["CMD", "true"]',
      'services:',
      '  redis:',
      '    <<: *restart_policy',
      '    image: "redis:6.2.14-alpine"',
      '    cpus: 1',
      '    healthcheck:',
      '      <<: *healthcheck_defaults',
      '      test: redis-cli ping',
      '  web:',
      '    <<: *sentry_defaults',
      '  worker: *sentry_defaults',
      '  snuba-api:',
      '    <<: *restart_policy',
      '    image: "$SNUBA_IMAGE"',
      '',
    ].join('\n');
    const report = await runCheck(check, { 'docker-compose.yml': compose });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => [finding.line, finding.message])).toEqual([
      [25, 'docker-compose.yml: service "snuba-api" has no healthcheck'],
      [
        25,
        'docker-compose.yml: service "snuba-api" sets no resource limits (deploy.resources.limits, mem_limit or cpus)',
      ],
    ]);
  });

  it('is not applicable without a compose file', async () => {
    const report = await runCheck(check, { Dockerfile: 'FROM alpine:3\n' });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toContain('no compose file');
  });

  it('reports malformed compose YAML as a finding with its line', async () => {
    const report = await runCheck(check, { 'compose.yaml': 'services:\n  api:\n    image: [unclosed\n' });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({
      path: 'compose.yaml',
      message: expect.stringContaining('could not be parsed'),
    });
    expect(report.findings[0].line).toBeGreaterThanOrEqual(3);
  });

  it('reports services that are not a mapping', async () => {
    const report = await runCheck(check, { 'compose.yaml': 'version: "3"\nservices:\n  - api\n' });
    expect(report.findings[0]).toMatchObject({
      path: 'compose.yaml',
      line: 2,
      message: expect.stringContaining('`services` is not a mapping'),
    });
  });
});
