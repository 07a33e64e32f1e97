import { SEVERITIES, type Severity } from '../engine/types.js';
import type { Report } from '../report/types.js';

export interface CliGate {
  passed: boolean;
  reasons: string[];
}

/** The CLI gates on the scanned tree alone: a failing check at or above `failOn`, or a score below `minScore`. */
export function decideCliGate(report: Report, failOn: Severity | 'none', minScore?: number): CliGate {
  const reasons: string[] = [];
  if (failOn !== 'none') {
    const threshold = SEVERITIES.indexOf(failOn);
    const failing = report.checks.filter(
      (check) => check.outcome === 'fail' && SEVERITIES.indexOf(check.severity) <= threshold,
    );
    if (failing.length)
      reasons.push(
        `${failing.length} failing check(s) of severity ${failOn} or higher: ${failing.map((check) => check.id).join(', ')}`,
      );
  }
  if (minScore !== undefined && (report.score === null || report.score < minScore)) {
    reasons.push(`score ${report.score ?? 'none'} is below the minimum ${minScore}`);
  }
  return { passed: reasons.length === 0, reasons };
}
