import type { CheckChange, Comparison, GateDecision, ReadinessCounts } from '../engine/compare.js';
import {
  SEVERITY_RANK,
  bySeverityThenChange,
  changesPhrase,
  countsOf,
  failuresPhrase,
  isIntroduced,
} from '../engine/compare.js';
import type { Finding, Outcome } from '../engine/types.js';
import type { CheckReport, Report } from './types.js';
import { codeSpan, escapeMarkdown } from './escape.js';
import { renderIssuePreview, type IssuePreview } from './issue-preview.js';
import { renderConfigChanges, type ConfigChangePreview } from './config-changes.js';

export type { IssuePreview, IssuePreviewItem } from './issue-preview.js';

/** GitHub's limits for a Check Run's output (REST "Create a check run"). */
export const GITHUB_LIMITS = {
  /** output.summary and output.text, in characters; measured here in UTF-8 bytes, which is never fewer. */
  text: 65_535,
  title: 255,
  annotationsPerRequest: 50,
  annotationTitle: 255,
  annotationMessage: 65_535,
  annotationRawDetails: 65_535,
  actions: 3,
  actionLabel: 20,
  actionDescription: 40,
  actionIdentifier: 20,
} as const;

export const DEFAULT_MAX_ANNOTATIONS = 200;

/** `check_run.requested_action` identifiers of the buttons. */
export const ACTION_PREVIEW_ISSUES = 'preview-issues';
export const ACTION_FILE_ISSUES = 'file-issues';

export interface LinkContext {
  /** owner/name */
  repository: string;
  /** The commit the report is about: links point at it, so they stay right after later pushes. */
  sha: string;
  /** https://github.com unless GitHub Enterprise Server. */
  serverUrl?: string;
  /** Where shipready's check doc pages live (e.g. `https://github.com/<org>/shipready/blob/v1.2.0/`); without it the doc path is shown as text. */
  docsBaseUrl?: string;
  /** The Check Run's html_url, when known: issues and the PR comment link it (else the commit's checks page). */
  checkRunUrl?: string;
}

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
  raw_details?: string;
}

export interface CheckRunAction {
  label: string;
  description: string;
  identifier: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text: string;
  /** All annotations (capped): send them in chunks of 50 with `chunkAnnotations`. */
  annotations: CheckRunAnnotation[];
  actions: CheckRunAction[];
  /** Annotations left out by the cap. */
  annotationsOmitted: number;
}

