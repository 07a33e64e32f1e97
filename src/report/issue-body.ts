import { createHash } from 'node:crypto';
import { allChecks } from '../../checks/index.js';
import { SEVERITY_RANK } from '../engine/compare.js';
import type { CheckDefinition, Finding, Outcome, Severity } from '../engine/types.js';
import type { CheckReport, Report } from './types.js';
import { DASHBOARD_KEY, parseMarkers, withIssueMarkers } from './markers.js';
import { block, cell, clip, docsReference, findingLocation, fitLines, inline, type LinkContext } from './check-run.js';

/** Issue bodies are limited to 65,536 characters; keep room for the markers. */
const BODY_LIMIT = 65_000;
const MAX_FINDINGS = 100;

const EFFORT_WORDS: Record<CheckDefinition<unknown>['effort'], string> = {
  minutes: 'minutes',
  hours: 'a few hours',
  days: 'days',
};

export interface IssueContext extends LinkContext {
  /** Where the repository's shipready config lives (default `.github/shipready.yml`). */
  configPath?: string;
  /** The check's definition (its problem title, rationale and effort); looked up in the registry by id when absent. */
  definition?: Pick<CheckDefinition<unknown>, 'rationale' | 'effort' | 'problemTitle'>;
  /** Projects (monorepo paths) where the check fails, when it is project-scoped. */
  projects?: Array<{ path: string; summary: string }>;
}

export interface RenderedIssue {
  title: string;
  body: string;
  fingerprint: string;
}

export interface IssueMarkers {
  checkId?: string;
  dashboard: boolean;
  fingerprint?: string;
}

