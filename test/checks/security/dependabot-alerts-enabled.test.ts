import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/security/dependabot-alerts-enabled.js';
import { runCheck } from '../../helpers/run-check.js';

const files = { 'README.md': '# x\n' };

describe('dependabot-alerts-enabled', () => {
  it('passes when Dependabot alerts is on', async () => {
    const report = await runCheck(check, files, { settings: { dependabotAlerts: { status: 'ok', value: true } } });
    expect(report.outcome).toBe('pass');
    expect(report.score).toBe(1);
    expect(report.summary).toMatch(/Dependabot alerts.* enabled/i);
  });

  it('fails when Dependabot alerts is off, with a finding that says where to turn it on', async () => {
    const report = await runCheck(check, files, { settings: { dependabotAlerts: { status: 'ok', value: false } } });
    expect(report.outcome).toBe('fail');
    expect(report.score).toBe(0);
    expect(report.findings[0].message).toMatch(/Settings → Code security/);
  });

  it('is not-supported, with the reason, when the App lacks the permission', async () => {
    const reason = 'the App lacks the "Administration: read" permission';
    const report = await runCheck(check, files, {
      settings: { dependabotAlerts: { status: 'not-supported', reason } },
    });
    expect(report.outcome).toBe('not-supported');
    expect(report.score).toBeNull();
    expect(report.summary).toContain(reason);
    expect(report.findings[0].message).toContain(reason);
  });

  it('is not-supported on a local directory', async () => {
    const report = await runCheck(check, files);
    expect(report.outcome).toBe('not-supported');
    expect(report.summary).toMatch(/GitHub source/);
  });
});
