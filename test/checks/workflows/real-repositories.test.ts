import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ciChecks } from '../../../checks/ci/index.js';
import { workflowsChecks } from '../../../checks/workflows/index.js';
import type { CheckReport } from '../../../src/report/types.js';
import { runChecks, type RepoFiles } from '../../helpers/run-check.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'repos');

/** The fixture's files (SOURCE.md, which names the origin, left out). */
function loadFixture(name: string): RepoFiles {
  const root = join(FIXTURES, name);
  const files: RepoFiles = {};
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory)) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (relative(root, path) !== 'SOURCE.md')
        files[relative(root, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}

async function evaluate(name: string): Promise<Record<string, CheckReport>> {
  const report = await runChecks([...ciChecks, ...workflowsChecks], loadFixture(name));
  return Object.fromEntries(report.checks.map((check) => [check.id, check]));
}

const at = (report: CheckReport) => report.findings.map((finding) => `${finding.path}:${finding.line}`);

describe('real repositories', () => {
  it('ossf/scorecard: SHA-pinned, read-only token, golangci-lint and dependency review on pull requests', async () => {
    const checks = await evaluate('workflows-ossf-scorecard');
    expect(checks['workflow-actions-pinned']).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('6 of 6'),
    });
    expect(checks['workflow-permissions-restricted'].outcome).toBe('pass');
    expect(checks['workflow-triggers-safe'].outcome).toBe('pass');
    expect(checks['ci-runs-linters']).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('.github/workflows/lint.yml:34'),
    });
    expect(checks['dependency-vulnerability-scanning']).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('.github/workflows/depsreview.yml:27'),
    });
    expect(checks['ci-runs-tests-on-pull-requests'].outcome).toBe('fail');
    expect(at(checks['ci-runs-tests-on-pull-requests'])).toEqual([
      '.github/workflows/depsreview.yml:15',
      '.github/workflows/lint.yml:2',
    ]);
    expect(checks['workflow-jobs-have-timeouts'].outcome).toBe('fail');
    expect(at(checks['workflow-jobs-have-timeouts'])).toEqual([
      '.github/workflows/depsreview.yml:21',
      '.github/workflows/lint.yml:18',
    ]);
  });

  it('pallets/flask: tox through a matrix, unpinned tags, PyPI publishing, jobs without permissions', async () => {
    const checks = await evaluate('workflows-pallets-flask');
    expect(checks['ci-runs-tests-on-pull-requests']).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('.github/workflows/tests.yaml:51'),
    });
    expect(checks['ci-runs-linters']).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('.github/workflows/tests.yaml:51'),
    });
    expect(checks['workflow-actions-pinned'].outcome).toBe('fail');
    expect(at(checks['workflow-actions-pinned']).sort()).toEqual([
      '.github/workflows/publish.yaml:36',
      '.github/workflows/tests.yaml:39',
      '.github/workflows/tests.yaml:40',
    ]);
    expect(checks['workflow-permissions-restricted'].outcome).toBe('fail');
    expect(at(checks['workflow-permissions-restricted'])).toEqual([
      '.github/workflows/publish.yaml:7',
      '.github/workflows/publish.yaml:55',
      '.github/workflows/tests.yaml:20',
    ]);
    expect(checks['deployment-pipeline-present']).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('.github/workflows/publish.yaml:50'),
    });
    expect(checks['workflow-triggers-safe'].outcome).toBe('pass');
    expect(checks['workflow-jobs-have-timeouts'].score).toBe(0);
  });

  it('expressjs/express: npm lint and test scripts on pull requests, pinned actions', async () => {
    const checks = await evaluate('ci-expressjs-express');
    expect(checks['ci-workflow-present'].outcome).toBe('pass');
    expect(checks['ci-runs-tests-on-pull-requests']).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('`npm run test-ci` (package script) at .github/workflows/ci.yml:80'),
    });
    expect(checks['ci-runs-linters']).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('.github/workflows/ci.yml:42'),
    });
    expect(checks['workflow-actions-pinned']).toMatchObject({ outcome: 'pass' });
    expect(checks['workflow-permissions-restricted'].outcome).toBe('pass');
    // github.head_ref in `concurrency.group` is not a shell script: safe.
    expect(checks['workflow-triggers-safe'].outcome).toBe('pass');
    expect(at(checks['workflow-jobs-have-timeouts'])).toEqual([
      '.github/workflows/ci.yml:26',
      '.github/workflows/ci.yml:44',
      '.github/workflows/ci.yml:89',
    ]);
  });

  it('facebook/react: pull_request_target passing the title only through `with:` is safe; unpinned remote workflow and action', async () => {
    const checks = await evaluate('workflows-facebook-react');
    expect(checks['workflow-triggers-safe'].outcome).toBe('pass');
    expect(checks['workflow-actions-pinned'].outcome).toBe('fail');
    expect(at(checks['workflow-actions-pinned'])).toEqual([
      '.github/workflows/compiler_discord_notify.yml:12',
      '.github/workflows/compiler_discord_notify.yml:22',
    ]);
    expect(at(checks['workflow-permissions-restricted'])).toEqual([
      '.github/workflows/compiler_discord_notify.yml:11',
      '.github/workflows/compiler_discord_notify.yml:16',
    ]);
    expect(at(checks['workflow-jobs-have-timeouts'])).toEqual(['.github/workflows/compiler_discord_notify.yml:16']);
    expect(checks['ci-runs-tests-on-pull-requests'].outcome).toBe('fail');
  });

  it('python/cpython: job-level permissions and timeouts pass; github-script reading the issue through the API is safe', async () => {
    const checks = await evaluate('workflows-python-cpython');
    expect(checks['workflow-permissions-restricted']).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('2 of 2'),
    });
    expect(checks['workflow-jobs-have-timeouts']).toMatchObject({
      outcome: 'pass',
      summary: expect.stringContaining('3 of 3'),
    });
    expect(checks['workflow-triggers-safe'].outcome).toBe('pass');
    expect(at(checks['workflow-actions-pinned']).sort()).toEqual([
      '.github/workflows/add-issue-header.yml:23',
      '.github/workflows/require-pr-label.yml:18',
      '.github/workflows/require-pr-label.yml:36',
      '.github/workflows/require-pr-label.yml:45',
      '.github/workflows/require-pr-label.yml:56',
    ]);
  });
});
