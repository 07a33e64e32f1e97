import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { configSchema } from '../../src/config/schema.js';
import { defineCheck, result } from '../../src/engine/define-check.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import type { AnyCheckDefinition } from '../../src/engine/types.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';

const base = {
  description: 'a test check that passes',
  rationale: 'for the engine tests only',
  remediation: 'do `x`',
  effort: 'minutes' as const,
};

const readsPackage = defineCheck({
  ...base,
  id: 'reads-package',
  category: 'configuration',
  severity: 'high',
  title: 'reads package.json',
  scope: 'project',
  needs: { files: ['package.json'] },
  evaluate: ({ snapshot }) =>
    snapshot.text('package.json') ? result.pass('found') : result.fail('missing', [{ message: 'add package.json' }]),
});
const throws = defineCheck({
  ...base,
  id: 'throws',
  category: 'quality',
  severity: 'medium',
  title: 'throws',
  scope: 'repository',
  needs: {},
  evaluate: () => {
    throw new Error('boom');
  },
});
const undeclared = defineCheck({
  ...base,
  id: 'undeclared',
  category: 'quality',
  severity: 'low',
  title: 'reads a file it did not declare',
  scope: 'repository',
  needs: {},
  evaluate: ({ snapshot }) => (snapshot.text('src/secret.txt') ? result.pass('read') : result.fail('not read')),
});
const flagsLines = defineCheck({
  ...base,
  id: 'flags-lines',
  category: 'workflows',
  severity: 'high',
  title: 'flags every `uses:` line',
  scope: 'repository',
  needs: { files: ['.github/workflows/*.yml'] },
  evaluate: ({ snapshot }) => {
    const text = snapshot.text('.github/workflows/ci.yml') ?? '';
    const findings = text
      .split('\n')
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => line.includes('uses:'))
      .map(({ index }) => ({ message: 'unpinned', path: '.github/workflows/ci.yml', line: index + 1 }));
    return findings.length ? result.fail(`${findings.length} unpinned`, findings) : result.pass('none');
  },
});
const serviceOnly = defineCheck({
  ...base,
  id: 'service-only',
  category: 'operations',
  severity: 'low',
  title: 'service only',
  profiles: ['service'],
  scope: 'repository',
  needs: {},
  evaluate: () => result.pass('ok'),
});
const withOptions = defineCheck({
  ...base,
  id: 'with-options',
  category: 'testing',
  severity: 'medium',
  title: 'options',
  scope: 'repository',
  needs: {},
  options: z.strictObject({ min: z.number().default(80) }),
  evaluate: ({ options }) => result.warn(`min ${options.min}`, [], options.min / 100),
});

const run = (checks: AnyCheckDefinition[], files: Record<string, string>, config = {}) =>
  evaluateRepository({ source: new MemorySource(files), checks, config: configSchema.parse(config) });

