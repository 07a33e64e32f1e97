import { describe, expect, it } from '@jest/globals';
import check, { LOW_RATIO, MIN_SOURCES_FOR_RATIO } from '../../../checks/testing/tests-present.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

const many = (count: number, path: (index: number) => string, content = '') =>
  Object.fromEntries(Array.from({ length: count }, (_, index) => [path(index), content]));

describe('tests-present', () => {
  it('counts tests by convention and reports the ratio', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'src/a.ts': '',
      'src/b.ts': '',
      'src/a.test.ts': '',
      'src/__tests__/b.ts': '',
      'vitest.config.ts': '',
      'src/types.d.ts': '',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('2 test files for 2 source files (ratio 1.00)');
  });

  it('knows Go, Python, Ruby, Java and .NET conventions', async () => {
    const cases: Record<string, string>[] = [
      { 'main.go': '', 'main_test.go': '' },
      { 'pkg/app.py': '', 'tests/test_app.py': '' },
      { 'pkg/app.py': '', 'pkg/app_test.py': '' },
      { 'lib/a.rb': '', 'spec/a_spec.rb': '' },
      { 'src/main/java/A.java': '', 'src/test/java/ATest.java': '' },
      { 'App/Program.cs': '', 'App.Tests/ProgramTests.cs': '' },
    ];
    for (const files of cases) {
      const report = await runCheck(check, files);
      expect({ files: Object.keys(files), outcome: report.outcome }).toEqual({
        files: Object.keys(files),
        outcome: 'pass',
      });
    }
  });

  it('counts Rust files with #[cfg(test)] modules as test files', async () => {
    const report = await runCheck(check, {
      'Cargo.toml': '[package]\nname="x"',
      'src/lib.rs': 'pub fn a() {}\n#[cfg(test)]\nmod tests {}\n',
      'src/b.rs': 'pub fn b() {}',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('1 test file for 1 source file');
  });

  it('fails without tests, saying what it looked for', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'src/index.js': '',
      'test/fixtures/demo.test.js': '',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toMatch(
      /no test files found among 1 JavaScript\/TypeScript source file.*__tests__/,
    );
  });

  it(`warns below a ratio of ${LOW_RATIO} in a project of at least ${MIN_SOURCES_FOR_RATIO} source files`, async () => {
    const report = await runCheck(check, { ...many(40, (index) => `src/m${index}.py`), 'tests/test_smoke.py': '' });
    expect(report.outcome).toBe('warn');
    expect(report.summary).toContain('1 test file for 40 source files');
    expect(report.score).toBeCloseTo(0.025 / LOW_RATIO);
    const small = await runCheck(check, { ...many(10, (index) => `src/m${index}.py`), 'tests/test_smoke.py': '' });
    expect(small.outcome).toBe('pass');
  });

  it('is not applicable without code and for the docs profile', async () => {
    expect((await runCheck(check, { 'README.md': '# x', 'notes.txt': '' })).outcome).toBe('not-applicable');
    expect((await runCheck(check, { 'a.py': '' }, { config: { profile: 'docs' } })).outcome).toBe('not-applicable');
  });

  it('counts per monorepo project', async () => {
    const report = await runChecks([check], {
      'package.json': '{ "private": true, "workspaces": ["packages/*"] }',
      'packages/a/package.json': '{}',
      'packages/a/src/a.ts': '',
      'packages/a/src/a.test.ts': '',
      'packages/b/package.json': '{}',
      'packages/b/src/b.ts': '',
    });
    expect(report.checks[0].outcome).toBe('pass');
    expect(report.projects?.find((project) => project.path === 'packages/b')?.checks[0].outcome).toBe('fail');
  });
});

describe('tests-present, unreadable input', () => {
  it('counts a binary Rust file as a source file without throwing', async () => {
    const report = await runCheck(check, {
      'Cargo.toml': '[package]\nname="x"',
      'src/lib.rs': new Uint8Array([0, 1, 2]),
      'tests/it.rs': 'fn t() {}',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('1 test file for 1 source file (ratio 1.00)');
  });
});

describe('tests-present, read bound', () => {
  it('says how many Rust files were beyond the read bound instead of guessing', async () => {
    const files: Record<string, string> = { 'Cargo.toml': '[package]\nname="x"', 'tests/it.rs': '' };
    for (let index = 0; index < 305; index += 1) files[`src/m${index}.rs`] = 'pub fn f() {}\n';
    const report = await runCheck(check, files);
    expect(report.summary).toContain('(5 Rust files beyond the read limit not searched for #[test])');
  });
});
