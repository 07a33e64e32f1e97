import { describe, expect, it } from '@jest/globals';
import check, { unpinnedReason } from '../../../checks/workflows/workflow-actions-pinned.js';
import { runCheck } from '../../helpers/run-check.js';

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const workflow = (...uses: string[]) =>
  `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n${uses.map((value) => `      - uses: ${value}\n`).join('')}`;

describe('workflow-actions-pinned', () => {
  it('passes when every external action is pinned to a SHA and docker images to a digest; local actions are exempt', async () => {
    const report = await runCheck(check, {
      '.github/workflows/ci.yml': workflow(
        `actions/checkout@${SHA} # v4`,
        './.github/actions/setup',
        `docker://alpine@${DIGEST}`,
      ),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('2 of 2');
  });

  it('fails with one annotation per unpinned line, scoring the pinned share', async () => {
    const report = await runCheck(check, {
      '.github/workflows/ci.yml': workflow(`actions/checkout@${SHA}`, 'actions/setup-node@v4', 'docker://alpine:3.20'),
      '.github/workflows/call.yml': 'on: push\njobs:\n  c:\n    uses: org/shared/.github/workflows/ci.yml@main\n',
      '.github/actions/setup/action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: actions/cache@v4\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.score).toBeCloseTo(1 / 5);
    expect(report.findings.map((finding) => `${finding.path}:${finding.line}`).sort()).toEqual([
      '.github/actions/setup/action.yml:4',
      '.github/workflows/call.yml:4',
      '.github/workflows/ci.yml:7',
      '.github/workflows/ci.yml:8',
    ]);
  });

  it('explains short SHAs, branches and missing refs', () => {
    expect(unpinnedReason('actions/checkout@b4ffde6')).toContain('short SHA');
    expect(unpinnedReason('actions/checkout@main')).toContain('movable');
    expect(unpinnedReason('actions/checkout')).toContain('no version');
    expect(unpinnedReason(`actions/checkout@${SHA}`)).toBeUndefined();
  });

  it('passes when only local actions are used', async () => {
    expect((await runCheck(check, { '.github/workflows/ci.yml': workflow('./local') })).outcome).toBe('pass');
  });

  it('is not applicable without workflows or actions', async () => {
    expect((await runCheck(check, { 'README.md': '# x' })).outcome).toBe('not-applicable');
  });

  it('reports malformed workflows as findings', async () => {
    const report = await runCheck(check, {
      '.github/workflows/ci.yml': workflow(`actions/checkout@${SHA}`),
      '.github/workflows/bad.yml': 'on: [\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].path).toBe('.github/workflows/bad.yml');
  });
});
