import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/foundations/contribution-templates-present.js';
import { runCheck } from '../../helpers/run-check.js';

describe('contribution-templates-present', () => {
  it('passes with issue forms and a pull request template', async () => {
    const report = await runCheck(check, {
      '.github/ISSUE_TEMPLATE/bug_report.yml': 'name: Bug',
      '.github/ISSUE_TEMPLATE/feature.md': '---\nname: Feature\n---',
      '.github/ISSUE_TEMPLATE/config.yml': 'blank_issues_enabled: false',
      '.github/pull_request_template.md': '## What',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe(
      'Issue template: 2 files in .github/ISSUE_TEMPLATE/; pull request template: .github/pull_request_template.md',
    );
  });

  it('accepts single-file templates at the root and in docs/, in any case', async () => {
    const report = await runCheck(check, { 'ISSUE_TEMPLATE.md': 'x', 'docs/PULL_REQUEST_TEMPLATE.md': 'x' });
    expect(report.outcome).toBe('pass');
  });

  it('accepts GitLab templates', async () => {
    const report = await runCheck(check, {
      '.gitlab/issue_templates/Bug.md': 'x',
      '.gitlab/merge_request_templates/Default.md': 'x',
    });
    expect(report.outcome).toBe('pass');
  });

  it('fails with half the score when only one exists, naming the missing one', async () => {
    const report = await runCheck(check, { '.github/PULL_REQUEST_TEMPLATE.md': 'x' });
    expect(report.outcome).toBe('fail');
    expect(report.score).toBe(0.5);
    expect(report.summary).toBe('Pull request template (.github/PULL_REQUEST_TEMPLATE.md) but no issue template');
  });

  it('does not take the chooser config for a template', async () => {
    const report = await runCheck(check, {
      '.github/ISSUE_TEMPLATE/config.yml': 'contact_links: []',
      '.github/pull_request_template.md': 'x',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({
      path: '.github/ISSUE_TEMPLATE/config.yml',
      message: expect.stringContaining('only configures the template chooser'),
    });
  });

  it('passes on the org templates and says so', async () => {
    const settings = {
      orgCommunityFiles: {
        status: 'ok' as const,
        value: {
          repository: 'acme/.github',
          paths: ['.github/ISSUE_TEMPLATE/bug.yml', '.github/pull_request_template.md'],
        },
      },
    };
    const report = await runCheck(check, { '.github/pull_request_template.md': 'x' }, { settings });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain(
      "Issue template: inherited from the org's .github repository (acme/.github/.github/ISSUE_TEMPLATE/bug.yml)",
    );
  });

  it('fails without any template', async () => {
    const report = await runCheck(check, { 'README.md': '# x' });
    expect(report.outcome).toBe('fail');
    expect(report.score).toBe(0);
    expect(report.findings).toHaveLength(2);
  });

  it('is not applicable when turned off', async () => {
    expect(
      (await runCheck(check, {}, { config: { checks: { 'contribution-templates-present': 'off' } } })).outcome,
    ).toBe('not-applicable');
  });
});
