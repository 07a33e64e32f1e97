import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import type { CheckReport, Report } from '../../src/report/types.js';
import { LocalSource } from '../../src/snapshot/local-source.js';
import { TOOL_LINKS } from '../../src/version.js';

const entry = (overrides: Partial<CheckReport>): CheckReport => ({
  id: 'x',
  category: 'foundations',
  severity: 'medium',
  title: 'X',
  outcome: 'pass',
  score: 1,
  summary: 'fine',
  findings: [],
  remediation: 'Add `X`.',
  docs: 'checks/foundations/x.md',
  effort: 'minutes',
  ...overrides,
});

const SETTINGS_REASON = 'repository settings are only known to the GitHub source (scan with --repo owner/name)';
const NUMBERED_REMEDIATION = [
  '1. **Rotate** the credential first.',
  '2. Remove it from the file and read it from the environment:',
  '',
  '```js',
  'const token = process.env.TOKEN;',
  '```',
  '',
  '3. Delete key files.',
].join('\n');

const checks: CheckReport[] = [
  entry({ id: 'readme-present', severity: 'high', title: 'README present', summary: 'README.md (300 words)' }),
  entry({ id: 'license-present', severity: 'high', title: 'License present', summary: 'MIT (LICENSE)' }),
  entry({
    id: 'no-hardcoded-secrets',
    category: 'security',
    severity: 'critical',
    title: 'No hard-coded secrets',
    outcome: 'fail',
    score: 0,
    effort: 'hours',
    summary: 'a key is committed',
    findings: [{ message: 'AWS key', path: 'config/prod.env', line: 3 }],
    remediation: NUMBERED_REMEDIATION,
    docs: 'checks/security/no-hardcoded-secrets.md',
  }),
  entry({
    id: 'architecture-docs-present',
    category: 'documentation',
    severity: 'high',
    title: 'Architecture documented',
    outcome: 'fail',
    score: 0,
    effort: 'days',
    summary: 'no ARCHITECTURE.md',
  }),
  entry({
    id: 'security-policy-present',
    severity: 'high',
    title: 'Security policy present',
    outcome: 'fail',
    score: 0,
    effort: 'minutes',
    summary: 'no SECURITY.md',
  }),
  entry({
    id: 'readme-has-quickstart',
    category: 'documentation',
    severity: 'high',
    title: 'README has a quick start',
    outcome: 'warn',
    score: 0.5,
    effort: 'minutes',
    summary: 'no install section',
  }),
  entry({
    id: 'codeowners-present',
    severity: 'medium',
    title: 'CODEOWNERS present',
    outcome: 'fail',
    score: 0,
    effort: 'minutes',
    summary: 'no CODEOWNERS',
  }),
  entry({
    id: 'dependency-vulnerability-scanning',
    category: 'ci',
    severity: 'low',
    title: 'Dependencies scanned',
    outcome: 'fail',
    score: 0,
    summary: `no audit; Dependabot alerts could not be checked (${SETTINGS_REASON})`,
  }),
  entry({
    id: 'secret-scanning-enabled',
    category: 'security',
    severity: 'high',
    title: 'Secret scanning enabled',
    outcome: 'not-supported',
    score: null,
    summary: `cannot tell whether secret scanning is enabled: ${SETTINGS_REASON}`,
    findings: [{ message: `the secret scanning setting could not be read: ${SETTINGS_REASON}` }],
  }),
  entry({
    id: 'default-branch-protected',
    category: 'security',
    severity: 'high',
    title: 'Default branch protected',
    outcome: 'not-supported',
    score: null,
    summary: `cannot tell whether the default branch is protected: ${SETTINGS_REASON}`,
    findings: [{ message: `the branch protection setting could not be read: ${SETTINGS_REASON}` }],
  }),
  entry({
    id: 'dockerfile-healthcheck',
    category: 'container',
    title: 'Container health check defined',
    outcome: 'not-applicable',
    score: null,
    summary: 'no Dockerfile found',
  }),
  entry({
    id: 'dockerfile-multi-stage',
    category: 'container',
    severity: 'low',
    title: 'Multi-stage Dockerfile',
    outcome: 'not-applicable',
    score: null,
    summary: 'no Dockerfile found',
  }),
];
const projectCheck = (path: string) => ({
  path,
  ecosystems: ['python' as const],
  checks: [
    entry({
      id: 'tests-present',
      category: 'testing',
      severity: 'high',
      title: 'Tests present',
      outcome: 'fail',
      score: 0,
      effort: 'days',
      summary: 'No test files for 1 source file',
      findings: [{ message: 'no test files found among 1 Python source file' }],
    }),
  ],
});
const report: Report = {
  schemaVersion: 1,
  tool: { name: 'shipready', version: '1.2.3' },
  target: { source: 'local', path: '/tmp/shipready-acc-1234/my-app', sha: 'b'.repeat(40) },
  profile: 'service',
  profileReason: 'a Dockerfile',
  ecosystems: ['python'],
  score: 55,
  rating: 'poor',
  verdict: 'not-ready',
  coverage: { scored: 8, total: 12 },
  categories: [],
  checks,
  projects: [projectCheck('examples/a'), projectCheck('examples/b'), projectCheck('examples/c')],
  warnings: [],
};
const markdown = renderMarkdown(report, { generatedAt: new Date('2026-12-03T10:00:00Z') });
const section = (heading: string) => markdown.split(`\n## ${heading}\n`)[1].split('\n## ')[0];

