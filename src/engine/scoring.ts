import type { CategoryReport, CheckReport, Rating, Verdict } from '../report/types.js';
import { CATEGORIES, OUTCOMES, type Outcome, type Severity } from './types.js';

export const SEVERITY_WEIGHTS: Record<Severity, number> = { critical: 10, high: 7.5, medium: 5, low: 2.5 };

export interface VerdictThresholds {
  /** Minimum score for `ready` (default 90). */
  ready: number;
  /** Minimum score for `ready-with-recommendations` (default 80). */
  readyWithRecommendations: number;
}
export const DEFAULT_THRESHOLDS: VerdictThresholds = { ready: 90, readyWithRecommendations: 80 };

const SCORED: ReadonlySet<Outcome> = new Set(['pass', 'warn', 'fail']);

/** A check's score: 1 pass, 0 fail, its own fraction or 0.5 for warn; null when left out of the score. */
export function scoreOutcome(outcome: Outcome, ownFraction?: number): number | null {
  if (!SCORED.has(outcome)) return null;
  if (ownFraction !== undefined && Number.isFinite(ownFraction)) return Math.min(1, Math.max(0, ownFraction));
  return outcome === 'pass' ? 1 : outcome === 'fail' ? 0 : 0.5;
}

/** Weighted mean × 100, rounded; null when no check is scored. */
export function weightedScore(checks: readonly Pick<CheckReport, 'severity' | 'score'>[]): number | null {
  let weights = 0;
  let total = 0;
  for (const check of checks) {
    if (check.score === null) continue;
    const weight = SEVERITY_WEIGHTS[check.severity];
    weights += weight;
    total += weight * check.score;
  }
  return weights === 0 ? null : Math.round((total / weights) * 100);
}

export function rate(score: number | null): Rating {
  if (score === null) return 'poor';
  if (score >= 90) return 'excellent';
  if (score >= 80) return 'good';
  if (score >= 70) return 'acceptable';
  if (score >= 60) return 'needs-work';
  return 'poor';
}

export function decideVerdict(
  score: number | null,
  checks: readonly CheckReport[],
  thresholds: VerdictThresholds = DEFAULT_THRESHOLDS,
): Verdict {
  if (score === null) return 'not-ready';
  const failed = (severity: Severity) =>
    checks.some((check) => check.outcome === 'fail' && check.severity === severity);
  if (score >= thresholds.ready && !failed('critical') && !failed('high')) return 'ready';
  if (score >= thresholds.readyWithRecommendations && !failed('critical')) return 'ready-with-recommendations';
  return 'not-ready';
}

export function emptyCounts(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
}

export function summarizeCategories(checks: readonly CheckReport[]): CategoryReport[] {
  return CATEGORIES.map(({ id, title }) => {
    const inCategory = checks.filter((check) => check.category === id);
    const counts = emptyCounts();
    for (const check of inCategory) counts[check.outcome] += 1;
    return { id, title, score: weightedScore(inCategory), counts };
  });
}
