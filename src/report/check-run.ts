import type { CheckChange, Comparison, GateDecision, ReadinessCounts } from '../engine/compare.js';
import {
  SEVERITY_RANK,
  bySeverityThenChange,
  changesPhrase,
  countsOf,
  failuresPhrase,
  isIntroduced,
} from '../engine/compare.js';
import { SEVERITIES, type Finding, type Outcome, type Severity } from '../engine/types.js';
import type { CheckReport, Report } from './types.js';
import { codeSpan, escapeMarkdown, escapeMessage, link, linkTarget, trustedBlock } from './escape.js';
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
export const ACTION_OPEN_FIX_PULL = 'open-fix-pr';

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
  /**
   * Buttons to offer; by default "File issues" when a preview lists issues to open or update. `fixPull`: "Open fix
   * PR" (the default branch has failures that shipready can fix).
   */
  offer?: { previewIssues?: boolean; fileIssues?: boolean; fixPull?: boolean };
  maxAnnotations?: number;
  /** What is compared: a pull request with its base (default), or a push with the previous evaluated commit. */
  event?: 'pull_request' | 'push';
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

/** `path:line` as a link to the lines at the commit (the path in a code span: it is repository text), or undefined. */
export function findingLocation(links: LinkContext, finding: Finding): string | undefined {
  if (!finding.path) return undefined;
  const lines = finding.line
    ? `:${finding.line}${finding.endLine && finding.endLine > finding.line ? `-${finding.endLine}` : ''}`
    : '';
  const label = codeSpan(`${finding.path}${lines}`);
  const target = linkTarget(blobUrl(links, finding.path, finding.line, finding.endLine));
  return target ? `[${label}](${target})` : label;
}

