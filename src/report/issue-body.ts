import { createHash } from 'node:crypto';
import { SEVERITY_RANK } from '../engine/compare.js';
import { SEVERITIES, type CheckDefinition, type Finding, type Outcome, type Severity } from '../engine/types.js';
import { TOOL_LINKS } from '../version.js';
import type { CheckReport, Report } from './types.js';
import { clip, findingLocation, fitLines, serverOf, type LinkContext } from './check-run.js';
import { codeSpan, escapeMarkdown, escapeMessage, link, linkTarget, trustedBlock } from './escape.js';
import { DASHBOARD_KEY, parseMarkers, withIssueMarkers } from './markers.js';

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
  /** Overrides of what the report says of the check (problem title, rationale, effort, settings read), for tests. */
  definition?: Partial<Pick<CheckDefinition<unknown>, 'rationale' | 'effort' | 'problemTitle' | 'needs'>>;
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

/**
 * The version of what the issue text says, hashed into every fingerprint: raising it rewrites each open issue once
 * (an edit, which notifies no one), so issues filed before a change of wording get it too. 2: problem titles, links,
 * silencing fitted to the check.
 */
const ISSUE_FORMAT = 2;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * What the issue is about, hashed: the open findings by path and message, sorted. Lines are left out on purpose —
 * an unrelated edit above a finding moves it without changing the problem, and must not rewrite the issue. A
 * check that fails without findings is fingerprinted by its summary. ISSUE_FORMAT is part of it.
 */
export function fingerprintCheck(check: Pick<CheckReport, 'id' | 'outcome' | 'summary' | 'findings'>): string {
  const open = check.findings
    .filter((finding) => !finding.suppressed)
    .map((finding) => `${finding.path ?? ''}\u0000${finding.message}`);
  open.sort();
  const payload = open.length ? open : [`summary\u0000${check.summary}`];
  return sha256(JSON.stringify({ format: ISSUE_FORMAT, id: check.id, outcome: check.outcome, findings: payload }));
}

