import { describe, expect, it } from '@jest/globals';
import { compareReports, decideGate, type GateConfig } from '../../src/engine/compare.js';
import { decideVerdict, rate, summarizeCategories, weightedScore } from '../../src/engine/scoring.js';
import type { Category, Finding, Outcome, Severity } from '../../src/engine/types.js';
import type { CheckReport, ProjectReport, Report } from '../../src/report/types.js';

type Spec = [id: string, outcome: Outcome, severity?: Severity, extra?: Partial<CheckReport>];

function check([id, outcome, severity = 'high', extra = {}]: Spec): CheckReport {
  const score = outcome === 'pass' ? 1 : outcome === 'fail' ? 0 : outcome === 'warn' ? 0.5 : null;
  return {
    id,
    category: 'security' as Category,
    severity,
    title: `${id} title`,
    outcome,
    score,
    summary: `${id} is ${outcome}`,
    findings: [],
    remediation: `Fix ${id}.`,
    docs: `checks/security/${id}.md`,
    ...extra,
  };
}

function report(specs: Spec[], projects?: Array<{ path: string; checks: Spec[] }>): Report {
  const checks = specs.map(check);
  const score = weightedScore(checks);
  return {
    schemaVersion: 1,
    tool: { name: 'shipready', version: '0.0.0-test' },
    target: { source: 'github', repository: 'o/r', sha: 'a'.repeat(40) },
    profile: 'library',
    profileReason: 'deployment file Dockerfile',
    ecosystems: ['node'],
    score,
    rating: rate(score),
    verdict: decideVerdict(score, checks),
    coverage: { scored: checks.filter((entry) => entry.score !== null).length, total: checks.length },
    categories: summarizeCategories(checks),
    checks,
    ...(projects
      ? {
          projects: projects.map((project): ProjectReport => ({
            path: project.path,
            ecosystems: ['node'],
            checks: project.checks.map(check),
          })),
        }
      : {}),
    warnings: [],
  };
}

const GATE: GateConfig = { mode: 'regressions', failOn: 'high' };

describe('compareReports', () => {
  it('sorts checks into regressions, fixes, new problems and unchanged failures', () => {
    const base = report([
      ['a', 'pass'],
      ['b', 'fail'],
      ['c', 'fail'],
      ['d', 'not-applicable'],
      ['e', 'warn'],
      ['f', 'pass'],
      ['g', 'not-supported'],
    ]);
    const head = report([
      ['a', 'fail'],
      ['b', 'pass'],
      ['c', 'fail'],
      ['d', 'fail'],
      ['e', 'fail'],
      ['f', 'pass'],
      ['g', 'warn'],
    ]);
    const comparison = compareReports(head, base);
    expect(comparison.hasBase).toBe(true);
    expect(comparison.regressions.map((change) => change.id).sort()).toEqual(['a', 'e']);
    expect(comparison.fixes.map((change) => change.id)).toEqual(['b']);
    expect(comparison.newProblems.map((change) => change.id).sort()).toEqual(['d', 'g']);
    expect(comparison.unchangedFailures.map((change) => change.id)).toEqual(['c']);
    expect(comparison.failing.map((change) => change.id).sort()).toEqual(['a', 'c', 'd', 'e', 'g']);
    expect(comparison.scoreDelta).toBe((head.score ?? 0) - (base.score ?? 0));
    expect(comparison.scoreDelta).toBeLessThan(0);
  });

  it('counts pass → warn and a lower own fraction as getting worse, and warn → pass as a fix', () => {
    const base = report([
      ['a', 'pass'],
      ['b', 'warn', 'high', { score: 0.75 }],
      ['c', 'warn'],
    ]);
    const head = report([
      ['a', 'warn'],
      ['b', 'warn', 'high', { score: 0.5 }],
      ['c', 'pass'],
    ]);
    const comparison = compareReports(head, base);
    expect(comparison.regressions.map((change) => change.id).sort()).toEqual(['a', 'b']);
    expect(comparison.fixes.map((change) => change.id)).toEqual(['c']);
  });

  it('counts findings the base did not have, ignoring suppressed ones', () => {
    const before: Finding[] = [{ message: 'old', path: 'x.yml', line: 1 }];
    const after: Finding[] = [
      ...before,
      { message: 'new', path: 'x.yml', line: 9 },
      { message: 'quiet', path: 'x.yml', line: 3, suppressed: { reason: 'ok' } },
    ];
    const comparison = compareReports(
      report([['a', 'fail', 'high', { findings: after }]]),
      report([['a', 'fail', 'high', { findings: before }]]),
    );
    expect(comparison.unchangedFailures[0].newFindings).toBe(1);
  });

  it('orders each list by severity, most severe first', () => {
    const base = report([
      ['low', 'pass', 'low'],
      ['crit', 'pass', 'critical'],
      ['med', 'pass', 'medium'],
    ]);
    const head = report([
      ['low', 'fail', 'low'],
      ['crit', 'fail', 'critical'],
      ['med', 'fail', 'medium'],
    ]);
    expect(compareReports(head, base).regressions.map((change) => change.id)).toEqual(['crit', 'med', 'low']);
  });

  it('compares projects by path: added projects bring new problems, removed ones are listed', () => {
    const base = report(
      [['a', 'pass']],
      [
        { path: 'packages/api', checks: [['tests-present', 'pass']] },
        { path: 'packages/old', checks: [['tests-present', 'fail']] },
      ],
    );
    const head = report(
      [['a', 'pass']],
      [
        { path: 'packages/api', checks: [['tests-present', 'fail']] },
        { path: 'packages/web', checks: [['tests-present', 'fail']] },
      ],
    );
    const comparison = compareReports(head, base);
    expect(comparison.regressions).toHaveLength(1);
    expect(comparison.regressions[0]).toMatchObject({ id: 'tests-present', project: 'packages/api' });
    expect(comparison.newProblems).toHaveLength(1);
    expect(comparison.newProblems[0]).toMatchObject({ id: 'tests-present', project: 'packages/web' });
    expect(comparison.newProblems[0].base).toBeUndefined();
    expect(comparison.projects).toEqual([
      { path: 'packages/api', status: 'both', regressions: 1, fixes: 0, newProblems: 0, unchangedFailures: 0 },
      { path: 'packages/old', status: 'removed', regressions: 0, fixes: 0, newProblems: 0, unchangedFailures: 0 },
      { path: 'packages/web', status: 'added', regressions: 0, fixes: 0, newProblems: 1, unchangedFailures: 0 },
    ]);
  });

  it('without a base blames nothing: every problem is only listed as failing', () => {
    const head = report([
      ['a', 'fail'],
      ['b', 'warn'],
      ['c', 'pass'],
    ]);
    const comparison = compareReports(head);
    expect(comparison.hasBase).toBe(false);
    expect(comparison.scoreDelta).toBeNull();
    expect(comparison.baseScore).toBeNull();
    expect(comparison.failing.map((change) => change.id)).toEqual(['a', 'b']);
    expect(comparison.regressions).toHaveLength(0);
    expect(comparison.newProblems).toHaveLength(0);
    expect(comparison.unchangedFailures).toHaveLength(0);
  });

  it('has a null delta when a side is unscored', () => {
    const comparison = compareReports(report([['a', 'pass']]), report([['a', 'not-applicable']]));
    expect(comparison.baseScore).toBeNull();
    expect(comparison.scoreDelta).toBeNull();
  });
});