export interface RenderCheckRunInput {
  report: Report;
  comparison: Comparison;
  gate: GateDecision;
  /** e.g. "Evaluated with `.github/shipready.yml` from this pull request." */
  configNote?: string;
  issuePreview?: IssuePreview;
  /** What the pull request's own config would change once merged (the gate uses the base's rules). */
  configChanges?: ConfigChangePreview;
  links: LinkContext;
  /** Buttons to offer; by default "File issues" when a preview lists issues to open or update. */
  offer?: { previewIssues?: boolean; fileIssues?: boolean };
  maxAnnotations?: number;
  /** `annotations.preexisting` from the config: the highest level of a finding already on the base. */
  preexistingAnnotations?: AnnotationLevel;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared markdown helpers (also used by the PR comment and issue renderers)

const ENCODER = new TextEncoder();

export function byteLength(text: string): number {
  return ENCODER.encode(text).length;
}

/** Cuts a single-line string to `max` characters with an ellipsis (for titles and labels). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // Do not split a surrogate pair.
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Text from the repository (finding messages, summaries) put into markdown: one line, no HTML (so no one can
 * forge our hidden markers), mentions defused so an issue never pings a team named in CODEOWNERS (`uses: a/b@v4` is not a mention and stays).
 */
export function inline(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/(^|[^A-Za-z0-9_.`/-])@(?=[A-Za-z0-9])/g, '$1@\u200b');
}

/** `inline`, also safe inside a table cell. */
export function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

/** Markdown from the check catalog (remediation): trusted, but defuse hidden markers anyway. */
export function block(markdown: string): string {
  return markdown.replace(/<!--/g, '&lt;!--');
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function serverOf(links: LinkContext): string {
  return (links.serverUrl ?? 'https://github.com').replace(/(?<!\/)\/+$/, '');
}

/** A link to a file, or to lines in it, at the commit. */
export function blobUrl(links: LinkContext, path: string, line?: number, endLine?: number): string {
  const anchor = line ? (endLine && endLine > line ? `#L${line}-L${endLine}` : `#L${line}`) : '';
  return `${serverOf(links)}/${links.repository}/blob/${links.sha}/${encodePath(path)}${anchor}`;
}

/** `path:line` as a markdown link at the commit, or the message alone when the finding has no path. */
export function findingLocation(links: LinkContext, finding: Finding): string | undefined {
  if (!finding.path) return undefined;
  const label = finding.line
    ? `${finding.path}:${finding.line}${finding.endLine && finding.endLine > finding.line ? `-${finding.endLine}` : ''}`
    : finding.path;
  return `[\`${label.replace(/`/g, "'")}\`](${blobUrl(links, finding.path, finding.line, finding.endLine)})`;
}

/** A markdown reference to the check's doc page; the pages ship with shipready, not with the audited repository. */
export function docsReference(links: LinkContext, check: Pick<CheckReport, 'docs'>): string {
  if (!links.docsBaseUrl) return `shipready docs: \`${check.docs}\``;
  return `[About this check](${links.docsBaseUrl.replace(/(?<!\/)\/*$/, '/')}${check.docs})`;
}

/**
 * Joins lines and keeps the result within `limit` UTF-8 bytes, cutting at a line boundary, closing an open code
 * fence and ending with `note` (which says what was left out). Never throws, whatever the input.
 */
export function fitLines(lines: readonly string[], limit: number, note: (omittedLines: number) => string): string {
  const full = lines.join('\n');
  if (byteLength(full) <= limit) return full;
  const reserve = byteLength(note(lines.length)) + 16;
  const kept: string[] = [];
  let size = 0;
  let inFence = false;
  let openDetails = 0;
  // What closing the open blocks costs: a fence, and one </details> per open <details>.
  const closing = () => (inFence ? 4 : 0) + openDetails * 11;
  for (const line of lines) {
    // A single enormous line is cut on its own so that it does not hide everything after the limit.
    const piece = byteLength(line) > limit / 4 ? clip(line, Math.floor(limit / 8)) : line;
    const fence = /^\s*```/.test(piece);
    const opens = !inFence && /^<details>/.test(piece) ? 1 : 0;
    const closes = !inFence && /^<\/details>/.test(piece) ? 1 : 0;
    const cost = byteLength(piece) + 1 + closing() + (fence ? 4 : 0) + opens * 11;
    if (size + cost > limit - reserve) break;
    kept.push(piece);
    size += byteLength(piece) + 1;
    if (fence) inFence = !inFence;
    openDetails = Math.max(0, openDetails + opens - closes);
  }
  const omitted = lines.length - kept.length;
  if (inFence) kept.push('```');
  for (; openDetails > 0; openDetails -= 1) kept.push('</details>');
  kept.push('', note(omitted));
  let out = kept.join('\n');
  // Last resort for pathological notes: a hard cut that still respects the limit.
  while (byteLength(out) > limit) out = out.slice(0, Math.floor(out.length * 0.9));
  return out;
}

function truncationNote(what: string): (omitted: number) => string {
  return (omitted) =>
    `> ✂️ The ${what} was cut here (${omitted} more line${omitted === 1 ? '' : 's'}) to stay within GitHub's limit of 65,535 characters. ` +
    'Run `npx shipready scan . --format markdown` for the full report.';
}

// ---------------------------------------------------------------------------------------------------------------

const OUTCOME_ICON: Record<Outcome, string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  'not-applicable': '➖',
  'not-supported': '❔',
  error: '💥',
};

const CONCLUSION_WORDS: Record<GateDecision['conclusion'], string> = {
  success: '✅ passes',
  failure: '❌ fails',
  neutral: '⚪ neutral (reported, not gated)',
};

export const VERDICT_WORDS: Record<Report['verdict'], string> = {
  ready: 'ready',
  'ready-with-recommendations': 'ready with recommendations',
  'not-ready': 'not ready',
};

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function formatDelta(comparison: Comparison): string {
  if (!comparison.hasBase) return '';
  if (comparison.scoreDelta === null) return comparison.baseScore === null ? ' (the base had no score)' : '';
  if (comparison.scoreDelta === 0) return ` (unchanged from the base, ${comparison.baseScore})`;
  const sign = comparison.scoreDelta > 0 ? '+' : '−';
  return ` (${sign}${Math.abs(comparison.scoreDelta)} from ${comparison.baseScore} on the base)`;
}

/** The title's first mark: ✓ the gate passes, ✗ it fails or something fails (reported, not gated), ⚠ otherwise. */
function titleMark(comparison: Comparison, gate: GateDecision): string {
  if (gate.conclusion === 'success') return '✓';
  if (gate.conclusion === 'failure' || comparison.counts.failures > 0) return '✗';
  return '⚠';
}

/** What the change broke or brought in (the gate's regressions), most severe first. */
export function regressionsOf(comparison: Comparison): CheckChange[] {
  if (!comparison.hasBase) return [];
  return [...comparison.regressions, ...comparison.newProblems.filter(isIntroduced)].sort(bySeverityThenChange);
}

/** "1 critical regression", "3 regressions (1 critical)", "7 regressions in 2 checks across 5 projects (2 critical)". */
function regressionWords(broke: readonly CheckChange[]): string {
  const worst = broke[0].severity;
  const atWorst = broke.filter((change) => change.severity === worst).length;
  const phrase = changesPhrase(broke, 'regression');
  if (atWorst === broke.length) return phrase.replace(/^(\d+) /, `$1 ${worst} `);
  return `${phrase} (${atWorst} ${worst})`;
}

/**
 * Failing critical checks the title names: a failing critical is always in the title. One check by its title,
 * more by their number.
 */
function criticalWords(comparison: Comparison, named: readonly CheckChange[]): string | undefined {
  const critical = comparison.failing.filter(
    (change) => change.head.outcome === 'fail' && change.severity === 'critical' && !named.includes(change),
  );
  if (!critical.length) return undefined;
  const ids = new Set(critical.map((change) => change.id));
  // "still" only when every one of them already failed on the base.
  const still = critical.every((change) => change.kind === 'unchanged') ? 'still ' : '';
  if (ids.size === 1) {
    const where =
      critical.length > 1 ? ` in ${critical.length} places` : critical[0].project ? ` in ${critical[0].project}` : '';
    return `critical: ${critical[0].title} ${still}fails${where}`;
  }
  return `${ids.size} critical checks ${still}fail`;
}

/**
 * The reviewer's glance: the gate's mark and the worst item first, then the score and the (capped) rating, e.g.
 * `✗ 1 critical regression · 96/100 · needs-work`, `✓ fixes 2 checks · 88/100 · good`, and on a push without a
 * base `✗ critical: No committed env files fails · 41/100 · poor`.
 */
export function renderTitle({
  report,
  comparison,
  gate,
}: Pick<RenderCheckRunInput, 'report' | 'comparison' | 'gate'>): string {
  const lead: string[] = [];
  const broke = regressionsOf(comparison);
  if (comparison.hasBase) {
    // What the change did first (what it broke, added, fixed), then a failing critical it did not cause.
    if (broke.length) lead.push(regressionWords(broke));
    if (comparison.findingsAdded.length) {
      const findings = comparison.findingsAdded.reduce((sum, change) => sum + change.newFindings, 0);
      lead.push(`${plural(findings, 'new finding')} in ${changesPhrase(comparison.findingsAdded, 'failing check')}`);
    }
    if (comparison.fixes.length) lead.push(`fixes ${changesPhrase(comparison.fixes, 'check')}`);
    const critical = criticalWords(comparison, broke);
    if (critical) lead.push(critical);
    if (!lead.length)
      lead.push(
        comparison.scoreDelta
          ? `score ${comparison.scoreDelta > 0 ? '+' : '−'}${Math.abs(comparison.scoreDelta)}`
          : 'no change',
      );
  } else {
    const critical = criticalWords(comparison, []);
    if (critical) lead.push(critical);
    const criticalFailures = comparison.failing.filter(
      (change) => change.head.outcome === 'fail' && change.severity === 'critical',
    ).length;
    // The counts, unless the critical check named is all that fails.
    if (comparison.counts.failures > criticalFailures || !critical) lead.push(failuresPhrase(comparison.counts));
  }
  const score = report.score === null ? 'not scored' : `${report.score}/100`;
  return clip(`${titleMark(comparison, gate)} ${[...lead, score, report.rating].join(' · ')}`, GITHUB_LIMITS.title);
}

export function changeName(change: Pick<CheckChange, 'id' | 'project'>): string {
  return change.project ? `\`${change.id}\` (${change.project})` : `\`${change.id}\``;
}

function changeLine(change: CheckChange): string {
  const from = change.base ? change.base.outcome : change.project && !change.base ? 'new project' : 'absent';
  const transition = change.base || change.kind !== 'new' ? `${from} → ${change.head.outcome}` : change.head.outcome;
  const extra =
    change.kind === 'unchanged' && change.newFindings ? `, ${plural(change.newFindings, 'new finding')}` : '';
  return `- ${OUTCOME_ICON[change.head.outcome]} **${cell(change.title)}** ${changeName(change)} · ${change.severity} · ${transition}${extra} — ${inline(change.head.summary)}`;
}

function listChanges(lines: string[], heading: string, changes: readonly CheckChange[], max = 25): void {
  if (!changes.length) return;
  lines.push(`### ${heading}`, '');
  for (const change of changes.slice(0, max)) lines.push(changeLine(change));
  if (changes.length > max) lines.push(`- … and ${changes.length - max} more (see the details below).`);
  lines.push('');
}

/** Findings the change adds to checks that already failed or warned: what it adds, though no outcome moved. */
function listAddedFindings(lines: string[], links: LinkContext, changes: readonly CheckChange[], max = 10): void {
  if (!changes.length) return;
  lines.push('### What this PR adds to checks that already fail', '');
  for (const change of changes.slice(0, 25)) {
    lines.push(
      `- ${OUTCOME_ICON[change.head.outcome]} **${escapeMarkdown(change.title)}** ${changeName(change)} · ${change.severity} · ${plural(change.newFindings, 'new finding')}:`,
    );
    for (const finding of change.addedFindings.slice(0, max)) {
      const where = findingLocation(links, finding);
      lines.push(`  - ${where ? `${where}: ` : ''}${escapeMarkdown(finding.message)}`);
    }
    if (change.addedFindings.length > max)
      lines.push(`  - … and ${plural(change.addedFindings.length - max, 'more new finding')}`);
  }
  if (changes.length > 25) lines.push(`- … and ${plural(changes.length - 25, 'more check')} with new findings`);
  lines.push('');
}

function categoryTable(report: Report): string[] {
  const lines = ['| Category | Score | ✅ Pass | ⚠️ Warn | ❌ Fail | Not scored |', '|---|---:|---:|---:|---:|---:|'];
  for (const category of report.categories) {
    const { counts } = category;
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    if (!total) continue;
    const unscored = counts['not-applicable'] + counts['not-supported'] + counts.error;
    lines.push(
      `| ${category.title} | ${category.score ?? '—'} | ${counts.pass} | ${counts.warn} | ${counts.fail} | ${unscored} |`,
    );
  }
  return lines;
}

function allChecksOf(report: Report): Array<{ project: string; check: CheckReport }> {
  return [
    ...report.checks.map((check) => ({ project: '', check })),
    ...(report.projects ?? []).flatMap((project) => project.checks.map((check) => ({ project: project.path, check }))),
  ];
}

/** What the score leaves out, and why: unknown is not zero, so it is shown. */
export function renderNotCovered(report: Report, max = 15): string[] {
  const lines: string[] = [];
  const { scored, total } = report.coverage;
  lines.push(`The score covers ${scored} of ${total} checks.`);
  const groups: Array<[Outcome, string]> = [
    ['error', 'could not be evaluated (an error in the check)'],
    ['not-supported', 'cannot be told from this source (usually a repository setting the App may not read)'],
    ['not-applicable', 'do not apply to this repository'],
  ];
  for (const [outcome, why] of groups) {
    const checks = report.checks.filter((check) => check.outcome === outcome);
    if (!checks.length) continue;
    lines.push('', `**${checks.length} ${checks.length === 1 ? why.replace(/^do not/, 'does not') : why}:**`);
    // Checks that give the same reason (e.g. every Dockerfile check without a Dockerfile) share one line.
    const byReason = new Map<string, string[]>();
    for (const check of checks) byReason.set(check.summary, [...(byReason.get(check.summary) ?? []), check.id]);
    const reasons = [...byReason];
    for (const [summary, ids] of reasons.slice(0, max)) {
      lines.push(`- ${OUTCOME_ICON[outcome]} ${ids.map((id) => `\`${id}\``).join(', ')} — ${inline(summary)}`);
    }
    if (reasons.length > max) lines.push(`- … and ${reasons.length - max} more`);
  }
  if (report.warnings.length) {
    lines.push('', '**What the scan could not see:**');
    for (const warning of report.warnings.slice(0, max)) lines.push(`- ${inline(warning)}`);
    if (report.warnings.length > max) lines.push(`- … and ${report.warnings.length - max} more`);
  }
  return lines;
}

/**
 * Why the rating word is what it is (a cap by the worst failure) and how projects are scored: sentences shared by the
 * summary and the comment, taken from the report.
 */
/** "351 failures in 40 checks across the root and 60 projects · 20 warnings": the same counts on every surface. */
export function countsLine(comparison: Comparison): string {
  return `${countsWords(comparison.counts)}.`;
}

/** Failures, then warnings, in the words of `failuresPhrase`. */
export function countsWords(counts: ReadinessCounts): string {
  const warnings = counts.warnings ? ` · ${plural(counts.warnings, 'warning')}` : '';
  return `${failuresPhrase(counts)}${warnings}`;
}

export function scoreNotes(report: Report): string[] {
  const notes: string[] = [];
  const cap = report.ratingCap;
  if (cap) {
    const names = cap.checks.slice(0, 5).map(codeSpan).join(', ');
    const more = cap.checks.length > 5 ? ` and ${cap.checks.length - 5} more` : '';
    notes.push(
      `Rating capped by ${names}${more}: a failing ${cap.severity} check caps the rating at ${cap.rating} (the score alone would rate ${cap.uncapped}).`,
    );
  }
  const projects = report.projects?.length ?? 0;
  if (projects > 0) {
    notes.push(
      `Scored across ${plural(projects, 'project')}: a project-level check counts as the mean of its scores at the root and in every project it applies to; repository-level checks count once.`,
    );
  }
  return notes.length ? [notes.join(' ')] : [];
}

function renderSummary(input: RenderCheckRunInput, plan: AnnotationPlan): string {
  const { report, comparison, gate } = input;
  const lines: string[] = [];
  const score = report.score === null ? 'not scored' : `**${report.score}/100** · ${report.rating}`;
  lines.push(`## Readiness ${score}${formatDelta(comparison)}`, '');
  const notes = scoreNotes(report);
  if (notes.length) lines.push(...notes, '');
  lines.push(`**Verdict:** ${VERDICT_WORDS[report.verdict]} · **Gate:** ${CONCLUSION_WORDS[gate.conclusion]}`, '');
  lines.push(`**On this commit:** ${countsLine(comparison)}`, '');
  for (const reason of gate.reasons) lines.push(`- ${reason}`);
  lines.push('');
  lines.push(`**Profile:** ${report.profile} — ${inline(report.profileReason)}`, '');
  if (input.configNote) lines.push(`> ⚙️ ${input.configNote}`, '');
  lines.push(...renderConfigChanges(input.configChanges));

  if (comparison.hasBase) {
    listChanges(lines, 'What this PR broke', comparison.regressions);
    listChanges(lines, 'New problems this PR brings in', comparison.newProblems.filter(isIntroduced));
    listChanges(
      lines,
      'Failing now, unknown on the base',
      comparison.newProblems.filter((change) => !isIntroduced(change)),
    );
    listAddedFindings(lines, input.links, comparison.findingsAdded);
    listChanges(lines, 'What this PR fixed or improved', comparison.fixes);
    if (!comparison.regressions.length && !comparison.newProblems.length && !comparison.fixes.length) {
      lines.push('This PR does not change any check’s outcome.', '');
    }
    if (comparison.unchangedFailures.length) {
      const already = countsOf(comparison.unchangedFailures, comparison.counts.projects);
      lines.push(`Already on the base, not blamed on this PR: ${countsWords(already)}.`, '');
    }
    if (plan.preexisting) {
      lines.push(
        `${plural(plan.preexisting, 'finding')} already on the base ${plan.preexisting === 1 ? 'is' : 'are'} annotated at most as ${input.preexistingAnnotations ?? 'notice'}${plan.preexisting === 1 ? '' : 's'}: shown where ${plan.preexisting === 1 ? 'it is' : 'they are'}, not blamed on this PR.`,
        '',
      );
    }
  } else {
    listChanges(lines, 'Failing and warning checks', comparison.failing);
  }

  const changedProjects = comparison.projects.filter(
    (project) => project.status !== 'both' || project.regressions || project.fixes || project.newProblems,
  );
  if (changedProjects.length) {
    lines.push(
      '### Projects',
      '',
      '| Project | Status | Regressions | Fixes | New problems | Unchanged problems |',
      '|---|---|---:|---:|---:|---:|',
    );
    for (const project of changedProjects.slice(0, 50)) {
      lines.push(
        `| \`${cell(project.path)}\` | ${project.status} | ${project.regressions} | ${project.fixes} | ${project.newProblems} | ${project.unchangedFailures} |`,
      );
    }
    if (changedProjects.length > 50) lines.push(`| … ${changedProjects.length - 50} more | | | | | |`);
    lines.push('');
  }

  lines.push('### By category', '', ...categoryTable(report), '');
  lines.push('### What the score does not cover', '', ...renderNotCovered(report), '');
  if (input.issuePreview) lines.push(...renderIssuePreview(input.issuePreview), '');
  return fitLines(lines, GITHUB_LIMITS.text, truncationNote('summary'));
}

function renderFindings(lines: string[], links: LinkContext, findings: readonly Finding[], max: number): void {
  const open = findings.filter((finding) => !finding.suppressed);
  const suppressed = findings.filter((finding) => finding.suppressed);
  for (const finding of open.slice(0, max)) {
    const where = findingLocation(links, finding);
    lines.push(`- ${where ? `${where}: ` : ''}${inline(finding.message)}`);
  }
  if (open.length > max) lines.push(`- … and ${open.length - max} more finding${open.length - max === 1 ? '' : 's'}`);
  if (suppressed.length) {
    lines.push('', `<details><summary>${plural(suppressed.length, 'suppressed finding')}</summary>`, '');
    for (const finding of suppressed.slice(0, max)) {
      const where = findingLocation(links, finding);
      lines.push(
        `- ${where ? `${where}: ` : ''}${inline(finding.message)} — suppressed: ${inline(finding.suppressed!.reason)}`,
      );
    }
    if (suppressed.length > max) lines.push(`- … and ${suppressed.length - max} more`);
    lines.push('', '</details>');
  }
}

function orderForDetails(comparison: Comparison): CheckChange[] {
  const rank: Record<CheckChange['kind'], number> = { regression: 0, new: 1, unchanged: 2, fix: 3 };
  return [...comparison.failing].sort(
    (a, b) =>
      rank[a.kind] - rank[b.kind] ||
      (a.head.outcome === 'fail' ? 0 : 1) - (b.head.outcome === 'fail' ? 0 : 1) ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      (a.project < b.project ? -1 : a.project > b.project ? 1 : 0),
  );
}

function renderText(input: RenderCheckRunInput): string {
  const { report, comparison, links } = input;
  const lines: string[] = [];
  const failing = orderForDetails(comparison);
  if (!failing.length) lines.push('No check fails or warns. 🎉', '');
  const findingsPerCheck = failing.length > 40 ? 10 : 30;
  for (const change of failing) {
    const { head } = change;
    const label = { regression: ' · regression', new: ' · new', unchanged: '', fix: '' }[change.kind];
    lines.push(
      `### ${OUTCOME_ICON[head.outcome]} ${inline(head.title)} — ${changeName(change)} · ${head.severity}${label}`,
      '',
    );
    lines.push(inline(head.summary), '');
    if (head.findings.length) {
      renderFindings(lines, links, head.findings, findingsPerCheck);
      lines.push('');
    }
    lines.push(
      '<details><summary>How to fix</summary>',
      '',
      block(head.remediation),
      '',
      docsReference(links, head),
      '',
      '</details>',
      '',
    );
  }
  // Checks that pass only because every finding is suppressed still show what was suppressed.
  const silenced = allChecksOf(report).filter(
    ({ check }) => check.outcome === 'pass' && check.findings.some((finding) => finding.suppressed),
  );
  if (silenced.length) {
    lines.push('### Suppressed inline', '');
    for (const { project, check } of silenced) {
      lines.push(`**${inline(check.title)}** ${changeName({ id: check.id, project })}`, '');
      renderFindings(lines, links, check.findings, findingsPerCheck);
      lines.push('');
    }
  }
  return fitLines(lines, GITHUB_LIMITS.text, truncationNote('detail text'));
}

export type AnnotationLevel = CheckRunAnnotation['annotation_level'];

const LEVEL_RANK: Record<AnnotationLevel, number> = { notice: 0, warning: 1, failure: 2 };

/** Findings new in the change are annotated whatever `maxAnnotations` says, up to this (20 requests of 50). */
export const MAX_NEW_ANNOTATIONS = 1_000;

function annotationLevel(check: CheckReport): AnnotationLevel {
  const serious = SEVERITY_RANK[check.severity] >= SEVERITY_RANK.high;
  if (check.outcome === 'fail') return serious ? 'failure' : 'warning';
  return serious ? 'warning' : 'notice';
}

export interface AnnotationPlan {
  annotations: CheckRunAnnotation[];
  /** Findings with a line left out: new ones only past MAX_NEW_ANNOTATIONS, the others past the cap. */
  omitted: number;
  /** How many annotations are findings new in the change, and how many were already on the base. */
  added: number;
  preexisting: number;
}

/**
 * One annotation per open finding that has a line (a finding without a line is about a file that may not exist,
 * and GitHub rejects annotations on paths missing from the commit). Findings new in the change come first and are
 * never dropped by `max`; then the rest, by severity then change. On a pull request a finding already on the base
 * is annotated at most at `preexisting` (default `notice`): it is shown where it is, not blamed on the PR.
 *
 * Annotations are plain text on GitHub (no Markdown, no mentions, no HTML): paths, titles and messages stay
 * literal — escaping them would show backslashes — and only the title is made one line.
 */
export function buildAnnotations(
  comparison: Comparison,
  options: { max?: number; preexisting?: AnnotationLevel } = {},
): AnnotationPlan {
  const max = options.max ?? DEFAULT_MAX_ANNOTATIONS;
  const ceiling = options.preexisting ?? 'notice';
  const annotate = (finding: Finding) =>
    !finding.suppressed && finding.path !== undefined && finding.path !== '' && !!finding.line && finding.line >= 1;
  const annotations: CheckRunAnnotation[] = [];
  let omitted = 0;
  let added = 0;
  for (const change of comparison.failing) {
    for (const finding of change.addedFindings) {
      if (!annotate(finding)) continue;
      if (added >= MAX_NEW_ANNOTATIONS) omitted += 1;
      else {
        annotations.push(
          toAnnotation(change, finding, annotationLevel(change.head), comparison.hasBase ? 'new' : undefined),
        );
        added += 1;
      }
    }
  }
  let preexisting = 0;
  for (const change of comparison.failing) {
    const isNew = new Set(change.addedFindings);
    for (const finding of change.head.findings) {
      if (!annotate(finding) || isNew.has(finding)) continue;
      if (annotations.length >= max) {
        omitted += 1;
        continue;
      }
      let level = annotationLevel(change.head);
      if (comparison.hasBase && LEVEL_RANK[level] > LEVEL_RANK[ceiling]) level = ceiling;
      annotations.push(toAnnotation(change, finding, level, comparison.hasBase ? 'base' : undefined));
      preexisting += 1;
    }
  }
  return { annotations, omitted, added, preexisting: comparison.hasBase ? preexisting : 0 };
}

function toAnnotation(
  change: CheckChange,
  finding: Finding,
  level: AnnotationLevel,
  history: 'new' | 'base' | undefined,
): CheckRunAnnotation {
  const { head } = change;
  const line = finding.line!;
  const endLine = finding.endLine && finding.endLine >= line ? finding.endLine : line;
  const title = `${head.title} (${head.id}${change.project ? ` in ${change.project}` : ''})`;
  const where =
    history === 'new'
      ? 'New in this pull request.\n\n'
      : history === 'base'
        ? 'Already on the base: shown here, not blamed on this pull request.\n\n'
        : '';
  return {
    path: finding.path!,
    start_line: line,
    end_line: endLine,
    annotation_level: level,
    title: clip(title.replace(/\s+/g, ' '), GITHUB_LIMITS.annotationTitle),
    message: clip(finding.message, 4_000),
    raw_details: clip(
      `${where}${head.summary}\n\nSilence this line with: # shipready-ignore ${head.id}: <reason>`,
      4_000,
    ),
  };
}

/** GitHub takes at most 50 annotations per request: create with the first chunk, then update with the rest. */
export function chunkAnnotations<T>(
  annotations: readonly T[],
  size: number = GITHUB_LIMITS.annotationsPerRequest,
): T[][] {
  const step = Math.max(1, Math.min(size, GITHUB_LIMITS.annotationsPerRequest));
  const chunks: T[][] = [];
  for (let index = 0; index < annotations.length; index += step) chunks.push(annotations.slice(index, index + step));
  return chunks;
}

function buildActions(input: RenderCheckRunInput): CheckRunAction[] {
  const preview = input.issuePreview;
  const pending = preview ? !preview.filed && preview.items.some((item) => item.action !== 'unchanged') : false;
  const offerFile = input.offer?.fileIssues ?? pending;
  const offerPreview = input.offer?.previewIssues ?? false;
  const actions: CheckRunAction[] = [];
  if (offerPreview)
    actions.push({
      label: 'Preview issues',
      description: 'List the issues that would be filed',
      identifier: ACTION_PREVIEW_ISSUES,
    });
  if (offerFile)
    actions.push({
      label: 'File issues',
      description: 'Open or update remediation issues',
      identifier: ACTION_FILE_ISSUES,
    });
  return actions.slice(0, GITHUB_LIMITS.actions).map((action) => ({
    label: clip(action.label, GITHUB_LIMITS.actionLabel),
    description: clip(action.description, GITHUB_LIMITS.actionDescription),
    identifier: action.identifier.slice(0, GITHUB_LIMITS.actionIdentifier),
  }));
}

/** The Check Run "Production readiness": a pure function of the report, the comparison and the gate. */
export function renderCheckRun(input: RenderCheckRunInput): CheckRunOutput {
  const plan = buildAnnotations(input.comparison, {
    max: input.maxAnnotations ?? DEFAULT_MAX_ANNOTATIONS,
    preexisting: input.preexistingAnnotations ?? 'notice',
  });
  const { annotations, omitted } = plan;
  let text = renderText(input);
  if (omitted) {
    const note = `> ${plural(omitted, 'more finding')} with a line ${omitted === 1 ? 'was' : 'were'} not annotated: the ${plan.annotations.length} annotations of this run are the findings new in this change first, then the most severe.`;
    text = byteLength(text) + byteLength(note) + 2 <= GITHUB_LIMITS.text ? `${note}\n\n${text}` : text;
  }
  return {
    title: renderTitle(input),
    summary: renderSummary(input, plan),
    text,
    annotations,
    actions: buildActions(input),
    annotationsOmitted: omitted,
  };
}
