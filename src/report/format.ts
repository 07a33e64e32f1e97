import type { Outcome, Severity } from '../engine/types.js';
import type { CheckReport } from './types.js';

/** Order in which outcomes are shown: what needs action first. */
export const OUTCOME_ORDER: Outcome[] = ['fail', 'error', 'warn', 'pass', 'not-supported', 'not-applicable'];
export const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low'];

export const OUTCOME_LABEL: Record<Outcome, string> = {
  pass: 'Pass',
  warn: 'Warning',
  fail: 'Fail',
  'not-applicable': 'Not applicable',
  'not-supported': 'Not supported',
  error: 'Error',
};

export function byActionNeeded(a: CheckReport, b: CheckReport): number {
  return (
    OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome) ||
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity)
  );
}

export function findingLocation(finding: { path?: string; line?: number; endLine?: number }): string {
  if (!finding.path) return '';
  if (!finding.line) return finding.path;
  return finding.endLine && finding.endLine !== finding.line
    ? `${finding.path}:${finding.line}-${finding.endLine}`
    : `${finding.path}:${finding.line}`;
}

/** Checks needing action, most important first: severity weight × what is missing, then the quickest fix. */
export function prioritize(checks: readonly CheckReport[]): CheckReport[] {
  const weight: Record<Severity, number> = { critical: 10, high: 7.5, medium: 5, low: 2.5 };
  const effortRank = (check: CheckReport) => ['minutes', 'hours', 'days'].indexOf(check.effort ?? 'hours');
  return checks
    .filter((check) => check.outcome === 'fail' || check.outcome === 'warn')
    .map((check) => ({ check, gain: weight[check.severity] * (1 - (check.score ?? 0)) }))
    .sort(
      (a, b) => b.gain - a.gain || effortRank(a.check) - effortRank(b.check) || a.check.id.localeCompare(b.check.id),
    )
    .map(({ check }) => check);
}

/** The first paragraph of a markdown remediation, for one-line recommendations. */
export function firstParagraph(markdown: string): string {
  return markdown
    .split(/\n\s*\n/)[0]
    .replace(/(?<!\s)\s*\n\s*/g, ' ')
    .replace(/:$/, '')
    .trim();
}
