import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/testing/test-framework-configured.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

const node = { 'src/index.ts': 'export {}\n' };

describe('test-framework-configured', () => {
  it('recognises JavaScript runners by config file, package.json key, dependency and node --test', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'package.json': '{}', 'jest.config.ts': 'export default {}' }, 'Jest'],
      [{ 'package.json': '{ "jest": { "testEnvironment": "node" } }' }, 'Jest'],
      [{ 'package.json': '{}', 'vitest.config.mts': 'export default {}' }, 'Vitest'],
      [{ 'package.json': '{}', '.mocharc.yml': 'spec: test' }, 'Mocha'],
      [{ 'package.json': '{}', 'playwright.config.ts': '' }, 'Playwright'],
      [{ 'package.json': '{ "devDependencies": { "ava": "6" } }' }, 'dependency "ava"'],
      [{ 'package.json': '{ "scripts": { "test": "node --test test/" } }' }, 'node:test'],
    ];
    for (const [files, tool] of cases) {
      const report = await runCheck(check, { ...node, ...files });
      expect({ tool, outcome: report.outcome, summary: report.summary }).toMatchObject({
        outcome: 'pass',
        summary: expect.stringContaining(tool),
      });
    }
  });

  it("warns on npm's placeholder test script, at its line", async () => {
    const report = await runCheck(check, {
      ...node,
      'package.json':
        '{\n  "name": "x",\n  "scripts": {\n    "test": "echo \\"Error: no test specified\\" && exit 1"\n  }\n}',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'package.json', line: 4 });
  });

  it('recognises pytest in pyproject, setup.cfg, tox.ini and conftest.py, and unittest imports', async () => {
    const py = { 'pkg/app.py': '' };
    const cases: Array<Record<string, string>> = [
      { 'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n' },
      { 'setup.cfg': '[metadata]\nname = x\n[tool:pytest]\ntestpaths = tests\n' },
      { 'tox.ini': '[pytest]\n' },
      { 'tests/conftest.py': '' },
    ];
    for (const files of cases) {
      const report = await runCheck(check, { ...py, ...files });
      expect({ file: Object.keys(files)[0], outcome: report.outcome }).toEqual({
        file: Object.keys(files)[0],
        outcome: 'pass',
      });
    }
    const unittest = await runCheck(check, {
      ...py,
      'setup.py': 'setup()',
      'tests/test_app.py': 'import unittest\n\nclass T(unittest.TestCase):\n    pass\n',
    });
    expect(unittest.summary).toContain('unittest');
  });

  it('passes Go and Rust as built in', async () => {
    const go = await runCheck(check, {
      'go.mod': 'module x\n\nrequire github.com/stretchr/testify v1.9.0\n',
      'main.go': '',
    });
    expect(go.outcome).toBe('pass');
    expect(go.summary).toMatch(/go test.*built into the toolchain/);
    expect((await runCheck(check, { 'Cargo.toml': '[package]\nname="x"', 'src/lib.rs': '' })).summary).toContain(
      'cargo test',
    );
  });

  it('recognises JUnit, RSpec, PHPUnit, xUnit and CTest', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [
        {
          'pom.xml':
            '<project><dependencies><dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId></dependency></dependencies></project>',
          'src/main/java/A.java': '',
        },
        'JUnit',
      ],
      [
        {
          'build.gradle.kts':
            'dependencies { testImplementation(libs.junit.jupiter) }\ntasks.test { useJUnitPlatform() }',
          'src/main/kotlin/A.kt': '',
        },
        'JUnit',
      ],
      [{ Gemfile: "gem 'rspec'\n", 'lib/a.rb': '', '.rspec': '--require spec_helper' }, 'RSpec'],
      [{ 'composer.json': '{}', 'src/A.php': '', 'phpunit.xml.dist': '<phpunit/>' }, 'PHPUnit'],
      [
        {
          'Tests/Tests.csproj':
            '<Project><ItemGroup><PackageReference Include="xunit" Version="2.9.0" /></ItemGroup></Project>',
          'Tests/UnitTest1.cs': '',
        },
        'xUnit',
      ],
      [{ 'CMakeLists.txt': 'project(x)\nenable_testing()\nadd_test(NAME t COMMAND t)\n', 'src/a.c': '' }, 'CTest'],
    ];
    for (const [files, tool] of cases) {
      const report = await runCheck(check, files);
      expect({ tool, outcome: report.outcome, summary: report.summary }).toMatchObject({
        outcome: 'pass',
        summary: expect.stringContaining(tool),
      });
    }
  });

  it('fails without a framework and lists what it looked for', async () => {
    const report = await runCheck(check, { 'pyproject.toml': '[project]\nname = "x"\n', 'x/app.py': '' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toMatch(/Python: no test framework found \(looked for pytest\.ini/);
  });

  it('is not applicable without source code; a monorepo project inherits root dev dependencies', async () => {
    expect((await runCheck(check, { 'README.md': '# x' })).outcome).toBe('not-applicable');
    const report = await runChecks([check], {
      'package.json': '{ "private": true, "workspaces": ["packages/*"], "devDependencies": { "vitest": "3" } }',
      'packages/a/package.json': '{ "name": "a" }',
      'packages/a/src/a.ts': '',
    });
    expect(report.projects?.[0].checks[0].outcome).toBe('pass');
  });

  it('survives a malformed package.json', async () => {
    const report = await runCheck(check, { 'package.json': '{ "scripts": ', 'index.js': '' });
    expect(report.outcome).toBe('fail');
  });
});
