import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/configuration/lockfile-committed.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

const withDeps = (name = 'app', extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, dependencies: { express: '^4.0.0' }, ...extra });

describe('lockfile-committed', () => {
  it('passes with package-lock.json beside package.json', async () => {
    const report = await runCheck(check, { 'package.json': withDeps(), 'package-lock.json': '{}' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('package-lock.json');
  });

  it('fails and names the manifest without a lockfile', async () => {
    const report = await runCheck(check, { 'package.json': withDeps(), 'index.js': '' });
    expect(report.outcome).toBe('fail');
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ path: 'package.json' });
    expect(report.findings[0].message).toMatch(/package-lock\.json/);
  });

  it('says when .gitignore ignores the lockfile', async () => {
    const report = await runCheck(check, { 'package.json': withDeps(), '.gitignore': 'node_modules\nyarn.lock\n' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('.gitignore:2');
  });

  it('covers npm workspace members with the root lockfile', async () => {
    const report = await runChecks([check], {
      'package.json': JSON.stringify({
        name: 'root',
        private: true,
        workspaces: ['packages/*'],
        devDependencies: { typescript: '5' },
      }),
      'package-lock.json': '{}',
      'packages/a/package.json': withDeps('a'),
      'packages/b/package.json': withDeps('b'),
    });
    expect(report.checks[0].outcome).toBe('pass');
    const member = report.projects?.find((project) => project.path === 'packages/a')?.checks[0];
    expect(member?.outcome).toBe('pass');
    expect(member?.summary).toContain('workspace root');
  });

  it('covers pnpm workspace members and fails a member whose workspace root has no lockfile', async () => {
    const pnpm = await runCheck(check, {
      'package.json': JSON.stringify({ name: 'root', private: true }),
      'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n',
      'pnpm-lock.yaml': 'lockfileVersion: 9\n',
      'apps/web/package.json': withDeps('web'),
    });
    expect(pnpm.outcome).toBe('pass');
    const report = await runChecks([check], {
      'package.json': JSON.stringify({
        name: 'root',
        private: true,
        workspaces: ['packages/*'],
        devDependencies: { eslint: '9' },
      }),
      'packages/a/package.json': withDeps('a'),
    });
    const member = report.projects?.find((project) => project.path === 'packages/a')?.checks[0];
    expect(member?.outcome).toBe('fail');
    expect(member?.findings[0].message).toMatch(/workspace root package\.json has no lockfile/);
  });

  it('requires a lockfile for a nested non-workspace package', async () => {
    const report = await runCheck(check, {
      'package.json': withDeps(),
      'package-lock.json': '{}',
      'website/package.json': withDeps('site'),
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => finding.path)).toEqual(['website/package.json']);
  });

  it('accepts a fully pinned requirements.txt and points at the first unpinned line otherwise', async () => {
    const pinned = await runCheck(check, {
      'requirements.txt': '# deps\nflask==3.0.0\nrequests[socks]==2.32.3 \\\n    --hash=sha256:abc\n-e .\n',
    });
    expect(pinned.outcome).toBe('pass');
    expect(pinned.summary).toContain('pinned');
    // Amended catalog: partly pinned requirements `warn`; none pinned (and no lockfile) fails.
    const loose = await runCheck(check, { 'requirements.txt': 'flask==3.0.0\nrequests>=2\n' });
    expect(loose.outcome).toBe('warn');
    expect(loose.findings[0]).toMatchObject({ path: 'requirements.txt', line: 2 });
    expect(loose.findings[0].message).toContain('requests>=2');
    expect(loose.findings[0].message).toContain('partly pinned (1 of 2 requirements pinned with ==)');
    const unpinned = await runCheck(check, { 'requirements.txt': 'flask>=3\nrequests>=2\n' });
    expect(unpinned.outcome).toBe('fail');
  });

  it('expects poetry.lock for a Poetry project and accepts uv.lock', async () => {
    const poetry = await runCheck(check, {
      'pyproject.toml': '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.12"\nhttpx = "*"\n',
    });
    expect(poetry.outcome).toBe('fail');
    expect(poetry.findings[0].message).toContain('poetry.lock');
    const uv = await runCheck(check, {
      'pyproject.toml': '[project]\nname = "x"\ndependencies = ["httpx"]\n',
      'uv.lock': 'version = 1\n',
    });
    expect(uv.outcome).toBe('pass');
  });

  it('wants go.sum only when go.mod requires modules', async () => {
    const none = await runCheck(check, { 'go.mod': 'module example.com/x\n\ngo 1.22\n', 'main.go': 'package main' });
    expect(none.outcome).toBe('not-applicable');
    const missing = await runCheck(check, {
      'go.mod': 'module example.com/x\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n',
    });
    expect(missing.outcome).toBe('fail');
    expect(missing.findings[0]).toMatchObject({ path: 'go.mod', line: 5 });
    const locked = await runCheck(check, {
      'go.mod': 'module example.com/x\nrequire (\n\tgithub.com/spf13/cobra v1.8.0\n)\n',
      'go.sum': 'x',
    });
    expect(locked.outcome).toBe('pass');
  });

  it('fails a Rust binary without Cargo.lock and only warns for a library', async () => {
    const cargo = '[package]\nname = "x"\nversion = "0.1.0"\n\n[dependencies]\nserde = "1"\n';
    const binary = await runCheck(check, { 'Cargo.toml': cargo, 'src/main.rs': 'fn main() {}' });
    expect(binary.outcome).toBe('fail');
    expect(binary.findings[0].message).toMatch(/binary/);
    const library = await runCheck(check, { 'Cargo.toml': cargo, 'src/lib.rs': 'pub fn x() {}' });
    expect(library.outcome).toBe('warn');
    expect(library.findings[0]).toMatchObject({ path: 'Cargo.toml' });
  });

  it('judges a Cargo workspace once, at its root, and credits the root lockfile to members', async () => {
    const report = await runChecks([check], {
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
      'Cargo.lock': '# lock',
      'crates/cli/Cargo.toml': '[package]\nname = "cli"\n[dependencies]\nclap = "4"\n',
      'crates/cli/src/main.rs': 'fn main() {}',
    });
    expect(report.checks[0].outcome).toBe('pass');
    expect(report.checks[0].summary).toBe('2 manifests locked (Cargo.lock)');
    expect(report.projects?.[0].checks[0].summary).toBe('1 manifest locked (Cargo.lock (workspace root))');
  });

  it('handles Ruby, PHP and .NET conventions', async () => {
    expect((await runCheck(check, { Gemfile: "gem 'rails'\n", 'Gemfile.lock': 'GEM' })).outcome).toBe('pass');
    expect((await runCheck(check, { Gemfile: 'gemspec\n', 'x.gemspec': 'Gem::Specification.new' })).outcome).toBe(
      'warn',
    );
    expect(
      (
        await runCheck(check, {
          'composer.json': '{ "type": "project", "require": { "php": "^8.2", "symfony/console": "^7" } }',
        })
      ).outcome,
    ).toBe('fail');
    const dotnet = await runCheck(check, {
      'App/App.csproj': '<Project><ItemGroup><PackageReference Include="Serilog" Version="3" /></ItemGroup></Project>',
    });
    expect(dotnet.outcome).toBe('fail');
    expect(dotnet.findings[0].message).toContain('RestorePackagesWithLockFile');
  });

  it('treats package-lock=false in .npmrc as a deliberate choice: warn', async () => {
    const report = await runCheck(check, { 'package.json': withDeps(), '.npmrc': 'package-lock=false\n' });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].message).toContain('package-lock=false');
  });

  it('is not applicable when nothing declares dependencies, and skips fixtures', async () => {
    const report = await runCheck(check, {
      'package.json': '{ "name": "x", "scripts": { "build": "tsc" } }',
      'test/fixtures/app/package.json': withDeps(),
    });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toContain('no dependencies');
  });

  it('does not throw on a malformed package.json', async () => {
    const report = await runCheck(check, { 'package.json': '{ "name": "x", ' });
    expect(['fail', 'pass', 'warn']).toContain(report.outcome);
    expect(report.findings[0]?.path).toBe('package.json');
  });
});
