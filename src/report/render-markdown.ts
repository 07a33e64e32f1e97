import { CATEGORIES, type Finding, type Severity } from '../engine/types.js';
import { TOOL_LINKS } from '../version.js';
import { codeSpan, escapeMarkdown, escapeMessage, link, trustedBlock } from './escape.js';
import { OUTCOME_LABEL, SEVERITY_ORDER, byActionNeeded, findingLocation } from './format.js';
import type { CheckReport, Report } from './types.js';

const STATUS: Record<CheckReport['outcome'], string> = {
  pass: '✅ Pass',
  warn: '⚠️ Warning',
  fail: '❌ Fail',
  'not-applicable': '➖ N/A',
  'not-supported': '❔ Not supported',
  error: '💥 Error',
};
/** A check's status in the tables: a check the config turns off says so, not "N/A". */
function statusOf(check: CheckReport): string {
  return check.turnedOff ? '⏸️ Turned off in config' : STATUS[check.outcome];
}
const EFFORT_ORDER = ['minutes', 'hours', 'days'] as const;
const TOP_BLOCKERS = 5;
const FINDINGS_SHOWN = 5;
const PROJECTS_NAMED = 10;

export interface MarkdownOptions {
  /** When the report was made (the CLI passes the time of the scan); the date line is left out without it. */
  generatedAt?: Date;
}

/** What a report cannot see, said in every report: a static reading is not a production review. */
const STATIC_LIMITS =
  'shipready reads the files of the repository (and, through the GitHub API, its settings); it does not run the code. ' +
  'It cannot judge how the system behaves at runtime (error handling, retries, timeouts in practice), whether ' +
  'authentication and authorization are correct, how it holds up under load, whether backups exist and can be ' +
  'restored, or whether alerts reach someone who acts on them. A passing check says a file or setting is in place, ' +
  'not that it works: confirm those with a load test, an access review, a restore drill and a test page to on-call ' +
  'before launch.';

/** One check id's problem across the repository and its projects: one recommendation, one blocker line. */
interface Problem {
  check: CheckReport;
  outcome: 'fail' | 'warn';
  atRoot: boolean;
  projects: string[];
  /** Open findings, identical ones (same file and line, or same message without a file) once, with their projects. */
  findings: Array<{ finding: Finding; projects: string[] }>;
}

