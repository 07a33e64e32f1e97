import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/operations/metrics-instrumented.js';
import { runCheck } from '../../helpers/run-check.js';

const service = { profile: 'service' as const };

describe('metrics-instrumented', () => {
  it('passes with prom-client in package.json', async () => {
    const report = await runCheck(check, {
      'package.json': JSON.stringify({ dependencies: { express: '^4', 'prom-client': '^15' } }),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('metrics library "prom-client" (node)');
  });

  it.each([
    [
      'go.mod',
      'module example.com/svc\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/prometheus/client_golang v1.19.0\n)\n',
      'github.com/prometheus/client_golang',
    ],
    [
      'requirements.txt',
      'fastapi==0.110\nprometheus-fastapi-instrumentator==7.0.0\n',
      'prometheus-fastapi-instrumentator',
    ],
    [
      'pyproject.toml',
      '[project]\nname = "svc"\ndependencies = ["flask", "opentelemetry-instrumentation-flask>=0.45b0"]\n',
      'opentelemetry-instrumentation-flask',
    ],
    [
      'pom.xml',
      '<project><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies></project>',
      'spring-boot-starter-actuator',
    ],
    [
      'Cargo.toml',
      '[package]\nname = "svc"\n\n[dependencies]\naxum = "0.7"\nmetrics-exporter-prometheus = "0.15"\n',
      'metrics-exporter-prometheus',
    ],
    ['Gemfile', "source 'https://rubygems.org'\ngem 'rails'\ngem 'yabeda-prometheus'\n", 'yabeda-prometheus'],
    [
      'api/Api.csproj',
      '<Project><ItemGroup><PackageReference Include="prometheus-net.AspNetCore" Version="8.0.0" /></ItemGroup></Project>',
      'prometheus-net.aspnetcore',
    ],
  ])('passes with a metrics library in %s', async (path, content, name) => {
    const report = await runCheck(check, { [path]: content }, { config: service });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain(`"${name}"`);
  });

  it('fails without a metrics library and says what it looked for', async () => {
    const report = await runCheck(check, {
      'package.json': JSON.stringify({ dependencies: { express: '^4', pino: '^9' } }),
    });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toBe('no metrics library among the dependencies (node)');
    expect(report.findings[0].message).toMatch(/^looked for node: prom-client, /);
    expect(report.findings[0].message).not.toContain('python:');
  });

  it('is not-applicable for a library', async () => {
    const report = await runCheck(check, {
      'package.json': JSON.stringify({ name: 'lib', dependencies: { 'prom-client': '^15' } }),
    });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toMatch(/service profile/);
  });

  it('is not-applicable for a service without any manifest', async () => {
    const report = await runCheck(check, { Dockerfile: 'FROM nginx:1.27\n' });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toBe('no package manifest to read dependencies from');
  });

  it('treats a malformed package.json as no dependencies, without throwing', async () => {
    const report = await runCheck(check, {
      'package.json': '{ "dependencies": { "prom-client": ',
      Dockerfile: 'FROM node:22\n',
    });
    expect(report.outcome).toBe('fail');
  });
});
