import { compareReports, decideGate, type GateConfig } from '../../src/engine/compare.js';
import { scoreReport } from '../../src/engine/scoring.js';
import type { Category, Outcome, Severity } from '../../src/engine/types.js';
import { renderCheckRun, type RenderCheckRunInput } from '../../src/report/check-run.js';
import { renderPrComment } from '../../src/report/pr-comment.js';
import type { CheckReport, Report } from '../../src/report/types.js';

/** Builders for renderer tests: reports scored by the engine's own scoring (rating cap, monorepo means). */

export const SHA = 'feed'.padEnd(40, '1');
export const LINKS = { repository: 'octo/app', sha: SHA };
export const GATE: GateConfig = { mode: 'regressions', failOn: 'high' };

export type Spec = [id: string, outcome: Outcome, severity?: Severity, extra?: Partial<CheckReport>];

export function check([id, outcome, severity = 'high', extra = {}]: Spec): CheckReport {
  return {
    id,
    category: (extra.category ?? 'workflows') as Category,
    severity,
    title: `${id} title`,
    outcome,
    score: outcome === 'pass' ? 1 : outcome === 'fail' ? 0 : outcome === 'warn' ? 0.5 : null,
    summary: `${id} is ${outcome}`,
    findings: [],
    remediation: `Fix ${id}:\n\n\`\`\`yaml\nkey: value\n\`\`\``,
    docs: `checks/workflows/${id}.md`,
    ...extra,
  };
}

export function report(specs: Spec[], projects?: Array<{ path: string; checks: Spec[] }>): Report {
  const checks = specs.map(check);
  const projectReports = projects?.map((project) => ({
    path: project.path,
    ecosystems: ['node' as const],
    checks: project.checks.map(check),
  }));
  return {
    schemaVersion: 1,
    tool: { name: 'shipready', version: '0.0.0-test' },
    target: { source: 'github', repository: 'octo/app', sha: SHA },
    profile: 'service',
    profileReason: 'deployment file Dockerfile',
    ecosystems: ['node'],
    ...scoreReport(checks, projectReports ?? []),
    checks,
    ...(projectReports ? { projects: projectReports } : {}),
    warnings: [],
  };
}

/** Everything a PR (or, without a base, a push) publishes: the Check Run and the comment. */
export function publish(
  head: Report,
  base?: Report,
  extra: Partial<RenderCheckRunInput> = {},
  gateConfig: GateConfig = GATE,
) {
  const comparison = compareReports(head, base);
  const gate = decideGate({ head, comparison, gate: gateConfig });
  const run = renderCheckRun({ report: head, comparison, gate, links: LINKS, ...extra });
  const comment = renderPrComment({ report: head, comparison, gate, links: LINKS });
  return { comparison, gate, run, comment };
}
