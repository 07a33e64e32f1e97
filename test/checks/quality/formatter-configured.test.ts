import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/quality/formatter-configured.js';
import { runCheck } from '../../helpers/run-check.js';

const node = { 'package.json': '{ "name": "x" }', 'src/index.ts': 'export {}\n' };
const python = { 'pyproject.toml': '[project]\nname = "x"\n', 'x/__init__.py': '' };

describe('formatter-configured', () => {
  // A dependency alone (never configured, never run) is `warn` under the amended catalog; run by a script it passes.
  it('recognises Prettier in its files, in package.json and as a dependency a script runs', async () => {
    const dependency = await runCheck(check, {
      ...node,
      'package.json': '{ "devDependencies": { "prettier": "^3" } }',
    });
    expect(dependency.outcome).toBe('warn');
    expect(dependency.summary).toContain('nothing configures or runs it');
    for (const extra of [
      { '.prettierrc.json': '{}' },
      { 'prettier.config.mjs': 'export default {}' },
      { 'package.json': '{ "prettier": { "semi": false } }' },
      {
        'package.json': '{ "scripts": { "format": "prettier --write ." }, "devDependencies": { "prettier": "^3" } }',
      },
    ] as Array<Record<string, string>>) {
      const report = await runCheck(check, { ...node, ...extra });
      expect({ outcome: report.outcome, summary: report.summary }).toMatchObject({
        outcome: 'pass',
        summary: expect.stringContaining('Prettier'),
      });
    }
  });

  it('recognises Biome and dprint', async () => {
    expect((await runCheck(check, { ...node, 'biome.json': '{}' })).summary).toContain('Biome');
    expect((await runCheck(check, { ...node, 'biome.json': '{ "formatter": { "enabled": false } }' })).outcome).toBe(
      'fail',
    );
    expect((await runCheck(check, { ...node, 'dprint.json': '{}' })).summary).toContain('dprint');
  });

  it('recognises Black and Ruff format, and warns for Ruff without `ruff format`', async () => {
    expect(
      (await runCheck(check, { ...python, 'pyproject.toml': '[project]\nname="x"\n[tool.black]\nline-length = 100\n' }))
        .summary,
    ).toContain('Black');
    expect(
      (
        await runCheck(check, {
          ...python,
          'pyproject.toml': '[project]\nname="x"\n[tool.ruff.format]\nquote-style = "single"\n',
        })
      ).summary,
    ).toContain('Ruff format');
    const hook = await runCheck(check, {
      ...python,
      '.pre-commit-config.yaml':
        'repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    hooks:\n      - id: ruff-format\n',
    });
    expect(hook.summary).toContain('Ruff format');
    const lintOnly = await runCheck(check, {
      ...python,
      'pyproject.toml': '[project]\nname="x"\n\n[tool.ruff]\nline-length = 100\n',
    });
    expect(lintOnly.outcome).toBe('warn');
    expect(lintOnly.findings[0]).toMatchObject({ path: 'pyproject.toml', line: 4 });
  });

  it('passes Go and Rust with a built-in note', async () => {
    const go = await runCheck(check, { 'go.mod': 'module x', 'main.go': 'package main' });
    expect(go.outcome).toBe('pass');
    expect(go.summary).toMatch(/gofmt.*built into the toolchain/);
    const rust = await runCheck(check, {
      'Cargo.toml': '[package]\nname="x"',
      'src/lib.rs': '',
      'rustfmt.toml': 'edition = "2021"',
    });
    expect(rust.summary).toMatch(/rustfmt.*rustfmt\.toml/);
  });

  it('recognises Spotless, scalafmt, RuboCop, PHP-CS-Fixer and clang-format', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [
        { 'build.gradle.kts': 'plugins { id("com.diffplug.spotless") version "6.25.0" }', 'src/main/kotlin/A.kt': '' },
        'Spotless',
      ],
      [{ 'build.sbt': 'name := "x"', 'src/main/scala/A.scala': '', '.scalafmt.conf': 'version = 3.8.0' }, 'scalafmt'],
      [{ Gemfile: '', 'lib/a.rb': '', '.rubocop.yml': '' }, 'RuboCop'],
      [{ 'composer.json': '{}', 'src/A.php': '', '.php-cs-fixer.dist.php': '<?php' }, 'PHP-CS-Fixer'],
      [{ 'CMakeLists.txt': 'project(x)', 'src/a.cpp': '', '.clang-format': 'BasedOnStyle: LLVM' }, 'clang-format'],
    ];
    for (const [files, tool] of cases) {
      const report = await runCheck(check, files);
      expect({ tool, outcome: report.outcome, summary: report.summary }).toMatchObject({
        outcome: 'pass',
        summary: expect.stringContaining(tool),
      });
    }
  });

  it('fails without a formatter and lists what it looked for', async () => {
    const report = await runCheck(check, node);
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toMatch(/JavaScript\/TypeScript: no formatter found \(looked for \.prettierrc/);
  });

  it('is not applicable without source code', async () => {
    expect((await runCheck(check, { 'README.md': '# docs' })).outcome).toBe('not-applicable');
  });
});

describe('formatter-configured, malformed input', () => {
  it('does not throw on a malformed pyproject.toml or package.json, and says what it looked for', async () => {
    const report = await runCheck(check, {
      'pyproject.toml': '[tool.black\nline-length = ',
      'x/app.py': '',
      'package.json': '{ "prettier": ',
      'src/a.js': '',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => finding.message).join('\n')).toMatch(
      /Python: no formatter found[\s\S]*JavaScript\/TypeScript: no formatter found|JavaScript\/TypeScript: no formatter found[\s\S]*Python: no formatter found/,
    );
  });
});
