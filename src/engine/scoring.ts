import type { CategoryReport, CheckReport, Rating, RatingCap, Report, Verdict } from '../report/types.js';
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
  checks: readonly Pick<CheckReport, 'outcome' | 'severity'>[],
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

/**
 * Per category: the score from the scored checks (project-level checks as their mean over projects) and the count of
 * every result by outcome — the repository's and each project's — so the table adds up to the title's counts.
 */
export function summarizeCategories(
  results: readonly Pick<CheckReport, 'category' | 'outcome'>[],
  scored: readonly Pick<CheckReport, 'category' | 'severity' | 'score'>[] = results as CheckReport[],
): CategoryReport[] {
  return CATEGORIES.map(({ id, title }) => {
    const counts = emptyCounts();
    for (const result of results) if (result.category === id) counts[result.outcome] += 1;
    return { id, title, score: weightedScore(scored.filter((check) => check.category === id)), counts };
  });
}

/** SPEC §1: the rating is capped by the worst failure (critical → needs-work, high → good). */
export const RATING_CAPS: Partial<Record<Severity, Rating>> = { critical: 'needs-work', high: 'good' };

const RATING_ORDER: Rating[] = ['poor', 'needs-work', 'acceptable', 'good', 'excellent'];

/** One scored result of a check: at the repository root or in one project. */
type Scored = Pick<CheckReport, 'id' | 'severity' | 'score' | 'outcome' | 'category'>;

/**
 * SPEC §1 "Monorepos": a project-level check (one that appears in the projects' reports) is scored as the mean over
 * the places it applies to — the repository root and every project where it has a score — so a failing package
 * moves the score. Repository-level checks keep their one result. The root's check list decides order and ids.
 */
export function scoredChecks(
  checks: readonly CheckReport[],
  projects: readonly { checks: readonly CheckReport[] }[] = [],
): Scored[] {
  const inProjects = new Map<string, number[]>();
  for (const project of projects)
    for (const check of project.checks) {
      if (check.score === null) continue;
      inProjects.set(check.id, [...(inProjects.get(check.id) ?? []), check.score]);
    }
  return checks.map((check) => {
    const values = [...(check.score === null ? [] : [check.score]), ...(inProjects.get(check.id) ?? [])];
    const score = values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
    return { id: check.id, severity: check.severity, category: check.category, outcome: check.outcome, score };
  });
}

/** The capped rating and, when a cap lowered it, why. */
export function rateWithCap(
  score: number | null,
  results: readonly Pick<CheckReport, 'id' | 'severity' | 'outcome'>[],
): { rating: Rating; cap?: RatingCap } {
  const uncapped = rate(score);
  for (const severity of ['critical', 'high'] as const) {
    const failing = results.filter((result) => result.outcome === 'fail' && result.severity === severity);
    if (!failing.length) continue;
    const ceiling = RATING_CAPS[severity]!;
    if (RATING_ORDER.indexOf(uncapped) <= RATING_ORDER.indexOf(ceiling)) return { rating: uncapped };
    return {
      rating: ceiling,
      cap: { uncapped, rating: ceiling, severity, checks: [...new Set(failing.map((result) => result.id))] },
    };
  }
  return { rating: uncapped };
}

/** Everything the report says about its score, computed once from the root's and the projects' results. */
export function scoreReport(
  checks: readonly CheckReport[],
  projects: readonly { checks: readonly CheckReport[] }[] = [],
  thresholds: VerdictThresholds = DEFAULT_THRESHOLDS,
): Pick<Report, 'score' | 'rating' | 'ratingCap' | 'verdict' | 'coverage' | 'categories'> {
  const scored = scoredChecks(checks, projects);
  const score = weightedScore(scored);
  const every = [...checks, ...projects.flatMap((project) => project.checks)];
  const { rating, cap } = rateWithCap(score, every);
  return {
    score,
    rating,
    ...(cap ? { ratingCap: cap } : {}),
    verdict: decideVerdict(score, every, thresholds),
    coverage: { scored: scored.filter((check) => check.score !== null).length, total: checks.length },
    categories: summarizeCategories(every, scored),
  };
}
