import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { configurationChecks } from '../../../checks/configuration/index.js';
import { configSchema } from '../../../src/config/schema.js';
import { evaluateRepository } from '../../../src/engine/runner.js';
import { LocalSource } from '../../../src/snapshot/local-source.js';

/** Trimmed copies of public repositories (see each fixture's SOURCE.md), evaluated from disk like the CLI does. */
async function evaluate(fixture: string, profile?: 'service') {
  const report = await evaluateRepository({
    ...(profile ? { config: configSchema.parse({ profile }) } : {}),
    source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', fixture)),
    checks: configurationChecks,
  });
  return Object.fromEntries(report.checks.map((check) => [check.id, check]));
}

describe('configuration checks on real repositories', () => {
  it('encode/httpx: pyproject manifest; no lockfile and a wildcard pin in requirements.txt', async () => {
    const checks = await evaluate('testing-httpx');
    expect(checks['package-manifest-present'].outcome).toBe('pass');
    expect(checks['package-manifest-present'].summary).toContain('pyproject.toml');
    // Nothing pinned with == (only `-e .` and a wildcard): not even partly pinned, so it fails.
    expect(checks['lockfile-committed'].outcome).toBe('fail');
    expect(checks['lockfile-committed'].findings[0]).toMatchObject({ path: 'requirements.txt', line: 4 });
    expect(checks['lockfile-committed'].findings[0].message).toContain('brotlipy==0.7.*');
    expect(checks['env-example-present'].outcome).toBe('not-applicable');
    expect(checks['no-committed-env-files'].outcome).toBe('pass');
  });

  it('octokit/request.js: package.json with package-lock.json', async () => {
    const checks = await evaluate('testing-octokit-request');
    expect(checks['package-manifest-present'].outcome).toBe('pass');
    expect(checks['lockfile-committed'].outcome).toBe('pass');
    expect(checks['lockfile-committed'].summary).toContain('package-lock.json');
  });

  it('spf13/cobra: go.mod requires modules and go.sum is committed', async () => {
    const checks = await evaluate('config-cobra');
    expect(checks['package-manifest-present'].summary).toBe('go.mod');
    expect(checks['lockfile-committed'].outcome).toBe('pass');
    expect(checks['lockfile-committed'].summary).toContain('go.sum');
  });

  it('BurntSushi/ripgrep: a binary crate that is also a workspace; the root Cargo.lock covers the member', async () => {
    const report = await evaluateRepository({
      source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'quality-ripgrep')),
      checks: configurationChecks,
    });
    const lockfile = report.checks.find((check) => check.id === 'lockfile-committed');
    expect(lockfile?.outcome).toBe('pass');
    expect(lockfile?.summary).toBe('2 manifests locked (Cargo.lock)');
    const member = report.projects
      ?.find((project) => project.path === 'crates/globset')
      ?.checks.find((check) => check.id === 'lockfile-committed');
    expect(member?.outcome).toBe('pass');
    expect(member?.summary).toContain('Cargo.lock');
  });

  it('symfony/demo: the committed .env holds Symfony defaults only — warn, not fail; it documents %env()% reads', async () => {
    // The fixture carries two files, not composer.json: the profile is given, as `profile:` in config would.
    const checks = await evaluate('config-symfony-demo', 'service');
    expect(checks['no-committed-env-files'].outcome).toBe('warn');
    expect(checks['no-committed-env-files'].findings[0]).toMatchObject({ path: '.env', line: 1 });
    expect(checks['no-committed-env-files'].findings[0].message).toContain('Symfony commits .env defaults by design');
    expect(checks['env-example-present'].outcome).toBe('pass');
    expect(checks['env-example-present'].summary).toContain(
      'the Symfony convention (the code reads DATABASE_URL, TEST_TOKEN)',
    );
  });
});

describe('configuration checks on a Maven project', () => {
  it('spring-projects/spring-petclinic: pom.xml, and Maven has no standard lockfile', async () => {
    const checks = await evaluate('testing-spring-petclinic');
    expect(checks['package-manifest-present'].summary).toBe('pom.xml');
    expect(checks['lockfile-committed'].outcome).toBe('not-applicable');
    expect(checks['lockfile-committed'].summary).toContain('pom.xml has no standard lockfile');
  });
});

describe('configuration checks on a .NET solution', () => {
  it('jasontaylordev/CleanArchitecture: the test project references packages without packages.lock.json', async () => {
    const checks = await evaluate('testing-clean-architecture');
    expect(checks['lockfile-committed'].outcome).toBe('fail');
    expect(checks['lockfile-committed'].findings[0]).toMatchObject({
      path: 'tests/Application.UnitTests/Application.UnitTests.csproj',
    });
    expect(checks['lockfile-committed'].findings[0].message).toContain('RestorePackagesWithLockFile');
  });
});
