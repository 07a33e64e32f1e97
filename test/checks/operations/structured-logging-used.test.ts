import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/operations/structured-logging-used.js';
import { runCheck } from '../../helpers/run-check.js';

const service = { profile: 'service' as const };

describe('structured-logging-used', () => {
  it('passes with pino', async () => {
    const report = await runCheck(check, {
      'package.json': JSON.stringify({ dependencies: { fastify: '^5', pino: '^9' } }),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('structured logger "pino" (node)');
  });

  it.each([
    ['requirements.txt', 'django==5.0\nstructlog==24.1\n', 'structlog'],
    ['go.mod', 'module example.com/svc\n\ngo 1.22\n\nrequire go.uber.org/zap v1.27.0\n', 'go.uber.org/zap'],
    ['Cargo.toml', '[package]\nname = "svc"\n[dependencies]\naxum = "0.7"\ntracing = "0.1"\n', 'tracing'],
    [
      'build.gradle',
      "dependencies {\n  implementation 'net.logstash.logback:logstash-logback-encoder:7.4'\n}\n",
      'logstash-logback-encoder',
    ],
    ['composer.json', JSON.stringify({ require: { 'slim/slim': '^4', 'monolog/monolog': '^3' } }), 'monolog/monolog'],
  ])('passes with a structured logger in %s', async (path, content, name) => {
    const report = await runCheck(check, { [path]: content }, { config: service });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain(`"${name}"`);
  });

  it('passes on Go log/slog imported in main.go, with the line', async () => {
    const report = await runCheck(
      check,
      {
        'go.mod': 'module example.com/svc\n\ngo 1.22\n',
        'cmd/server/main.go':
          'package main\n\nimport (\n\t"log/slog"\n\t"net/http"\n)\n\nfunc main() { slog.Info("start") }\n',
      },
      { config: service },
    );
    expect(report.outcome).toBe('pass');
    expect(report.findings[0]).toMatchObject({ path: 'cmd/server/main.go', line: 4 });
  });

  it('passes on Spring Boot structured logging in application.properties', async () => {
    const report = await runCheck(
      check,
      {
        'pom.xml': '<project></project>',
        'src/main/resources/application.properties': 'server.port=8080\nlogging.structured.format.console=ecs\n',
      },
      { config: service },
    );
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('Spring Boot structured logging in src/main/resources/application.properties:2');
  });

  it('fails with plain-text logging only, listing what it looked for', async () => {
    const report = await runCheck(check, {
      'requirements.txt': 'flask==3.0\n',
      'app.py': 'import logging\nlogging.basicConfig()\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toMatch(/^looked for python: structlog, python-json-logger, loguru/);
  });

  it('is not-applicable for a CLI', async () => {
    const report = await runCheck(check, {
      'package.json': JSON.stringify({ bin: { x: 'x.js' }, dependencies: { pino: '^9' } }),
    });
    expect(report.outcome).toBe('not-applicable');
  });

  it('is not-applicable for a service without any manifest', async () => {
    const report = await runCheck(check, { Dockerfile: 'FROM nginx:1.27\n' });
    expect(report.outcome).toBe('not-applicable');
  });
});
