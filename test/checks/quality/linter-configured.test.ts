import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/quality/linter-configured.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

const node = { 'package.json': '{ "name": "x" }', 'src/index.js': 'export const x = 1;\n' };
const python = { 'pyproject.toml': '[project]\nname = "x"\n', 'src/x/__init__.py': '' };

describe('linter-configured', () => {
  it('recognises every ESLint config form', async () => {
    for (const extra of [
      { 'eslint.config.mjs': 'export default [];' },
      { '.eslintrc.yml': 'root: true' },
      { '.eslintrc': '{}' },
      { 'package.json': '{\n  "name": "x",\n  "eslintConfig": { "extends": "eslint:recommended" }\n}' },
    ] as Array<Record<string, string>>) {
      const report = await runCheck(check, { ...node, ...extra });
      expect({ extra: Object.keys(extra)[0], outcome: report.outcome, summary: report.summary }).toMatchObject({
        outcome: 'pass',
        summary: expect.stringContaining('ESLint'),
      });
    }
  });

  it('recognises Biome (unless its linter is off), oxlint and standard', async () => {
    expect((await runCheck(check, { ...node, 'biome.json': '{ "linter": { "enabled": true } }' })).summary).toContain(
      'Biome',
    );
    const off = await runCheck(check, {
      ...node,
      'biome.jsonc': '{\n  // formatting only\n  "linter": { "enabled": false },\n}',
    });
    expect(off.outcome).toBe('fail');
    expect((await runCheck(check, { ...node, '.oxlintrc.json': '{}' })).summary).toContain('oxlint');
    expect(
      (await runCheck(check, { ...node, 'package.json': '{ "devDependencies": { "standard": "17" } }' })).summary,
    ).toContain('standard');
  });

  it('warns when eslint is installed without any configuration', async () => {
    const report = await runCheck(check, { ...node, 'package.json': '{ "devDependencies": { "eslint": "^9" } }' });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].message).toMatch(/no ESLint configuration/);
  });

  it('recognises Ruff, Flake8 and Pylint in their own files and in pyproject/setup.cfg/tox.ini sections', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.ruff.lint]\nselect = ["E"]\n' }, 'Ruff'],
      [{ 'ruff.toml': 'line-length = 100' }, 'Ruff'],
      [{ 'setup.cfg': '[metadata]\nname = x\n\n[flake8]\nmax-line-length = 100\n' }, 'Flake8'],
      [{ 'tox.ini': '[tox]\nenvlist = py3\n[flake8]\nignore = E501\n' }, 'Flake8'],
      [{ '.pylintrc': '[MAIN]\n' }, 'Pylint'],
      [
        {
          '.pre-commit-config.yaml':
            'repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.0\n    hooks:\n      - id: ruff\n',
        },
        'Ruff',
      ],
    ];
    for (const [extra, tool] of cases) {
      const report = await runCheck(check, { ...python, ...extra });
      expect({ file: Object.keys(extra)[0], outcome: report.outcome, summary: report.summary }).toMatchObject({
        outcome: 'pass',
        summary: expect.stringContaining(tool),
      });
    }
    const section = await runCheck(check, { ...python, 'setup.cfg': '[metadata]\nname = x\n\n[flake8]\n' });
    expect(section.summary).toContain('setup.cfg');
  });

  it('recognises golangci-lint, Clippy in CI, RuboCop, Checkstyle, PHPStan and .NET analyzers', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'go.mod': 'module x', 'main.go': 'package main', '.golangci.yml': 'version: "2"' }, 'golangci-lint'],
      [
        {
          'Cargo.toml': '[package]\nname="x"',
          'src/main.rs': 'fn main(){}',
          '.github/workflows/ci.yml':
            'jobs:\n  lint:\n    steps:\n      - run: cargo clippy --all-targets -- -D warnings\n',
        },
        'Clippy',
      ],
      [{ 'Cargo.toml': '[package]\nname="x"\n\n[lints.clippy]\npedantic = "warn"\n', 'src/lib.rs': '' }, 'Clippy'],
      [{ Gemfile: "gem 'rails'", 'app/models/user.rb': '', '.rubocop.yml': 'AllCops: {}' }, 'RuboCop'],
      [
        {
          'pom.xml':
            '<project><build><plugins><plugin><artifactId>maven-checkstyle-plugin</artifactId></plugin></plugins></build></project>',
          'src/main/java/A.java': '',
        },
        'Checkstyle',
      ],
      [{ 'composer.json': '{}', 'src/A.php': '<?php', 'phpstan.neon.dist': 'parameters:' }, 'PHPStan'],
      [
        {
          'App/App.csproj': '<Project/>',
          'App/Program.cs': '',
          '.editorconfig': 'root = true\n[*.cs]\ndotnet_diagnostic.CA1822.severity = warning\n',
        },
        '.NET analyzers',
      ],
    ];
    for (const [files, tool] of cases) {
      const report = await runCheck(check, files);
      expect({ tool, outcome: report.outcome, summary: report.summary }).toMatchObject({
        outcome: 'pass',
        summary: expect.stringContaining(tool),
      });
    }
  });

  it('fails without a linter, naming what it looked for per ecosystem', async () => {
    const report = await runCheck(check, { 'go.mod': 'module x', 'main.go': 'package main' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toMatch(/Go: no linter found \(looked for \.golangci\.yml/);
  });

  it('warns when only some ecosystems have a linter', async () => {
    const report = await runCheck(check, {
      ...node,
      'eslint.config.js': 'export default []',
      'worker/pyproject.toml': '[project]\nname="w"\n',
      'worker/w.py': '',
    });
    expect(report.outcome).toBe('warn');
    expect(report.score).toBeCloseTo(0.5);
    expect(report.findings.map((finding) => finding.message).join()).toContain('Python');
  });

  it('ignores an ecosystem that only lives in a docs site or has no source files', async () => {
    const report = await runCheck(check, {
      'go.mod': 'module x',
      'main.go': 'package main',
      '.golangci.yml': '',
      'website/package.json': '{}',
      'website/src/page.js': '',
      'package.json': '{ "devDependencies": { "@commitlint/cli": "19" } }',
    });
    expect(report.outcome).toBe('pass');
  });

  it('lets a project inherit the root configuration in a monorepo', async () => {
    const report = await runChecks([check], {
      'package.json': '{ "private": true, "workspaces": ["packages/*"] }',
      'eslint.config.js': 'export default []',
      'packages/a/package.json': '{ "name": "a" }',
      'packages/a/src/index.ts': 'export {}',
    });
    const project = report.projects?.find((candidate) => candidate.path === 'packages/a')?.checks[0];
    expect(project?.outcome).toBe('pass');
    expect(project?.summary).toContain('eslint.config.js');
  });

  it('is not applicable without source code, and survives a malformed biome.json', async () => {
    // A README alone is a docs repository, where the check asks for a prose linter (CATALOG, docs profile).
    expect((await runCheck(check, { 'README.md': '# x' }, { config: { profile: 'library' } })).outcome).toBe(
      'not-applicable',
    );
    const report = await runCheck(check, { ...node, 'biome.json': '{ "linter": ' });
    expect(report.outcome).toBe('pass');
  });
});
