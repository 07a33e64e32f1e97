import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/foundations/security-policy-present.js';
import { runCheck } from '../../helpers/run-check.js';

describe('security-policy-present', () => {
  it('passes when the policy names an email address', async () => {
    const report = await runCheck(check, {
      'SECURITY.md': '# Security\n\n## Reporting\n\nWrite to security' + '@example.com.\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('SECURITY.md names a way to report: an email address (line 5)');
  });

  it('passes on an advisory link, a URL, or an obfuscated address', async () => {
    expect(
      (await runCheck(check, { '.github/SECURITY.md': 'Use [the form](../../security/advisories/new).' })).summary,
    ).toContain('advisory link');
    expect(
      (await runCheck(check, { 'docs/security.rst': 'See https://example.com/security for how to report.' })).summary,
    ).toContain('a URL');
    expect((await runCheck(check, { 'SECURITY.md': 'Mail security [at] example [dot] org' })).summary).toContain(
      'email',
    );
    expect(
      (
        await runCheck(check, {
          'SECURITY.md': 'Please use the **"Report a vulnerability"** button on the Security tab.',
        })
      ).summary,
    ).toContain('private vulnerability reporting');
  });

  it('warns, on the reporting heading, when the policy gives no way to report', async () => {
    const report = await runCheck(check, {
      'SECURITY.md':
        '# Security Policy\n\nWe take security seriously.\n\n## Reporting a Vulnerability\n\nPlease tell us about it.\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'SECURITY.md', line: 5 });
    expect(report.findings[0].message).toContain('no email address, reporting URL or GitHub security-advisory link');
  });

  it('does not take a package version for an email address', async () => {
    const report = await runCheck(check, { 'SECURITY.md': 'Versions lodash@4.17.21 and later are supported.' });
    expect(report.outcome).toBe('warn');
  });

  it('warns on an empty or binary policy without crashing', async () => {
    expect((await runCheck(check, { 'SECURITY.md': '\n' })).summary).toBe('SECURITY.md is empty');
    expect((await runCheck(check, { 'SECURITY.md': new Uint8Array([0, 159, 146, 150]) })).summary).toContain('binary');
  });

  it('passes on the org fallback and says so', async () => {
    const report = await runCheck(
      check,
      {},
      {
        settings: {
          orgCommunityFiles: { status: 'ok', value: { repository: 'acme/.github', paths: ['SECURITY.md'] } },
        },
      },
    );
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe(
      "Security policy inherited from the org's .github repository (acme/.github/SECURITY.md)",
    );
  });

  it('fails without a policy', async () => {
    const report = await runCheck(check, { 'README.md': 'Report security bugs to us.' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('add SECURITY.md');
  });

  it('is not applicable when turned off', async () => {
    expect((await runCheck(check, {}, { config: { checks: { 'security-policy-present': 'off' } } })).outcome).toBe(
      'not-applicable',
    );
  });
});

describe('security-policy-present: links to other policies are no way to report', () => {
  it('warns on a SECURITY.md that only links to other projects’ policies, and passes one with a reporting URL', async () => {
    const links = [
      '# Security',
      '',
      'This project bundles other projects. See their policies:',
      '',
      '- https://github.com/nodejs/node/security/policy',
      '- [OpenSSL](https://github.com/openssl/openssl/blob/master/SECURITY.md)',
      '',
    ].join('\n');
    const report = await runCheck(check, { 'SECURITY.md': links });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].message).toContain('links to other security policies do not count');
    const form = await runCheck(check, { 'SECURITY.md': `${links}\nReport ours at https://hackerone.com/acme\n` });
    expect(form.outcome).toBe('pass');
    expect(form.summary).toContain('a URL (line 8)');
  });
});
