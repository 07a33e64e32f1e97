import { describe, expect, it } from '@jest/globals';
import { decideVerdict, rate, scoreOutcome, weightedScore } from '../../src/engine/scoring.js';
import type { CheckReport } from '../../src/report/types.js';

const check = (
  severity: CheckReport['severity'],
  outcome: CheckReport['outcome'],
  score = scoreOutcome(outcome),
): CheckReport => ({
  id: `${severity}-${outcome}`,
  category: 'foundations',
  severity,
  title: 't',
  outcome,
  score,
  summary: 's',
  findings: [],
  remediation: 'r',
  docs: 'd',
});

describe('scoring (SPEC §1)', () => {
  it('scores pass 1, fail 0, warn 0.5 or its own fraction, and leaves unknowns out', () => {
    expect(scoreOutcome('pass')).toBe(1);
    expect(scoreOutcome('fail')).toBe(0);
    expect(scoreOutcome('warn')).toBe(0.5);
    expect(scoreOutcome('warn', 0.75)).toBe(0.75);
    expect(scoreOutcome('not-applicable')).toBeNull();
    expect(scoreOutcome('not-supported')).toBeNull();
    expect(scoreOutcome('error')).toBeNull();
  });

  it('weights severities 10 / 7.5 / 5 / 2.5 and rounds the weighted mean × 100', () => {
    // critical pass (10) + high fail (7.5) + low warn 0.5 (2.5 × 0.5) = 11.25 / 20 = 56.25 → 56
    expect(weightedScore([check('critical', 'pass'), check('high', 'fail'), check('low', 'warn')])).toBe(56);
    expect(weightedScore([check('medium', 'warn', 0.75), check('medium', 'not-supported')])).toBe(75);
    expect(weightedScore([check('medium', 'not-applicable')])).toBeNull();
  });

  it('rates by the documented bands', () => {
    expect([100, 90, 89, 80, 79, 70, 69, 60, 59, 0].map(rate)).toEqual([
      'excellent',
      'excellent',
      'good',
      'good',
      'acceptable',
      'acceptable',
      'needs-work',
      'needs-work',
      'poor',
      'poor',
    ]);
  });

  it('decides the verdict from the score and the worst failure', () => {
    expect(decideVerdict(95, [check('medium', 'fail')])).toBe('ready');
    expect(decideVerdict(95, [check('high', 'fail')])).toBe('ready-with-recommendations');
    expect(decideVerdict(95, [check('critical', 'fail')])).toBe('not-ready');
    expect(decideVerdict(85, [])).toBe('ready-with-recommendations');
    expect(decideVerdict(79, [])).toBe('not-ready');
    expect(decideVerdict(85, [], { ready: 85, readyWithRecommendations: 70 })).toBe('ready');
  });
});
