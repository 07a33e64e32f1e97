import { describe, expect, it } from '@jest/globals';
import { compareReports, decideGate } from '../../src/engine/compare.js';
import { decideVerdict, rate, summarizeCategories, weightedScore } from '../../src/engine/scoring.js';
import type { Outcome, Severity } from '../../src/engine/types.js';
import { COMMENT_MARKER, isShipreadyComment, renderPrComment, shouldComment } from '../../src/report/pr-comment.js';
import type { CheckReport, Report } from '../../src/report/types.js';

const SHA = 'abcdef1'.padEnd(40, '2');

function report(specs: Array<[string, Outcome, Severity?]>): Report {
  const checks: CheckReport[] = specs.map(([id, outcome, severity = 'high']) => ({
    id,
    category: 'security',
    severity,
    title: `${id} title`,
    outcome,
    score: outcome === 'pass' ? 1 : outcome === 'fail' ? 0 : outcome === 'warn' ? 0.5 : null,
    summary: `${id} ${outcome}`,
    findings: [],
    remediation: 'fix it',
    docs: `checks/security/${id}.md`,
  }));
  const score = weightedScore(checks);
  return {
    schemaVersion: 1,
    tool: { name: 'shipready', version: '9.9.9' },
    target: { source: 'github', repository: 'o/r', sha: SHA },
    profile: 'library',
    profileReason: 'deployment file Dockerfile',
    ecosystems: [],
    score,
    rating: rate(score),
    verdict: decideVerdict(score, checks),
    coverage: { scored: checks.length, total: checks.length },
    categories: summarizeCategories(checks),
    checks,
    warnings: [],
  };
}

function comment(head: Report, base?: Report, checkRunUrl?: string): string {
  const comparison = compareReports(head, base);
  const gate = decideGate({ head, comparison, gate: { mode: 'regressions', failOn: 'high' } });
  return renderPrComment({
    report: head,
    comparison,
    gate,
    links: { repository: 'o/r', sha: SHA, ...(checkRunUrl ? { checkRunUrl } : {}) },
  });
}

const base = report([
  ['a', 'pass'],
  ['b', 'fail'],
  ['c', 'fail', 'low'],
]);
const head = report([
  ['a', 'fail'],
  ['b', 'pass'],
  ['c', 'fail', 'low'],
]);

describe('renderPrComment', () => {
  it('starts and ends with the hidden marker', () => {
    const body = comment(head, base);
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(body.endsWith(`\n${COMMENT_MARKER}`)).toBe(true);
    expect(isShipreadyComment(body)).toBe(true);
    expect(isShipreadyComment('LGTM')).toBe(false);
    expect(isShipreadyComment(null)).toBe(false);
  });

  it('shows score, delta, verdict, gate, regressions, fixes and links to the Check Run', () => {
    const body = comment(head, base, 'https://github.com/o/r/runs/42');
    expect(body).toContain(`### shipready · ✗ 1 high regression · fixes 1 check · ${head.score}/100 · ${head.rating}`);
    expect(body).toContain(`Readiness ${head.score}/100 · ${head.rating} (unchanged from the base, ${base.score})`);
    expect(body).toContain('**On this commit:** 2 failing checks.');
    expect(body).toContain('**Gate:** ❌ fails');
    expect(body).toMatch(/\*\*This PR breaks \(1\)\*\*\n\n- ❌ \*\*a title\*\* `a` · high · pass → fail/);
    expect(body).toMatch(/\*\*This PR fixes or improves \(1\)\*\*\n\n- ✅ \*\*b title\*\* `b` · high · fail → pass/);
    expect(body).toContain('Already on the base, not blamed on this PR: 1 failing check.');
    expect(body).toContain('(https://github.com/o/r/runs/42)');
    expect(body).toContain('Evaluated at abcdef1 by shipready 9.9.9');
  });

  it('links to the commit checks page without a Check Run URL, and stays short', () => {
    const body = comment(head, base);
    expect(body).toContain(`(https://github.com/o/r/commit/${SHA}/checks)`);
    expect(body.split('\n').length).toBeLessThan(30);
  });

  it('lists at most ten changes and points at the Check Run for the rest', () => {
    const many = Array.from({ length: 25 }, (_, index) => `check-${index}`);
    const before = report(many.map((id) => [id, 'pass'] as [string, Outcome]));
    const after = report(many.map((id) => [id, 'fail'] as [string, Outcome]));
    const body = comment(after, before);
    expect(body).toContain('**This PR breaks (25)**');
    expect(body).toContain('- … and 15 more checks, none more severe than those above: listed in the Check Run');
    expect(body.match(/^- ❌/gm)).toHaveLength(10);
  });

  it('says when a later push undid the change', () => {
    const body = comment(base, base);
    expect(body).toContain('This PR no longer changes any check’s outcome or the score.');
  });
});

describe('shouldComment', () => {
  const changed = compareReports(head, base);
  const unchanged = compareReports(base, base);
  const noBase = compareReports(head);

  it('on-change: comments when readiness changes, and keeps an existing comment up to date', () => {
    expect(shouldComment('on-change', changed, false)).toBe(true);
    expect(shouldComment('on-change', unchanged, false)).toBe(false);
    expect(shouldComment('on-change', unchanged, true)).toBe(true);
    expect(shouldComment('on-change', noBase, false)).toBe(false);
  });

  it('treats a score change alone as a change', () => {
    const before = report([['a', 'warn']]);
    const after = report([['a', 'pass']]);
    const comparison = compareReports(after, before);
    expect(comparison.scoreDelta).toBe(50);
    expect(shouldComment('on-change', comparison, false)).toBe(true);
  });

  it('always and never', () => {
    expect(shouldComment('always', unchanged, false)).toBe(true);
    expect(shouldComment('never', changed, true)).toBe(false);
  });
});

describe('a PR that only adds findings to a check that already fails', () => {
  function withFindings(messages: string[]): Report {
    const base = report([['actions-pinned', 'fail', 'medium']]);
    base.checks[0].findings = messages.map((message, index) => ({
      message,
      path: '.github/workflows/ci.yml',
      line: index + 10,
      lineKey: `key-${message}`,
    }));
    return base;
  }

  it('changes readiness, so the comment is posted, and it names the new finding', () => {
    const base = withFindings(['`actions/checkout@v4` is pinned to `v4`']);
    const head = withFindings([
      '`actions/checkout@v4` is pinned to `v4`',
      '`evil-corp/deploy-action@main` is pinned to `main`',
    ]);
    const comparison = compareReports(head, base);
    expect(comparison.regressions).toEqual([]);
    expect(comparison.findingsAdded).toHaveLength(1);
    expect(shouldComment('on-change', comparison, false)).toBe(true);
    const body = renderPrComment({
      report: head,
      comparison,
      gate: decideGate({ head, comparison, gate: { mode: 'regressions', failOn: 'high' } }),
      links: { repository: 'o/r', sha: SHA },
    });
    expect(body).toContain(
      '**This PR adds to checks that already fail (1)**\n\n- ❌ **actions-pinned title** `actions-pinned` · medium · fail → fail, 1 new finding\n  - [`.github/workflows/ci.yml:11`]',
    );
    expect(body).toContain('`evil-corp/deploy-action@main` is pinned to `main`');
    expect(body).not.toContain('`actions/checkout@v4` is pinned');
  });
});
