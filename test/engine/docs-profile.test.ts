import { describe, expect, it } from '@jest/globals';
import { allChecks } from '../../checks/index.js';
import { runChecks } from '../helpers/run-check.js';

// The shape of a handbook repository (basecamp/handbook-like): Markdown chapters, a markdownlint config, a PR
// workflow that lints the prose and a workflow that publishes the site to GitHub Pages.
const handbook = {
  'README.md': '# Handbook\n\nHow we work.\n',
  'getting-started.md': '# Getting started\n\nText.\n',
  'benefits/time-off.md': '# Time off\n\nText.\n',
  '.markdownlint.json': '{ "MD013": false }\n',
  '.github/workflows/lint.yml': [
    'on: pull_request',
    'permissions: {}',
    'jobs:',
    '  lint:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 5',
    '    steps:',
    '      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567',
    '      - run: npx markdownlint-cli2 "**/*.md"',
    '      - run: lychee --no-progress .',
    '',
  ].join('\n'),
  '.github/workflows/pages.yml': [
    'on:',
    '  push:',
    '    branches: [main]',
    'permissions: {}',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    permissions:',
    '      pages: write',
    '      id-token: write',
    '    steps:',
    '      - run: pip install mkdocs && mkdocs gh-deploy --force',
    '',
  ].join('\n'),
};

describe('docs profile (CATALOG paragraph)', () => {
  it('applies the linter, CI-linter and deployment checks, counting prose linters and site deploys', async () => {
    const report = await runChecks(allChecks, handbook);
    expect(report.profile).toBe('docs');
    const outcome = (id: string) => report.checks.find((check) => check.id === id)?.outcome;
    expect(outcome('linter-configured')).toBe('pass');
    expect(outcome('ci-runs-linters')).toBe('pass');
    expect(outcome('deployment-pipeline-present')).toBe('pass');
    expect(outcome('no-committed-env-files')).toBe('pass');
    for (const id of [
      'package-manifest-present',
      'lockfile-committed',
      'formatter-configured',
      'type-checking-enabled',
      'test-framework-configured',
      'tests-present',
      'coverage-configured',
      'coverage-threshold-enforced',
      'ci-runs-tests-on-pull-requests',
      'dependency-vulnerability-scanning',
      'sast-configured',
      'sbom-generated',
      'readme-has-quickstart',
      'architecture-docs-present',
      'api-docs-present',
      'health-endpoint-present',
    ])
      expect({ id, outcome: outcome(id) }).toEqual({ id, outcome: 'not-applicable' });
  });

  it('fails linter-configured in a docs repository without a Markdown or prose linter', async () => {
    const { '.markdownlint.json': _config, '.github/workflows/lint.yml': _lint, ...bare } = handbook;
    const report = await runChecks(allChecks, bare);
    const linter = report.checks.find((check) => check.id === 'linter-configured')!;
    expect(linter.outcome).toBe('fail');
    expect(linter.findings[0].message).toContain('markdownlint');
  });
});