describe('evaluateRepository', () => {
  it('fetches the union of needs in one read and reports every check once', async () => {
    const source = new MemorySource({ 'package.json': '{}', '.github/workflows/ci.yml': 'jobs: {}\n', 'src/a.js': '' });
    const report = await evaluateRepository({
      source,
      checks: [readsPackage, flagsLines],
      config: configSchema.parse({}),
    });
    expect(source.requestedPaths).toHaveLength(1);
    expect(source.requestedPaths[0]).toEqual(expect.arrayContaining(['package.json', '.github/workflows/ci.yml']));
    expect(source.requestedPaths[0]).not.toContain('src/a.js');
    expect(report.checks.map((check) => check.id)).toEqual(['reads-package', 'flags-lines']);
  });

  it('turns a throwing check into an error outcome and goes on', async () => {
    const report = await run([throws, readsPackage], { 'package.json': '{}' });
    expect(report.checks[0]).toMatchObject({ id: 'throws', outcome: 'error', score: null });
    expect(report.checks[0].summary).toContain('boom');
    expect(report.checks[1]).toMatchObject({ id: 'reads-package', outcome: 'pass' });
    expect(report.coverage).toEqual({ scored: 1, total: 2 });
  });

  it('makes an undeclared read an error instead of a silent pass', async () => {
    const report = await run([undeclared], { 'src/secret.txt': 'x' });
    expect(report.checks[0].outcome).toBe('error');
    expect(report.checks[0].summary).toContain('not declared');
  });

  it('honours inline shipready-ignore comments on or above the line, and keeps them visible', async () => {
    const workflow = [
      'jobs:',
      '  a:',
      '    steps:',
      '      # shipready-ignore flags-lines: vendored action, reviewed',
      '      - uses: actions/checkout@v4',
      '      - uses: actions/setup-node@v4 # shipready-ignore flags-lines: pinned by the org',
    ].join('\n');
    const report = await run([flagsLines], { '.github/workflows/ci.yml': workflow });
    const [check] = report.checks;
    expect(check.outcome).toBe('pass');
    expect(check.summary).toContain('suppressed');
    expect(check.findings.map((finding) => finding.suppressed?.reason)).toEqual([
      'vendored action, reviewed',
      'pinned by the org',
    ]);
  });

  it('keeps the outcome when only some findings are suppressed', async () => {
    const workflow = 'steps:\n  # shipready-ignore flags-lines: ok\n  - uses: a/b@v1\n  - uses: c/d@v1\n';
    const report = await run([flagsLines], { '.github/workflows/ci.yml': workflow });
    expect(report.checks[0].outcome).toBe('fail');
    expect(report.checks[0].findings.filter((finding) => finding.suppressed)).toHaveLength(1);
  });

  it('applies config: off, severity override, options and ignore.paths', async () => {
    const report = await run(
      [readsPackage, flagsLines, withOptions],
      { 'package.json': '{}', '.github/workflows/ci.yml': 'uses: x\n' },
      {
        checks: { 'reads-package': 'low', 'flags-lines': 'off', 'with-options': { min: 60 } },
      },
    );
    expect(report.checks[0]).toMatchObject({ id: 'reads-package', severity: 'low', outcome: 'pass' });
    expect(report.checks[1]).toMatchObject({ id: 'flags-lines', outcome: 'not-applicable', score: null });
    expect(report.checks[2]).toMatchObject({ summary: 'min 60', score: 0.6 });
    const ignored = await run([readsPackage], { 'package.json': '{}' }, { ignore: { paths: ['package.json'] } });
    expect(ignored.checks[0].outcome).toBe('fail');
  });

  it('marks profile-specific checks not-applicable with the reason', async () => {
    const report = await run([serviceOnly], { 'package.json': '{"name":"lib"}' });
    expect(report.profile).toBe('library');
    expect(report.checks[0].outcome).toBe('not-applicable');
    expect(report.checks[0].summary).toContain('service profile');
    const forced = await run([serviceOnly], { 'package.json': '{"name":"lib"}' }, { profile: 'service' });
    expect(forced.checks[0].outcome).toBe('pass');
  });

  it('evaluates project checks per workspace and prefixes finding paths', async () => {
    const report = await run([readsPackage, throws], {
      'package.json': JSON.stringify({ private: true, workspaces: ['packages/*'] }),
      'packages/api/package.json': '{"name":"api"}',
      'packages/web/index.js': '',
      'packages/cli/pyproject.toml': '[project]\nname = "cli"\n',
    });
    expect(report.projects?.map((project) => project.path)).toEqual(['packages/api', 'packages/cli']);
    const api = report.projects![0];
    expect(api.checks.map((check) => check.id)).toEqual(['reads-package']);
    expect(api.checks[0].outcome).toBe('pass');
    const cli = report.projects![1];
    expect(cli.ecosystems).toEqual(['python']);
    expect(cli.checks[0].outcome).toBe('fail');
  });

  it('computes score, rating, verdict and category counts', async () => {
    const report = await run([readsPackage, flagsLines], {
      'package.json': '{}',
      '.github/workflows/ci.yml': 'uses: x\n',
    });
    expect(report.score).toBe(50);
    expect(report.rating).toBe('poor');
    expect(report.verdict).toBe('not-ready');
    const configuration = report.categories.find((category) => category.id === 'configuration')!;
    expect(configuration.counts.pass).toBe(1);
    expect(configuration.score).toBe(100);
    expect(report.categories.find((category) => category.id === 'security')!.score).toBeNull();
  });
});