/** A production readiness report in the shape teams write by hand before a launch. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const out: string[] = [];
  const name = subjectName(report);
  out.push(`# Production readiness report: ${escapeMarkdown(name)}`, '');
  out.push(...identity(report, name, options), '');

  const problems = problemsOf(report);
  out.push('## Executive summary', '');
  out.push(`**${headline(report, problems)}**`, '');
  out.push('| Score | Rating | Verdict | Checks scored |', '|---|---|---|---|');
  out.push(
    `| **${report.score ?? '—'}/100** | ${report.rating} | **${report.verdict}** | ${report.coverage.scored} of ${report.coverage.total} |`,
    '',
  );
  out.push(`${countsSentence(problems)} ${verdictSentence(report)}`, '');
  if (report.ratingCap) {
    const cap = report.ratingCap;
    out.push(
      `The score alone would rate it ${cap.uncapped}; a failing ${cap.severity} check (${cap.checks.map(codeSpan).join(', ')}) caps the rating at ${cap.rating}.`,
      '',
    );
  }
  if (report.warnings.length) {
    out.push(
      '> **What this scan could not see**',
      ...report.warnings.map((warning) => `> - ${escapeMessage(warning)}`),
      '',
    );
  }

  out.push('## What is in place', '');
  const strengths = strengthLines(report);
  out.push(...(strengths.length ? strengths : ['No check passes yet.']), '');

  const ordered = orderProblems(problems);
  const blockers = ordered.filter(
    (problem) =>
      problem.outcome === 'fail' && (problem.check.severity === 'critical' || problem.check.severity === 'high'),
  );
  out.push('## Top blockers', '');
  if (!blockers.length) out.push('No critical or high check fails.', '');
  else {
    for (const problem of blockers.slice(0, TOP_BLOCKERS))
      out.push(
        `- **${escapeMarkdown(problem.check.title)}** (${problem.check.severity}${whereSuffix(problem)}): ${prose(report, problem.check.summary)} — recommendation ${ordered.indexOf(problem) + 1}.`,
      );
    if (blockers.length > TOP_BLOCKERS)
      out.push(`- … and ${blockers.length - TOP_BLOCKERS} more critical or high failures in the recommendations.`);
    out.push('');
  }

  out.push('## Recommendations (in priority order)', '');
  if (!ordered.length) out.push('Nothing to do: no check fails or warns.', '');
  else {
    out.push(
      `${ordered.length} item${ordered.length > 1 ? 's' : ''}, by severity and then effort (${effortSummary(ordered)}).`,
      '',
    );
    ordered.forEach((problem, index) => out.push(...recommendation(report, problem, index + 1)));
  }

  out.push('## Findings by category', '');
  for (const category of CATEGORIES) {
    const checks = report.checks.filter((check) => check.category === category.id).sort(byActionNeeded);
    if (!checks.length) continue;
    const summary = report.categories.find((candidate) => candidate.id === category.id);
    out.push(`### ${category.title}${summary && summary.score !== null ? ` — ${summary.score}/100` : ''}`, '');
    out.push('| Item | Status | Severity | Notes |', '|---|---|---|---|');
    for (const row of collapse(checks.map((check) => ({ check, notes: notes(report, check) }))))
      out.push(`| ${row.item} | ${row.status} | ${row.severities} | ${row.notes} |`);
    out.push('');
  }

  out.push('## Risk summary', '', '| Severity | Failing | Warnings | Checks |', '|---|---|---|---|');
  for (const severity of SEVERITY_ORDER) {
    // In the recommendations' order, so a check has the same place in every list.
    const inSeverity = ordered.filter((problem) => problem.check.severity === severity);
    const failed = inSeverity.filter((problem) => problem.outcome === 'fail');
    const warned = inSeverity.filter((problem) => problem.outcome === 'warn');
    const names = [...failed, ...warned].map((problem) => codeSpan(problem.check.id)).join(', ');
    out.push(`| ${severity} | ${failed.length} | ${warned.length} | ${names || '—'} |`);
  }
  out.push('');

  out.push(...uncovered(report));

  if (report.projects?.length) out.push(...projectsSection(report));

  out.push('## What static analysis cannot judge', '', STATIC_LIMITS, '');
  return out.join('\n');
}

/** The repository's name: `owner/name` when known, else the directory's base name (never a local absolute path). */
function subjectName(report: Report): string {
  if (report.target.repository) return report.target.repository;
  let path = report.target.path ?? '';
  // Trailing separators trimmed by hand: `/[\\/]+$/` would be quadratic on a long run of slashes.
  while (path.endsWith('/') || path.endsWith('\\')) path = path.slice(0, -1);
  if (!path) return 'repository';
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1) || 'repository';
}

function githubUrl(report: Report): string | undefined {
  return report.target.repository ? `https://github.com/${report.target.repository}` : undefined;
}

/** Absolute link to a file (and line) at the scanned commit, when the repository and commit are known. */
function fileUrl(report: Report, finding: Finding): string | undefined {
  const base = githubUrl(report);
  if (!base || !report.target.sha || !finding.path) return undefined;
  const path = finding.path.split('/').map(encodeURIComponent).join('/');
  return `${base}/blob/${report.target.sha}/${path}${finding.line ? `#L${finding.line}` : ''}`;
}

function docsLink(check: CheckReport): string {
  return TOOL_LINKS.docsBaseUrl ? link(check.id, `${TOOL_LINKS.docsBaseUrl}${check.docs}`) : codeSpan(check.docs);
}