/** Reads our hidden markers back from an issue body (src/report/markers.ts; never the title: people edit titles). */
export function parseIssueMarkers(body: string | null | undefined): IssueMarkers {
  const { dashboard, checkId, fingerprint } = parseMarkers(body);
  return { dashboard, ...(checkId ? { checkId } : {}), ...(fingerprint ? { fingerprint } : {}) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * What the issue is about, hashed: the open findings by path and message, sorted. Lines are left out on purpose —
 * an unrelated edit above a finding moves it without changing the problem, and must not rewrite the issue. A
 * check that fails without findings is fingerprinted by its summary.
 */
export function fingerprintCheck(check: Pick<CheckReport, 'id' | 'outcome' | 'summary' | 'findings'>): string {
  const open = check.findings
    .filter((finding) => !finding.suppressed)
    .map((finding) => `${finding.path ?? ''}\u0000${finding.message}`);
  open.sort();
  const payload = open.length ? open : [`summary\u0000${check.summary}`];
  return sha256(JSON.stringify({ id: check.id, outcome: check.outcome, findings: payload }));
}

const definitions = new Map<string, CheckDefinition<unknown>>();
function definitionOf(id: string): CheckDefinition<unknown> | undefined {
  if (!definitions.size) for (const check of allChecks) definitions.set(check.id, check as CheckDefinition<unknown>);
  return definitions.get(id);
}

function configPathOf(ctx: IssueContext): string {
  return ctx.configPath ?? '.github/shipready.yml';
}

function renderWhere(lines: string[], ctx: IssueContext, findings: readonly Finding[]): void {
  const open = findings.filter((finding) => !finding.suppressed);
  const suppressed = findings.filter((finding) => finding.suppressed);
  if (open.length) {
    lines.push('## Where', '');
    for (const finding of open.slice(0, MAX_FINDINGS)) {
      const where = findingLocation(ctx, finding);
      lines.push(`- ${where ? `${where}: ` : ''}${inline(finding.message)}`);
    }
    if (open.length > MAX_FINDINGS)
      lines.push(`- … and ${open.length - MAX_FINDINGS} more (run \`npx shipready scan .\` to list them all)`);
    lines.push('');
  }
  if (suppressed.length) {
    lines.push(
      `<details><summary>${suppressed.length} finding${suppressed.length === 1 ? '' : 's'} suppressed inline</summary>`,
      '',
    );
    for (const finding of suppressed.slice(0, MAX_FINDINGS)) {
      const where = findingLocation(ctx, finding);
      lines.push(`- ${where ? `${where}: ` : ''}${inline(finding.message)} — ${inline(finding.suppressed!.reason)}`);
    }
    lines.push('', '</details>', '');
  }
}

function silenceSection(check: Pick<CheckReport, 'id'>, ctx: IssueContext): string[] {
  return [
    '## How to silence it',
    '',
    `If this does not apply to the repository, turn the check off (or lower its severity) in \`${configPathOf(ctx)}\` on the default branch:`,
    '',
    '```yaml',
    'checks:',
    `  ${check.id}: off   # or a severity: critical, high, medium, low`,
    '```',
    '',
    'To accept one finding in a YAML file or a Dockerfile, put a comment on its line or the line above:',
    '',
    '```yaml',
    `# shipready-ignore ${check.id}: <why this is fine here>`,
    '```',
  ];
}

/**
 * The problem, stated, then which check says so: `Secrets are baked into the Docker image (shipready:
 * dockerfile-free-of-secrets)`. A check without a problem title (an ad-hoc check in a test) falls back to its title.
 */
export function issueTitle(check: Pick<CheckReport, 'id' | 'title'>, problemTitle?: string): string {
  const problem = problemTitle ?? `${check.title} fails`;
  return clip(`${problem.replace(/\s+/g, ' ')} (shipready: ${check.id})`, 256);
}

/**
 * One remediation issue for one failing check: what is wrong, where (links at the commit), why it matters, how
 * to fix it and how to silence it; the hidden markers let shipready find and update it later.
 */
export function renderCheckIssue(check: CheckReport, ctx: IssueContext): RenderedIssue {
  const fingerprint = fingerprintCheck(check);
  const definition = ctx.definition ?? definitionOf(check.id);
  const lines: string[] = [];
  lines.push(
    `**${inline(check.title)}** (\`${check.id}\`, ${check.category}, severity **${check.severity}**) ${check.outcome === 'fail' ? 'fails' : `is ${check.outcome}`} on the default branch at ${ctx.sha.slice(0, 7)}.`,
    '',
  );
  lines.push('## What is wrong', '', inline(check.summary), '');
  if (ctx.projects?.length) {
    lines.push('It fails in these projects:', '');
    for (const project of ctx.projects.slice(0, 50))
      lines.push(`- \`${cell(project.path || '.')}\`: ${inline(project.summary)}`);
    if (ctx.projects.length > 50) lines.push(`- … and ${ctx.projects.length - 50} more`);
    lines.push('');
  }
  renderWhere(lines, ctx, check.findings);
  if (definition?.rationale) lines.push('## Why it matters', '', block(definition.rationale), '');
  lines.push('## How to fix it', '', block(check.remediation), '');
  if (definition?.effort) lines.push(`Effort: ${EFFORT_WORDS[definition.effort]}. ${docsReference(ctx, check)}`, '');
  else lines.push(docsReference(ctx, check), '');
  lines.push(...silenceSection(check, ctx), '');
  lines.push(
    '---',
    '<sub>Filed by shipready. It updates this issue when the findings change, closes it when the check passes, and reopens it if the check fails again.</sub>',
  );
  const body = fitLines(
    lines,
    BODY_LIMIT,
    () => '> ✂️ Cut to fit GitHub’s issue size limit. Run `npx shipready scan .` for everything.',
  );
  return {
    title: issueTitle(check, definition?.problemTitle),
    body: withIssueMarkers(body, check.id, fingerprint),
    fingerprint,
  };
}

export interface IssueSubject {
  /** The check, merged over the repository and its projects (findings of all, worst outcome). */
  check: CheckReport;
  projects: Array<{ path: string; summary: string }>;
}

const SEVERE_FIRST = (a: IssueSubject, b: IssueSubject) =>
  SEVERITY_RANK[b.check.severity] - SEVERITY_RANK[a.check.severity] || (a.check.id < b.check.id ? -1 : 1);

/**
 * Failing checks at `minSeverity` or above, one per id: a project-scoped check that fails in the repository and
 * in three projects is one issue listing all four places.
 */
export function collectIssueSubjects(report: Report, minSeverity: Severity = 'high'): IssueSubject[] {
  const byId = new Map<string, IssueSubject>();
  const occurrences: Array<{ project: string; check: CheckReport }> = [
    ...report.checks.map((check) => ({ project: '', check })),
    ...(report.projects ?? []).flatMap((project) => project.checks.map((check) => ({ project: project.path, check }))),
  ];
  for (const { project, check } of occurrences) {
    if (check.outcome !== 'fail' || SEVERITY_RANK[check.severity] < SEVERITY_RANK[minSeverity]) continue;
    const known = byId.get(check.id);
    if (!known) {
      byId.set(check.id, {
        check: { ...check, findings: [...check.findings] },
        projects: project ? [{ path: project, summary: check.summary }] : [],
      });
      continue;
    }
    known.check.findings.push(...check.findings);
    if (SEVERITY_RANK[check.severity] > SEVERITY_RANK[known.check.severity]) known.check.severity = check.severity;
    if (project) known.projects.push({ path: project, summary: check.summary });
  }
  for (const subject of byId.values()) {
    // When it fails in the repository as well, name the repository in the list of places too.
    if (
      subject.projects.length &&
      report.checks.some((check) => check.id === subject.check.id && check.outcome === 'fail')
    ) {
      subject.projects.unshift({
        path: '',
        summary: report.checks.find((check) => check.id === subject.check.id)!.summary,
      });
    }
  }
  return [...byId.values()].sort(SEVERE_FIRST);
}

function worstOutcomeById(report: Report): Map<string, Outcome> {
  const rank: Record<Outcome, number> = {
    fail: 5,
    error: 4,
    'not-supported': 3,
    warn: 2,
    pass: 1,
    'not-applicable': 0,
  };
  const worst = new Map<string, Outcome>();
  for (const check of [...report.checks, ...(report.projects ?? []).flatMap((project) => project.checks)]) {
    const known = worst.get(check.id);
    if (!known || rank[check.outcome] > rank[known]) worst.set(check.id, check.outcome);
  }
  return worst;
}

/** The comment an issue is closed with; `outcome` is the check's outcome now. */
export function renderCloseComment(
  check: Pick<CheckReport, 'id' | 'title' | 'summary'> & { outcome: Outcome },
  ctx: LinkContext,
): string {
  const at = `[${ctx.sha.slice(0, 7)}](${(ctx.serverUrl ?? 'https://github.com').replace(/(?<!\/)\/+$/, '')}/${ctx.repository}/commit/${ctx.sha})`;
  const why =
    check.outcome === 'pass'
      ? `**${inline(check.title)}** passes as of ${at}: ${inline(check.summary)}`
      : check.outcome === 'warn'
        ? `**${inline(check.title)}** no longer fails as of ${at} (it warns: ${inline(check.summary)}).`
        : `**${inline(check.title)}** no longer applies as of ${at}: ${inline(check.summary)}`;
  return `${why}\n\nClosing this issue. shipready reopens it if \`${check.id}\` fails again.`;
}

/** The comment posted when a closed issue is reopened because the check fails again. */
export function renderReopenComment(check: Pick<CheckReport, 'id' | 'summary'>, ctx: LinkContext): string {
  return `\`${check.id}\` fails again as of ${ctx.sha.slice(0, 7)}: ${inline(check.summary)}\n\nReopened by shipready; the description above is up to date.`;
}

/** One issue, edited in place, with a checklist of every failing check (all severities). */
export function renderDashboardIssue(
  report: Report,
  ctx: Omit<IssueContext, 'definition' | 'projects'>,
): RenderedIssue {
  const subjects = collectIssueSubjects(report, 'low');
  const warnings = report.checks.filter((check) => check.outcome === 'warn');
  const fingerprint = sha256(
    JSON.stringify(subjects.map((subject) => [subject.check.id, fingerprintCheck(subject.check)])),
  );
  const score = report.score === null ? 'not scored' : `${report.score}/100 (${report.rating})`;
  const lines: string[] = [];
  lines.push(
    `Production readiness of the default branch at ${ctx.sha.slice(0, 7)}: **${score}**, verdict **${report.verdict}**.`,
    '',
  );
  if (!subjects.length) lines.push('No check fails. 🎉', '');
  else
    lines.push(
      `## ${subjects.length} failing check${subjects.length === 1 ? '' : 's'}`,
      '',
      'An item leaves the list once its check passes on the default branch.',
      '',
    );
  for (const severity of ['critical', 'high', 'medium', 'low'] as const) {
    const group = subjects.filter((subject) => subject.check.severity === severity);
    if (!group.length) continue;
    lines.push(`### ${severity[0].toUpperCase()}${severity.slice(1)}`, '');
    for (const { check, projects } of group) {
      const first = check.findings.find((finding) => !finding.suppressed && finding.path);
      const where = first ? ` — ${findingLocation(ctx, first)}` : '';
      const inProjects = projects.length
        ? ` (in ${projects.map((project) => `\`${cell(project.path || '.')}\``).join(', ')})`
        : '';
      lines.push(`- [ ] **${inline(check.title)}** \`${check.id}\`${inProjects}: ${inline(check.summary)}${where}`);
    }
    lines.push('');
  }
  if (warnings.length) {
    lines.push(`<details><summary>${warnings.length} check${warnings.length === 1 ? '' : 's'} warn</summary>`, '');
    for (const check of warnings) lines.push(`- \`${check.id}\` (${check.severity}): ${inline(check.summary)}`);
    lines.push('', '</details>', '');
  }
  lines.push(
    `Fix an item and push to the default branch; details and how to fix each check are in the Check Run of that commit. To turn a check off, set \`checks.<id>: off\` in \`${configPathOf(ctx)}\`.`,
    '',
    '---',
    '<sub>Maintained by shipready (`issues.mode: dashboard`). This issue is edited in place; it is closed when nothing fails.</sub>',
  );
  const body = fitLines(
    lines,
    BODY_LIMIT,
    () => '> ✂️ Cut to fit GitHub’s issue size limit. Run `npx shipready scan .` for everything.',
  );
  return {
    title: 'shipready: production readiness dashboard',
    body: withIssueMarkers(body, DASHBOARD_KEY, fingerprint),
    fingerprint,
  };
}

