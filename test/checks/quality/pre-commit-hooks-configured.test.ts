import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/quality/pre-commit-hooks-configured.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

const code = { 'package.json': '{ "name": "x", "scripts": { "prepare": "husky" } }', 'src/index.js': '' };
const preCommit =
  'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      - id: trailing-whitespace\n      - id: check-yaml\n';

describe('pre-commit-hooks-configured', () => {
  it('passes with .pre-commit-config.yaml and counts its hooks', async () => {
    const report = await runCheck(check, {
      'app.py': '',
      'pyproject.toml': '[project]\nname="x"',
      '.pre-commit-config.yaml': preCommit,
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('2 hooks');
  });

  it('passes with husky hooks installed by a prepare script', async () => {
    const report = await runCheck(check, {
      ...code,
      '.husky/pre-commit': 'npx lint-staged\n',
      '.husky/_/husky.sh': '',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.husky/pre-commit');
  });

  it('warns when husky hooks exist but nothing installs them', async () => {
    const report = await runCheck(check, {
      'package.json': '{ "name": "x" }',
      'src/index.js': '',
      '.husky/pre-commit': 'npm test\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'package.json', line: 1 });
    expect(report.findings[0].message).toContain('"prepare": "husky"');
  });

  it('recognises lefthook, simple-git-hooks and Overcommit', async () => {
    expect((await runCheck(check, { ...code, 'lefthook.yml': 'pre-commit:\n  commands: {}\n' })).summary).toContain(
      'lefthook',
    );
    expect(
      (
        await runCheck(check, {
          ...code,
          'package.json':
            '{ "simple-git-hooks": { "pre-commit": "npx lint-staged" }, "lint-staged": { "*.js": "eslint" } }',
        })
      ).summary,
    ).toContain('simple-git-hooks');
    expect(
      (await runCheck(check, { Gemfile: '', 'lib/a.rb': '', '.overcommit.yml': 'PreCommit: {}' })).summary,
    ).toContain('Overcommit');
  });

  it('warns for lint-staged without a hook runner', async () => {
    const report = await runCheck(check, {
      'package.json': '{\n  "name": "x",\n  "lint-staged": { "*.js": "eslint --fix" }\n}',
      'index.js': '',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'package.json', line: 3 });
  });

  it('warns on a malformed or empty pre-commit configuration', async () => {
    const broken = await runCheck(check, {
      'app.py': '',
      '.pre-commit-config.yaml': 'repos:\n  - repo: x\n   hooks: [\n',
    });
    expect(broken.outcome).toBe('warn');
    expect(broken.findings[0].path).toBe('.pre-commit-config.yaml');
    expect(broken.findings[0].line).toBeGreaterThan(0);
    const empty = await runCheck(check, { 'app.py': '', '.pre-commit-config.yaml': 'repos: []\n' });
    expect(empty.outcome).toBe('warn');
    expect(empty.findings[0].message).toMatch(/no hooks/);
  });

  it('fails without hooks and lists what it looked for', async () => {
    const report = await runCheck(check, { 'main.go': 'package main', 'go.mod': 'module x' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toMatch(/\.pre-commit-config\.yaml.*\.husky/);
  });

  it('is not applicable without code or hooks', async () => {
    expect((await runCheck(check, { 'README.md': '# notes' })).outcome).toBe('not-applicable');
  });

  it('credits root hooks to every monorepo project', async () => {
    const report = await runChecks([check], {
      'package.json': '{ "private": true, "workspaces": ["packages/*"], "scripts": { "prepare": "husky" } }',
      '.husky/pre-commit': 'npx lint-staged',
      'packages/a/package.json': '{ "name": "a" }',
      'packages/a/index.js': '',
    });
    expect(report.projects?.[0].checks[0].outcome).toBe('pass');
    expect(report.projects?.[0].checks[0].summary).toContain('.husky/pre-commit');
  });
});
