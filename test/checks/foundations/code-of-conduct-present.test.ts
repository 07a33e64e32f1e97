import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/foundations/code-of-conduct-present.js';
import { runCheck } from '../../helpers/run-check.js';

describe('code-of-conduct-present', () => {
  it('passes with CODE_OF_CONDUCT.md, and with the dashed or joined spellings', async () => {
    expect((await runCheck(check, { 'CODE_OF_CONDUCT.md': 'x' })).summary).toBe('CODE_OF_CONDUCT.md');
    expect((await runCheck(check, { '.github/code-of-conduct.md': 'x' })).outcome).toBe('pass');
    expect((await runCheck(check, { 'docs/CodeOfConduct.rst': 'x' })).outcome).toBe('pass');
    expect((await runCheck(check, { 'CONDUCT.md': 'x' })).summary).toBe('CONDUCT.md');
  });

  it('passes on the org fallback and says so', async () => {
    const report = await runCheck(
      check,
      {},
      {
        settings: {
          orgCommunityFiles: {
            status: 'ok',
            value: { repository: 'acme/.github', paths: ['.github/CODE_OF_CONDUCT.md'] },
          },
        },
      },
    );
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('acme/.github/.github/CODE_OF_CONDUCT.md');
  });

  it('fails without one', async () => {
    const report = await runCheck(check, { 'README.md': '# x', 'docs/guide/code_of_conduct.md': 'too deep' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('no CODE_OF_CONDUCT.md at the root, in .github/ or in docs/');
  });

  it('is not applicable when turned off', async () => {
    expect((await runCheck(check, {}, { config: { checks: { 'code-of-conduct-present': 'off' } } })).outcome).toBe(
      'not-applicable',
    );
  });
});
