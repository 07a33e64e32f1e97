import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/ci/ci-workflow-present.js';
import { runCheck } from '../../helpers/run-check.js';

const job = 'jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';

describe('ci-workflow-present', () => {
  it('passes with a workflow on pull_request', async () => {
    const report = await runCheck(check, { '.github/workflows/ci.yml': `on: [pull_request]\n${job}` });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.github/workflows/ci.yml');
  });

  it('passes with GitLab CI only', async () => {
    const report = await runCheck(check, { '.gitlab-ci.yml': 'test:\n  script: npm test\n' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('GitLab CI');
  });

  it.each([
    ['.circleci/config.yml', 'CircleCI'],
    ['Jenkinsfile', 'Jenkins'],
    ['azure-pipelines.yml', 'Azure Pipelines'],
    ['.travis.yml', 'Travis CI'],
    ['.buildkite/pipeline.yml', 'Buildkite'],
    ['.drone.yml', 'Drone'],
  ])('recognises %s as %s', async (path, name) => {
    const report = await runCheck(check, { [path]: 'x: 1\n' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain(name);
  });

  it('fails when workflows run only on a schedule, pointing at their triggers', async () => {
    const report = await runCheck(check, {
      '.github/workflows/nightly.yml': `name: n\non:\n  schedule:\n    - cron: '0 0 * * *'\n${job}`,
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: '.github/workflows/nightly.yml', line: 2 });
    expect(report.findings[0].message).toContain('schedule');
  });

  it('fails without any CI and says what it looked for', async () => {
    const report = await runCheck(check, { 'README.md': '# x\n' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toMatch(/GitLab CI/);
  });

  it('reports a malformed workflow with its line instead of crashing', async () => {
    const report = await runCheck(check, { '.github/workflows/ci.yml': 'on: [push\njobs:\n' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].path).toBe('.github/workflows/ci.yml');
    expect(report.findings[0].line).toBeGreaterThan(0);
    expect(report.findings[0].message).toMatch(/not valid YAML/);
  });

  it('warns when one of several workflows is malformed', async () => {
    const report = await runCheck(check, {
      '.github/workflows/ci.yml': `on: push\n${job}`,
      '.github/workflows/bad.yml': 'on: [push\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings.map((finding) => finding.path)).toEqual(['.github/workflows/bad.yml']);
  });
});