describe('bounded needs', () => {
  it('takes the shallowest files first, up to max, after dropping exclusions', async () => {
    const scansSources = defineCheck({
      ...base,
      id: 'scans-sources',
      category: 'security',
      severity: 'low',
      title: 'scans sources',
      scope: 'repository',
      needs: { files: [{ glob: '**/*.js', max: 2, exclude: ['vendor/**'] }] },
      evaluate: () => result.pass('ok'),
    });
    const source = new MemorySource({
      'vendor/a.js': '',
      'vendor/b.js': '',
      'src/deep/c.js': '',
      'index.js': '',
      'src/d.js': '',
    });
    await evaluateRepository({ source, checks: [scansSources], config: configSchema.parse({}) });
    expect(source.requestedPaths[0].filter((path) => path.endsWith('.js')).sort()).toEqual(['index.js', 'src/d.js']);
  });

  it('breaks a tie at the last depth taken by path, and reads shallow files first', async () => {
    const scansSources = defineCheck({
      ...base,
      id: 'scans-sources',
      category: 'security',
      severity: 'low',
      title: 'scans sources',
      scope: 'repository',
      needs: { files: [{ glob: '**/*.js', max: 4 }] },
      evaluate: () => result.pass('ok'),
    });
    const source = new MemorySource({
      'z/y/x.js': '',
      'b/z.js': '',
      'b/a.js': '',
      'a/q.js': '',
      'c/a.js': '',
      'top.js': '',
    });
    await evaluateRepository({ source, checks: [scansSources], config: configSchema.parse({}) });
    expect(source.requestedPaths[0].filter((path) => path.endsWith('.js'))).toEqual([
      'top.js',
      'a/q.js',
      'b/a.js',
      'b/z.js',
    ]);
  });
});

describe('project needs', () => {
  it("reads a project check's relative globs under each project root, and nowhere else", async () => {
    const readsEslint = defineCheck({
      ...base,
      id: 'reads-eslint',
      category: 'quality',
      severity: 'low',
      title: 'reads .eslintrc.json',
      scope: 'project',
      needs: { files: ['.eslintrc.json'] },
      evaluate: ({ snapshot }) => (snapshot.text('.eslintrc.json') ? result.pass('configured') : result.fail('none')),
    });
    const source = new MemorySource({
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
      'packages/api/package.json': '{}',
      'packages/api/.eslintrc.json': '{}',
      'packages/web/package.json': '{}',
      'docs/examples/.eslintrc.json': '{}',
    });
    const report = await evaluateRepository({ source, checks: [readsEslint], config: configSchema.parse({}) });
    expect(source.requestedPaths[0]).toContain('packages/api/.eslintrc.json');
    expect(source.requestedPaths[0]).not.toContain('docs/examples/.eslintrc.json');
    expect(report.projects?.map((project) => [project.path, project.checks[0].outcome])).toEqual([
      ['packages/api', 'pass'],
      ['packages/web', 'fail'],
    ]);
  });
});

describe('repository-relative finding paths', () => {
  it('keeps the path of a finding flagged repositoryPath in a project, and prefixes the others', async () => {
    const pointsAtRoot = defineCheck({
      ...base,
      id: 'points-at-root',
      category: 'quality',
      severity: 'low',
      title: 'points at a root file',
      scope: 'project',
      needs: {},
      evaluate: ({ projectPath }) =>
        projectPath
          ? result.fail('inherited', [
              { message: 'root workflow', path: '.github/workflows/ci.yml', line: 3, repositoryPath: true },
              { message: 'own file', path: 'package.json', line: 1 },
            ])
          : result.pass('root'),
    });
    const source = new MemorySource({
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
      'packages/api/package.json': '{}',
      '.github/workflows/ci.yml': 'on: push\n',
    });
    const report = await evaluateRepository({ source, checks: [pointsAtRoot], config: configSchema.parse({}) });
    expect(report.projects![0].checks[0].findings).toEqual([
      { message: 'root workflow', path: '.github/workflows/ci.yml', line: 3 },
      { message: 'own file', path: 'packages/api/package.json', line: 1, lineKey: expect.any(String) },
    ]);
  });
});