/** A markdown reference to the check's doc page; the pages ship with shipready, not with the audited repository. */
export function docsReference(links: LinkContext, check: Pick<CheckReport, 'docs'>): string {
  if (!links.docsBaseUrl) return `shipready docs: ${codeSpan(check.docs)}`;
  return link('About this check', `${links.docsBaseUrl.replace(/(?<!\/)\/*$/, '/')}${check.docs}`);
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

/** How the texts name the change and what it is compared with: a PR and its base, or a push and the commit before. */
export interface ChangeWords {
  /** "this PR", "this push" */
  change: string;
  /** "this pull request", "this push": in annotations, which are read out of context. */
  longChange: string;
  /** "the base", "the previous commit" */
  base: string;
}

export const PULL_REQUEST_WORDS: ChangeWords = { change: 'this PR', longChange: 'this pull request', base: 'the base' };
export const PUSH_WORDS: ChangeWords = { change: 'this push', longChange: 'this push', base: 'the previous commit' };

export function wordsFor(event: RenderCheckRunInput['event']): ChangeWords {
  return event === 'push' ? PUSH_WORDS : PULL_REQUEST_WORDS;
}

export function formatDelta(comparison: Comparison, words: ChangeWords = PULL_REQUEST_WORDS): string {
  if (!comparison.hasBase) return '';
  if (comparison.scoreDelta === null) return comparison.baseScore === null ? ` (${words.base} had no score)` : '';
  if (comparison.scoreDelta === 0) return ` (unchanged from ${words.base}, ${comparison.baseScore})`;
  const sign = comparison.scoreDelta > 0 ? '+' : '−';
  return ` (${sign}${Math.abs(comparison.scoreDelta)} from ${comparison.baseScore} on ${words.base})`;
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
  return change.project ? `\`${change.id}\` (${codeSpan(change.project)})` : `\`${change.id}\``;
}

/** One check's results in a list, across the root and the projects: every list names a check once. */
export interface CheckGroup {
  id: string;
  title: string;
  severity: Severity;
  /** In the list's order (severity, then change): the first is the most urgent. */
  changes: CheckChange[];
}

/** Groups a list ordered by severity then change by check id; the groups keep that order (by their first entry). */
export function groupByCheck(changes: readonly CheckChange[]): CheckGroup[] {
  const groups = new Map<string, CheckGroup>();
  for (const change of changes) {
    const group = groups.get(change.id);
    if (group) group.changes.push(change);
    else groups.set(change.id, { id: change.id, title: change.title, severity: change.severity, changes: [change] });
  }
  return [...groups.values()];
}

/** Where a group's results are: "at the root", "in `packages/a`", "at the root and in 12 projects", "in 3 projects". */
export function placesWords(changes: readonly CheckChange[]): string {
  const atRoot = changes.some((change) => !change.project);
  const projects = changes.filter((change) => change.project);
  if (!projects.length) return 'at the root';
  if (projects.length === 1 && !atRoot) return `in ${codeSpan(projects[0].project)}`;
  return atRoot
    ? `at the root and in ${plural(projects.length, 'project')}`
    : `in ${plural(projects.length, 'project')}`;
}

function transitionOf(change: CheckChange): string {
  const from = change.base ? change.base.outcome : change.project && !change.base ? 'new project' : 'absent';
  return change.base || change.kind !== 'new' ? `${from} → ${change.head.outcome}` : change.head.outcome;
}

/** One line per check: the most urgent result's transition and summary, and where else the check has results. */
function groupLine(group: CheckGroup): string {
  const [first] = group.changes;
  const single = group.changes.length === 1;
  const added = group.changes.reduce((sum, change) => sum + markedNew(change).size, 0);
  const extra = added ? `, ${plural(added, 'new finding')}` : '';
  const where = single ? '' : ` ${placesWords(group.changes)}`;
  const summary = single || !first.project ? '' : `${codeSpan(first.project)}: `;
  return `- ${OUTCOME_ICON[first.head.outcome]} **${escapeMarkdown(group.title)}** ${single ? changeName(first) : `\`${group.id}\``} · ${group.severity} · ${transitionOf(first)}${where}${extra} — ${summary}${escapeMessage(first.head.summary)}`;
}

/** "2 high, 5 medium": the severities of what a cut left out. */
function severityCounts(groups: readonly CheckGroup[]): string {
  return SEVERITIES.map((severity) => [severity, groups.filter((group) => group.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');
}

/**
 * What a cut list left out: how many, that none is more severe than what is shown (lists are ordered by severity),
 * and where they are — the details below only when the detail text really has them.
 */
function cutNote(rest: readonly CheckGroup[], detailed: ReadonlySet<string>): string {
  const inDetails = rest.filter((group) => detailed.has(group.id)).length;
  const where =
    inDetails === rest.length
      ? 'each is detailed below'
      : inDetails > 0
        ? `${inDetails} of them ${inDetails === 1 ? 'is' : 'are'} detailed below, and \`npx shipready scan .\` lists them all`
        : '`npx shipready scan .` lists them';
  return `- … and ${plural(rest.length, 'more check')}, none more severe than those above (${severityCounts(rest)}): ${where}.`;
}

/** New findings named under a check's line, at most. */
const NEW_FINDINGS_LISTED = 5;

function listChanges(
  lines: string[],
  heading: string,
  changes: readonly CheckChange[],
  detailed: ReadonlySet<string>,
  links: LinkContext,
  max = 25,
): void {
  if (!changes.length) return;
  const groups = groupByCheck(changes);
  lines.push(`### ${heading}`, '');
  for (const group of groups.slice(0, max)) {
    lines.push(groupLine(group));
    // A check that already failed and got worse: what the change added is named, not only counted.
    const added = group.changes.flatMap((change) => [...markedNew(change)]);
    for (const finding of added.slice(0, NEW_FINDINGS_LISTED)) {
      const where = findingLocation(links, finding);
      lines.push(`  - ${where ? `${where}: ` : ''}${escapeMessage(finding.message)}`);
    }
    if (added.length > NEW_FINDINGS_LISTED)
      lines.push(`  - … and ${plural(added.length - NEW_FINDINGS_LISTED, 'more new finding')}, annotated first`);
  }
  if (groups.length > max) lines.push(cutNote(groups.slice(max), detailed));
  lines.push('');
}

