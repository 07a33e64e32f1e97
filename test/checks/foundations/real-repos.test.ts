import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { foundationsChecks } from '../../../checks/foundations/index.js';
import { evaluateRepository } from '../../../src/engine/runner.js';
import { LocalSource } from '../../../src/snapshot/local-source.js';
import type { Report } from '../../../src/report/types.js';
import type { Settings } from '../../../src/snapshot/types.js';
import { runChecks } from '../../helpers/run-check.js';

/** Fixtures copied from public repositories (see each SOURCE.md); SOURCE.md itself is not part of the repository. */
const fixture = (name: string) => join(import.meta.dirname, '..', '..', 'fixtures', 'repos', name);

function readTree(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name !== 'SOURCE.md') files[relative(directory, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(directory);
  return files;
}

const outcomes = (report: Report) => Object.fromEntries(report.checks.map((check) => [check.id, check.outcome]));
const byId = (report: Report, id: string) => report.checks.find((check) => check.id === id)!;
const scan = (name: string) =>
  evaluateRepository({ source: new LocalSource(fixture(name)), checks: foundationsChecks });
const org = (repository: string, paths: string[]): Settings => ({
  orgCommunityFiles: { status: 'ok', value: { repository, paths } },
});

describe('foundations on real repositories', () => {
  it('pallets/flask: BSD-3-Clause, CHANGES.rst, templates; CONTRIBUTING and SECURITY only in the org repository', async () => {
    const report = await scan('foundations-flask');
    expect(outcomes(report)).toMatchObject({
      'readme-present': 'pass',
      'license-present': 'pass',
      'gitignore-present': 'pass',
      'contributing-guide-present': 'fail',
      'code-of-conduct-present': 'fail',
      'security-policy-present': 'fail',
      'changelog-present': 'pass',
      'codeowners-present': 'fail',
      'contribution-templates-present': 'pass',
    });
    expect(byId(report, 'license-present').summary).toBe('BSD-3-Clause (LICENSE.txt)');
    expect(byId(report, 'license-present').findings).toEqual([]); // pyproject.toml declares the same id
    expect(byId(report, 'changelog-present').summary).toBe('CHANGES.rst');
    expect(byId(report, 'contribution-templates-present').summary).toBe(
      'Issue template: .github/ISSUE_TEMPLATE/bug-report.md; pull request template: .github/pull_request_template.md',
    );
  });

  it('pallets/flask from the GitHub source: the pallets/.github fallbacks pass and say so', async () => {
    const settings = org('pallets/.github', ['CONTRIBUTING.md', 'FUNDING.yml', 'SECURITY.md', 'SUPPORT.md']);
    const report = await runChecks(foundationsChecks, readTree(fixture('foundations-flask')), { settings });
    expect(byId(report, 'contributing-guide-present')).toMatchObject({
      outcome: 'pass',
      summary: "contributing guide inherited from the org's .github repository (pallets/.github/CONTRIBUTING.md)",
    });
    expect(byId(report, 'security-policy-present')).toMatchObject({
      outcome: 'pass',
      summary: "Security policy inherited from the org's .github repository (pallets/.github/SECURITY.md)",
    });
    expect(byId(report, 'code-of-conduct-present').outcome).toBe('fail');
    expect(byId(report, 'code-of-conduct-present').findings[0].message).toContain(
      "nor in the org's pallets/.github repository",
    );
  });

  it('psf/requests: Apache-2.0 notice, advisory link in .github/SECURITY.md, CODEOWNERS with owners on every line', async () => {
    const report = await scan('foundations-requests');
    expect(byId(report, 'license-present').summary).toBe('Apache-2.0 (LICENSE)');
    expect(byId(report, 'security-policy-present')).toMatchObject({
      outcome: 'pass',
      summary: '.github/SECURITY.md names a way to report: a GitHub security advisory link (line 4)',
    });
    expect(byId(report, 'codeowners-present')).toMatchObject({
      outcome: 'pass',
      summary: '.github/CODEOWNERS (5 rules)',
    });
    expect(byId(report, 'code-of-conduct-present').summary).toBe('.github/CODE_OF_CONDUCT.md');
    expect(byId(report, 'contributing-guide-present').summary).toBe('.github/CONTRIBUTING.md');
    expect(byId(report, 'changelog-present').summary).toBe('HISTORY.md');
    expect(byId(report, 'contribution-templates-present')).toMatchObject({ outcome: 'fail', score: 0.5 });
  });

  it('expressjs/express: MIT, Security.md with an address, Code-Of-Conduct.md; issue templates from expressjs/.github', async () => {
    const report = await scan('foundations-express');
    expect(byId(report, 'license-present').summary).toBe('MIT (LICENSE)');
    // The email address ranks above the "GitHub Security Advisories" mention and the triage-team URL.
    expect(byId(report, 'security-policy-present').summary).toBe(
      'Security.md names a way to report: an email address (line 32)',
    );
    expect(byId(report, 'code-of-conduct-present').summary).toBe('Code-Of-Conduct.md');
    expect(byId(report, 'contributing-guide-present').summary).toBe('Contributing.md');
    expect(byId(report, 'changelog-present').summary).toBe('History.md');
    expect(byId(report, 'codeowners-present').outcome).toBe('fail');
    expect(byId(report, 'contribution-templates-present').summary).toBe(
      'Pull request template (.github/PULL_REQUEST_TEMPLATE.md) but no issue template',
    );

    const settings = org('expressjs/.github', [
      '.github/ISSUE_TEMPLATE/1-bug_report.yml',
      '.github/ISSUE_TEMPLATE/config.yml',
      '.github/PULL_REQUEST_TEMPLATE.md',
      'CODE_OF_CONDUCT.md',
      'CONTRIBUTING.md',
      'SECURITY.md',
    ]);
    const fromGitHub = await runChecks(foundationsChecks, readTree(fixture('foundations-express')), { settings });
    expect(byId(fromGitHub, 'contribution-templates-present')).toMatchObject({ outcome: 'pass' });
    expect(byId(fromGitHub, 'contribution-templates-present').summary).toContain(
      "inherited from the org's .github repository (expressjs/.github/.github/ISSUE_TEMPLATE/1-bug_report.yml)",
    );
    // A file in the repository wins over the org fallback.
    expect(byId(fromGitHub, 'security-policy-present').summary).toContain('Security.md');
  });

  it('spf13/cobra: CONDUCT.md counts as a code of conduct; the security email is found', async () => {
    const report = await scan('foundations-cobra');
    expect(byId(report, 'code-of-conduct-present').summary).toBe('CONDUCT.md');
    expect(byId(report, 'security-policy-present').summary).toBe(
      'SECURITY.md names a way to report: an email address (line 13)',
    );
    expect(byId(report, 'license-present').summary).toBe('Apache-2.0 (LICENSE.txt)');
    expect(byId(report, 'changelog-present').summary).toBe('CHANGELOG.md');
  });

  it('tokio-rs/tokio: a mailto: address in SECURITY.md; a per-crate changelog', async () => {
    const report = await scan('docs-tokio');
    expect(byId(report, 'security-policy-present').summary).toBe(
      'SECURITY.md names a way to report: an email address (line 3)',
    );
    expect(byId(report, 'changelog-present').summary).toBe('1 per-package changelog (tokio/CHANGELOG.md)');
  });
});
