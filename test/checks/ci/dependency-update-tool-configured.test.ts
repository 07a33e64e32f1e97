import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/ci/dependency-update-tool-configured.js';
import { runCheck } from '../../helpers/run-check.js';

const entry = (ecosystem: string, directory: string) =>
  `  - package-ecosystem: ${ecosystem}\n    directory: ${directory}\n    schedule:\n      interval: weekly\n`;
const dependabot = (...entries: string[]) => `version: 2\nupdates:\n${entries.join('')}`;
const workflow = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n';

describe('dependency-update-tool-configured', () => {
  it('passes when every ecosystem and directory is covered', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'backend/pyproject.toml': '[project]\nname="api"\n',
      Dockerfile: 'FROM node:22\n',
      '.github/workflows/ci.yml': workflow,
      '.github/dependabot.yml': dependabot(
        entry('npm', '/'),
        entry('pip', '/backend'),
        entry('docker', '/'),
        entry('github-actions', '/'),
      ),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('4 of 4');
    expect(report.score).toBe(1);
  });

  it('names each gap, directory by directory, and scores the covered share', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'backend/requirements.txt': 'flask==3.0.0\n',
      'services/api/Dockerfile': 'FROM python:3.12\n',
      '.github/workflows/ci.yml': workflow,
      '.github/dependabot.yml': dependabot(entry('npm', '/'), entry('pip', '/')),
    });
    expect(report.outcome).toBe('warn');
    expect(report.score).toBeCloseTo(1 / 4);
    const messages = report.findings.map((finding) => finding.message);
    expect(messages).toEqual([
      expect.stringContaining('`github-actions` in /'),
      expect.stringContaining('`pip` in /backend (backend/requirements.txt)'),
      expect.stringContaining('`docker` in /services/api'),
    ]);
    expect(report.findings[0]).toMatchObject({ path: '.github/dependabot.yml', line: 2 });
  });

  it('accepts directories globs and workspace roots', async () => {
    const report = await runCheck(check, {
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
      'packages/a/package.json': '{}',
      'services/one/go.mod': 'module one\n',
      'services/two/go.mod': 'module two\n',
      '.github/dependabot.yml': `version: 2\nupdates:\n${entry('npm', '/')}  - package-ecosystem: gomod\n    directories: ["/services/*"]\n    schedule:\n      interval: weekly\n`,
    });
    expect(report.outcome).toBe('pass');
  });

  it('accepts directories: ["/**"] as every directory', async () => {
    const report = await runCheck(check, {
      'requirements.txt': 'flask==3.0.0\n',
      'tools/requirements.txt': 'click==8.1.0\n',
      '.github/dependabot.yml':
        'version: 2\nupdates:\n  - package-ecosystem: pip\n    directories: ["/**"]\n    schedule:\n      interval: weekly\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('2 of 2');
  });

  it('does not let a root npm entry cover a nested package outside any workspace', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'web/package.json': '{}',
      '.github/dependabot.yml': dependabot(entry('npm', '/')),
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].message).toContain('/web');
  });

  it('treats open-pull-requests-limit: 0 as version updates off', async () => {
    const report = await runCheck(check, {
      'go.mod': 'module x\n',
      '.github/dependabot.yml':
        'version: 2\nupdates:\n  - package-ecosystem: gomod\n    directory: /\n    open-pull-requests-limit: 0\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: '.github/dependabot.yml', line: 3 });
    expect(report.findings[0].message).toContain('open-pull-requests-limit: 0');
  });

  it('passes with Renovate, and reports managers it disables', async () => {
    const full = await runCheck(check, {
      'go.mod': 'module x\n',
      Dockerfile: 'FROM x\n',
      'renovate.json': '{ "extends": ["config:recommended"] }',
    });
    expect(full.outcome).toBe('pass');
    const partial = await runCheck(check, {
      'go.mod': 'module x\n',
      Dockerfile: 'FROM x\n',
      '.github/renovate.json5': '{\n  // only go\n  enabledManagers: ["gomod"],\n}\n',
    });
    expect(partial.outcome).toBe('warn');
    expect(partial.findings[0].message).toContain('`docker`');
    const inPackage = await runCheck(check, {
      'package.json': JSON.stringify({ renovate: { extends: ['config:base'] } }),
    });
    expect(inPackage.outcome).toBe('pass');
  });

  it('reports a malformed dependabot.yml with its line', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: npm\n   directory: /\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: '.github/dependabot.yml' });
    expect(report.findings[0].message).toMatch(/not valid YAML/);
    expect(report.findings[0].line).toBeGreaterThan(1);
  });

  it('ignores a file that is not version 2, saying so', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      '.github/dependabot.yml': `version: 1\nupdates:\n${entry('npm', '/')}`,
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ line: 1 });
    expect(report.findings[0].message).toContain('version: 2');
  });

  it('fails without any tool, naming the ecosystems', async () => {
    const report = await runCheck(check, {
      'Cargo.toml': '[package]\nname="x"\n',
      '.github/workflows/ci.yml': workflow,
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('cargo, github-actions');
  });

  it('is not applicable without manifests, workflows or Dockerfiles', async () => {
    const report = await runCheck(check, { 'README.md': '# x\n' });
    expect(report.outcome).toBe('not-applicable');
  });
});

describe('dependency-update-tool-configured: Dependabot and Renovate together', () => {
  it('covers the union: Renovate limited to npm, Dependabot for Actions and Docker', async () => {
    const files = {
      'package.json': '{"dependencies":{"a":"1"}}',
      'package-lock.json': '{}',
      Dockerfile: 'FROM node:20\n',
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n',
      'renovate.json': '{ "extends": ["config:recommended"], "enabledManagers": ["npm"] }',
    };
    const renovateOnly = await runCheck(check, files);
    expect(renovateOnly.outcome).toBe('warn');
    const both = await runCheck(check, {
      ...files,
      '.github/dependabot.yml':
        'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n  - package-ecosystem: docker\n    directory: /\n    schedule:\n      interval: weekly\n',
    });
    expect(both.outcome).toBe('pass');
    expect(both.summary).toBe('.github/dependabot.yml and renovate.json cover 3 of 3 ecosystem/directory pair(s)');
  });
});