/** Findings the change adds to checks that already failed or warned: what it adds, though no outcome moved. */
function listAddedFindings(
  lines: string[],
  links: LinkContext,
  changes: readonly CheckChange[],
  detailed: ReadonlySet<string>,
  words: ChangeWords,
  max = 10,
): void {
  if (!changes.length) return;
  lines.push(`### What ${words.change} adds to checks that already fail`, '');
  const shown = changes.slice(0, 25);
  for (const change of shown) {
    lines.push(
      `- ${OUTCOME_ICON[change.head.outcome]} **${escapeMarkdown(change.title)}** ${changeName(change)} · ${change.severity} · ${plural(change.newFindings, 'new finding')}:`,
    );
    for (const finding of change.addedFindings.slice(0, max)) {
      const where = findingLocation(links, finding);
      lines.push(`  - ${where ? `${where}: ` : ''}${escapeMessage(finding.message)}`);
    }
    if (change.addedFindings.length > max)
      lines.push(
        `  - … and ${plural(change.addedFindings.length - max, 'more new finding')}, annotated on the lines they are on`,
      );
  }
  if (changes.length > shown.length)
    lines.push(
      cutNote(groupByCheck(changes.slice(shown.length)), detailed).replace(
        /more checks?/,
        (words) => `${words} with new findings`,
      ),
    );
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

/** Why a check is left out of the score, in the order shown: a check the config turns off is not "not applicable". */
export type NotCoveredReason = 'error' | 'not-supported' | 'turned-off' | 'not-applicable';

export function notCoveredReason(check: Pick<CheckReport, 'outcome' | 'turnedOff'>): NotCoveredReason | undefined {
  if (check.turnedOff) return 'turned-off';
  if (check.outcome === 'error' || check.outcome === 'not-supported' || check.outcome === 'not-applicable')
    return check.outcome;
  return undefined;
}

/** What the score leaves out, and why: unknown is not zero, so it is shown. */
export function renderNotCovered(report: Report, max = 15): string[] {
  const lines: string[] = [];
  const { scored, total } = report.coverage;
  lines.push(`The score covers ${scored} of ${total} checks.`);
  const groups: Array<[NotCoveredReason, string, string]> = [
    ['error', '💥', 'could not be evaluated (an error in the check)'],
    ['not-supported', '❔', 'cannot be told from this source (usually a repository setting the App may not read)'],
    ['turned-off', '⏸️', 'turned off in config'],
    ['not-applicable', '➖', 'do not apply to this repository'],
  ];
  for (const [reason, icon, why] of groups) {
    const checks = report.checks.filter((check) => notCoveredReason(check) === reason);
    if (!checks.length) continue;
    lines.push('', `**${checks.length} ${checks.length === 1 ? why.replace(/^do not/, 'does not') : why}:**`);
    if (reason === 'turned-off') {
      // The reason is the same for all of them: one line, with the config key that does it.
      lines.push(`- ${icon} ${checks.map((check) => `\`${check.id}\``).join(', ')} (\`checks.<id>: off\`)`);
      continue;
    }
    // Checks that give the same reason (e.g. every Dockerfile check without a Dockerfile) share one line.
    const byReason = new Map<string, string[]>();
    for (const check of checks) byReason.set(check.summary, [...(byReason.get(check.summary) ?? []), check.id]);
    const reasons = [...byReason];
    for (const [summary, ids] of reasons.slice(0, max)) {
      lines.push(`- ${icon} ${ids.map((id) => `\`${id}\``).join(', ')} — ${escapeMessage(summary)}`);
    }
    if (reasons.length > max) lines.push(`- … and ${reasons.length - max} more`);
  }
  if (report.warnings.length) {
    lines.push('', '**What the scan could not see:**');
    for (const warning of report.warnings.slice(0, max)) lines.push(`- ${escapeMessage(warning)}`);
    if (report.warnings.length > max) lines.push(`- … and ${report.warnings.length - max} more`);
  }
  return lines;
}

/** "351 failures in 40 checks across the root and 60 projects · 20 warnings": the same counts on every surface. */
export function countsLine(comparison: Comparison): string {
  return `${countsWords(comparison.counts)}.`;
}

/** Failures, then warnings, in the words of `failuresPhrase`. */
export function countsWords(counts: ReadinessCounts): string {
  const warnings = counts.warnings ? ` · ${plural(counts.warnings, 'warning')}` : '';
  return `${failuresPhrase(counts)}${warnings}`;
}

/**
 * Why the rating word is what it is (a cap by the worst failure) and how projects are scored: sentences shared by the
 * summary and the comment, taken from the report.
 */
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

/** The gate's reasons shown, at most; each already names at most five checks. */
export const MAX_GATE_REASONS = 4;

/** The gate's reasons as list items, capped: the lists below name the checks, so the reasons are not repeated there. */
export function gateReasonLines(gate: GateDecision, max = MAX_GATE_REASONS): string[] {
  const lines = gate.reasons.slice(0, max).map((reason) => `- ${escapeMessage(reason)}`);
  const rest = gate.reasons.length - max;
  if (rest > 0) lines.push(`- … and ${plural(rest, 'more reason')}, shown by the lists below`);
  return lines;
}

function renderSummary(input: RenderCheckRunInput, plan: AnnotationPlan, detailed: ReadonlySet<string>): string {
  const { report, comparison, gate } = input;
  const words = wordsFor(input.event);
  const lines: string[] = [];
  const score = report.score === null ? 'not scored' : `**${report.score}/100** · ${report.rating}`;
  lines.push(`## Readiness ${score}${formatDelta(comparison, words)}`, '');
  const notes = scoreNotes(report);
  if (notes.length) lines.push(...notes, '');
  lines.push(`**Verdict:** ${VERDICT_WORDS[report.verdict]} · **Gate:** ${CONCLUSION_WORDS[gate.conclusion]}`, '');
  lines.push(`**On this commit:** ${countsLine(comparison)}`, '');
  lines.push(...gateReasonLines(gate), '');
  lines.push(`**Profile:** ${report.profile} — ${escapeMessage(report.profileReason)}`, '');
  if (input.configNote) lines.push(`> ⚙️ ${escapeMessage(input.configNote)}`, '');
  lines.push(...renderConfigChanges(input.configChanges));

  if (comparison.hasBase) {
    listChanges(lines, `What ${words.change} broke`, comparison.regressions, detailed, input.links);
    listChanges(
      lines,
      `New problems ${words.change} brings in`,
      comparison.newProblems.filter(isIntroduced),
      detailed,
      input.links,
    );
    listChanges(
      lines,
      `Failing now, unknown on ${words.base}`,
      comparison.newProblems.filter((change) => !isIntroduced(change)),
      detailed,
      input.links,
    );
    listAddedFindings(lines, input.links, comparison.findingsAdded, detailed, words);
    listChanges(lines, `What ${words.change} fixed or improved`, comparison.fixes, detailed, input.links);
    if (!comparison.regressions.length && !comparison.newProblems.length && !comparison.fixes.length) {
      lines.push(
        `${words.change.charAt(0).toUpperCase()}${words.change.slice(1)} does not change any check’s outcome${input.configChanges?.changes.length ? ' (with the default branch’s rules)' : ''}.`,
        '',
      );
    }
    if (comparison.unchangedFailures.length) {
      const already = countsOf(comparison.unchangedFailures, comparison.counts.projects);
      lines.push(`Already on ${words.base}, not blamed on ${words.change}: ${countsWords(already)}.`, '');
    }
    if (plan.preexisting) {
      lines.push(
        `${plural(plan.preexisting, 'finding')} already on ${words.base} ${plan.preexisting === 1 ? 'is' : 'are'} annotated at most as ${input.preexistingAnnotations ?? 'notice'}${plan.preexisting === 1 ? '' : 's'}: shown where ${plan.preexisting === 1 ? 'it is' : 'they are'}, not blamed on ${words.change}.`,
        '',
      );
    }
  } else {
    listChanges(lines, 'Failing and warning checks', comparison.failing, detailed, input.links);
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
        `| ${codeSpan(project.path)} | ${project.status} | ${project.regressions} | ${project.fixes} | ${project.newProblems} | ${project.unchangedFailures} |`,
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

/**
 * A check's findings as a list: those new in the change first (marked), then the others, capped at `max`; the cut
 * says how many were left and whether any of them is new.
 */
function renderFindings(
  lines: string[],
  links: LinkContext,
  findings: readonly Finding[],
  max: number,
  added: ReadonlySet<Finding> = new Set(),
  words: ChangeWords = PULL_REQUEST_WORDS,
): void {
  const open = findings.filter((finding) => !finding.suppressed);
  const ordered = [...open.filter((finding) => added.has(finding)), ...open.filter((finding) => !added.has(finding))];
  const suppressed = findings.filter((finding) => finding.suppressed);
  for (const finding of ordered.slice(0, max)) {
    const where = findingLocation(links, finding);
    const fresh = added.has(finding) ? ` · **new in ${words.change}**` : '';
    lines.push(`- ${where ? `${where}: ` : ''}${escapeMessage(finding.message)}${fresh}`);
  }
  const rest = ordered.slice(max);
  if (rest.length) {
    const newLeft = rest.filter((finding) => added.has(finding)).length;
    lines.push(
      `- … and ${plural(rest.length, 'more finding')}${newLeft ? ` (${newLeft} new, annotated first)` : added.size ? `, all already on ${words.base}` : ''}`,
    );
  }
  if (suppressed.length) {
    lines.push('', `<details><summary>${plural(suppressed.length, 'suppressed finding')}</summary>`, '');
    for (const finding of suppressed.slice(0, max)) {
      const where = findingLocation(links, finding);
      lines.push(
        `- ${where ? `${where}: ` : ''}${escapeMessage(finding.message)} — suppressed: ${escapeMessage(finding.suppressed!.reason)}`,
      );
    }
    if (suppressed.length > max) lines.push(`- … and ${suppressed.length - max} more`);
    lines.push('', '</details>');
  }
}

/** " · regression", " · new", " · 2 regressions, 1 new": what the change did to a check, said once per check. */
function kindLabel(comparison: Comparison, changes: readonly CheckChange[]): string {
  // Without a base nothing is new or a regression: every result would carry the same label.
  if (!comparison.hasBase) return '';
  const regressions = changes.filter((change) => change.kind === 'regression').length;
  const fresh = changes.filter((change) => change.kind === 'new').length;
  if (regressions === changes.length) return ' · regression';
  if (fresh === changes.length) return ' · new';
  const parts = [...(regressions ? [plural(regressions, 'regression')] : []), ...(fresh ? [`${fresh} new`] : [])];
  return parts.length ? ` · ${parts.join(', ')}` : '';
}

/**
 * The findings to mark "new": only in a check that already failed or warned on the base — where a check passed
 * before or is new, every finding is new and the mark would say nothing.
 */
export function markedNew(change: CheckChange): ReadonlySet<Finding> {
  const hadProblems = change.base?.outcome === 'fail' || change.base?.outcome === 'warn';
  return new Set(hadProblems ? change.addedFindings : []);
}

/** Findings shown per check in the detail text, across its places: past it, the annotations and the CLI have them. */
const FINDINGS_PER_CHECK = 30;
/** Places (root, projects) detailed per check; the others are named. */
const PLACES_PER_CHECK = 15;

/**
 * One check's section: its results at the root and in every project it fails or warns in, then one "How to fix"
 * (a monorepo does not repeat the remediation per project).
 */
function detailSection(comparison: Comparison, links: LinkContext, group: CheckGroup, words: ChangeWords): string[] {
  const [first] = group.changes;
  const lines = [
    `### ${OUTCOME_ICON[first.head.outcome]} ${escapeMarkdown(group.title)} — \`${group.id}\` · ${group.severity}${kindLabel(comparison, group.changes)}`,
    '',
  ];
  if (group.changes.length === 1 && !first.project) {
    lines.push(escapeMessage(first.head.summary), '');
    if (first.head.findings.length) {
      renderFindings(lines, links, first.head.findings, FINDINGS_PER_CHECK, markedNew(first), words);
      lines.push('');
    }
  } else {
    const shown = group.changes.slice(0, PLACES_PER_CHECK);
    const perPlace = Math.max(3, Math.floor(FINDINGS_PER_CHECK / shown.length));
    const where = placesWords(group.changes);
    lines.push(`${where.charAt(0).toUpperCase()}${where.slice(1)}:`, '');
    // A repository-level result often lists the projects' findings too: each finding is shown once, where it is first.
    const listed = new Set<string>();
    const locationKey = (finding: Finding) =>
      finding.path ? `${finding.path}\u0000${finding.line ?? ''}\u0000${finding.endLine ?? ''}` : undefined;
    // One list item per place, its findings nested under it: a monorepo's check stays one compact list.
    for (const change of shown) {
      const place = change.project ? `In ${codeSpan(change.project)}` : 'At the root';
      const label = kindLabel(comparison, [change]);
      const fresh = change.head.findings.filter((finding) => {
        const key = locationKey(finding);
        return key === undefined || !listed.has(key);
      });
      const repeated = change.head.findings.length - fresh.length;
      const above =
        repeated === 0
          ? ''
          : repeated === change.head.findings.length
            ? ` (${repeated === 1 ? 'its finding is' : `its ${repeated} findings are`} listed above)`
            : ` (${plural(repeated, 'more finding')} of it listed above)`;
      lines.push(
        `- ${OUTCOME_ICON[change.head.outcome]} **${place}** · ${change.head.outcome}${label} — ${escapeMessage(change.head.summary)}${above}`,
      );
      if (fresh.length) {
        const nested: string[] = [];
        renderFindings(nested, links, fresh, perPlace, markedNew(change), words);
        lines.push(...nested.map((line) => (line ? `  ${line}` : line)));
      }
      // Only what was shown counts as listed: a finding past the cap above is shown where it is next.
      for (const finding of fresh.filter((candidate) => !candidate.suppressed).slice(0, perPlace)) {
        const key = locationKey(finding);
        if (key) listed.add(key);
      }
    }
    lines.push('');
    const rest = group.changes.slice(shown.length);
    if (rest.length) {
      const names = rest.slice(0, 20).map((change) => (change.project ? codeSpan(change.project) : 'the root'));
      const more = rest.length > 20 ? ` and ${rest.length - 20} more` : '';
      lines.push(`Also in ${plural(rest.length, 'more place')}: ${names.join(', ')}${more}.`, '');
    }
  }
  const remediation = first.head.remediation.trim();
  if (remediation)
    lines.push(
      '<details><summary>How to fix</summary>',
      '',
      trustedBlock(remediation),
      '',
      docsReference(links, first.head),
      '',
      '</details>',
      '',
    );
  else lines.push(docsReference(links, first.head), '');
  return lines;
}

interface DetailText {
  text: string;
  /** The checks the text details (a section each): the summary's lists say "detailed below" only for these. */
  detailed: Set<string>;
}

/**
 * The detail text: one whole section per failing or warning check, in the order of every list (severity, then
 * change). It is cut between sections, never inside one, and the note at the end names what it left out.
 */
function renderText(input: RenderCheckRunInput, plan: AnnotationPlan): DetailText {
  const { report, comparison, links } = input;
  const prefix: string[] = [];
  if (plan.omitted) {
    prefix.push(
      `> ${plural(plan.omitted, 'more finding')} with a line ${plan.omitted === 1 ? 'was' : 'were'} not annotated: the ${plan.annotations.length} annotations of this run are the findings new in this change first, then the most severe.`,
      '',
    );
  }
  const groups = groupByCheck(comparison.failing);
  if (!groups.length) prefix.push('No check fails or warns. 🎉', '');
  const sections: Array<{ group?: CheckGroup; text: string }> = groups.map((group) => ({
    group,
    text: detailSection(comparison, links, group, wordsFor(input.event)).join('\n'),
  }));
  // Checks that pass only because every finding is suppressed still show what was suppressed.
  const silenced = allChecksOf(report).filter(
    ({ check }) => check.outcome === 'pass' && check.findings.some((finding) => finding.suppressed),
  );
  if (silenced.length) {
    const lines = ['### Suppressed inline', ''];
    for (const { project, check } of silenced) {
      lines.push(`**${escapeMarkdown(check.title)}** ${changeName({ id: check.id, project })}`, '');
      renderFindings(lines, links, check.findings, FINDINGS_PER_CHECK);
      lines.push('');
    }
    sections.push({ text: lines.join('\n') });
  }

  const head = prefix.join('\n');
  const fits = (count: number) => {
    const kept = sections.slice(0, count);
    const rest = sections.slice(count);
    const parts = [head, ...kept.map((section) => section.text)];
    if (rest.length) parts.push(omittedNote(kept.length, rest));
    return parts.filter(Boolean).join('\n');
  };
  let count = sections.length;
  let text = fits(count);
  while (count > 0 && byteLength(text) > GITHUB_LIMITS.text) {
    count -= 1;
    text = fits(count);
  }
  if (count === 0 && sections.length && byteLength(text) <= GITHUB_LIMITS.text - 1_000) {
    // Even the first section is larger than the limit (pathological input): cut it at a line, as a last resort.
    const rest = sections.slice(1);
    const note = rest.length ? omittedNote(1, rest) : '';
    const room = GITHUB_LIMITS.text - byteLength(head) - byteLength(note) - 4;
    const cut = fitLines(sections[0].text.split('\n'), room, truncationNote('section'));
    text = [head, cut, note].filter(Boolean).join('\n');
    count = 1;
  }
  const detailed = new Set(sections.slice(0, count).flatMap((section) => (section.group ? [section.group.id] : [])));
  return { text, detailed };
}

/**
 * The truthful note at the end of a cut detail text: how many checks it details, which it leaves out (named, worst
 * first; none more severe than those detailed), and where everything is.
 */
function omittedNote(kept: number, rest: ReadonlyArray<{ group?: CheckGroup }>): string {
  const groups = rest.flatMap((section) => (section.group ? [section.group] : []));
  const suppressed = rest.some((section) => !section.group);
  const named = groups
    .slice(0, 20)
    .map((group) => `\`${group.id}\` (${group.severity})`)
    .join(', ');
  const more = groups.length > 20 ? ` and ${groups.length - 20} more` : '';
  const left = groups.length
    ? `${plural(groups.length, 'more check')}, none more severe than those above, ${groups.length === 1 ? 'is' : 'are'} not detailed here: ${named}${more}${suppressed ? '; nor are the findings suppressed inline' : ''}.`
    : 'The findings suppressed inline are not listed here.';
  return [
    '',
    `> ✂️ This text details ${plural(kept, 'check')} and stops at GitHub's limit of 65,535 characters. ${left} ` +
      'The summary above counts them all; `npx shipready scan . --format markdown` on this commit lists every finding.',
  ].join('\n');
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
  options: { max?: number; preexisting?: AnnotationLevel; words?: ChangeWords } = {},
): AnnotationPlan {
  const words = options.words ?? PULL_REQUEST_WORDS;
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
          toAnnotation(change, finding, annotationLevel(change.head), comparison.hasBase ? 'new' : undefined, words),
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
      annotations.push(toAnnotation(change, finding, level, comparison.hasBase ? 'base' : undefined, words));
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
  words: ChangeWords,
): CheckRunAnnotation {
  const { head } = change;
  const line = finding.line!;
  const endLine = finding.endLine && finding.endLine >= line ? finding.endLine : line;
  const title = `${head.title} (${head.id}${change.project ? ` in ${change.project}` : ''})`;
  const where =
    history === 'new'
      ? `New in ${words.longChange}.\n\n`
      : history === 'base'
        ? `Already on ${words.base}: shown here, not blamed on ${words.longChange}.\n\n`
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
  if (input.offer?.fixPull)
    actions.push({
      label: 'Open fix PR',
      description: 'A pull request with the fixes',
      identifier: ACTION_OPEN_FIX_PULL,
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
    words: wordsFor(input.event),
  });
  const { annotations, omitted } = plan;
  const { text, detailed } = renderText(input, plan);
  return {
    title: renderTitle(input),
    summary: renderSummary(input, plan, detailed),
    text,
    annotations,
    actions: buildActions(input),
    annotationsOmitted: omitted,
  };
}
