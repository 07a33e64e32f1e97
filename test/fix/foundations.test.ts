import { describe, expect, it } from '@jest/globals';
import codeOfConduct from '../../checks/foundations/code-of-conduct-present.js';
import contributing from '../../checks/foundations/contributing-guide-present.js';
import templates from '../../checks/foundations/contribution-templates-present.js';
import gitignore from '../../checks/foundations/gitignore-present.js';
import securityPolicy from '../../checks/foundations/security-policy-present.js';
import { fixCheck } from './fix-check.js';

describe('security-policy-present fixer', () => {
  it('writes SECURITY.md naming private vulnerability reporting when the repository is known', async () => {
    const fixed = await fixCheck(securityPolicy, { 'README.md': '# app\n' }, { services: { repository: 'acme/app' } });
    expect(fixed.before.outcome).toBe('fail');
    expect(fixed.changed['SECURITY.md']).toContain('https://github.com/acme/app/security/advisories/new');
    expect(fixed.plan.runs[0].notes[0]).toContain('turn it on under Settings → Security of acme/app');
    expect(fixed.after.outcome).toBe('pass');
  });

  it('writes a placeholder address offline and says it must be replaced', async () => {
    const fixed = await fixCheck(securityPolicy, { 'README.md': '# app\n' });
    expect(fixed.changed['SECURITY.md']).toContain('security@example.com');
    expect(fixed.plan.runs[0].notes[0]).toMatch(/placeholder security@example\.com: replace it/);
    expect(fixed.after.outcome).toBe('pass');
  });

  it('appends a reporting section to a policy that names no way to report', async () => {
    const before = '# Security\n\nWe take security seriously.\n';
    const fixed = await fixCheck(
      securityPolicy,
      { '.github/SECURITY.md': before },
      { services: { repository: 'acme/app' } },
    );
    expect(fixed.before.outcome).toBe('warn');
    expect(fixed.changed['.github/SECURITY.md'].startsWith(`${before}\n## Reporting a vulnerability\n`)).toBe(true);
    expect(fixed.after.outcome).toBe('pass');
  });

  it('leaves a policy in another format alone and says so', async () => {
    const fixed = await fixCheck(securityPolicy, { 'SECURITY.rst': 'Security\n========\n\nBe nice.\n' });
    expect(fixed.plan.applied.files).toEqual([]);
    expect(fixed.plan.runs[0].skipped[0]).toContain('SECURITY.rst is not a readable Markdown file');
  });
});

describe('code-of-conduct-present fixer', () => {
  it('adds the Contributor Covenant 2.1 with its attribution and asks for the contact', async () => {
    const fixed = await fixCheck(codeOfConduct, { 'README.md': '# app\n' });
    const text = fixed.changed['CODE_OF_CONDUCT.md'];
    expect(text.startsWith('# Contributor Covenant Code of Conduct\n')).toBe(true);
    expect(text).toContain(
      '## Attribution\n\nThis Code of Conduct is adapted from the [Contributor Covenant][homepage],\nversion 2.1',
    );
    expect(text).toContain('[INSERT CONTACT METHOD]');
    expect(fixed.plan.runs[0].notes).toEqual([
      'CODE_OF_CONDUCT.md: replace [INSERT CONTACT METHOD] with the address or form that receives reports',
    ]);
    expect(fixed.after.outcome).toBe('pass');
  });

  it('does nothing when a code of conduct exists', async () => {
    const fixed = await fixCheck(codeOfConduct, { 'docs/CODE_OF_CONDUCT.md': '# Be kind\n' });
    expect(fixed.plan.runs).toEqual([]);
  });
});

describe('contributing-guide-present fixer', () => {
  it("names the project's own setup, test and lint commands", async () => {
    const fixed = await fixCheck(contributing, {
      'package.json': JSON.stringify({ scripts: { test: 'jest', lint: 'eslint .' } }),
      'pnpm-lock.yaml': 'lockfileVersion: 9\n',
    });
    const text = fixed.changed['CONTRIBUTING.md'];
    expect(text).toContain('```sh\npnpm install\n```');
    expect(text).toContain('```sh\npnpm test && pnpm run lint\n```');
    expect(fixed.plan.runs[0].notes).toEqual([]);
    expect(fixed.after.outcome).toBe('pass');
  });

  it('uses the ecosystem’s own commands for Go, and says what it could not find elsewhere', async () => {
    const go = await fixCheck(contributing, {
      'go.mod': 'module example.com/x\n\ngo 1.22\n',
      'main.go': 'package main\n',
    });
    expect(go.changed['CONTRIBUTING.md']).toContain('go test ./... && go vet ./...');
    const bare = await fixCheck(contributing, {
      'package.json': JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
    });
    expect(bare.changed['CONTRIBUTING.md']).toContain('Describe how to run the tests and the linter here.');
    expect(bare.plan.runs[0].notes[0]).toContain('no test command was found');
    expect(bare.after.outcome).toBe('pass');
  });
});

describe('contribution-templates-present fixer', () => {
  it('adds both templates when both are missing, the missing one otherwise', async () => {
    const both = await fixCheck(templates, { 'README.md': '# app\n' });
    expect(Object.keys(both.changed)).toEqual([
      '.github/ISSUE_TEMPLATE/bug_report.yml',
      '.github/pull_request_template.md',
    ]);
    expect(both.after.outcome).toBe('pass');
    const one = await fixCheck(templates, { '.github/ISSUE_TEMPLATE/bug.md': '---\nname: Bug\n---\n' });
    expect(Object.keys(one.changed)).toEqual(['.github/pull_request_template.md']);
    expect(one.after.outcome).toBe('pass');
  });
});

describe('gitignore-present fixer', () => {
  it('writes patterns for the detected ecosystems, never one that hides a committed file', async () => {
    const fixed = await fixCheck(gitignore, {
      'package.json': '{}',
      'pyproject.toml': '[project]\nname = "x"\n',
      'dist/bundle.js': 'committed on purpose',
    });
    const text = fixed.changed['.gitignore'];
    expect(text).toContain('# Node\nnode_modules/\ncoverage/');
    expect(text).toContain('# Python\n__pycache__/');
    expect(text).toContain('.env\n.env.*\n!.env.example');
    expect(text).not.toMatch(/^dist\/$/m);
    expect(fixed.plan.runs[0].notes).toEqual(['.gitignore leaves out dist/: files in the tree match them']);
    expect(fixed.after.outcome).toBe('pass');
  });
});
