import { CATEGORIES, type Outcome } from '../engine/types.js';
import { byActionNeeded, findingLocation } from './format.js';
import type { CheckReport, Report } from './types.js';
import { escapeTerminal } from './escape.js';

const SYMBOL: Record<Outcome, string> = {
  pass: '✓',
  warn: '!',
  fail: '✗',
  'not-applicable': '–',
  'not-supported': '?',
  error: 'E',
};
const COLOR: Record<Outcome, number> = {
  pass: 32,
  warn: 33,
  fail: 31,
  'not-applicable': 90,
  'not-supported': 90,
  error: 35,
};
const FINDINGS_SHOWN = 5;

export interface TextOptions {
  color: boolean;
}

/** The terminal report: score and verdict first, then a table per category with failures first. */
export function renderText(report: Report, options: TextOptions = { color: false }): string {
  const paint = (code: number, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bold = (text: string) => paint(1, text);
  const lines: string[] = [];
  const target = report.target.repository
    ? `${report.target.repository}${report.target.sha ? `@${report.target.sha.slice(0, 7)}` : ''}`
    : (report.target.path ?? '.');
  lines.push(bold(`shipready ${report.tool.version} — ${target}`));
  const score = report.score === null ? 'no score' : `${report.score}/100`;
  const verdictColor = report.verdict === 'ready' ? 32 : report.verdict === 'not-ready' ? 31 : 33;
  lines.push(`${bold(`Readiness ${score}`)} · ${report.rating} · ${paint(verdictColor, report.verdict)}`);
  lines.push(
    `Profile ${report.profile} · ecosystems ${report.ecosystems.join(', ') || 'none detected'} · ${report.coverage.scored} of ${report.coverage.total} checks scored`,
  );
  lines.push(`Profile reason: ${escapeTerminal(report.profileReason)}`);
  for (const warning of report.warnings) lines.push(paint(33, `warning: ${warning}`));

  for (const category of CATEGORIES) {
    const checks = report.checks.filter((check) => check.category === category.id).sort(byActionNeeded);
    if (!checks.length) continue;
    const summary = report.categories.find((candidate) => candidate.id === category.id);
    lines.push(
      '',
      bold(`${category.title}${summary?.score === null || summary === undefined ? '' : ` — ${summary.score}/100`}`),
    );
    const idWidth = Math.max(...checks.map((check) => check.id.length));
    for (const check of checks) {
      lines.push(
        `  ${paint(COLOR[check.outcome], SYMBOL[check.outcome])} ${check.id.padEnd(idWidth)}  ${check.severity.padEnd(8)} ${check.summary}`,
      );
      if (check.outcome === 'fail' || check.outcome === 'warn' || check.outcome === 'error')
        lines.push(...renderFindings(check, paint));
    }
  }
  for (const project of report.projects ?? []) {
    const failing = project.checks
      .filter((check) => check.outcome === 'fail' || check.outcome === 'warn')
      .sort(byActionNeeded);
    lines.push('', bold(`Project ${project.path} (${project.ecosystems.join(', ') || 'no ecosystem'})`));
    if (!failing.length) lines.push(`  ${paint(32, '✓')} all project checks pass or do not apply`);
    for (const check of failing)
      lines.push(`  ${paint(COLOR[check.outcome], SYMBOL[check.outcome])} ${check.id}  ${check.summary}`);
  }
  lines.push('', `Legend: ✓ pass  ! warning  ✗ fail  E error  ? not supported by this source  – not applicable`);
  return `${lines.join('\n')}\n`;
}

function renderFindings(check: CheckReport, paint: (code: number, text: string) => string): string[] {
  const open = check.findings.filter((finding) => !finding.suppressed);
  const lines = open.slice(0, FINDINGS_SHOWN).map((finding) => {
    const where = findingLocation(finding);
    return paint(90, `      ${where ? `${where}  ` : ''}${finding.message}`);
  });
  if (open.length > FINDINGS_SHOWN)
    lines.push(paint(90, `      … and ${open.length - FINDINGS_SHOWN} more (--format json lists them all)`));
  const suppressed = check.findings.length - open.length;
  if (suppressed) lines.push(paint(90, `      (${suppressed} suppressed inline)`));
  return lines;
}
