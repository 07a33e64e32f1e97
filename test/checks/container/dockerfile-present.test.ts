import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/container/dockerfile-present.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

const service = { 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4' } }) };

describe('dockerfile-present', () => {
  it('passes with a Dockerfile and names it', async () => {
    const report = await runCheck(check, { ...service, Dockerfile: 'FROM node:22-slim\nCMD ["node","server.js"]\n' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('1 Dockerfile: Dockerfile');
  });

  it('recognises Containerfile, Dockerfile.<variant>, <name>.Dockerfile and nested Dockerfiles', async () => {
    const report = await runCheck(check, {
      ...service,
      Containerfile: 'FROM alpine:3\n',
      'Dockerfile.prod': 'FROM alpine:3\n',
      'deploy/worker.Dockerfile': 'FROM alpine:3\n',
      'services/api/Dockerfile': 'FROM alpine:3\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('4 Dockerfiles: Containerfile, Dockerfile.prod, deploy/worker.Dockerfile and 1 more');
  });

  it('fails for a service without a Dockerfile, and ignores fixture Dockerfiles', async () => {
    const report = await runCheck(check, { ...service, 'test/fixtures/app/Dockerfile': 'FROM alpine\n' });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toContain('looked for Dockerfile, Dockerfile.*, *.Dockerfile and Containerfile');
  });

  it('in a monorepo, fails for a service project without one and is not applicable to a library project', async () => {
    const report = await runChecks([check], {
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
      'packages/api/package.json': JSON.stringify({ name: 'api', dependencies: { fastify: '^5' } }),
      'packages/worker/package.json': JSON.stringify({ name: 'worker', dependencies: { express: '^5' } }),
      'packages/api/Dockerfile': 'FROM node:22-slim\n',
      'packages/ui-kit/package.json': JSON.stringify({ name: 'ui-kit' }),
    });
    const byProject = Object.fromEntries((report.projects ?? []).map((project) => [project.path, project.checks[0]]));
    expect(report.checks[0].outcome).toBe('pass');
    expect(byProject['packages/api'].outcome).toBe('pass');
    expect(byProject['packages/worker'].outcome).toBe('fail');
    expect(byProject['packages/ui-kit']).toMatchObject({
      outcome: 'not-applicable',
      summary: expect.stringContaining('project packages/ui-kit is a library'),
    });
  });

  it('is not applicable to a library', async () => {
    const report = await runCheck(check, { 'package.json': JSON.stringify({ name: 'lib', main: 'index.js' }) });
    expect(report.outcome).toBe('not-applicable');
  });

  it('passes but lists odd syntax as findings with lines, without crashing', async () => {
    const report = await runCheck(check, {
      ...service,
      Dockerfile: 'FROM node:22\nBOGUS thing\nRUN <<EOF\necho never closed\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('2 syntax problems noted');
    expect(report.findings).toEqual([
      expect.objectContaining({ path: 'Dockerfile', line: 3, message: expect.stringContaining('never closed') }),
      expect.objectContaining({ path: 'Dockerfile', line: 2, message: 'Dockerfile: unknown instruction "BOGUS"' }),
    ]);
  });
});
