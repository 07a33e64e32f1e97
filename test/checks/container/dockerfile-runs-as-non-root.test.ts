import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/container/dockerfile-runs-as-non-root.js';
import { runCheck } from '../../helpers/run-check.js';

describe('dockerfile-runs-as-non-root', () => {
  it('passes when the final stage sets a named or numeric non-root user', async () => {
    const report = await runCheck(check, {
      Dockerfile: 'FROM node:22 AS build\nRUN npm ci\nFROM node:22-slim\nCOPY --from=build /app /app\nUSER node\n',
      'worker/Dockerfile': 'FROM alpine:3.20\nUSER 10001:10001\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('Non-root: Dockerfile runs as node, worker/Dockerfile runs as 10001:10001');
  });

  it.each(['root', '0', '0:0', 'root:root'])('fails for USER %s and points at that line', async (user) => {
    const report = await runCheck(check, {
      Dockerfile: `FROM alpine:3.20\nUSER app\nRUN apk add curl\nUSER ${user}\nCMD ["sh"]\n`,
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({
      path: 'Dockerfile',
      line: 4,
      message: expect.stringContaining('runs the final stage as root'),
    });
  });

  it('fails when USER is only set in an earlier stage the final stage is not built from', async () => {
    const report = await runCheck(check, {
      Dockerfile: 'FROM node:22 AS build\nUSER node\nRUN npm ci\n\nFROM node:22-slim\nCOPY --from=build /app /app\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: 'Dockerfile', line: 5 });
    expect(report.findings[0].message).toContain(
      'USER node on line 2 is in stage "build", which the final stage is not built FROM',
    );
  });

  it('passes when the final stage is built FROM a stage that set USER', async () => {
    const report = await runCheck(check, {
      Dockerfile: 'FROM python:3.12-slim AS base\nUSER 1000\nFROM base AS final\nCMD ["python","app.py"]\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('inherited from stage "base"');
  });

  it('passes a distroless nonroot base without USER, after ARG substitution', async () => {
    const report = await runCheck(check, {
      Dockerfile:
        'ARG VARIANT=nonroot\nFROM golang:1.23 AS build\nFROM gcr.io/distroless/static:${VARIANT}\nCOPY --from=build /app /app\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('distroless');
  });

  it('checks each Dockerfile and names each failing one', async () => {
    const report = await runCheck(check, {
      Dockerfile: 'FROM alpine:3.20\nUSER 1000\n',
      'Dockerfile.dev': 'from alpine:3.20\nrun apk add bash\n',
      'api/Containerfile': 'FROM alpine:3.20\nuser root:root\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => [finding.path, finding.line])).toEqual([
      ['Dockerfile.dev', 1],
      ['api/Containerfile', 2],
    ]);
  });

  it('warns when USER is a variable with no default', async () => {
    const report = await runCheck(check, { Dockerfile: 'FROM alpine:3.20\nARG RUN_AS\nUSER $RUN_AS\n' });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ line: 3 });
  });

  it('is not applicable without a Dockerfile', async () => {
    const report = await runCheck(check, { 'README.md': '# x\n' });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toContain('no Dockerfile or Containerfile found');
  });

  it('warns, without crashing, on a binary or stage-less Dockerfile', async () => {
    const report = await runCheck(check, {
      Dockerfile: new Uint8Array([0, 1, 2, 3, 0, 255]),
      'Dockerfile.empty': '# nothing here\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings.map((finding) => finding.path)).toEqual(['Dockerfile', 'Dockerfile.empty']);
  });

  it('honours an inline shipready-ignore comment', async () => {
    const report = await runCheck(check, {
      Dockerfile:
        'FROM alpine:3.20\n# shipready-ignore dockerfile-runs-as-non-root: needs to bind port 80\nUSER root\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.findings[0].suppressed?.reason).toBe('needs to bind port 80');
  });
});

describe('dockerfile-runs-as-non-root, development images (issue 9)', () => {
  it('a .devcontainer/ Dockerfile is a development image, not a deployable one', async () => {
    const { default: nonRoot } = await import('../../../checks/container/dockerfile-runs-as-non-root.js');
    const { runCheck: run } = await import('../../helpers/run-check.js');
    const report = await run(nonRoot, {
      'package.json': '{"name":"x"}',
      '.devcontainer/Dockerfile': 'FROM mcr.microsoft.com/devcontainers/typescript-node:20\n',
    });
    expect(report.outcome).toBe('not-applicable');
    const deployable = await run(nonRoot, {
      'package.json': '{"name":"x"}',
      '.devcontainer/Dockerfile': 'FROM node:20\n',
      'examples/api/Dockerfile': 'FROM node:20\n',
    });
    expect(deployable.outcome).toBe('fail');
    expect(deployable.findings[0]?.path).toBe('examples/api/Dockerfile');
  });
});
