import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/testing/coverage-configured.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

const node = { 'package.json': '{}', 'src/index.ts': '' };
const python = { 'pyproject.toml': '[project]\nname = "x"\n', 'x/app.py': '' };

describe('coverage-configured', () => {
  it('recognises JavaScript coverage: jest config, --coverage, c8/nyc, vitest providers', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'jest.config.js': 'module.exports = { collectCoverageFrom: ["src/**"] };' }, 'Jest/Vitest coverage'],
      [{ 'package.json': '{ "scripts": { "test": "jest --coverage" } }' }, 'coverage'],
      [{ 'package.json': '{ "devDependencies": { "c8": "10" } }' }, 'coverage tool'],
      [{ '.nycrc.json': '{}' }, 'c8/nyc'],
      [{ 'vitest.config.ts': 'export default { test: { coverage: { provider: "v8" } } }' }, 'Jest/Vitest coverage'],
    ];
    for (const [files, tool] of cases) {
      const report = await runCheck(check, { ...node, ...files });
      expect({ tool, outcome: report.outcome, summary: report.summary }).toMatchObject({
        outcome: 'pass',
        summary: expect.stringContaining(tool),
      });
    }
  });

  it('recognises Python coverage: pytest-cov addopts, .coveragerc, [tool.coverage]', async () => {
    const addopts = await runCheck(check, { ...python, 'pytest.ini': '[pytest]\naddopts = --cov=x\n' });
    expect(addopts.summary).toContain('pytest.ini:2');
    expect((await runCheck(check, { ...python, '.coveragerc': '[run]\nbranch = True\n' })).summary).toContain(
      '.coveragerc',
    );
    expect(
      (
        await runCheck(check, {
          ...python,
          'pyproject.toml': '[project]\nname="x"\n[tool.coverage.run]\nbranch = true\n',
        })
      ).summary,
    ).toContain('[tool.coverage]');
  });

  it('recognises go test -cover, tarpaulin, JaCoCo and Codecov in CI', async () => {
    const go = await runCheck(check, {
      'go.mod': 'module x',
      'main.go': '',
      '.github/workflows/ci.yml':
        'jobs:\n  t:\n    steps:\n      - run: go test -race -coverprofile=coverage.out ./...\n',
    });
    expect(go.summary).toContain('.github/workflows/ci.yml:4');
    expect(
      (
        await runCheck(check, {
          'Cargo.toml': '[package]\nname="x"',
          'src/lib.rs': '',
          Makefile: 'cov:\n\tcargo llvm-cov --lcov\n',
        })
      ).outcome,
    ).toBe('pass');
    expect(
      (
        await runCheck(check, {
          'pom.xml':
            '<project><build><plugins><plugin><artifactId>jacoco-maven-plugin</artifactId></plugin></plugins></build></project>',
          'src/main/java/A.java': '',
        })
      ).summary,
    ).toContain('JaCoCo');
    expect(
      (await runCheck(check, { ...node, '.github/workflows/ci.yml': 'steps:\n  - uses: codecov/codecov-action@v5\n' }))
        .summary,
    ).toContain('Codecov');
  });

  it('fails without coverage and lists what it looked for', async () => {
    const report = await runCheck(check, node);
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toMatch(/pytest-cov.*go test -cover/);
  });

  it('is not applicable without code; CI coverage counts for monorepo projects', async () => {
    expect((await runCheck(check, { 'README.md': '# x' })).outcome).toBe('not-applicable');
    const report = await runChecks([check], {
      'package.json': '{ "private": true, "workspaces": ["packages/*"] }',
      '.github/workflows/ci.yml': 'steps:\n  - run: npx vitest run --coverage\n',
      'packages/a/package.json': '{}',
      'packages/a/a.ts': '',
    });
    expect(report.projects?.[0].checks[0].outcome).toBe('pass');
  });

  it('survives malformed configuration', async () => {
    const report = await runCheck(check, { ...node, '.nycrc': '{ not json', 'codecov.yml': 'coverage: [' });
    expect(report.outcome).toBe('pass');
  });
});

describe('coverage-configured, .NET test projects', () => {
  it('credits a project with coverlet in the test project that references it', async () => {
    const report = await runChecks([check], {
      'src/App/App.csproj': '<Project Sdk="Microsoft.NET.Sdk"></Project>',
      'src/App/Program.cs': '',
      'tests/App.Tests/App.Tests.csproj':
        '<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n    <PackageReference Include="xunit" Version="2.9.0" />\n    <PackageReference Include="coverlet.collector" Version="6.0.2" />\n  </ItemGroup>\n  <ItemGroup>\n    <ProjectReference Include="..\\..\\src\\App\\App.csproj" />\n  </ItemGroup>\n</Project>\n',
      'tests/App.Tests/ProgramTests.cs': '',
    });
    const app = report.projects?.find((project) => project.path === 'src/App')?.checks[0];
    expect(app?.outcome).toBe('pass');
    expect(app?.summary).toContain('in the test project tests/App.Tests');
  });
});