describe('markdown report: identity', () => {
  it('names the repository by its directory base name, never an absolute local path', () => {
    expect(markdown).toContain('# Production readiness report: my-app\n');
    expect(markdown).not.toContain('/tmp/');
  });
  it('names the commit, the date and the tool version', () => {
    expect(markdown).toContain(`| Commit | \`${'b'.repeat(12)}\` |`);
    expect(markdown).toContain('| Date | 2026-12-03 |');
    expect(markdown).toContain('shipready 1.2.3');
  });
  it('links the repository and the commit when it is a GitHub repository', () => {
    const github = renderMarkdown({
      ...report,
      target: { source: 'github', repository: 'octo/demo', sha: 'c'.repeat(40) },
    });
    expect(github).toContain('# Production readiness report: octo/demo');
    expect(github).toContain('| Repository | [octo/demo](https://github.com/octo/demo) |');
    expect(github).toContain(`[${'c'.repeat(12)}](https://github.com/octo/demo/commit/${'c'.repeat(40)})`);
    expect(github).toContain(
      `[config/prod.env:3](https://github.com/octo/demo/blob/${'c'.repeat(40)}/config/prod.env#L3)`,
    );
  });
});

describe('markdown report: the shape of a hand-written readiness report', () => {
  it('leads with a status headline that agrees with the counts', () => {
    expect(section('Executive summary').trimStart()).toMatch(
      /^\*\*Status: not ready — 1 critical and 3 high-severity checks fail \(score 55\/100\)\.\*\*/,
    );
    expect(section('Executive summary')).toContain(
      '6 checks fail (1 critical, 3 high, 1 medium, 1 low) and 1 gives a warning',
    );
  });
  it('says what is in place', () => {
    expect(section('What is in place')).toContain('- **Repository foundations:** README present; License present.');
  });
  it('lists the top blockers: critical and high failures, in priority order', () => {
    const blockers = section('Top blockers');
    expect(blockers.indexOf('No hard-coded secrets')).toBeLessThan(blockers.indexOf('Security policy present'));
    expect(blockers).toContain('**Tests present** (high, in 3 projects)');
    expect(blockers).not.toContain('CODEOWNERS');
    expect(blockers).not.toContain('quick start');
  });
  it('orders recommendations strictly by severity, then effort', () => {
    const headings = section('Recommendations (in priority order)')
      .split('\n')
      .filter((line) => line.startsWith('### '));
    expect(headings).toEqual([
      '### 1. No hard-coded secrets',
      '### 2. Security policy present',
      '### 3. README has a quick start',
      '### 4. Architecture documented',
      '### 5. Tests present',
      '### 6. CODEOWNERS present',
      '### 7. Dependencies scanned',
    ]);
    expect(section('Recommendations (in priority order)')).toContain(
      '7 items, by severity and then effort (4 take minutes, 1 takes hours, 2 take days)',
    );
  });
  it("renders a check's multi-line remediation as written, not flattened into one sentence", () => {
    const secrets = section('Recommendations (in priority order)').split('### 2.')[0];
    expect(secrets).toContain(`How to fix:\n\n${NUMBERED_REMEDIATION}\n`);
    expect(secrets).not.toMatch(/first\. 2\. Remove/);
  });
  it('links the check docs absolutely when the docs base URL is known', () => {
    expect(TOOL_LINKS.docsBaseUrl).toMatch(/^https:\/\//);
    expect(markdown).toContain(
      `[no-hardcoded-secrets](${TOOL_LINKS.docsBaseUrl}checks/security/no-hardcoded-secrets.md)`,
    );
    expect(markdown).not.toMatch(/\]\(checks\//);
  });
  it('says in one paragraph what static analysis cannot judge', () => {
    const limits = section('What static analysis cannot judge');
    for (const word of ['runtime', 'authentication', 'load', 'backups', 'alerts']) expect(limits).toContain(word);
    expect(limits.trim().split('\n\n')).toHaveLength(1);
  });
});

describe('markdown report: said once', () => {
  it('collapses identical rows (same status, same notes) into one', () => {
    const containers = markdown.split('### Containers')[1].split('\n### ')[0];
    const rows = containers.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Item'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('`dockerfile-healthcheck`');
    expect(rows[0]).toContain('`dockerfile-multi-stage`');
    expect(rows[0]).toContain('| medium, low | no Dockerfile found |');
  });
  it('collapses a check failing the same way in several projects into one row and one finding', () => {
    const rows = section('Projects')
      .split('\n')
      .filter((line) => line.includes('`tests-present`'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('`examples/a`, `examples/b`, `examples/c`');
    const recommendation = section('Recommendations (in priority order)').split('### 5.')[1].split('### 6.')[0];
    expect(recommendation.match(/no test files found among/g)).toHaveLength(1);
    expect(recommendation).toContain('(in `examples/a`, `examples/b`, `examples/c`)');
  });
  it('says the "not supported" reason once', () => {
    expect(markdown.split(SETTINGS_REASON)).toHaveLength(2);
    expect(section('What the score does not cover')).toContain(
      '| `secret-scanning-enabled`, `default-branch-protected` | Not supported | repository settings are only known',
    );
    expect(markdown).toContain('cannot tell whether secret scanning is enabled (not supported by this source');
  });
});

describe('markdown report: escaping repository text', () => {
  const hostile: Report = {
    ...report,
    target: { source: 'local', path: '/tmp/x/evil' },
    checks: [
      entry({
        id: 'workflow-actions-pinned',
        category: 'workflows',
        severity: 'high',
        title: 'Actions pinned',
        outcome: 'fail',
        score: 0,
        summary: 'see docker-compose.*.yml and compose.*.yaml, __tests__/ @everyone',
        findings: [
          {
            message: 'pinned? [x](javascript:alert(1)) @org/team',
            path: '.github/workflows/<img src=x onerror=alert(1)>.yml',
            line: 2,
          },
          { message: '| broken | table' },
        ],
      }),
    ],
    projects: [],
  };
  const text = renderMarkdown(hostile);
  it('escapes emphasis, HTML, links and mentions on every line it writes', () => {
    // Inside a code span HTML is literal; outside one it must not appear at all.
    expect(text).toContain('`.github/workflows/<img src=x onerror=alert(1)>.yml:2`');
    expect(text.replace(/`[^`\n]{0,500}`/g, '')).not.toContain('<img');
    expect(text).not.toMatch(/(^|[^\\])\*\.yml/m);
    expect(text).not.toContain(' __tests__');
    expect(text).not.toMatch(/(^|[^\\])\]\(javascript:/m);
    expect(text).not.toMatch(/@everyone|@org\/team/);
    expect(text).toContain('\\| broken \\| table');
  });
  it('has no local cell() escaper of its own left', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../src/report/render-markdown.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/function cell\(/);
  });
});

describe('LocalSource names the checkout it scans', () => {
  let root: string;
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, stdio: 'pipe' })
      .toString()
      .trim();
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'shipready-md-'));
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'README.md'), '# x\n');
    writeFileSync(join(root, 'sub', 'a.txt'), 'a\n');
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'first');
    git(root, 'remote', 'add', 'origin', 'git@github.com:octo/demo.git');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gives HEAD and the GitHub origin of the checkout top', async () => {
    const source = new LocalSource(root);
    await source.listTree();
    expect(source.target()).toEqual({
      source: 'local',
      path: root,
      sha: git(root, 'rev-parse', 'HEAD'),
      repository: 'octo/demo',
    });
  });
  it('gives neither for a sub-directory of a checkout (it is not that repository)', async () => {
    const source = new LocalSource(join(root, 'sub'));
    await source.listTree();
    expect(source.target()).toEqual({ source: 'local', path: join(root, 'sub') });
  });
  it('gives no repository for an origin that is not on GitHub', async () => {
    git(root, 'remote', 'set-url', 'origin', '/srv/mirror/demo');
    const source = new LocalSource(root);
    await source.listTree();
    expect(source.target()).toEqual({ source: 'local', path: root, sha: git(root, 'rev-parse', 'HEAD') });
    git(root, 'remote', 'set-url', 'origin', 'git@github.com:octo/demo.git');
  });
});
