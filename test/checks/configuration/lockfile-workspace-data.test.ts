import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/configuration/lockfile-committed.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

const json = (value: unknown) => JSON.stringify(value, null, 2);

// The shape of vitejs/vite: a pnpm workspace whose root pnpm-lock.yaml covers every member, a scaffolding package
// shipping `template-*` package.json files as data, test packages under `packages/**/__tests__/**`, and a test fixture
// shaped like a yarn workspace inside them.
const viteLike = {
  'package.json': json({ name: 'monorepo', private: true, devDependencies: { typescript: '5' } }),
  'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - 'packages/**/__tests__/**'\n  - docs\n",
  'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
  'docs/package.json': json({ name: 'docs', private: true, devDependencies: { vitepress: '1' } }),
  'packages/create-app/package.json': json({
    name: 'create-app',
    bin: { 'create-app': 'index.js' },
    files: ['index.js', 'template-*', 'dist'],
    devDependencies: { tsdown: '1' },
  }),
  'packages/create-app/template-react/package.json': json({ name: 'vite-react', dependencies: { react: '^19' } }),
  'packages/create-app/template-vue/package.json': json({ name: 'vite-vue', dependencies: { vue: '^3' } }),
  'packages/core/package.json': json({ name: 'core', main: 'dist/index.js', dependencies: { connect: '^3' } }),
  'packages/core/src/node/__tests__/package.json': json({ name: '@x/unit', private: true, dependencies: { vue: '3' } }),
  'packages/core/src/node/__tests__/fixtures/yarn/package.json': json({ private: true, workspaces: ['nested'] }),
  'packages/core/src/node/__tests__/fixtures/yarn/nested/package.json': json({
    name: 'nested',
    dependencies: { foo: '1' },
  }),
};

describe('lockfile-committed in a pnpm workspace with data package.json files', () => {
  it('passes when the root lockfile covers every member, and names it once', async () => {
    const report = await runCheck(check, viteLike);
    expect(report.findings).toEqual([]);
    expect(report.outcome).toBe('pass');
    expect(report.summary.match(/pnpm-lock\.yaml/g)).toHaveLength(1);
  });

  it('names each distinct lockfile once when something is missing', async () => {
    const report = await runCheck(check, {
      ...viteLike,
      'tools/site/package.json': json({ name: 'site', dependencies: { astro: '4' } }),
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => finding.path)).toEqual(['tools/site/package.json']);
    expect(report.summary.match(/pnpm-lock\.yaml/g)).toHaveLength(1);
  });
});

describe('lockfile-committed and examples of the repository’s own package (pallets/click)', () => {
  it('an example that depends only on the root package needs no lockfile; one with a third-party dependency does', async () => {
    const report = await runCheck(check, {
      'pyproject.toml': '[project]\nname = "click"\ndependencies = []\n',
      'examples/colors/pyproject.toml': '[project]\nname = "click-example-colors"\ndependencies = ["click>=8.1"]\n',
      'examples/repo/pyproject.toml': '[project]\nname = "click-example-repo"\ndependencies = ["Click>=8.1"]\n',
      'examples/web/pyproject.toml': '[project]\nname = "click-example-web"\ndependencies = ["click", "requests>=2"]\n',
    });
    expect(report.outcome).toBe('fail');
    const named = report.findings.map((finding) => finding.path);
    expect(named).toContain('examples/web/pyproject.toml');
    expect(named).not.toContain('examples/colors/pyproject.toml');
    expect(named).not.toContain('examples/repo/pyproject.toml');
  });

  it('says why an example needs no lockfile: it depends on the repository’s own package, not on nothing', async () => {
    const report = await runChecks([check], {
      'pyproject.toml': '[project]\nname = "click"\ndependencies = []\n',
      'uv.lock': 'version = 1\n',
      'examples/colors/pyproject.toml': '[project]\nname = "click-example-colors"\ndependencies = ["click>=8.1"]\n',
      'examples/bare/pyproject.toml': '[project]\nname = "click-example-bare"\n',
    });
    const summaryOf = (path: string) =>
      report.projects?.find((project) => project.path === path)?.checks.find((entry) => entry.id === check.id)?.summary;
    expect(summaryOf('examples/colors')).toBe(
      "nothing to lock (pyproject.toml: depends only on this repository's own package `click`)",
    );
    expect(summaryOf('examples/bare')).toBe('nothing to lock (pyproject.toml: no dependencies declared)');
  });
});