describe('decideGate', () => {
  it('passes when nothing fails', () => {
    const head = report([['a', 'pass']]);
    const decision = decideGate({ head, comparison: compareReports(head, head), gate: GATE });
    expect(decision.conclusion).toBe('success');
    expect(decision.reasons[0]).toMatch(/No check fails/);
  });

  it('fails on a regression at or above failOn and names it', () => {
    const base = report([['token-permissions', 'pass', 'high']]);
    const head = report([['token-permissions', 'fail', 'high']]);
    const decision = decideGate({ head, comparison: compareReports(head, base), gate: GATE });
    expect(decision.conclusion).toBe('failure');
    expect(decision.blocking.map((change) => change.id)).toEqual(['token-permissions']);
    expect(decision.reasons[0]).toBe('This change makes 1 check at severity high or higher fail: `token-permissions`.');
  });

  it('does not fail on a regression below failOn, nor on pass → warn', () => {
    const base = report([
      ['a', 'pass', 'medium'],
      ['b', 'pass', 'critical'],
    ]);
    const head = report([
      ['a', 'fail', 'medium'],
      ['b', 'warn', 'critical'],
    ]);
    const decision = decideGate({ head, comparison: compareReports(head, base), gate: GATE });
    expect(decision.conclusion).toBe('neutral');
    expect(decision.reasons.join(' ')).toMatch(/makes 2 checks worse/);
  });

  it('respects failOn: medium and none', () => {
    const base = report([['a', 'pass', 'medium']]);
    const head = report([['a', 'fail', 'medium']]);
    const comparison = compareReports(head, base);
    expect(decideGate({ head, comparison, gate: { ...GATE, failOn: 'medium' } }).conclusion).toBe('failure');
    expect(decideGate({ head, comparison, gate: { ...GATE, failOn: 'none' } }).conclusion).toBe('neutral');
  });

  it('reports pre-existing failures as neutral, not failure', () => {
    const base = report([
      ['a', 'fail', 'critical'],
      ['b', 'pass'],
    ]);
    const head = report([
      ['a', 'fail', 'critical'],
      ['b', 'pass'],
    ]);
    const decision = decideGate({ head, comparison: compareReports(head, base), gate: GATE });
    expect(decision.conclusion).toBe('neutral');
    expect(decision.reasons.join(' ')).toMatch(/already failed on the base \(`a`\)/);
    expect(decision.blocking).toEqual([]);
  });

  it('passes with a pre-existing failure below failOn, and is neutral on a failure the base could not tell', () => {
    const base = report([
      ['a', 'fail', 'low'],
      ['b', 'not-supported', 'high'],
    ]);
    const quiet = report([
      ['a', 'fail', 'low'],
      ['b', 'not-supported', 'high'],
    ]);
    expect(decideGate({ head: quiet, comparison: compareReports(quiet, base), gate: GATE }).conclusion).toBe('success');
    const loud = report([
      ['a', 'fail', 'low'],
      ['b', 'fail', 'high'],
    ]);
    const decision = decideGate({ head: loud, comparison: compareReports(loud, base), gate: GATE });
    expect(decision.conclusion).toBe('neutral');
    expect(decision.reasons.join(' ')).toMatch(/`b`\) where the base could not be evaluated for it/);
  });

  it('blames a failing check the PR brings in (not applicable on the base) but not one the base could not tell', () => {
    const base = report([
      ['container-non-root-user', 'not-applicable'],
      ['secret-scanning-enabled', 'not-supported'],
    ]);
    const head = report([
      ['container-non-root-user', 'fail'],
      ['secret-scanning-enabled', 'fail'],
    ]);
    const decision = decideGate({ head, comparison: compareReports(head, base), gate: GATE });
    expect(decision.conclusion).toBe('failure');
    expect(decision.blocking.map((change) => change.id)).toEqual(['container-non-root-user']);
    expect(decision.reasons[0]).toMatch(
      /brings in a failing check at severity high or higher: `container-non-root-user`/,
    );
  });

  it('fails when the PR takes the score below minScore, not when it was already below and did not drop', () => {
    const base = report([
      ['a', 'pass'],
      ['b', 'pass', 'low'],
    ]);
    const head = report([
      ['a', 'pass'],
      ['b', 'fail', 'low'],
    ]);
    const comparison = compareReports(head, base);
    const dropped = decideGate({ head, comparison, gate: { ...GATE, minScore: 95 } });
    expect(head.score).toBeLessThan(95);
    expect(dropped.conclusion).toBe('failure');
    expect(dropped.reasons[0]).toMatch(/takes the score from 100 to \d+, below the minimum of 95/);

    const already = report([
      ['a', 'fail'],
      ['b', 'pass', 'low'],
    ]);
    const same = decideGate({
      head: already,
      comparison: compareReports(already, already),
      gate: { ...GATE, minScore: 95 },
    });
    expect(same.conclusion).toBe('neutral');
    expect(same.reasons.join(' ')).toMatch(/as it was on the base/);

    const lower = report([
      ['a', 'fail'],
      ['b', 'fail', 'low'],
    ]);
    const further = decideGate({
      head: lower,
      comparison: compareReports(lower, already),
      gate: { ...GATE, minScore: 95, failOn: 'none' },
    });
    expect(further.conclusion).toBe('failure');
    expect(further.reasons.join(' ')).toMatch(/lowers it further/);
  });

  it('absolute mode gates on the head alone', () => {
    const head = report([
      ['a', 'fail', 'high'],
      ['b', 'fail', 'low'],
    ]);
    const comparison = compareReports(head, head);
    const decision = decideGate({ head, comparison, gate: { mode: 'absolute', failOn: 'high' } });
    expect(decision.conclusion).toBe('failure');
    expect(decision.blocking.map((change) => change.id)).toEqual(['a']);
    expect(decision.reasons[0]).toMatch(/absolute, so pre-existing problems count/);
    const lenient = decideGate({ head, comparison, gate: { mode: 'absolute', failOn: 'critical' } });
    expect(lenient.conclusion).toBe('success');
    const byScore = decideGate({ head, comparison, gate: { mode: 'absolute', failOn: 'none', minScore: 99 } });
    expect(byScore.conclusion).toBe('failure');
    expect(byScore.reasons[0]).toMatch(/below the minimum of 99/);
  });

  it('never gates drafts, and says what the gate would do', () => {
    const base = report([['a', 'pass']]);
    const head = report([['a', 'fail']]);
    const decision = decideGate({ head, comparison: compareReports(head, base), gate: GATE, draft: true });
    expect(decision.conclusion).toBe('neutral');
    expect(decision.reasons[0]).toMatch(/draft/);
    expect(decision.reasons[1]).toMatch(/would fail: This change makes 1 check at severity high or higher fail: `a`/);
    expect(decision.blocking.map((change) => change.id)).toEqual(['a']);
  });

  it('without a base, regressions mode reports failures as neutral', () => {
    const head = report([['a', 'fail', 'critical']]);
    const decision = decideGate({ head, comparison: compareReports(head), gate: { ...GATE, minScore: 80 } });
    expect(decision.conclusion).toBe('neutral');
    expect(decision.reasons.join(' ')).toMatch(/no base commit/);
  });

  it('names the project of a regression in a monorepo', () => {
    const base = report([], [{ path: 'packages/api', checks: [['tests-present', 'pass']] }]);
    const head = report([], [{ path: 'packages/api', checks: [['tests-present', 'fail']] }]);
    const decision = decideGate({ head, comparison: compareReports(head, base), gate: GATE });
    expect(decision.conclusion).toBe('failure');
    expect(decision.reasons[0]).toMatch(/`tests-present` in `packages\/api`/);
  });
});
