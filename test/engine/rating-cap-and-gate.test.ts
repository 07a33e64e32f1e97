import { describe, expect, it } from '@jest/globals';
import { decideCliGate } from '../../src/cli/gate.js';
import { compareReports } from '../../src/engine/compare.js';
import { decideGate } from '../../src/engine/gate.js';
import { rateWithCap, scoredChecks, scoreOutcome, weightedScore } from '../../src/engine/scoring.js';
import type { CheckReport, Report } from '../../src/report/types.js';

const check = (id: string, severity: CheckReport['severity'], outcome: CheckReport['outcome']): CheckReport => ({
  id,
  category: 'configuration',
  severity,
  title: id,
  outcome,
  score: scoreOutcome(outcome),
  summary: outcome,
  findings: [],
  remediation: 'r',
  docs: 'd',
});

describe('the rating is capped by the worst failure (SPEC §1)', () => {
  it('caps a 96 with a failing critical at needs-work and says which check set the cap', () => {
    const results = [check('workflow-triggers-safe', 'critical', 'fail')];
    expect(rateWithCap(96, results)).toEqual({
      rating: 'needs-work',
      cap: { uncapped: 'excellent', rating: 'needs-work', severity: 'critical', checks: ['workflow-triggers-safe'] },
    });
  });

  it('caps a failing high at good, and leaves a rating already below the cap alone', () => {
    expect(rateWithCap(93, [check('readme-present', 'high', 'fail')]).rating).toBe('good');
    expect(rateWithCap(55, [check('readme-present', 'critical', 'fail')])).toEqual({ rating: 'poor' });
    expect(rateWithCap(95, [check('gitignore-present', 'low', 'fail')])).toEqual({ rating: 'excellent' });
  });
});

describe('monorepo scoring (SPEC §1)', () => {
  it('scores a project-level check as the mean over the root and the projects it applies to', () => {
    const root = [check('lockfile-committed', 'high', 'pass'), check('readme-present', 'high', 'pass')];
    const projects = [
      { checks: [check('lockfile-committed', 'high', 'fail')] },
      { checks: [check('lockfile-committed', 'high', 'fail')] },
      { checks: [check('lockfile-committed', 'high', 'not-applicable')] },
    ];
    const scored = scoredChecks(root, projects);
    expect(scored.find((entry) => entry.id === 'lockfile-committed')?.score).toBeCloseTo(1 / 3);
    // Two failing packages move the score: (1/3 + 1) / 2 → 67, not the root's 100.
    expect(weightedScore(scored)).toBe(67);
  });
});

describe('one gate for the CLI and the App', () => {
  const unscored: Report = {
    checks: [check('readme-present', 'high', 'not-supported')],
    score: null,
  } as unknown as Report;

  it('a report with no score does not meet gate.minScore, in the CLI and in the App alike', () => {
    expect(decideCliGate(unscored, 'none', 50).passed).toBe(false);
    const app = decideGate({
      head: unscored,
      comparison: compareReports(unscored),
      gate: { mode: 'absolute', failOn: 'none', minScore: 50 },
    });
    expect(app.conclusion).toBe('failure');
  });
});
