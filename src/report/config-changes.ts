import type { Severity } from '../engine/types.js';

/**
 * What a pull request's own `.github/shipready.yml` (or what it `_extends`) changes, once merged. The PR is gated
 * with the base's (default branch's) rules — a PR cannot change the rules it is judged by — so these changes are
 * previewed, never applied to the verdict on this PR.
 */
export type ConfigChangeKind =
  | 'check-off'
  | 'check-on'
  | 'severity-lowered'
  | 'severity-raised'
  | 'paths-ignored'
  | 'paths-unignored'
  | 'gate-loosened'
  | 'gate-tightened'
  | 'threshold-loosened'
  | 'threshold-tightened'
  | 'other';

export interface ConfigChange {
  kind: ConfigChangeKind;
  /** The check concerned, when the change is about one check. */
  checkId?: string;
  /** The config key, e.g. `checks.tests-present`, `gate.failOn`, `ignore`. */
  key: string;
  /** Values as written in the base and in the PR (undefined: not set). */
  before?: string;
  after?: string;
  /** For a check's change: its outcome on the base, with the base's rules (e.g. `fail`). */
  baseOutcome?: string;
  /** For a severity change. */
  severityBefore?: Severity;
  severityAfter?: Severity;
}

export interface ConfigChangePreview {
  /** Where the PR's config comes from, e.g. `.github/shipready.yml`. */
  path: string;
  changes: ConfigChange[];
  /** The head's score with the base's rules (what gates this PR) and with the PR's rules (after merge). */
  scoreWithBaseRules: number | null;
  scoreWithPullRules: number | null;
  /** The gate's conclusion this PR would get with its own rules, when it differs from the real one. */
  conclusionWithPullRules?: 'success' | 'failure' | 'neutral';
}
