import type { Category, Ecosystem, Finding, Outcome, Profile, Severity } from '../engine/types.js';
import type { Target } from '../snapshot/types.js';

export interface CheckReport {
  id: string;
  category: Category;
  severity: Severity;
  title: string;
  outcome: Outcome;
  /** 0–1, or null when the outcome is left out of the score. */
  score: number | null;
  summary: string;
  findings: Finding[];
  remediation: string;
  docs: string;
  /** Rough effort to fix (minutes, hours, days), for the recommendations list. */
  effort?: 'minutes' | 'hours' | 'days';
}

export interface CategoryReport {
  id: Category;
  title: string;
  score: number | null;
  counts: Record<Outcome, number>;
}

export type Rating = 'excellent' | 'good' | 'acceptable' | 'needs-work' | 'poor';
export type Verdict = 'ready' | 'ready-with-recommendations' | 'not-ready';

export interface ProjectReport {
  path: string;
  ecosystems: Ecosystem[];
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
  verdict: Verdict;
  coverage: { scored: number; total: number };
  categories: CategoryReport[];
  checks: CheckReport[];
  projects?: ProjectReport[];
  /** What the scan could not see: truncated trees, unreadable files, config notes. */
  warnings: string[];
}