export interface IssuePlan {
  /** Issues to keep open and current: key = check id, or `dashboard`. */
  desired: Array<RenderedIssue & { key: string }>;
  /** Issues to close (if open), with the comment. */
  resolved: Array<{ key: string; comment: string }>;
  /** Checks whose state is unknown this run (error, not-supported): their issues are left as they are. */
  unknown: string[];
}

/**
 * What the issues of a default-branch evaluation should look like. A check that errs or cannot be told keeps its
 * issue (unknown is not fixed); one that passes, warns or no longer applies has its issue closed.
 */
export function planIssues(
  report: Report,
  ctx: IssueContext,
  options: { mode: 'per-check' | 'dashboard'; minSeverity: Severity },
): IssuePlan {
  const worst = worstOutcomeById(report);
  const unknown = [...worst]
    .filter(([, outcome]) => outcome === 'error' || outcome === 'not-supported')
    .map(([id]) => id);
  if (options.mode === 'dashboard') {
    const dashboard = renderDashboardIssue(report, ctx);
    const failing = [...worst.values()].some((outcome) => outcome === 'fail');
    return failing
      ? { desired: [{ key: 'dashboard', ...dashboard }], resolved: [], unknown }
      : {
          desired: [],
          resolved: [
            {
              key: 'dashboard',
              comment: 'No check fails any more: closing the dashboard. shipready reopens it when one does.',
            },
          ],
          unknown,
        };
  }
  const subjects = collectIssueSubjects(report, options.minSeverity);
  const desired = subjects.map(({ check, projects }) => ({
    key: check.id,
    ...renderCheckIssue(check, { ...ctx, projects }),
  }));
  const wanted = new Set(desired.map((issue) => issue.key));
  const resolved: IssuePlan['resolved'] = [];
  for (const check of report.checks) {
    if (wanted.has(check.id)) continue;
    const outcome = worst.get(check.id) ?? check.outcome;
    if (outcome === 'error' || outcome === 'not-supported') continue;
    const comment =
      outcome === 'fail'
        ? `\`${check.id}\` still fails, but its severity is now below \`issues.minSeverity\` (${options.minSeverity}): closing this issue. The Check Run keeps reporting it.`
        : renderCloseComment({ ...check, outcome }, ctx);
    resolved.push({ key: check.id, comment });
  }
  return { desired, resolved, unknown };
}
