import { describe, expect, it } from '@jest/globals';
import pinned from '../../checks/workflows/workflow-actions-pinned.js';
import permissions from '../../checks/workflows/workflow-permissions-restricted.js';
import timeouts from '../../checks/workflows/workflow-jobs-have-timeouts.js';
import { runChecks } from '../helpers/run-check.js';
import { fixCheck } from './fix-check.js';

const CI = [
  'name: CI',
  'on: [push, pull_request]',
  '',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - run: npm test',
  '  lint:',
  '    # the linter is quick',
  '    runs-on: ubuntu-latest',
  '    steps:',
  "      - uses: 'actions/setup-node@v4'",
  '        with:',
  '          node-version: 22',
  '      - run: npm run lint',
  '',
].join('\n');

const RELEASE = [
  'on:',
  '  push:',
  '    tags: ["v*"]',
  'permissions:',
  '  contents: write',
  '  id-token: write',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    timeout-minutes: 10',
  '    steps:',
  '      - run: make',
  '  release:',
  '    needs: build',
  '    runs-on: ubuntu-latest',
  '    timeout-minutes: 10',
  '    steps:',
  '      - uses: softprops/action-gh-release@v2',
  '',
].join('\n');

describe('workflow-jobs-have-timeouts fixer', () => {
  it('adds timeout-minutes under each job key with the job’s indentation', async () => {
    const fixed = await fixCheck(timeouts, { '.github/workflows/ci.yml': CI });
    expect(fixed.before.outcome).toBe('fail');
    const text = fixed.changed['.github/workflows/ci.yml'];
    expect(text).toContain('  test:\n    timeout-minutes: 30\n    runs-on: ubuntu-latest');
    expect(text).toContain('  lint:\n    timeout-minutes: 30\n    # the linter is quick');
    expect(fixed.plan.runs[0].notes[0]).toContain('set on 2 job(s)');
    expect(fixed.after.outcome).toBe('pass');
  });

  it('leaves a job in flow style alone and says so', async () => {
    const fixed = await fixCheck(timeouts, {
      '.github/workflows/x.yml': 'on: push\njobs:\n  a: { runs-on: ubuntu-latest, steps: [{ run: echo }] }\n',
    });
    expect(fixed.plan.applied.files).toEqual([]);
    expect(fixed.plan.runs[0].skipped[0]).toContain('job `a` is not a block mapping');
  });
});

describe('workflow-permissions-restricted fixer', () => {
  it('adds a read-only top-level block to a workflow without one', async () => {
    const fixed = await fixCheck(permissions, { '.github/workflows/ci.yml': CI });
    expect(fixed.before.outcome).toBe('fail');
    expect(fixed.changed['.github/workflows/ci.yml']).toContain(
      'on: [push, pull_request]\n\npermissions:\n  contents: read\n\njobs:\n',
    );
    expect(fixed.after.outcome).toBe('pass');
  });

  it('moves top-level write scopes into the job whose steps need them', async () => {
    const fixed = await fixCheck(permissions, { '.github/workflows/release.yml': RELEASE });
    expect(fixed.before.outcome).toBe('fail');
    const text = fixed.changed['.github/workflows/release.yml'];
    expect(text).toContain('permissions:\n  contents: read\n  id-token: read\njobs:');
    // id-token: write is needed by no step seen, so each job keeps it (and the note says so); contents: write only
    // goes to the release job.
    expect(text).toContain('  build:\n    permissions:\n      contents: read\n      id-token: write\n    runs-on');
    expect(text).toContain(
      '  release:\n    permissions:\n      contents: write\n      id-token: write\n    needs: build',
    );
    expect(fixed.plan.runs[0].notes).toEqual([
      '.github/workflows/release.yml: no step is seen to need `id-token: write`, so each job keeps it; narrow it to the jobs that use it',
    ]);
    expect(fixed.after.outcome).toBe('pass');
  });

  it('grants the scopes a job needs when the workflow had no block, and names what it cannot judge', async () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  publish:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: git push origin HEAD:gh-pages',
      '      - uses: some/action@v1',
      '        with:',
      '          token: ${{ secrets.GITHUB_TOKEN }}',
      '',
    ].join('\n');
    const fixed = await fixCheck(permissions, { '.github/workflows/pages.yml': workflow });
    const text = fixed.changed['.github/workflows/pages.yml'];
    expect(text).toContain(
      'on: push\npermissions:\n  contents: read\n\njobs:\n  publish:\n    permissions:\n      contents: write\n    runs-on',
    );
    expect(fixed.plan.runs[0].notes[0]).toContain('job `publish` hands the token to `some/action@v1` (line 7)');
    expect(fixed.after.outcome).toBe('pass');
  });

  it('skips write-all and reusable-workflow callers without guessing', async () => {
    const fixed = await fixCheck(permissions, {
      '.github/workflows/a.yml':
        'on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    steps: [{ run: echo }]\n',
      '.github/workflows/b.yml': 'on: push\njobs:\n  call:\n    uses: org/repo/.github/workflows/w.yml@v1\n',
    });
    expect(fixed.plan.applied.files).toEqual([]);
    expect(fixed.plan.runs[0].skipped).toEqual([
      '.github/workflows/a.yml: `permissions: write-all` grants every scope; list the ones each job needs by hand',
      '.github/workflows/b.yml: job `call` calls a reusable workflow without its own `permissions`; shipready cannot tell what it needs',
    ]);
  });
});

