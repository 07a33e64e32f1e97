import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/workflows/workflow-permissions-restricted.js';
import { runCheck } from '../../helpers/run-check.js';

const release = [
  'name: release', // 1
  'on:', // 2
  '  push:', // 3
  "    tags: ['v*']", // 4
  'permissions:', // 5
  '  contents: write', // 6
  '  id-token: write', // 7
  'jobs:', // 8
  '  publish:', // 9
  '    runs-on: ubuntu-latest', // 10
  '    steps:', // 11
  '      - run: npm publish --provenance', // 12
  '',
].join('\n');

describe('workflow-permissions-restricted: single-job workflows', () => {
  it('warns (does not fail) on top-level writes in a single-job workflow, one finding per scope', async () => {
    const report = await runCheck(check, { '.github/workflows/release.yml': release });
    expect(report.outcome).toBe('warn');
    expect(report.findings.map((finding) => finding.line)).toEqual([6, 7]);
    expect(report.findings[0].message).toContain('`publish`');
    expect(report.findings[0].message).toContain('inherits');
  });

  it('still fails top-level writes shared by two jobs', async () => {
    const twoJobs = `${release}  notify:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo done\n`;
    const report = await runCheck(check, { '.github/workflows/release.yml': twoJobs });
    expect(report.outcome).toBe('fail');
  });

  it('passes top-level writes that every job overrides with its own block', async () => {
    const overridden = release.replace(
      '    runs-on: ubuntu-latest\n',
      '    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n',
    );
    const report = await runCheck(check, { '.github/workflows/release.yml': overridden });
    expect(report.outcome).toBe('pass');
  });
});
