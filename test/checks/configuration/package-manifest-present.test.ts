import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/configuration/package-manifest-present.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

describe('package-manifest-present', () => {
  it('passes with a package.json and names it', async () => {
    const report = await runCheck(check, {
      'package.json': '{ "name": "app", "version": "1.0.0" }',
      'index.js': 'module.exports = 1;\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('package.json');
  });

  it('recognises manifests beyond the engine list (deno.json) and Go, Rust, Maven', async () => {
    for (const [path, content] of [
      ['deno.json', '{ "tasks": {} }'],
      ['go.mod', 'module example.com/x\n\ngo 1.22\n'],
      ['Cargo.toml', '[package]\nname = "x"\nversion = "0.1.0"\n'],
      ['pom.xml', '<project></project>'],
    ] as const) {
      const report = await runCheck(check, { [path]: content, 'main.x': '' });
      expect({ path, outcome: report.outcome }).toEqual({ path, outcome: 'pass' });
    }
  });

  it('fails without a manifest and says what it looked for', async () => {
    const report = await runCheck(
      check,
      { 'src/main.py': 'print(1)\n', 'README.md': '# x\n' },
      { config: { profile: 'library' } },
    );
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toMatch(/pyproject\.toml.*go\.mod.*Cargo\.toml/);
  });

  it('does not count a manifest that only sits in fixtures/; examples/ count (CATALOG "Which files count")', async () => {
    const report = await runCheck(
      check,
      { 'test/fixtures/demo/package.json': '{}', 'lib.sh': 'echo' },
      { config: { profile: 'library' } },
    );
    expect(report.outcome).toBe('fail');
    expect(report.summary).toContain('test/fixtures/demo/package.json');
    const example = await runCheck(
      check,
      { 'examples/demo/package.json': '{}', 'lib.sh': 'echo' },
      { config: { profile: 'library' } },
    );
    expect(example.outcome).toBe('pass');
  });

  it('fails on malformed JSON with the line', async () => {
    const report = await runCheck(check, { 'package.json': '{\n  "name": "x",\n  "version": "1.0.0",,\n}\n' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: 'package.json', line: 3 });
    expect(report.findings[0].message).toMatch(/invalid JSON/);
  });

  it('fails on malformed TOML with the line', async () => {
    const report = await runCheck(check, { 'pyproject.toml': '[project]\nname = "x"\nversion = \n' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: 'pyproject.toml', line: 3 });
    expect(report.findings[0].message).toMatch(/invalid TOML/);
  });

  it('reports a binary or empty manifest instead of throwing', async () => {
    const binary = await runCheck(check, { 'package.json': new Uint8Array([0, 1, 2, 3]) });
    expect(binary.outcome).toBe('fail');
    expect(binary.findings[0].message).toMatch(/binary/);
    const empty = await runCheck(check, { 'composer.json': '  \n' });
    expect(empty.outcome).toBe('fail');
    expect(empty.findings[0].message).toMatch(/empty/);
  });

  it('is not applicable to a documentation repository', async () => {
    const report = await runCheck(check, { 'README.md': '# Handbook\n', 'docs/intro.md': 'Hello\n' });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toMatch(/docs/);
  });

  it('checks each monorepo project, with paths relative to the project', async () => {
    const report = await runChecks([check], {
      'package.json': '{ "name": "root", "private": true, "workspaces": ["packages/*"] }',
      'packages/a/package.json': '{ "name": "a" }',
      'packages/b/package.json': '{ "name": "b",\n  oops }',
    });
    expect(report.checks[0].outcome).toBe('fail');
    const b = report.projects?.find((project) => project.path === 'packages/b');
    expect(b?.checks[0].outcome).toBe('fail');
    expect(b?.checks[0].findings[0]).toMatchObject({ path: 'packages/b/package.json', line: 2 });
    expect(report.projects?.find((project) => project.path === 'packages/a')?.checks[0].outcome).toBe('pass');
  });
});