describe('workflow-actions-pinned fixer', () => {
  const resolved: Record<string, { sha: string; tag?: string }> = {
    'actions/checkout@v4': { sha: '11bd71901bbe5b1630ceea73d27597364c9af683', tag: 'v4.2.2' },
    'actions/setup-node@v4': { sha: '1d0ff469b7ec7b3cb9d8673fde0c81c44821de2a', tag: 'v4.2.0' },
  };
  const services = {
    resolveActionRef: async (owner: string, repo: string, ref: string) => resolved[`${owner}/${repo}@${ref}`],
  };

  it('pins each tag to its commit and keeps the exact version as a comment', async () => {
    const fixed = await fixCheck(pinned, { '.github/workflows/ci.yml': CI }, { services });
    const text = fixed.changed['.github/workflows/ci.yml'];
    expect(text).toContain('      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n');
    expect(text).toContain("      - uses: 'actions/setup-node@1d0ff469b7ec7b3cb9d8673fde0c81c44821de2a' # v4.2.0\n");
    expect(fixed.after.outcome).toBe('pass');
  });

  it('offline, changes nothing and says how to give it the API', async () => {
    const fixed = await fixCheck(
      pinned,
      { '.github/workflows/ci.yml': CI },
      { services: { offlineReason: 'set GITHUB_TOKEN or GH_TOKEN' } },
    );
    expect(fixed.plan.applied.files).toEqual([]);
    expect(fixed.plan.runs[0].skipped).toEqual([
      '2 action reference(s) need the GitHub API to resolve tags to commit SHAs: set GITHUB_TOKEN or GH_TOKEN',
    ]);
  });

  it('skips refs that do not resolve, docker images and lines with a comment', async () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: x',
      '    steps:',
      '      - uses: nobody/missing@v1',
      '      - uses: docker://alpine:3',
      '      - uses: actions/checkout@v4 # keep',
      '',
    ].join('\n');
    const fixed = await fixCheck(pinned, { '.github/workflows/a.yml': workflow }, { services });
    expect(fixed.plan.applied.files).toEqual([]);
    expect(fixed.plan.runs[0].skipped).toEqual([
      '.github/workflows/a.yml:6: `nobody/missing@v1` could not be resolved to a commit (no such tag or branch, or the API refused)',
      '.github/workflows/a.yml:7: `docker://alpine:3` is not an owner/repo@ref reference (docker images need a digest by hand)',
      '.github/workflows/a.yml:8: the line already has a comment; pin `actions/checkout@v4` by hand',
    ]);
  });
});

describe('the three workflow fixers together', () => {
  it('compose on one file, and each check then passes', async () => {
    const services = {
      resolveActionRef: async (_owner: string, repo: string) => ({ sha: `${repo.length}`.padStart(40, 'a') }),
    };
    const checks = [pinned, permissions, timeouts];
    const fixed = await fixCheck(
      timeouts,
      { '.github/workflows/ci.yml': CI, '.github/workflows/release.yml': RELEASE },
      { services, checks },
    );
    expect(fixed.plan.applied.refused).toEqual([]);
    const report = await runChecks(checks, fixed.files);
    expect(report.checks.map((check) => [check.id, check.outcome])).toEqual([
      ['workflow-actions-pinned', 'pass'],
      ['workflow-permissions-restricted', 'pass'],
      ['workflow-jobs-have-timeouts', 'pass'],
    ]);
  });
});