function identity(report: Report, name: string, options: MarkdownOptions): string[] {
  const base = githubUrl(report);
  const repository = base ? link(name, base) : escapeMarkdown(name);
  const sha = report.target.sha;
  const commit = sha
    ? base
      ? link(sha.slice(0, 12), `${base}/commit/${sha}`)
      : codeSpan(sha.slice(0, 12))
    : report.target.ref
      ? codeSpan(report.target.ref)
      : 'working tree (not a git commit)';
  const toolName = `shipready ${report.tool.version}`;
  const tool = TOOL_LINKS.homepage ? link(toolName, TOOL_LINKS.homepage) : escapeMarkdown(toolName);
  const rows = [
    `| Repository | ${repository} |`,
    `| Commit | ${commit} |`,
    ...(options.generatedAt ? [`| Date | ${options.generatedAt.toISOString().slice(0, 10)} |`] : []),
    `| Tool | ${tool} |`,
    `| Profile | **${report.profile}** · ecosystems: ${report.ecosystems.join(', ') || 'none detected'} |`,
  ];
  // The first row is the table's header: an empty header row shows as a blank bar on GitHub.
  const [header, ...body] = rows;
  return [header, '|---|---|', ...body, '', `Profile reason: ${escapeMessage(report.profileReason)}`];
}

function problemsOf(report: Report): Problem[] {
  const byId = new Map<string, Problem>();
  const add = (check: CheckReport, project?: string) => {
    if (check.outcome !== 'fail' && check.outcome !== 'warn') return;
    let problem = byId.get(check.id);
    if (!problem) {
      problem = { check, outcome: check.outcome, atRoot: false, projects: [], findings: [] };
      byId.set(check.id, problem);
    }
    if (check.outcome === 'fail') problem.outcome = 'fail';
    if (project === undefined) problem.atRoot = true;
    else problem.projects.push(project);
    for (const finding of check.findings) {
      if (finding.suppressed) continue;
      const key = finding.path ? `${finding.path}\u0000${finding.line ?? ''}` : finding.message;
      const known = problem.findings.find((entry) =>
        entry.finding.path
          ? `${entry.finding.path}\u0000${entry.finding.line ?? ''}` === key
          : entry.finding.message === key,
      );
      if (!known) problem.findings.push({ finding, projects: project === undefined ? [] : [project] });
      else if (project !== undefined && !finding.path) known.projects.push(project);
    }
  };
  for (const check of report.checks) add(check);
  for (const project of report.projects ?? []) for (const check of project.checks) add(check, project.path);
  return [...byId.values()];
}

/** Strictly by severity, then the quickest fix, then failures before warnings, then id. */
function orderProblems(problems: Problem[]): Problem[] {
  const effortRank = (problem: Problem) => EFFORT_ORDER.indexOf(problem.check.effort ?? 'hours');
  return [...problems].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.check.severity) - SEVERITY_ORDER.indexOf(b.check.severity) ||
      effortRank(a) - effortRank(b) ||
      (a.outcome === b.outcome ? 0 : a.outcome === 'fail' ? -1 : 1) ||
      a.check.id.localeCompare(b.check.id),
  );
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function whereSuffix(problem: Problem): string {
  if (!problem.projects.length) return '';
  const projects = plural(problem.projects.length, 'project');
  return problem.atRoot ? `, at the root and in ${projects}` : `, in ${projects}`;
}

