import type { Severity } from '../engine/types.js';
import { codeSpan } from './escape.js';

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

export type GateConclusion = 'success' | 'failure' | 'neutral';

export interface ConfigChange {
  kind: ConfigChangeKind;
  /** The check concerned, when the change is about one check. */
  checkId?: string;
  /** The config key, e.g. `checks.tests-present`, `gate.failOn`, `ignore.paths`. */
  key: string;
  /** Values as written in the base and in the PR (undefined: not set). */
  before?: string;
  after?: string;
  /** For a check's change: its outcome on the base, with the base's rules (e.g. `fail`). */
  baseOutcome?: string;
  /** For a check's change: its outcome on this PR's head, with the base's rules, when it differs from the base's. */
  headOutcome?: string;
  /** For a severity change. */
  severityBefore?: Severity;
  severityAfter?: Severity;
  /**
   * What this one change alone does to this PR's head once merged: its score with the base's rules and with only
   * this change applied (check and threshold changes).
   */
  scoreBefore?: number | null;
  scoreAfter?: number | null;
  /** For a threshold change: the head's verdict with the base's thresholds and with the PR's. */
  verdictBefore?: string;
  verdictAfter?: string;
  /** For a gate change: this PR's gate with the base's gate settings and with only this change applied. */
  gateBefore?: GateConclusion;
  gateAfter?: GateConclusion;
  /** For `paths-ignored`: open findings on the head in the newly ignored paths, which would no longer count. */
  findingsHidden?: number;
}

export interface ConfigChangePreview {
  /** Where the PR's config comes from, e.g. `.github/shipready.yml`. */
  path: string;
  changes: ConfigChange[];
  /** The head's score with the base's rules (what gates this PR) and with the PR's rules (after merge). */
  scoreWithBaseRules: number | null;
  scoreWithPullRules: number | null;
  /** The gate's conclusion this PR would get with its own rules, when it differs from the real one. */
  conclusionWithPullRules?: GateConclusion;
}

/** Changes that move what shipready says about readiness (score, outcomes, gate, verdict), not only its output. */
export function changesReadinessRules(preview: ConfigChangePreview | undefined): boolean {
  if (!preview) return false;
  return (
    preview.scoreWithBaseRules !== preview.scoreWithPullRules ||
    preview.conclusionWithPullRules !== undefined ||
    preview.changes.some((change) => change.kind !== 'other')
  );
}

const GATE_WORDS: Record<GateConclusion, string> = { success: 'pass', failure: 'fail', neutral: 'be neutral' };

function score(value: number | null | undefined): string {
  return value === null || value === undefined ? 'no score' : String(value);
}

function scoreEffect(change: ConfigChange, why: string): string {
  if (change.scoreBefore === undefined || change.scoreAfter === undefined) return '';
  if (change.scoreBefore === change.scoreAfter) return `; score stays ${score(change.scoreBefore)}`;
  return `; score ${score(change.scoreBefore)} → ${score(change.scoreAfter)} ${why}`;
}

const OUTCOME_WORDS: Record<string, string> = {
  fail: 'failing',
  warn: 'warning',
  pass: 'passing',
  'not-applicable': 'not applying',
  'not-supported': 'unknown',
  error: 'erring',
};

function onBase(change: ConfigChange): string {
  if (!change.baseOutcome) return '';
  const words = (outcome: string) => OUTCOME_WORDS[outcome] ?? outcome;
  const here = change.headOutcome ? ` and ${words(change.headOutcome)} in this PR` : '';
  return `, ${words(change.baseOutcome)} on the base${here}`;
}

function value(text: string | undefined): string {
  return text === undefined ? 'not set' : codeSpan(text);
}

function describe(change: ConfigChange): string {
  const check = change.checkId ? codeSpan(change.checkId) : codeSpan(change.key);
  switch (change.kind) {
    case 'check-off':
      return `turns off ${check}${onBase(change)}${scoreEffect(change, 'by leaving it out')}`;
    case 'check-on':
      return `turns on ${check}${scoreEffect(change, 'by counting it')}`;
    case 'severity-lowered':
    case 'severity-raised':
      return `${change.kind === 'severity-lowered' ? 'lowers' : 'raises'} the severity of ${check} from ${value(change.severityBefore)} to ${value(change.severityAfter)}${onBase(change)}${scoreEffect(change, 'by weighing it differently')}`;
    case 'paths-ignored':
    case 'paths-unignored': {
      const verb = change.kind === 'paths-ignored' ? 'ignores' : 'stops ignoring';
      const hidden =
        change.findingsHidden !== undefined && change.kind === 'paths-ignored'
          ? `; ${change.findingsHidden === 0 ? 'no finding of this PR is' : `${change.findingsHidden} finding${change.findingsHidden === 1 ? '' : 's'} of this PR ${change.findingsHidden === 1 ? 'is' : 'are'}`} in ${change.findingsHidden === 1 ? 'it' : 'them'} and would no longer count`
          : '';
      return `${verb} ${value(change.after ?? change.before)} (${codeSpan(change.key)})${hidden}`;
    }
    case 'gate-loosened':
    case 'gate-tightened': {
      const verb = change.kind === 'gate-loosened' ? 'loosens' : 'tightens';
      const effect =
        change.gateBefore && change.gateAfter
          ? change.gateBefore === change.gateAfter
            ? `; this PR's gate would still ${GATE_WORDS[change.gateAfter]}`
            : `; this PR's gate would ${GATE_WORDS[change.gateAfter]} instead of ${change.gateBefore === 'neutral' ? 'being neutral' : `${GATE_WORDS[change.gateBefore]}ing`}`
          : '';
      return `${verb} the gate: ${codeSpan(change.key)} ${value(change.before)} → ${value(change.after)}${effect}`;
    }
    case 'threshold-loosened':
    case 'threshold-tightened': {
      const verb = change.kind === 'threshold-loosened' ? 'lowers' : 'raises';
      const effect =
        change.verdictBefore && change.verdictAfter && change.verdictBefore !== change.verdictAfter
          ? `; the verdict ${codeSpan(change.verdictBefore)} → ${codeSpan(change.verdictAfter)}`
          : '';
      return `${verb} the threshold ${codeSpan(change.key)} ${value(change.before)} → ${value(change.after)}${effect}`;
    }
    case 'other':
      return `changes ${codeSpan(change.key)}: ${value(change.before)} → ${value(change.after)}`;
  }
}

/**
 * The "Config changes" section of the Check Run summary and the PR comment: each change in effect and what it will
 * do once merged. A pure function of the preview; every value from the repository goes through a code span.
 */
export function renderConfigChanges(preview: ConfigChangePreview | undefined): string[] {
  if (!preview || !preview.changes.length) return [];
  const lines = [
    '### Config changes',
    '',
    `This pull request changes ${codeSpan(preview.path)}. It is judged by the default branch's rules — a pull request cannot change the rules it is judged by — so these changes take effect only once it is merged. Its version:`,
    '',
  ];
  for (const change of preview.changes) lines.push(`- ${describe(change)}`);
  lines.push('');
  const all =
    preview.scoreWithBaseRules === preview.scoreWithPullRules
      ? `Together they leave this PR's score at ${score(preview.scoreWithBaseRules)}`
      : `Together they take this PR's score from ${score(preview.scoreWithBaseRules)} to ${score(preview.scoreWithPullRules)}`;
  const gate = preview.conclusionWithPullRules
    ? `, and with them this PR's gate would ${GATE_WORDS[preview.conclusionWithPullRules]}`
    : '';
  lines.push(`${all}${gate}.`, '');
  return lines;
}
