import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/workflows/workflow-jobs-have-timeouts.js';
import { runCheck } from '../../helpers/run-check.js';

describe('workflow-jobs-have-timeouts', () => {
  it('passes when every job sets timeout-minutes (expressions count)', async () => {
    const text =
      'on: push\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 10\n    steps:\n      - run: a\n  b:\n    runs-on: x\n    timeout-minutes: ${{ inputs.t }}\n    steps:\n      - run: b\n';
    const report = await runCheck(check, { '.github/workflows/ci.yml': text });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('2 of 2');
  });

  it('fails and annotates each job without a timeout, scoring the share', async () => {
    const text =
      'on: push\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 10\n    steps:\n      - run: a\n  b:\n    runs-on: x\n    steps:\n      - run: b\n  call:\n    uses: ./.github/workflows/r.yml\n';
    const report = await runCheck(check, { '.github/workflows/ci.yml': text });
    expect(report.outcome).toBe('fail');
    expect(report.score).toBe(0.5);
    expect(report.findings).toEqual([
      expect.objectContaining({ path: '.github/workflows/ci.yml', line: 8, message: expect.stringContaining('`b`') }),
    ]);
  });

  it('is not applicable without workflows', async () => {
    expect((await runCheck(check, { 'README.md': '# x' })).outcome).toBe('not-applicable');
  });

  it('reports malformed workflows as findings', async () => {
    const report = await runCheck(check, { '.github/workflows/bad.yml': 'on: push\njobs:\n  a: [\n' });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].path).toBe('.github/workflows/bad.yml');
  });
});
