import { describe, expect, it } from '@jest/globals';
import check, { parseCodeowners } from '../../../checks/foundations/codeowners-present.js';
import { runCheck } from '../../helpers/run-check.js';

describe('codeowners-present', () => {
  it('passes with owners on every entry, ignoring comments and blank lines', async () => {
    const report = await runCheck(check, {
      '.github/CODEOWNERS': '# owners\n\n*   @acme/maintainers\n/docs/ docs' + '@example.com  # inline comment\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('.github/CODEOWNERS (2 rules)');
  });

  it('warns with a line annotation for each entry without an owner', async () => {
    const report = await runCheck(check, {
      CODEOWNERS: '* @acme/core\n\n# generated files have no owner\n/dist/\n/api/ maintainers\n/web/ @alice\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.summary).toBe('CODEOWNERS: 2 of 4 entries without an owner');
    expect(report.findings).toEqual([
      expect.objectContaining({
        path: 'CODEOWNERS',
        line: 4,
        message: expect.stringContaining('"/dist/" has no owner'),
      }),
      expect.objectContaining({
        path: 'CODEOWNERS',
        line: 5,
        message: expect.stringContaining('"maintainers" is not @user'),
      }),
    ]);
  });

  it('uses the file GitHub uses and says the others are ignored', async () => {
    const report = await runCheck(check, { '.github/CODEOWNERS': '* @a', 'docs/CODEOWNERS': '* @b' });
    expect(report.summary).toBe(
      '.github/CODEOWNERS (1 rule); docs/CODEOWNERS is ignored because GitHub uses .github/CODEOWNERS',
    );
  });

  it('warns on a file with only comments', async () => {
    const report = await runCheck(check, { 'docs/CODEOWNERS': '# TODO\n\n' });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'docs/CODEOWNERS', line: 1 });
  });

  it('understands GitLab sections with default owners and escaped #', () => {
    const { rules } = parseCodeowners('[Docs] @docs-team\n/docs/\n^[Optional][2]\n/scripts/\n/file\\#1 @bob\n');
    expect(rules.map((rule) => [rule.pattern, rule.owners.length + rule.sectionOwners.length])).toEqual([
      ['/docs/', 1],
      ['/scripts/', 0],
      ['/file\\#1', 1],
    ]);
  });

  it('fails without CODEOWNERS, and points at a wrongly cased one', async () => {
    expect((await runCheck(check, { 'README.md': '# x' })).outcome).toBe('fail');
    const report = await runCheck(check, { '.github/codeowners': '* @a' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({
      path: '.github/codeowners',
      message: expect.stringContaining('exact name CODEOWNERS'),
    });
  });

  it('warns, without crashing, on a binary CODEOWNERS', async () => {
    const report = await runCheck(check, { CODEOWNERS: new Uint8Array([0, 0, 1, 2, 3]) });
    expect(report.outcome).toBe('warn');
    expect(report.summary).toContain('binary');
  });

  it('is not applicable when turned off', async () => {
    expect((await runCheck(check, {}, { config: { checks: { 'codeowners-present': 'off' } } })).outcome).toBe(
      'not-applicable',
    );
  });
});