function headline(report: Report, problems: Problem[]): string {
  const failing = problems.filter((problem) => problem.outcome === 'fail');
  const count = (severity: Severity) => failing.filter((problem) => problem.check.severity === severity).length;
  const critical = count('critical');
  const high = count('high');
  const score = report.score === null ? 'no score' : `score ${report.score}/100`;
  const blocking = [critical ? `${critical} critical` : '', high ? `${high} high-severity` : '']
    .filter(Boolean)
    .join(' and ');
  switch (report.verdict) {
    case 'ready':
      return `Status: ready for production — no critical or high check fails (${score}).`;
    case 'ready-with-recommendations':
      return `Status: ready with recommendations — no critical failure${high ? `, ${plural(high, 'high-severity failure')} to plan` : ''} (${score}).`;
    default:
      return blocking
        ? `Status: not ready — ${blocking} ${critical + high === 1 ? 'check fails' : 'checks fail'} (${score}).`
        : `Status: not ready — the ${score} is below the bar for production.`;
  }
}

/** Counted from the same problems as the headline, the blockers and the risk summary, so every number agrees. */
function countsSentence(problems: Problem[]): string {
  const failing = problems.filter((problem) => problem.outcome === 'fail');
  const warnings = problems.length - failing.length;
  const bySeverity = SEVERITY_ORDER.map(
    (severity) => [severity, failing.filter((problem) => problem.check.severity === severity).length] as const,
  ).filter(([, count]) => count > 0);
  const warned = warnings ? `${warnings === 1 ? '1 gives a warning' : `${warnings} give a warning`}` : '';
  const sentence = failing.length
    ? `${failing.length === 1 ? '1 check fails' : `${failing.length} checks fail`} (${bySeverity.map(([severity, count]) => `${count} ${severity}`).join(', ')})${warned ? ` and ${warned}` : ''}.`
    : `No check fails${warned ? `; ${warned}` : ''}.`;
  const inProjects = problems.filter((problem) => problem.projects.length);
  if (!inProjects.length) return sentence;
  const projects = new Set(inProjects.flatMap((problem) => problem.projects));
  const onlyThere = inProjects.filter((problem) => !problem.atRoot).length;
  return `${sentence} ${inProjects.length === 1 ? '1 of them is' : `${inProjects.length} of them are`} found in ${plural(projects.size, 'project')}${onlyThere ? ` (${onlyThere} only there)` : ''}.`;
}

function verdictSentence(report: Report): string {
  switch (report.verdict) {
    case 'ready':
      return 'The repository is **ready** for production.';
    case 'ready-with-recommendations':
      return 'The repository is **ready with recommendations**: no critical failure, but the items below should be planned.';
    default:
      return 'The repository is **not ready**: fix the critical and high items below first.';
  }
}

function strengthLines(report: Report): string[] {
  const lines: string[] = [];
  for (const category of CATEGORIES) {
    const passing = report.checks.filter((check) => check.category === category.id && check.outcome === 'pass');
    if (!passing.length) continue;
    lines.push(`- **${category.title}:** ${passing.map((check) => escapeMarkdown(check.title)).join('; ')}.`);
  }
  return lines;
}

function effortSummary(problems: Problem[]): string {
  return EFFORT_ORDER.map((effort) => [effort, problems.filter((p) => (p.check.effort ?? 'hours') === effort).length])
    .filter(([, count]) => count)
    .map(([effort, count]) => `${count} take${count === 1 ? 's' : ''} ${effort}`)
    .join(', ');
}

function locationText(report: Report, finding: Finding, table = false): string {
  const where = findingLocation(finding);
  if (!where) return prose(report, finding.message, table);
  const url = fileUrl(report, finding);
  return `${url ? link(where, url) : codeSpan(where)} — ${prose(report, finding.message, table)}`;
}

