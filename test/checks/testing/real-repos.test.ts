import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { testingChecks } from '../../../checks/testing/index.js';
import { evaluateRepository } from '../../../src/engine/runner.js';
import { LocalSource } from '../../../src/snapshot/local-source.js';

/** Trimmed copies of public repositories (see each fixture's SOURCE.md), evaluated from disk like the CLI does. */
async function evaluate(fixture: string) {
  const report = await evaluateRepository({
    source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', fixture)),
    checks: testingChecks,
  });
  return Object.fromEntries(report.checks.map((check) => [check.id, check]));
}

describe('testing checks on real repositories', () => {
  it('encode/httpx: pytest, coverage.py, 97% enforced by an extension-less script CI runs', async () => {
    const checks = await evaluate('testing-httpx');
    expect(checks['test-framework-configured'].summary).toContain('pytest');
    expect(checks['tests-present'].outcome).toBe('pass');
    expect(checks['tests-present'].summary).toBe('26 test files for 23 source files (ratio 1.13)');
    expect(checks['coverage-configured'].summary).toContain('[tool.coverage] in pyproject.toml');
    expect(checks['coverage-threshold-enforced'].outcome).toBe('pass');
    expect(checks['coverage-threshold-enforced'].summary).toMatch(
      /^97% enforced by coverage report --fail-under \(scripts\/coverage:11\)/,
    );
  });

  it('octokit/request.js: Jest with a 100% coverageThreshold in package.json', async () => {
    const checks = await evaluate('testing-octokit-request');
    expect(checks['test-framework-configured'].summary).toContain('Jest ("jest" in package.json)');
    expect(checks['tests-present'].summary).toBe('6 test files for 9 source files (ratio 0.67)');
    expect(checks['coverage-configured'].outcome).toBe('pass');
    expect(checks['coverage-threshold-enforced'].outcome).toBe('pass');
    expect(checks['coverage-threshold-enforced'].summary).toMatch(
      /^100% enforced by .*Jest coverageThreshold 100%|^100% enforced by Jest coverageThreshold/,
    );
  });

  it('spf13/cobra: go test built in, tests beside the code, coverage never collected', async () => {
    const checks = await evaluate('config-cobra');
    expect(checks['test-framework-configured'].summary).toMatch(/go test.*built into the toolchain/);
    expect(checks['tests-present'].summary).toBe('15 test files for 17 source files (ratio 0.88)');
    expect(checks['coverage-configured'].outcome).toBe('fail');
    expect(checks['coverage-threshold-enforced'].outcome).toBe('fail');
    expect(checks['coverage-threshold-enforced'].findings.at(-1)?.message).toMatch(/coverage is not collected/);
  });

  it('applies the min option to a real threshold (httpx enforces 97%: warn at min 98)', async () => {
    const report = await evaluateRepository({
      source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'testing-httpx')),
      checks: testingChecks.filter((check) => check.id === 'coverage-threshold-enforced'),
      config: (await import('../../../src/config/schema.js')).configSchema.parse({
        checks: { 'coverage-threshold-enforced': { min: 98 } },
      }),
    });
    expect(report.checks[0].outcome).toBe('warn');
    expect(report.checks[0].findings[0]).toMatchObject({ path: 'scripts/coverage', line: 11 });
  });

  it('BurntSushi/ripgrep: counts source files with #[cfg(test)] modules as tests, per project too', async () => {
    const report = await evaluateRepository({
      source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'quality-ripgrep')),
      checks: testingChecks,
    });
    // crates/globset/examples/custom_separator.rs is source: examples are real code (CATALOG "Which files count").
    expect(report.checks.find((check) => check.id === 'tests-present')?.summary).toBe(
      '6 test files for 8 source files (ratio 0.75)',
    );
    const globset = report.projects
      ?.find((project) => project.path === 'crates/globset')
      ?.checks.find((check) => check.id === 'tests-present');
    expect(globset?.summary).toBe('1 test file for 4 source files (ratio 0.25)');
    expect(report.checks.find((check) => check.id === 'coverage-configured')?.outcome).toBe('fail');
  });
});

describe('testing checks on a Maven project', () => {
  it('spring-projects/spring-petclinic: JUnit via spring-boot-starter-test, src/test/java, JaCoCo without a check rule', async () => {
    const report = await evaluateRepository({
      source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'testing-spring-petclinic')),
      checks: testingChecks,
    });
    const checks = Object.fromEntries(report.checks.map((check) => [check.id, check]));
    expect(checks['test-framework-configured'].summary).toContain('JUnit');
    // `org/springframework/samples/petclinic` is a Java package, not a samples folder: the code is counted.
    expect(checks['tests-present'].summary).toBe('12 test files for 24 source files (ratio 0.50)');
    expect(checks['coverage-configured'].summary).toMatch(/^JaCoCo \(pom\.xml:\d+\)$/);
    expect(checks['coverage-threshold-enforced'].outcome).toBe('fail');
    expect(checks['coverage-threshold-enforced'].findings.at(-1)?.message).toMatch(/coverage is collected \(JaCoCo/);
  });
});

describe('testing checks on a .NET solution', () => {
  it('jasontaylordev/CleanArchitecture: src/Application is tested by tests/Application.UnitTests (NUnit)', async () => {
    const report = await evaluateRepository({
      source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'testing-clean-architecture')),
      checks: testingChecks,
    });
    const application = Object.fromEntries(
      (report.projects?.find((project) => project.path === 'src/Application')?.checks ?? []).map((check) => [
        check.id,
        check,
      ]),
    );
    expect(application['test-framework-configured'].outcome).toBe('pass');
    expect(application['test-framework-configured'].summary).toBe(
      '.NET: nunit (in the test project tests/Application.UnitTests, which references this project)',
    );
    expect(application['tests-present'].outcome).toBe('pass');
    expect(application['tests-present'].summary).toBe(
      '2 test files for 6 source files in 1 test project referencing this project (tests/Application.UnitTests)',
    );
    expect(report.checks.find((check) => check.id === 'tests-present')?.summary).toBe(
      '2 test files for 6 source files (ratio 0.33)',
    );
  });
});