function configPathOf(ctx: IssueContext): string {
  return ctx.configPath ?? '.github/shipready.yml';
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function commitUrl(ctx: LinkContext): string {
  return `${serverOf(ctx)}/${ctx.repository}/commit/${ctx.sha}`;
}

/** `[1234567](…/commit/<sha>)`: the commit the issue was written from. */
function commitLink(ctx: LinkContext): string {
  return link(ctx.sha.slice(0, 7), commitUrl(ctx));
}

/** The Check Run of the commit when its URL is known, else the commit's checks page (which lists it). */
function checkRunLink(ctx: LinkContext): string {
  return ctx.checkRunUrl
    ? link('the Check Run', ctx.checkRunUrl)
    : link('the checks of that commit', `${commitUrl(ctx)}/checks`);
}

/** The check's doc page: at the configured docs base URL, else at shipready's own docs (package.json). */
export function docsUrlOf(ctx: LinkContext, check: Pick<CheckReport, 'docs'>): string | undefined {
  const base = ctx.docsBaseUrl ?? TOOL_LINKS.docsBaseUrl;
  if (!base) return undefined;
  return `${base.endsWith('/') ? base : `${base}/`}${check.docs}`;
}

function docsLink(ctx: LinkContext, check: Pick<CheckReport, 'docs' | 'title'>): string {
  const url = docsUrlOf(ctx, check);
  return url ? link(`About “${check.title}”`, url) : `shipready docs: ${codeSpan(check.docs)}`;
}

/** `path:line` linked at the commit: the Check Run's function, so every surface shows a location the same way. */
const locationOf = findingLocation;

/** One finding as a list item: where, then the message, both escaped. */
function findingItem(ctx: LinkContext, finding: Finding, suffix = ''): string {
  const where = locationOf(ctx, finding);
  return `- ${where ? `${where}: ` : ''}${escapeMessage(finding.message)}${suffix}`;
}

function renderWhere(lines: string[], ctx: IssueContext, findings: readonly Finding[]): void {
  const open = findings.filter((finding) => !finding.suppressed);
  const suppressed = findings.filter((finding) => finding.suppressed);
  if (open.length) {
    lines.push('## Where', '');
    for (const finding of open.slice(0, MAX_FINDINGS)) lines.push(findingItem(ctx, finding));
    if (open.length > MAX_FINDINGS)
      lines.push(`- … and ${open.length - MAX_FINDINGS} more (run \`npx shipready scan .\` to list them all)`);
    lines.push('');
  }
  if (suppressed.length) {
    lines.push(`<details><summary>${plural(suppressed.length, 'finding')} suppressed inline</summary>`, '');
    for (const finding of suppressed.slice(0, MAX_FINDINGS))
      lines.push(findingItem(ctx, finding, ` — ${escapeMessage(finding.suppressed!.reason)}`));
    if (suppressed.length > MAX_FINDINGS) lines.push(`- … and ${suppressed.length - MAX_FINDINGS} more`);
    lines.push('', '</details>', '');
  }
}

type CommentStyle = '#' | '//' | '<!--' | 'none';

/** File names whose language comments with `#` although they have no telling extension. */
const HASH_FILES = new Set([
  'dockerfile',
  'containerfile',
  'makefile',
  'gemfile',
  'rakefile',
  'codeowners',
  'procfile',
]);
const HASH_EXTENSIONS = new Set([
  'yml',
  'yaml',
  'toml',
  'py',
  'sh',
  'bash',
  'zsh',
  'rb',
  'cfg',
  'conf',
  'ini',
  'tf',
  'hcl',
  'r',
  'pl',
  'txt',
  'dockerfile',
  'containerfile',
  'mk',
  'gitignore',
  'dockerignore',
  'env',
  'properties',
  'ps1',
  'nix',
  'cmake',
]);
const SLASH_EXTENSIONS = new Set([
  'js',
  'mjs',
  'cjs',
  'jsx',
  'ts',
  'mts',
  'cts',
  'tsx',
  'go',
  'rs',
  'java',
  'kt',
  'kts',
  'scala',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'cs',
  'swift',
  'dart',
  'php',
  'groovy',
  'gradle',
  'proto',
  'jsonc',
  'json5',
  'zig',
]);
const HTML_EXTENSIONS = new Set([
  'md',
  'markdown',
  'html',
  'htm',
  'xml',
  'svg',
  'csproj',
  'fsproj',
  'vbproj',
  'props',
  'targets',
  'vue',
]);

/**
 * How an ignore comment is written in a file (src/engine/suppression.ts reads `#`, `//` and `<!-- … -->` comments
 * on the finding's line or the line above). Plain JSON has no comments, so a finding there cannot be ignored inline;
 * tsconfig/jsconfig files are JSON with comments.
 */
function commentStyleOf(path: string): CommentStyle {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (HASH_FILES.has(name) || name.startsWith('dockerfile.') || name.startsWith('.env')) return '#';
  const dot = name.lastIndexOf('.');
  const extension = dot >= 0 ? name.slice(dot + 1) : '';
  if (extension === 'json') return /^[tj]sconfig\b/.test(name) ? '//' : 'none';
  if (HASH_EXTENSIONS.has(extension)) return '#';
  if (SLASH_EXTENSIONS.has(extension)) return '//';
  if (HTML_EXTENSIONS.has(extension)) return '<!--';
  return '#';
}

/** The ignore comment for one check in a comment style (as src/engine/suppression.ts parses it). */
export function ignoreComment(style: Exclude<CommentStyle, 'none'>, checkId: string): string {
  const text = `shipready-ignore ${checkId}: <why this is fine here>`;
  return style === '<!--' ? `<!-- ${text} -->` : `${style} ${text}`;
}

function turnOffBlock(check: Pick<CheckReport, 'id' | 'severity'>): string[] {
  const lower = SEVERITIES.slice(SEVERITIES.indexOf(check.severity) + 1);
  const comment = lower.length ? `   # or a lower severity: ${lower.join(', ')}` : '';
  return ['```yaml', 'checks:', `  ${check.id}: off${comment}`, '```'];
}

/**
 * How to silence this check, fitted to what it found. A finding on a line of a file can be accepted with an ignore
 * comment there (the way src/engine/suppression.ts reads); a repository setting, or a finding about a whole file or
 * the repository, has no line to comment on: the only way is to turn the check off in the config.
 */
function silenceSection(
  check: Pick<CheckReport, 'id' | 'severity' | 'findings'>,
  ctx: IssueContext,
  settings: boolean,
): string[] {
  const config = codeSpan(configPathOf(ctx));
  const open = check.findings.filter((finding) => !finding.suppressed);
  const onLines = open.filter((finding) => finding.path && finding.line);
  const lines = ['## How to silence it', ''];
  if (!onLines.length) {
    const about = settings
      ? 'a repository setting'
      : open.some((finding) => finding.path)
        ? 'whole files, not lines'
        : 'the repository as a whole';
    lines.push(
      `This check is about ${about}, so there is no line to put an ignore comment on. If it does not apply to this repository, turn it off in ${config} on the default branch:`,
      '',
      ...turnOffBlock(check),
    );
    return lines;
  }
  const first = onLines.find((finding) => commentStyleOf(finding.path!) !== 'none');
  if (first) {
    const style = commentStyleOf(first.path!) as Exclude<CommentStyle, 'none'>;
    lines.push(
      `To accept one finding, put an ignore comment with the reason on its line or the line above it — for example above line ${first.line} of ${codeSpan(first.path!)}:`,
      '',
      '```',
      ignoreComment(style, check.id),
      '```',
      '',
      'The comment is written the way the file comments (`#`, `//` or `<!-- … -->`); several check ids can be listed, separated by commas.',
    );
  }
  if (onLines.some((finding) => commentStyleOf(finding.path!) === 'none'))
    lines.push(
      ...(first ? [''] : []),
      'A finding in a plain JSON file cannot be ignored inline: JSON has no comments.',
    );
  lines.push(
    '',
    `If the check does not apply to this repository at all, turn it off in ${config} on the default branch:`,
    '',
    ...turnOffBlock(check),
    '',
    'To leave vendored or generated files out of every check, list them under `ignore.paths` there.',
  );
  return lines;
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
  // Everything about the check comes from the report (src/report never reads the registry); a test may override it.
  const definition = {
    rationale: ctx.definition?.rationale ?? check.rationale,
    effort: ctx.definition?.effort ?? check.effort,
    problemTitle: ctx.definition?.problemTitle ?? check.problemTitle,
    readsSettings: ctx.definition?.needs
      ? Boolean(ctx.definition.needs.settings?.length)
      : Boolean(check.readsSettings),
  };
  const docsUrl = docsUrlOf(ctx, check);
  const name = docsUrl ? link(check.title, docsUrl) : `**${escapeMarkdown(check.title)}**`;
  const state = check.outcome === 'fail' ? 'fails' : `is ${check.outcome}`;
  const lines: string[] = [];
  lines.push(
    `shipready’s check ${name} (${codeSpan(check.id)}, ${check.category}, severity **${check.severity}**) ${state} on the default branch at ${commitLink(ctx)}. ${pointsAtLines(check) ? 'Line annotations' : 'Details'} are in ${checkRunLink(ctx)}.`,
    '',
  );
  lines.push('## What is wrong', '', escapeMessage(check.summary), '');
  if (ctx.projects?.length) {
    lines.push('It fails in these projects:', '');
    for (const project of ctx.projects.slice(0, 50))
      lines.push(`- ${codeSpan(project.path || '.')}: ${escapeMessage(project.summary)}`);
    if (ctx.projects.length > 50) lines.push(`- … and ${ctx.projects.length - 50} more`);
    lines.push('');
  }
  renderWhere(lines, ctx, check.findings);
  if (definition.rationale) lines.push('## Why it matters', '', trustedBlock(definition.rationale), '');
  lines.push('## How to fix it', '', trustedBlock(check.remediation), '');
  if (check.fixable)
    lines.push(
      `**shipready can make this fix:** it ${trustedBlock(check.fixable)}. Press **Open fix PR** on ${checkRunLink(ctx)} for a pull request with it, or run ${codeSpan(`npx shipready fix --check ${check.id} --yes`)} in a checkout.`,
      '',
    );
  const { effort } = definition;
  lines.push(`${effort ? `Effort: ${EFFORT_WORDS[effort]}. ` : ''}${docsLink(ctx, check)}`, '');
  lines.push(...silenceSection(check, ctx, definition.readsSettings), '');
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
    title: issueTitle(check, definition.problemTitle),
    body: withIssueMarkers(body, check.id, fingerprint),
    fingerprint,
  };
}