function recommendation(report: Report, problem: Problem, index: number): string[] {
  const { check } = problem;
  const out = [
    `### ${index}. ${escapeMarkdown(check.title)}`,
    '',
    `**${check.severity}** · ${problem.outcome === 'fail' ? 'fails' : 'warns'}${whereSuffix(problem).replace(/^,/, '')} · effort: ${check.effort ?? 'hours'} · ${docsLink(check)}`,
    '',
    `${prose(report, check.summary)}.`.replace(/([.!?])\.$/, '$1'),
    '',
  ];
  if (problem.projects.length) {
    const named = problem.projects.slice(0, PROJECTS_NAMED).map(codeSpan).join(', ');
    const more =
      problem.projects.length > PROJECTS_NAMED ? ` and ${problem.projects.length - PROJECTS_NAMED} more` : '';
    out.push(`Projects: ${named}${more}.`, '');
  }
  if (problem.findings.length) {
    out.push(problem.findings.some(({ finding }) => finding.path) ? 'Where:' : 'Findings:', '');
    for (const { finding, projects } of problem.findings.slice(0, FINDINGS_SHOWN)) {
      const inProjects = projects.length
        ? ` (in ${projects.slice(0, 3).map(codeSpan).join(', ')}${projects.length > 3 ? ` and ${projects.length - 3} more projects` : ''})`
        : '';
      out.push(`- ${locationText(report, finding)}${inProjects}`);
    }
    if (problem.findings.length > FINDINGS_SHOWN)
      out.push(`- … and ${problem.findings.length - FINDINGS_SHOWN} more (the JSON report lists them all)`);
    out.push('');
  }
  // The catalog's remediation is our own multi-line Markdown (steps, code blocks): rendered as written.
  out.push('How to fix:', '', trustedBlock(check.remediation.trim()), '');
  return out;
}

/**
 * A not-supported check's summary is "cannot tell whether …: <the source's reason>": the reason is the same for
 * every setting of one source, so the tables give the question and the reason is said once, under the tables.
 */
function splitUnsupported(summary: string): { question: string; reason: string } {
  const colon = summary.indexOf(': ');
  return colon < 0
    ? { question: summary, reason: summary }
    : { question: summary.slice(0, colon), reason: summary.slice(colon + 2) };
}

const REASONS = new WeakMap<Report, string[]>();

/**
 * Repository text made literal, with the reasons of not-supported checks (a local scan cannot read settings) taken
 * out: other checks quote them too ("Dependabot alerts could not be checked (…)"), and the report says each once,
 * in "What the score does not cover".
 */
function prose(report: Report, text: string, table = false): string {
  let reasons = REASONS.get(report);
  if (!reasons) {
    const all = [...report.checks, ...(report.projects ?? []).flatMap((project) => project.checks)];
    reasons = [
      ...new Set(
        all
          .filter((check) => check.outcome === 'not-supported')
          .map((check) => splitUnsupported(check.summary).reason)
          .filter((reason) => reason.length >= 20),
      ),
    ];
    REASONS.set(report, reasons);
  }
  let plain = text;
  for (const reason of reasons) plain = plain.split(reason).join(SEE_UNSUPPORTED);
  return escapeMessage(plain, { table });
}
const SEE_UNSUPPORTED = 'not supported by this source, see "What the score does not cover"';

function notes(report: Report, check: CheckReport): string {
  if (check.outcome === 'not-supported')
    return `${escapeMessage(splitUnsupported(check.summary).question, { table: true })} (${SEE_UNSUPPORTED})`;
  const open = check.findings.filter((finding) => !finding.suppressed);
  if (check.outcome === 'pass' || check.outcome === 'not-applicable' || !open.length)
    return prose(report, check.summary, true);
  const details = open.slice(0, 3).map((finding) => locationText(report, finding, true));
  const more = open.length > 3 ? ` (+${open.length - 3} more)` : '';
  return `${prose(report, check.summary, true)}: ${details.join('; ')}${more}`;
}

interface Row {
  item: string;
  status: string;
  severities: string;
  notes: string;
}

