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
  /** Columns to wrap at (the terminal's width; 100 when not a terminal). */
  width?: number;
}

const VERDICT_WORDS: Record<Report['verdict'], string> = {
  ready: 'Ready for production: no critical or high check fails.',
  'ready-with-recommendations': 'Ready with recommendations: no critical failure, but plan the items below.',
  'not-ready': 'Not ready for production: fix the critical and high failures below first.',
};

/**
 * Printed width: our own colour codes take no columns (repository text is escaped, so it holds no escape of its own;
 * a colour code has no space, so word wrapping never splits one).
 */
function visible(text: string): number {
  // eslint-disable-next-line no-control-regex -- our SGR colour codes
  return text.replace(/\u001b\[[0-9;]{0,8}m/g, '').length;
}

/**
 * Word-wraps one line to `width` columns; continuation lines get `indent` spaces. A word longer than the line (a
 * long path) is kept whole rather than cut. Counts UTF-16 units, which is close enough for the text we print.
 */
export function wrapLine(text: string, width: number, indent: number): string[] {
  if (visible(text) <= width) return [text];
  const lead = /^ */.exec(text)![0];
  const words = text.slice(lead.length).split(' ');
  const lines: string[] = [];
  let current = lead;
  for (const word of words) {
    const start = current.trim() === '';
    if (!start && visible(current) + 1 + visible(word) > width) {
      lines.push(current);
      current = ' '.repeat(indent) + word;
    } else current = start ? current + word : `${current} ${word}`;
  }
  lines.push(current);
  return lines;
}

/** The terminal report: score and verdict first, then a table per category with failures first. */
export function renderText(report: Report, options: TextOptions = { color: false }): string {
  const width = Math.max(40, options.width ?? 100);
  const paint = (code: number, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bold = (text: string) => paint(1, text);
  const lines: string[] = [];
  const add = (text: string, indent = 0) => lines.push(...wrapLine(text, width, indent));
  const target = escapeTerminal(
    report.target.repository
      ? `${report.target.repository}${report.target.sha ? `@${report.target.sha.slice(0, 7)}` : ''}`
      : (report.target.path ?? '.'),
  );
  add(bold(`shipready ${report.tool.version} — ${target}`));
  const score = report.score === null ? 'no score' : `${report.score}/100`;
  const verdictColor = report.verdict === 'ready' ? 32 : report.verdict === 'not-ready' ? 31 : 33;
  add(`${bold(`Readiness ${score}`)} · ${report.rating} · ${paint(verdictColor, report.verdict)}`);
  add(paint(verdictColor, VERDICT_WORDS[report.verdict]));
  add(
    `Profile ${report.profile} · ecosystems ${report.ecosystems.join(', ') || 'none detected'} · ${report.coverage.scored} of ${report.coverage.total} checks scored`,
  );
  add(`Profile reason: ${escapeTerminal(report.profileReason)}`, 2);
  for (const warning of report.warnings) add(paint(33, `warning: ${escapeTerminal(warning)}`), 9);

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
      add(
        `  ${paint(COLOR[check.outcome], SYMBOL[check.outcome])} ${check.id.padEnd(idWidth)}  ${check.severity.padEnd(8)} ${escapeTerminal(check.summary)}`,
        idWidth + 15,
      );
      if (check.outcome === 'fail' || check.outcome === 'warn' || check.outcome === 'error')
        for (const line of renderFindings(check, paint)) add(line, 8);
    }
  }
  for (const project of report.projects ?? []) {
    const failing = project.checks
      .filter((check) => check.outcome === 'fail' || check.outcome === 'warn')
      .sort(byActionNeeded);
    lines.push('');
    add(bold(`Project ${escapeTerminal(project.path)} (${project.ecosystems.join(', ') || 'no ecosystem'})`));
    if (!failing.length) lines.push(`  ${paint(32, '✓')} all project checks pass or do not apply`);
    for (const check of failing)
      add(`  ${paint(COLOR[check.outcome], SYMBOL[check.outcome])} ${check.id}  ${escapeTerminal(check.summary)}`, 4);
  }
  lines.push('');
  add(`Legend: ✓ pass  ! warning  ✗ fail  E error  ? not supported by this source  – not applicable`, 8);
  return `${lines.join('\n')}\n`;
}

function renderFindings(check: CheckReport, paint: (code: number, text: string) => string): string[] {
  const open = check.findings.filter((finding) => !finding.suppressed);
  const lines = open.slice(0, FINDINGS_SHOWN).map((finding) => {
    const where = findingLocation(finding);
    return paint(90, `      ${where ? `${escapeTerminal(where)}  ` : ''}${escapeTerminal(finding.message)}`);
  });
  if (open.length > FINDINGS_SHOWN)
    lines.push(paint(90, `      … and ${open.length - FINDINGS_SHOWN} more (--format json lists them all)`));
  const suppressed = check.findings.length - open.length;
  if (suppressed) lines.push(paint(90, `      (${suppressed} suppressed inline)`));
  return lines;
}
