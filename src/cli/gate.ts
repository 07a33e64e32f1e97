import { compareReports } from '../engine/compare.js';
import { decideGate } from '../engine/gate.js';
import type { Severity } from '../engine/types.js';
import type { Report } from '../report/types.js';

export interface CliGate {
  passed: boolean;
  reasons: string[];
}

/**
 * The CLI gates on the scanned tree alone: the App's gate (src/engine/gate.ts) in `absolute` mode, so `failOn` and
 * `minScore` mean the same in both (a report with no score does not meet a minimum).
 */
export function decideCliGate(report: Report, failOn: Severity | 'none', minScore?: number): CliGate {
  const decision = decideGate({
    head: report,
    comparison: compareReports(report),
    gate: { mode: 'absolute', failOn, ...(minScore !== undefined ? { minScore } : {}) },
  });
  return {
    passed: decision.conclusion !== 'failure',
    reasons: decision.conclusion === 'failure' ? decision.reasons : [],
  };
}