/** Rows with the same status and the same notes (seven container checks "no Dockerfile found") become one row. */
function collapse(rows: Array<{ check: CheckReport; notes: string }>): Row[] {
  const groups = new Map<string, Array<{ check: CheckReport; notes: string }>>();
  for (const row of rows) {
    const key = `${statusOf(row.check)}\u0000${row.notes}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group) => ({
    item: group.map(({ check }) => `${escapeMarkdown(check.title)} (${codeSpan(check.id)})`).join('<br>'),
    status: statusOf(group[0].check),
    severities: [...new Set(group.map(({ check }) => check.severity))].join(', '),
    notes: group[0].notes,
  }));
}

function uncovered(report: Report): string[] {
  const out = ['## What the score does not cover', ''];
  const left = report.checks.filter((check) => check.score === null).sort(byActionNeeded);
  if (!left.length) return [...out, 'Every check was scored.', ''];
  out.push(
    `The score covers ${report.coverage.scored} of ${report.coverage.total} checks. These were left out (unknown is not zero):`,
    '',
    '| Checks | Status | Why |',
    '|---|---|---|',
  );
  const groups = new Map<string, { status: string; why: string; ids: string[] }>();
  for (const check of left) {
    // A check the config turns off is left out by choice: never listed as "not applicable" to the repository.
    const status = check.turnedOff ? 'Turned off in config' : OUTCOME_LABEL[check.outcome];
    const why = check.turnedOff
      ? 'the config sets `checks.<id>: off`'
      : check.outcome === 'not-supported'
        ? splitUnsupported(check.summary).reason
        : check.summary;
    const key = `${status}\u0000${why}`;
    const group = groups.get(key) ?? { status, why, ids: [] };
    group.ids.push(check.id);
    groups.set(key, group);
  }
  for (const group of groups.values())
    out.push(
      `| ${group.ids.map(codeSpan).join(', ')} | ${group.status} | ${escapeMessage(group.why, { table: true })} |`,
    );
  out.push('');
  return out;
}

/** One table for every project: a check failing the same way in nine projects is one row naming the nine. */
function projectsSection(report: Report): string[] {
  const projects = report.projects ?? [];
  const out = ['## Projects', ''];
  const rows = new Map<string, { check: CheckReport; projects: string[] }>();
  const clean: string[] = [];
  for (const project of projects) {
    const problems = project.checks
      .filter((check) => check.outcome === 'fail' || check.outcome === 'warn')
      .sort(byActionNeeded);
    if (!problems.length) clean.push(project.path);
    for (const check of problems) {
      const key = `${check.id}\u0000${check.outcome}\u0000${check.summary}`;
      const row = rows.get(key) ?? { check, projects: [] };
      row.projects.push(project.path);
      rows.set(key, row);
    }
  }
  out.push(
    `${plural(projects.length, 'project')}: ${projects
      .slice(0, PROJECTS_NAMED)
      .map((project) => `${codeSpan(project.path)} (${project.ecosystems.join(', ') || 'no ecosystem'})`)
      .join(', ')}${projects.length > PROJECTS_NAMED ? ` and ${projects.length - PROJECTS_NAMED} more` : ''}.`,
    '',
  );
  if (rows.size) {
    out.push('| Item | Status | Projects | Notes |', '|---|---|---|---|');
    const sorted = [...rows.values()].sort(
      (a, b) => byActionNeeded(a.check, b.check) || a.check.id.localeCompare(b.check.id),
    );
    for (const { check, projects: where } of sorted) {
      const named = where.slice(0, PROJECTS_NAMED).map(codeSpan).join(', ');
      const more = where.length > PROJECTS_NAMED ? ` and ${where.length - PROJECTS_NAMED} more` : '';
      out.push(
        `| ${escapeMarkdown(check.title)} (${codeSpan(check.id)}) | ${STATUS[check.outcome]} | ${named}${more} | ${prose(report, check.summary, true)} |`,
      );
    }
    out.push('');
  }
  if (clean.length)
    out.push(
      `All project checks pass or do not apply in ${clean.slice(0, PROJECTS_NAMED).map(codeSpan).join(', ')}${clean.length > PROJECTS_NAMED ? ` and ${clean.length - PROJECTS_NAMED} more` : ''}.`,
      '',
    );
  return out;
}
