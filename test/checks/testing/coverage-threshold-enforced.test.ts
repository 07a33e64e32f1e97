import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/testing/coverage-threshold-enforced.js';
import { runCheck } from '../../helpers/run-check.js';

const node = { 'package.json': '{}', 'src/index.ts': '' };
const python = { 'pyproject.toml': '[project]\nname = "x"\n', 'x/app.py': '' };

describe('coverage-threshold-enforced', () => {
  it('reads Jest coverageThreshold.global (lines first) from a JS config, with its line', async () => {
    const config =
      'module.exports = {\n  collectCoverage: true,\n  coverageThreshold: {\n    global: { branches: 70, functions: 80, lines: 90, statements: 90 },\n  },\n};\n';
    const report = await runCheck(check, { ...node, 'jest.config.js': config });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('90% enforced by Jest coverageThreshold (jest.config.js:3)');
  });

  it('reads Jest coverageThreshold from package.json', async () => {
    const report = await runCheck(check, {
      ...node,
      'package.json': '{\n  "jest": {\n    "coverageThreshold": { "global": { "statements": 85 } }\n  }\n}',
    });
    expect(report.summary).toContain('85% enforced by Jest coverageThreshold (package.json:3)');
  });

  it('reads Vitest thresholds, including 100: true', async () => {
    const report = await runCheck(check, {
      ...node,
      'vitest.config.ts':
        'export default defineConfig({\n  test: {\n    coverage: {\n      thresholds: { lines: 95, branches: 90 },\n    },\n  },\n});\n',
    });
    expect(report.summary).toContain('95% enforced by Vitest coverage.thresholds (vitest.config.ts:4)');
    const hundred = await runCheck(check, {
      ...node,
      'vite.config.ts': 'export default { test: { coverage: { thresholds: { 100: true } } } }',
    });
    expect(hundred.summary).toMatch(/^100%/);
  });

  it('reads coverage.py fail_under and --cov-fail-under', async () => {
    const toml = await runCheck(check, {
      ...python,
      'pyproject.toml': '[project]\nname = "x"\n\n[tool.coverage.report]\nfail_under = 92\n',
    });
    expect(toml.summary).toContain('92% enforced by coverage.py fail_under (pyproject.toml:5)');
    const cfg = await runCheck(check, {
      ...python,
      'setup.cfg': '[coverage:report]\nshow_missing = true\nfail_under = 85.5\n',
    });
    expect(cfg.summary).toContain('85.5%');
    const addopts = await runCheck(check, {
      ...python,
      'tox.ini': '[pytest]\naddopts = --cov=x --cov-fail-under=88\n',
    });
    expect(addopts.summary).toContain('88% enforced by pytest-cov --cov-fail-under (tox.ini:2)');
    const ci = await runCheck(check, {
      ...python,
      '.github/workflows/ci.yml': 'steps:\n  - run: pytest --cov=x --cov-fail-under 81\n',
    });
    expect(ci.summary).toContain('81%');
  });

  it('reads c8 check-coverage (default 90), Codecov targets, SimpleCov and JaCoCo', async () => {
    expect((await runCheck(check, { ...node, '.c8rc.json': '{ "check-coverage": true }' })).summary).toMatch(
      /^90% enforced by c8 check-coverage/,
    );
    expect(
      (
        await runCheck(check, {
          ...node,
          'codecov.yml': 'coverage:\n  status:\n    project:\n      default:\n        target: 85%\n',
        })
      ).summary,
    ).toMatch(/^85% enforced by Codecov project target \(codecov\.yml:5\)/);
    expect(
      (
        await runCheck(check, {
          Gemfile: '',
          'lib/a.rb': '',
          'spec/spec_helper.rb': 'SimpleCov.start do\n  minimum_coverage 95\nend\n',
        })
      ).summary,
    ).toMatch(/^95% enforced by SimpleCov/);
    const jacoco =
      '<project><build><plugins><plugin><artifactId>jacoco-maven-plugin</artifactId><configuration><rules><rule><limits><limit><counter>LINE</counter><minimum>0.80</minimum></limit></limits></rule></rules></configuration></plugin></plugins></build></project>';
    expect((await runCheck(check, { 'pom.xml': jacoco, 'src/main/java/A.java': '' })).summary).toMatch(
      /^80% enforced by JaCoCo minimum/,
    );
  });

  it('warns below the min option and reports the number at its line', async () => {
    const report = await runCheck(check, {
      ...python,
      'pyproject.toml': '[project]\nname = "x"\n\n[tool.coverage.report]\nfail_under = 60\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'pyproject.toml', line: 5 });
    expect(report.findings[0].message).toContain('60%, below the minimum of 80%');
    const lenient = await runCheck(
      check,
      { ...python, 'pyproject.toml': '[project]\nname = "x"\n\n[tool.coverage.report]\nfail_under = 60\n' },
      { config: { checks: { 'coverage-threshold-enforced': { min: 50 } } } },
    );
    expect(lenient.outcome).toBe('pass');
  });

  it('rejects an invalid min option', async () => {
    await expect(
      runCheck(check, node, { config: { checks: { 'coverage-threshold-enforced': { min: 150 } } } }),
    ).rejects.toThrow(/coverage-threshold-enforced\.min/);
  });

  it('passes a relative Codecov target with a note and ignores informational statuses', async () => {
    const auto = await runCheck(check, {
      ...node,
      'codecov.yml': 'coverage:\n  status:\n    project:\n      default:\n        target: auto\n',
    });
    expect(auto.outcome).toBe('pass');
    expect(auto.summary).toContain('no absolute minimum');
    const informational = await runCheck(check, {
      ...node,
      'codecov.yml':
        'coverage:\n  status:\n    project:\n      default:\n        target: 90%\n        informational: true\n',
    });
    expect(informational.outcome).toBe('fail');
    expect(informational.findings[0].message).toContain('informational');
  });

  it('fails without a minimum, saying whether coverage is even collected', async () => {
    const collected = await runCheck(check, {
      ...node,
      'package.json': '{ "scripts": { "test": "jest --coverage" } }',
    });
    expect(collected.outcome).toBe('fail');
    expect(collected.findings.at(-1)?.message).toMatch(/coverage is collected .* but no minimum is enforced/);
    const none = await runCheck(check, node);
    expect(none.findings.at(-1)?.message).toMatch(/coverage is not collected/);
  });

  it('is not applicable without code, and survives malformed config', async () => {
    expect((await runCheck(check, { 'README.md': '# x' })).outcome).toBe('not-applicable');
    const report = await runCheck(check, {
      ...node,
      '.c8rc.json': '{ "check-coverage": ',
      'codecov.yml': 'coverage: [',
    });
    expect(report.outcome).toBe('fail');
  });
});

describe('coverage-threshold-enforced, comments', () => {
  it('ignores a commented-out coverageThreshold (seen in the wild: "// Someday :D")', async () => {
    const config =
      'module.exports = {\n  coverageReporters: [\'json\', \'lcov\'],\n  // Someday :D\n  // "coverageThreshold": {\n  //   "global": { "lines": 60 }\n  // }\n};\n';
    const report = await runCheck(check, { 'package.json': '{}', 'src/index.ts': '', 'jest.config.js': config });
    expect(report.outcome).toBe('fail');
    expect(report.findings.at(-1)?.message).toMatch(
      /coverage is collected \(Jest\/Vitest coverage, jest\.config\.js:2\)/,
    );
  });
});

describe('coverage-threshold-enforced, configs read as code (issue 9)', () => {
  it('reads coverageThreshold after a glob that contains "/*" (the JSONC stripper took it for a comment)', async () => {
    const config = [
      'module.exports = {',
      "  collectCoverageFrom: ['src/*.{js,ts}', '!src/**/*.d.ts'],",
      '  coverageThreshold: {',
      '    global: { lines: 85, branches: 70 },',
      '  },',
      '};',
      '',
    ].join('\n');
    const report = await runCheck(check, { ...node, 'jest.config.js': config });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('85% enforced by Jest coverageThreshold (jest.config.js:3)');
  });

  it('reads a TypeScript vitest config with `satisfies` and a block comment', async () => {
    const config = [
      "import { defineConfig } from 'vitest/config';",
      '/* coverage: { thresholds: { lines: 10 } } */',
      'export default defineConfig({',
      '  test: {',
      "    coverage: { provider: 'v8', include: ['src/**/*.ts'], thresholds: { statements: 91 } as const },",
      '  },',
      '} satisfies object);',
    ].join('\n');
    const report = await runCheck(check, { ...node, 'vitest.config.ts': config });
    expect(report.summary).toContain('91% enforced by Vitest coverage.thresholds (vitest.config.ts:5)');
  });

  it('fails vitest coverage with no thresholds (thresholds without a metric enforce nothing)', async () => {
    const none = await runCheck(check, {
      ...node,
      'vitest.config.ts': "export default { test: { coverage: { provider: 'v8', reporter: ['text'] } } };\n",
    });
    expect(none.outcome).toBe('fail');
    const empty = await runCheck(check, {
      ...node,
      'vitest.config.ts': 'export default { test: { coverage: { thresholds: { autoUpdate: true } } } };\n',
    });
    expect(empty.outcome).toBe('fail');
  });

  it('does not count Codecov `threshold:` alone (an allowed drop, no target)', async () => {
    const report = await runCheck(check, {
      ...node,
      'codecov.yml': 'coverage:\n  status:\n    project:\n      default:\n        threshold: 1%\n',
    });
    expect(report.outcome).toBe('fail');
  });

  it('counts a custom CI step that fails below a number, and reports the number', async () => {
    const workflow = [
      'on: pull_request',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: go test -coverprofile=cover.out ./...',
      '      - run: |',
      "          total=$(go tool cover -func=cover.out | grep total | awk '{print substr($3, 1, length($3)-1)}')",
      '          if (( $(echo "$total < $MIN_COVERAGE" | bc -l) )); then',
      '            echo "coverage $total% is below $MIN_COVERAGE%"',
      '            exit 1',
      '          fi',
      '        env:',
      '          MIN_COVERAGE: 75',
    ].join('\n');
    const report = await runCheck(check, {
      'go.mod': 'module x\n',
      'main.go': 'package main\n',
      '.github/workflows/ci.yml': workflow,
    });
    expect(report.outcome).toBe('warn');
    expect(report.summary).toContain(
      '75% enforced by a CI step that fails below a minimum (.github/workflows/ci.yml:9)',
    );
  });
});
