import { describe, expect, it } from '@jest/globals';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { renderSarif } from '../../src/report/render-sarif.js';
import { renderText } from '../../src/report/render-text.js';
import { renderJson } from '../../src/report/render-json.js';
import { summarizeCategories } from '../../src/engine/scoring.js';
import type { CheckReport, Report } from '../../src/report/types.js';

const entry = (overrides: Partial<CheckReport>): CheckReport => ({
  id: 'x',
  category: 'foundations',
  severity: 'medium',
  title: 'X',
  outcome: 'pass',
  score: 1,
  summary: 'fine',
  findings: [],
  remediation: 'Add `X`.\n\n```yaml\nx: 1\n```',
  docs: 'checks/foundations/x.md',
  effort: 'minutes',
  ...overrides,
});

const checks: CheckReport[] = [
  entry({ id: 'readme-present', severity: 'high', title: 'README present', summary: 'README.md (300 words)' }),
  entry({
    id: 'workflow-actions-pinned',
    category: 'workflows',
    title: 'Actions pinned | by SHA',
    outcome: 'fail',
    score: 0,
    summary: '2 unpinned actions',
    findings: [
      { message: 'actions/checkout@v4 is not pinned', path: '.github/workflows/ci.yml', line: 12 },
      {
        message: 'foo/bar@main is not pinned',
        path: '.github/workflows/ci.yml',
        line: 20,
        suppressed: { reason: 'internal' },
      },
    ],
  }),
  entry({
    id: 'no-hardcoded-secrets',
    category: 'security',
    severity: 'critical',
    title: 'No secrets',
    outcome: 'warn',
    score: 0.5,
    summary: 'one weak match',
  }),
  entry({
    id: 'secret-scanning-enabled',
    category: 'security',
    severity: 'high',
    outcome: 'not-supported',
    score: null,
    summary: 'a local directory cannot tell',
  }),
  entry({
    id: 'runbook-present',
    category: 'documentation',
    severity: 'low',
    outcome: 'not-applicable',
    score: null,
    summary: 'applies to services',
  }),
];
const report: Report = {
  schemaVersion: 1,
  tool: { name: 'shipready', version: '1.2.3' },
  target: { source: 'github', repository: 'octo/demo', sha: 'a'.repeat(40) },
  profile: 'service',
  profileReason: 'deployment file Dockerfile',
  ecosystems: ['node'],
  score: 71,
  rating: 'acceptable',
  verdict: 'not-ready',
  coverage: { scored: 3, total: 5 },
  categories: summarizeCategories(checks),
  checks,
  projects: [
    {
      path: 'packages/api',
      ecosystems: ['node'],
      checks: [
        entry({
          id: 'lockfile-committed',
          category: 'configuration',
          outcome: 'fail',
          score: 0,
          summary: 'no lockfile',
        }),
      ],
    },
  ],
  warnings: ['the file tree was truncated'],
};

describe('markdown renderer', () => {
  const markdown = renderMarkdown(report);
  it('has the sections of a hand-written readiness report', () => {
    for (const heading of [
      '# Production readiness report: octo/demo',
      '## Executive summary',
      '## Findings by category',
      '## Risk summary',
      '## Recommendations (in priority order)',
      '## What the score does not cover',
      '## Projects',
    ]) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('| **71/100** | acceptable | **not-ready** | 3 of 5 |');
  });
  it('escapes pipes in table cells and shows locations', () => {
    expect(markdown).toContain('Actions pinned \\| by SHA');
    expect(markdown).toContain(
      `[.github/workflows/ci.yml:12](https://github.com/octo/demo/blob/${'a'.repeat(40)}/.github/workflows/ci.yml#L12)`,
    );
  });
  it('orders recommendations by severity and what is missing, with effort', () => {
    const recommendations = markdown.split('## Recommendations (in priority order)')[1].split('\n## ')[0];
    expect(recommendations.indexOf('no-hardcoded-secrets')).toBeLessThan(
      recommendations.indexOf('workflow-actions-pinned'),
    );
    expect(recommendations).toContain('effort: minutes');
  });
  it('lists what the score does not cover, with reasons', () => {
    expect(markdown).toMatch(/\| `secret-scanning-enabled` \| Not supported \| a local directory cannot tell \|/);
  });
});

describe('text renderer', () => {
  it('puts failures first in a category and counts suppressed findings', () => {
    const text = renderText(report, { color: false });
    expect(text).toContain('Readiness 71/100 · acceptable · not-ready');
    expect(text).toContain('.github/workflows/ci.yml:12  actions/checkout@v4 is not pinned');
    expect(text).not.toContain('foo/bar@main');
    expect(text).toContain('(1 suppressed inline)');
    expect(text).toContain('warning: the file tree was truncated');
    const security = text.split('Security')[1];
    expect(security.indexOf('no-hardcoded-secrets')).toBeLessThan(security.indexOf('secret-scanning-enabled'));
  });
});

describe('SARIF renderer', () => {
  const sarif = JSON.parse(renderSarif(report));
  it('is SARIF 2.1.0 with one rule per check id', () => {
    expect(sarif.version).toBe('2.1.0');
    const rules = sarif.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(rules).toEqual([...checks.map((check) => check.id), 'lockfile-committed']);
  });
  it('gives results with locations, levels, and in-source suppressions', () => {
    const results = sarif.runs[0].results;
    const pinned = results.filter((result: { ruleId: string }) => result.ruleId === 'workflow-actions-pinned');
    expect(pinned[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: '.github/workflows/ci.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12 },
    });
    expect(pinned[0].level).toBe('warning');
    expect(pinned[1].suppressions).toEqual([{ kind: 'inSource', justification: 'internal' }]);
    for (const result of results) expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });
});

describe('JSON renderer', () => {
  it('round-trips the report unchanged', () => {
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });
});

describe('profile reason', () => {
  const reasoned: Report = { ...report, profileReason: 'deployment file *deploy*/Dockerfile\u001b[2J' };
  it('is shown by the text renderer, with control characters escaped', () => {
    expect(renderText(reasoned, { color: false })).toContain(
      'Profile reason: deployment file *deploy*/Dockerfile\\e[2J',
    );
  });
  it('is shown by the markdown renderer as literal text', () => {
    expect(renderMarkdown(reasoned)).toContain('Profile reason: deployment file \\*deploy\\*/Dockerfile');
  });
  it('is in the JSON report', () => {
    expect(JSON.parse(renderJson(reasoned)).profileReason).toBe(reasoned.profileReason);
  });
});
