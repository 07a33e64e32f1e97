import type { Category, Ecosystem, Finding, Outcome, Profile, Severity } from '../engine/types.js';
import type { Target } from '../snapshot/types.js';

export interface CheckReport {
  id: string;
  category: Category;
  severity: Severity;
  title: string;
  /** What passes, from the check's definition (SARIF's fullDescription, the Markdown report). */
  description?: string;
  outcome: Outcome;
  /** 0–1, or null when the outcome is left out of the score. */
  score: number | null;
  summary: string;
  findings: Finding[];
  remediation: string;
  docs: string;
  /** Rough effort to fix (minutes, hours, days), for the recommendations list. */
  effort?: 'minutes' | 'hours' | 'days';
  /** Set when the config turns the check off (`checks.<id>: off`): left out by choice, not because it does not apply. */
  turnedOff?: true;
  /** The problem a failure states, for issue titles ("Secrets are baked into the Docker image"). */
  problemTitle?: string;
  /** Why the check matters, from its definition (issue bodies). */
  rationale?: string;
  /** True when the check reads repository settings (a setting has no line to put an ignore comment on). */
  readsSettings?: true;
  /** What the check's fixer changes, when it has one (`shipready fix`, the fix pull request, issue bodies). */
  fixable?: string;
}

export interface CategoryReport {
  id: Category;
  title: string;
  score: number | null;
  counts: Record<Outcome, number>;
}

export type Rating = 'excellent' | 'good' | 'acceptable' | 'needs-work' | 'poor';
/**
 * SPEC §1 "Scoring": a failing critical check caps the rating at needs-work, a failing high check at good. Why the
 * rating is lower than the score's band: the worst failing checks (repository and projects).
 */
export interface RatingCap {
  /** The rating the score alone would give. */
  uncapped: Rating;
  /** The rating after the cap. */
  rating: Rating;
  /** The severity of the worst failure that set the cap. */
  severity: Severity;
  /** The failing checks of that severity (ids, once each). */
  checks: string[];
}

export type Verdict = 'ready' | 'ready-with-recommendations' | 'not-ready';

export interface ProjectReport {
  path: string;
  ecosystems: Ecosystem[];
  /** The project's manifest files, repository-relative: where a project-level finding without a file is shown. */
  manifests?: string[];
  checks: CheckReport[];
}

/** SPEC §3: the JSON contract every renderer is made from. */
export interface Report {
  schemaVersion: 1;
  tool: { name: 'shipready'; version: string };
  target: Target;
  profile: Profile;
  /** Why this profile: the files that decided it (or that config set it). */
  profileReason: string;
  ecosystems: Ecosystem[];
  score: number | null;
  rating: Rating;
  /** Present when a failing critical or high check lowered the rating below the score's band. */
  ratingCap?: RatingCap;
  verdict: Verdict;
  coverage: { scored: number; total: number };
  categories: CategoryReport[];
  checks: CheckReport[];
  projects?: ProjectReport[];
  /**
   * The repository's front file: the root README, else the first top-level file. Formats that need a file for
   * every result (SARIF) show a repository-wide finding there.
   */
  frontFile?: string;
  /** What the scan could not see: truncated trees, unreadable files, config notes. */
  warnings: string[];
}