export interface IssueSubject {
  /** The check, merged over the repository and its projects (findings of all, worst outcome). */
  check: CheckReport;
  projects: Array<{ path: string; summary: string }>;
}

/** True when the check has an open finding on a line of a file: an issue that points at the code to change. */
function pointsAtLines(check: Pick<CheckReport, 'findings'>): boolean {
  return check.findings.some((finding) => !finding.suppressed && finding.path && finding.line);
}

/**
 * Filing order (what `issues.max` keeps when it cuts): the most severe first; within a severity, checks whose
 * findings point at a file and line before repository settings and whole-repository findings; then by id.
 */
const FILING_ORDER = (a: IssueSubject, b: IssueSubject) =>
  SEVERITY_RANK[b.check.severity] - SEVERITY_RANK[a.check.severity] ||
  Number(pointsAtLines(b.check)) - Number(pointsAtLines(a.check)) ||
  (a.check.id < b.check.id ? -1 : a.check.id > b.check.id ? 1 : 0);

/**
 * Failing checks at `minSeverity` or above, one per id, in filing order: a project-scoped check that fails in the
 * repository and in three projects is one issue listing all four places.
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
  return [...byId.values()].sort(FILING_ORDER);
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
  const at = commitLink(ctx);
  const title = `**${escapeMarkdown(check.title)}**`;
  const summary = escapeMessage(check.summary);
  const why =
    check.outcome === 'pass'
      ? `${title} passes as of ${at}: ${summary}`
      : check.outcome === 'warn'
        ? `${title} no longer fails as of ${at} (it warns: ${summary}).`
        : `${title} no longer applies as of ${at}: ${summary}`;
  return `${why}\n\nClosing this issue. shipready reopens it if ${codeSpan(check.id)} fails again.`;
}

/** Findings named in a reopen comment; the issue body lists up to MAX_FINDINGS. */
const MAX_REOPEN_FINDINGS = 10;

