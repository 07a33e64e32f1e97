import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/workflows/workflow-permissions-restricted.js';
import { runCheck } from '../../helpers/run-check.js';

const jobs =
  'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make release\n';

describe('workflow-permissions-restricted', () => {
  it('passes with read-only top-level permissions and job-level writes', async () => {
    const text =
      'on: push\npermissions:\n  contents: read\njobs:\n  release:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n    steps:\n      - run: make release\n';
    const report = await runCheck(check, { '.github/workflows/ci.yml': text });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('1 of 1');
  });

  it('passes with permissions: {} and with every job declaring its own', async () => {
    expect((await runCheck(check, { '.github/workflows/a.yml': `on: push\npermissions: {}\n${jobs}` })).outcome).toBe(
      'pass',
    );
    const perJob =
      'on: push\njobs:\n  a:\n    runs-on: x\n    permissions:\n      contents: read\n    steps:\n      - run: a\n';
    expect((await runCheck(check, { '.github/workflows/a.yml': perJob })).outcome).toBe('pass');
  });

  it('fails on a missing block, annotating each job without permissions', async () => {
    const report = await runCheck(check, { '.github/workflows/ci.yml': `on: push\n${jobs}` });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => [finding.path, finding.line])).toEqual([
      ['.github/workflows/ci.yml', 3],
      ['.github/workflows/ci.yml', 7],
    ]);
  });

  it('fails on write-all and on top-level write scopes, at their lines', async () => {
    const writeAll = await runCheck(check, { '.github/workflows/ci.yml': `on: push\npermissions: write-all\n${jobs}` });
    expect(writeAll.outcome).toBe('fail');
    expect(writeAll.findings[0]).toMatchObject({ line: 2 });
    const scope = await runCheck(check, {
      '.github/workflows/ci.yml': `on: push\npermissions:\n  contents: read\n  packages: write\n${jobs}`,
    });
    expect(scope.findings).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringContaining('packages: write') }),
    ]);
  });

  it('scores the share of compliant workflows', async () => {
    const report = await runCheck(check, {
      '.github/workflows/a.yml': `on: push\npermissions: read-all\n${jobs}`,
      '.github/workflows/b.yml': `on: push\n${jobs}`,
    });
    expect(report.outcome).toBe('fail');
    expect(report.score).toBe(0.5);
  });

  it('exempts reusable workflows, which inherit the caller token', async () => {
    const report = await runCheck(check, { '.github/workflows/r.yml': `on: workflow_call\n${jobs}` });
    expect(report.outcome).toBe('pass');
  });

  it('is not applicable without workflows', async () => {
    expect((await runCheck(check, { 'README.md': '# x' })).outcome).toBe('not-applicable');
  });

  it('reports malformed workflows with their line', async () => {
    const report = await runCheck(check, {
      '.github/workflows/ok.yml': `on: push\npermissions: {}\n${jobs}`,
      '.github/workflows/bad.yml': 'on: push\npermissions: {\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: '.github/workflows/bad.yml' });
    expect(report.findings[0].line).toBeGreaterThan(0);
  });
});
