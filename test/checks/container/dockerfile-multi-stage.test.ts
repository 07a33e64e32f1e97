import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/container/dockerfile-multi-stage.js';
import { runCheck } from '../../helpers/run-check.js';

const multi = 'FROM golang:1.23 AS build\nRUN go build -o /app\nFROM scratch\nCOPY --from=build /app /app\n';

describe('dockerfile-multi-stage', () => {
  it('passes with more than one FROM', async () => {
    const report = await runCheck(check, { Dockerfile: multi });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('Multi-stage: Dockerfile (2 stages)');
  });

  it('fails with a single stage and points at its FROM line', async () => {
    const report = await runCheck(check, {
      Dockerfile: '# syntax=docker/dockerfile:1\n\nFROM node:22\nCOPY . .\nRUN npm ci\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings).toEqual([
      {
        message: 'Dockerfile has a single stage (FROM node:22): build tools ship in the image',
        path: 'Dockerfile',
        line: 3,
      },
    ]);
  });

  it('does not count FROM lines inside a heredoc', async () => {
    const report = await runCheck(check, {
      Dockerfile: 'FROM alpine:3.20\nRUN <<EOF\ncat > /tmp/Dockerfile <<X\nFROM busybox\nX\nEOF\n',
    });
    expect(report.outcome).toBe('fail');
  });

  it('warns with the share of multi-stage files when only some are', async () => {
    const report = await runCheck(check, { Dockerfile: multi, 'Dockerfile.dev': 'FROM golang:1.23\n' });
    expect(report.outcome).toBe('warn');
    expect(report.score).toBe(0.5);
    expect(report.findings[0]).toMatchObject({ path: 'Dockerfile.dev', line: 1 });
  });

  it('is not applicable without a Dockerfile', async () => {
    expect((await runCheck(check, { 'go.mod': 'module x\n' })).outcome).toBe('not-applicable');
  });

  it('warns, without crashing, when the only Dockerfile has no FROM', async () => {
    const report = await runCheck(check, { Dockerfile: 'RUN echo hi\n' });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].message).toContain('could not be evaluated');
  });
});
