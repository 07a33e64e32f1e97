import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/security/default-branch-protected.js';
import type { BranchProtection } from '../../../src/snapshot/types.js';
import { runCheck } from '../../helpers/run-check.js';

const files = { 'README.md': '# x\n' };
const full: BranchProtection = {
  branch: 'main',
  source: 'ruleset',
  rulesets: ['main protection'],
  requiresPullRequest: true,
  requiredApprovals: 1,
  requiresStatusChecks: true,
  blocksForcePushes: true,
  blocksDeletions: true,
};
const run = (value: Partial<BranchProtection>) =>
  runCheck(check, files, { settings: { branchProtection: { status: 'ok', value: { ...full, ...value } } } });

describe('default-branch-protected', () => {
  it('passes when a ruleset requires reviewed PRs and status checks and blocks force pushes and deletions', async () => {
    const report = await run({});
    expect(report.outcome).toBe('pass');
    expect(report.score).toBe(1);
    expect(report.summary).toContain('ruleset "main protection"');
  });

  it('names classic protection as the source', async () => {
    const report = await run({ source: 'classic', rulesets: undefined, requiredApprovals: 2 });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('classic branch protection');
    expect(report.summary).toContain('2 approval(s)');
  });

  it('fails when nothing protects the branch, naming every rule to add', async () => {
    const report = await run({
      source: 'none',
      rulesets: undefined,
      requiresPullRequest: false,
      requiredApprovals: 0,
      requiresStatusChecks: false,
      blocksForcePushes: false,
      blocksDeletions: false,
    });
    expect(report.outcome).toBe('fail');
    expect(report.score).toBe(0);
    expect(report.summary).toBe('main is not protected: no ruleset or classic branch protection applies');
    expect(report.findings[0].message).toMatch(
      /pull request.*approving review.*status checks.*force pushes.*deletions/,
    );
  });

  it('warns with the tier fractions when rules are missing, one finding per missing rule', async () => {
    const report = await run({ requiresStatusChecks: false, requiredApprovals: 0 });
    expect(report.outcome).toBe('warn');
    // pull request 0.30 + force push 0.15 + deletion 0.10
    expect(report.score).toBe(0.55);
    expect(report.findings.map((finding) => finding.message)).toEqual([
      'main: pull requests need 0 approvals; require at least 1 approving review',
      'main: missing rule "status checks required to pass"; require status checks to pass (select the CI jobs)',
    ]);
  });

  it('does not count approvals without required pull requests', async () => {
    const report = await run({ source: 'classic', requiresPullRequest: false, requiredApprovals: 1 });
    expect(report.outcome).toBe('warn');
    expect(report.score).toBe(0.45);
    expect(report.findings.map((finding) => finding.message).join('\n')).toMatch(
      /pull requests required before merging[\s\S]*at least 1 approving review/,
    );
  });

  it('fails with score 0 when protection exists but none of the rules is on', async () => {
    const report = await run({
      requiresPullRequest: false,
      requiredApprovals: 0,
      requiresStatusChecks: false,
      blocksForcePushes: false,
      blocksDeletions: false,
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings).toHaveLength(5);
  });

  it('is not-supported with the missing permission as the reason', async () => {
    const reason = 'the App lacks the "Administration: read" permission';
    const report = await runCheck(check, files, {
      settings: { branchProtection: { status: 'not-supported', reason } },
    });
    expect(report.outcome).toBe('not-supported');
    expect(report.summary).toContain(reason);
    expect(report.findings[0].message).toContain(reason);
  });

  it('is not-supported on a local directory', async () => {
    const report = await runCheck(check, files);
    expect(report.outcome).toBe('not-supported');
  });
});
