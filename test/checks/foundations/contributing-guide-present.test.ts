import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/foundations/contributing-guide-present.js';
import { runCheck } from '../../helpers/run-check.js';

const org = (paths: string[]) => ({
  orgCommunityFiles: { status: 'ok' as const, value: { repository: 'acme/.github', paths } },
});

describe('contributing-guide-present', () => {
  it('passes with CONTRIBUTING.md at the root', async () => {
    const report = await runCheck(check, { 'CONTRIBUTING.md': '# Contributing' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('CONTRIBUTING.md');
  });

  it('finds .github/CONTRIBUTING.rst and docs/contributing.md, preferring .github/', async () => {
    const report = await runCheck(check, { 'docs/contributing.md': 'x', '.github/CONTRIBUTING.rst': 'x' });
    expect(report.summary).toBe('.github/CONTRIBUTING.rst');
  });

  it('passes on the org fallback and says so', async () => {
    const report = await runCheck(check, { 'README.md': '# x' }, { settings: org(['CONTRIBUTING.md', 'SECURITY.md']) });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe(
      "contributing guide inherited from the org's .github repository (acme/.github/CONTRIBUTING.md)",
    );
  });

  it('fails without one, and names the org repository it also looked in', async () => {
    expect(
      (await runCheck(check, { 'README.md': '# x', 'src/contributing.md': 'not a community place' })).outcome,
    ).toBe('fail');
    const report = await runCheck(check, { 'README.md': '# x' }, { settings: org(['SECURITY.md']) });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain("nor in the org's acme/.github repository");
  });

  it('does not count CONTRIBUTORS.md or a submodule', async () => {
    const report = await runCheck(check, {
      'CONTRIBUTORS.md': 'Alice',
      CONTRIBUTING: { content: '', kind: 'submodule' },
    });
    expect(report.outcome).toBe('fail');
  });

  it('is not applicable when turned off', async () => {
    expect((await runCheck(check, {}, { config: { checks: { 'contributing-guide-present': 'off' } } })).outcome).toBe(
      'not-applicable',
    );
  });
});
