import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/container/dockerfile-base-image-pinned.js';
import { runCheck } from '../../helpers/run-check.js';

describe('dockerfile-base-image-pinned', () => {
  it('passes with tags, skipping stage references and scratch', async () => {
    const report = await runCheck(check, {
      Dockerfile:
        'ARG GO=1.23\nFROM --platform=$BUILDPLATFORM golang:${GO} AS build\nFROM build AS test\nFROM scratch\nCOPY --from=build /app /app\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('All 1 base image(s) pinned to a tag');
  });

  it('fails on latest and untagged images, with each line', async () => {
    const report = await runCheck(check, {
      Dockerfile: 'FROM node AS build\nFROM nginx:latest\n',
      'tools/Dockerfile': 'ARG BASE=python\nFROM ${BASE}\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings).toEqual([
      { message: 'Dockerfile: FROM node has no tag, which means `latest`', path: 'Dockerfile', line: 1 },
      { message: 'Dockerfile: FROM nginx:latest uses `latest`', path: 'Dockerfile', line: 2 },
      {
        message: 'tools/Dockerfile: FROM ${BASE} (= python) has no tag, which means `latest`',
        path: 'tools/Dockerfile',
        line: 2,
      },
    ]);
  });

  it('does not mistake a registry port for a tag', async () => {
    const report = await runCheck(check, { Dockerfile: 'FROM registry.local:5000/team/base\n' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('has no tag');
  });

  it('with require: digest, fails tags without a digest and passes digests', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const files = { Dockerfile: `FROM node:22-slim@${digest} AS build\nFROM gcr.io/distroless/nodejs22:nonroot\n` };
    const report = await runCheck(check, files, {
      config: { checks: { 'dockerfile-base-image-pinned': { require: 'digest' } } },
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringContaining('not pinned to a digest') }),
    ]);
    expect((await runCheck(check, files)).outcome).toBe('pass');
  });

  it('rejects an unknown require value as a config error', async () => {
    await expect(
      runCheck(
        check,
        { Dockerfile: 'FROM node:22\n' },
        { config: { checks: { 'dockerfile-base-image-pinned': { require: 'sha' } } } },
      ),
    ).rejects.toThrow(/require/);
  });

  it('warns when FROM uses a variable with no default', async () => {
    const report = await runCheck(check, { Dockerfile: 'ARG BASE_IMAGE\nFROM $BASE_IMAGE\n' });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({
      line: 2,
      message: expect.stringContaining('$BASE_IMAGE with no default'),
    });
  });

  it('is not applicable without a Dockerfile', async () => {
    expect((await runCheck(check, { 'a.txt': 'x' })).outcome).toBe('not-applicable');
  });

  it('warns, without crashing, on a Dockerfile with a bare FROM', async () => {
    const report = await runCheck(check, { Dockerfile: 'FROM\n' });
    expect(report.outcome).toBe('warn');
    expect(report.findings).toEqual([{ message: 'Dockerfile: FROM names no image', path: 'Dockerfile', line: 1 }]);
    const onlyStages = await runCheck(check, { Dockerfile: 'FROM scratch AS base\nFROM base\n' });
    expect(onlyStages.summary).toBe('Every FROM is a build stage or scratch');
  });
});

describe('dockerfile-base-image-pinned: latest with a suffix', () => {
  it('fails `latest-alpine` and `latest-$ARCH` (resolved from the ARG default), not `20-alpine`', async () => {
    const report = await runCheck(check, {
      Dockerfile:
        'ARG ARCH=amd64\nFROM ghcr.io/acme/base:latest-$ARCH AS base\nFROM node:20-alpine AS build\nFROM acme/runtime:latest-alpine\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => finding.line)).toEqual([2, 4]);
    expect(report.findings[0].message).toContain('latest-amd64');
  });
});
