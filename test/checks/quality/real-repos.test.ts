import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { qualityChecks } from '../../../checks/quality/index.js';
import { evaluateRepository } from '../../../src/engine/runner.js';
import { LocalSource } from '../../../src/snapshot/local-source.js';

/** Trimmed copies of public repositories (see each fixture's SOURCE.md), evaluated from disk like the CLI does. */
async function evaluate(fixture: string) {
  const report = await evaluateRepository({
    source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', fixture)),
    checks: qualityChecks,
  });
  return Object.fromEntries(report.checks.map((check) => [check.id, check]));
}

describe('quality checks on real repositories', () => {
  it('encode/httpx: Ruff, Black, strict mypy, no git hooks', async () => {
    const checks = await evaluate('testing-httpx');
    expect(checks['linter-configured'].outcome).toBe('pass');
    expect(checks['linter-configured'].summary).toContain('[tool.ruff] in pyproject.toml');
    expect(checks['formatter-configured'].outcome).toBe('pass');
    expect(checks['formatter-configured'].summary).toContain('Black');
    expect(checks['type-checking-enabled'].outcome).toBe('pass');
    expect(checks['type-checking-enabled'].summary).toContain('mypy');
    expect(checks['pre-commit-hooks-configured'].outcome).toBe('fail');
  });

  it('octokit/request.js: Prettier but no linter; strict tsconfig full of comments', async () => {
    const checks = await evaluate('testing-octokit-request');
    expect(checks['linter-configured'].outcome).toBe('fail');
    expect(checks['linter-configured'].findings[0].message).toMatch(/JavaScript\/TypeScript: no linter found/);
    expect(checks['formatter-configured'].summary).toContain('Prettier');
    expect(checks['type-checking-enabled'].outcome).toBe('pass');
    expect(checks['type-checking-enabled'].summary).toBe('TypeScript strict mode on in tsconfig.json');
  });

  it('spf13/cobra: golangci-lint, gofmt built in, type checking not applicable', async () => {
    const checks = await evaluate('config-cobra');
    expect(checks['linter-configured'].outcome).toBe('pass');
    expect(checks['linter-configured'].summary).toContain('.golangci.yml');
    expect(checks['formatter-configured'].outcome).toBe('pass');
    expect(checks['formatter-configured'].summary).toMatch(/gofmt.*built into the toolchain/);
    expect(checks['type-checking-enabled'].outcome).toBe('not-applicable');
    expect(checks['pre-commit-hooks-configured'].outcome).toBe('fail');
  });

  it('BurntSushi/ripgrep: rustfmt enforced in CI, but no Clippy anywhere — also for the crates/globset project', async () => {
    const report = await evaluateRepository({
      source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'quality-ripgrep')),
      checks: qualityChecks,
    });
    const checks = Object.fromEntries(report.checks.map((check) => [check.id, check]));
    expect(checks['linter-configured'].outcome).toBe('fail');
    expect(checks['linter-configured'].findings[0].message).toContain('`cargo clippy` in CI');
    expect(checks['formatter-configured'].summary).toBe(
      'Rust: rustfmt (run in .github/workflows/ci.yml:50, built into the toolchain)',
    );
    expect(checks['type-checking-enabled'].outcome).toBe('not-applicable');
    const globset = report.projects?.find((project) => project.path === 'crates/globset');
    expect(globset?.checks.find((check) => check.id === 'linter-configured')?.outcome).toBe('fail');
    expect(globset?.checks.find((check) => check.id === 'formatter-configured')?.summary).toContain(
      '.github/workflows/ci.yml:50',
    );
  });
});

describe('quality checks on a Maven project', () => {
  it('spring-projects/spring-petclinic: Checkstyle plugin, Spring Java Format, Java needs no type checker', async () => {
    const report = await evaluateRepository({
      source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'testing-spring-petclinic')),
      checks: qualityChecks,
    });
    const checks = Object.fromEntries(report.checks.map((check) => [check.id, check]));
    expect(checks['linter-configured'].summary).toMatch(/^Java\/Kotlin: Checkstyle \(pom\.xml:\d+\)$/);
    expect(checks['formatter-configured'].summary).toMatch(/Spring Java Format/);
    expect(checks['type-checking-enabled'].outcome).toBe('not-applicable');
  });
});

describe('quality checks on a .NET solution', () => {
  it('jasontaylordev/CleanArchitecture: TreatWarningsAsErrors in Directory.Build.props enforces the SDK analyzers', async () => {
    const report = await evaluateRepository({
      source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'testing-clean-architecture')),
      checks: qualityChecks,
    });
    const linter = report.checks.find((check) => check.id === 'linter-configured');
    expect(linter?.summary).toBe('.NET: .NET analyzers (Directory.Build.props:5)');
    const project = report.projects
      ?.find((candidate) => candidate.path === 'src/Application')
      ?.checks.find((check) => check.id === 'linter-configured');
    expect(project?.outcome).toBe('pass');
  });
});