/**
 * The comment posted when a closed issue is reopened because the check fails again: what regressed (the summary)
 * and where (the open findings, linked at the commit, capped), so the notification says it without a click.
 */
export function renderReopenComment(
  check: Pick<CheckReport, 'id' | 'title' | 'summary' | 'findings'>,
  ctx: IssueContext,
): string {
  const open = check.findings.filter((finding) => !finding.suppressed);
  const lines = [
    `**${escapeMarkdown(check.title)}** (${codeSpan(check.id)}) fails again as of ${commitLink(ctx)}: ${escapeMessage(check.summary)}`,
    '',
  ];
  if (ctx.projects?.length)
    lines.push(`In ${ctx.projects.map((project) => codeSpan(project.path || '.')).join(', ')}.`, '');
  if (open.length) {
    lines.push(`${open.length === 1 ? 'Where' : `Where (${open.length} findings)`}:`, '');
    for (const finding of open.slice(0, MAX_REOPEN_FINDINGS)) lines.push(findingItem(ctx, finding));
    if (open.length > MAX_REOPEN_FINDINGS)
      lines.push(`- … and ${open.length - MAX_REOPEN_FINDINGS} more, listed in the description above`);
    lines.push('');
  }
  lines.push(
    `Reopened by shipready; the description above is up to date. ${pointsAtLines(check) ? 'Line annotations' : 'Details'} are in ${checkRunLink(ctx)}.`,
  );
  return lines.join('\n');
}

/** The comment posted when the closed dashboard is reopened: which checks fail again, worst first. */
export function renderDashboardReopenComment(subjects: readonly IssueSubject[], ctx: LinkContext): string {
  const lines = [
    `${plural(subjects.length, 'check')} fail${subjects.length === 1 ? 's' : ''} again as of ${commitLink(ctx)}:`,
    '',
  ];
  for (const { check } of subjects.slice(0, MAX_REOPEN_FINDINGS)) {
    const first = check.findings.find((finding) => !finding.suppressed && finding.path);
    const where = first ? ` — ${locationOf(ctx, first)}` : '';
    lines.push(`- ${codeSpan(check.id)} (${check.severity}): ${escapeMessage(check.summary)}${where}`);
  }
  if (subjects.length > MAX_REOPEN_FINDINGS)
    lines.push(`- … and ${subjects.length - MAX_REOPEN_FINDINGS} more, listed above`);
  lines.push('', 'Reopened by shipready; the checklist above is up to date.');
  return lines.join('\n');
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
    `Production readiness of the default branch at ${commitLink(ctx)}: **${score}**, verdict **${report.verdict}**.`,
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
      const where = first ? ` — ${locationOf(ctx, first)}` : '';
      const inProjects = projects.length
        ? ` (in ${projects.map((project) => codeSpan(project.path || '.')).join(', ')})`
        : '';
      const problem = check.problemTitle ?? check.title;
      const docsUrl = docsUrlOf(ctx, check);
      const target = docsUrl ? linkTarget(docsUrl) : undefined;
      const id = target ? `[${codeSpan(check.id)}](${target})` : codeSpan(check.id);
      lines.push(`- [ ] **${escapeMarkdown(problem)}** ${id}${inProjects}: ${escapeMessage(check.summary)}${where}`);
    }
    lines.push('');
  }
  if (warnings.length) {
    lines.push(`<details><summary>${plural(warnings.length, 'check')} warn</summary>`, '');
    for (const check of warnings)
      lines.push(`- ${codeSpan(check.id)} (${check.severity}): ${escapeMessage(check.summary)}`);
    lines.push('', '</details>', '');
  }
  lines.push(
    `Fix an item and push to the default branch; details and how to fix each check are in ${checkRunLink(ctx)}. To turn a check off, set \`checks.<id>: off\` in ${codeSpan(configPathOf(ctx))}.`,
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

/** An issue the plan wants open: its key (check id, or `dashboard`), as rendered, and what to say if it reopens. */
export interface PlannedIssue extends RenderedIssue {
  key: string;
  /** Posted when a closed issue of this key is reopened: what regressed and where. */
  reopenComment: string;
}

export interface IssuePlan {
  /** Issues to keep open and current, in filing order (severity, then located findings before settings). */
  desired: PlannedIssue[];
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
    const reopenComment = renderDashboardReopenComment(collectIssueSubjects(report, 'low'), ctx);
    return failing
      ? { desired: [{ key: DASHBOARD_KEY, ...dashboard, reopenComment }], resolved: [], unknown }
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
    reopenComment: renderReopenComment(check, { ...ctx, projects }),
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
