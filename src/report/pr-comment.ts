import {
  checksPhrase,
  countsOf,
  isIntroduced,
  type CheckChange,
  type Comparison,
  type GateDecision,
} from '../engine/compare.js';
import type { Report } from './types.js';
import { changesReadinessRules, renderConfigChanges, type ConfigChangePreview } from './config-changes.js';
import { COMMENT_MARKER } from './markers.js';
import { escapeMarkdown, escapeMessage, link } from './escape.js';
import {
  GITHUB_LIMITS,
  VERDICT_WORDS,
  changeName,
  countsLine,
  countsWords,
  findingLocation,
  fitLines,
  formatDelta,
  groupByCheck,
  markedNew,
  placesWords,
  renderTitle,
  scoreNotes,
  serverOf,
  type CheckGroup,
  type LinkContext,
} from './check-run.js';

/** Finds the one shipready comment on a PR again; the body starts and ends with it. */
export { COMMENT_MARKER };

export type CommentMode = 'on-change' | 'always' | 'never';

export interface PrCommentLinks extends LinkContext {
  /** The Check Run's html_url; without it the commit's checks page is linked. */
  checkRunUrl?: string;
}

export interface RenderPrCommentInput {
  report: Report;
  comparison: Comparison;
  gate: GateDecision;
  links: PrCommentLinks;
  /** What the PR's own config would change once merged (it is judged by the base's rules). */
  configChanges?: ConfigChangePreview;
}

const MAX_LISTED = 10;

/**
 * True when the PR changes readiness: a regression, a new problem, new findings in a failing check, a fix, a
 * different score, or rules that would.
 */
export function changesReadiness(comparison: Comparison, configChanges?: ConfigChangePreview): boolean {
  if (changesReadinessRules(configChanges)) return true;
  if (!comparison.hasBase) return false;
  return (
    comparison.regressions.length > 0 ||
    comparison.newProblems.length > 0 ||
    comparison.fixes.length > 0 ||
    // New findings in a check that already failed: the PR adds a problem even though no outcome moved.
    comparison.findingsAdded.length > 0 ||
    (comparison.scoreDelta ?? 0) !== 0
  );
}

/**
 * `on-change` (default): comment when the PR changes readiness, and once the comment exists keep it up to date
 * (also when a later push undoes the change, so the comment never shows a stale regression). `always`: every
 * evaluation. `never`: no comment.
 */
export function shouldComment(mode: CommentMode, comparison: Comparison, hasExistingComment: boolean): boolean {
  if (mode === 'never') return false;
  if (mode === 'always') return true;
  return hasExistingComment || changesReadiness(comparison);
}

/** New findings named under a check that already failed and got worse, at most. */
const NEW_FINDINGS_NAMED = 3;

function line(group: CheckGroup, links: LinkContext): string[] {
  const [change] = group.changes;
  const icon = change.head.outcome === 'pass' ? '✅' : change.head.outcome === 'warn' ? '⚠️' : '❌';
  const from = change.base?.outcome ?? (change.project ? 'new project' : 'not applicable');
  const single = group.changes.length === 1;
  const name = single ? changeName(change) : `\`${group.id}\``;
  const where = single ? '' : ` ${placesWords(group.changes)}`;
  const added = group.changes.flatMap((entry) => [...markedNew(entry)]);
  const extra = added.length ? `, ${added.length} new finding${added.length === 1 ? '' : 's'}` : '';
  const lines = [
    `- ${icon} **${escapeMarkdown(group.title)}** ${name} · ${group.severity} · ${from} → ${change.head.outcome}${where}${extra}`,
  ];
  // "fail → fail" says little: what the PR added to a check that already failed is named.
  for (const finding of added.slice(0, NEW_FINDINGS_NAMED)) {
    const location = findingLocation(links, finding);
    lines.push(`  - ${location ? `${location}: ` : ''}${escapeMessage(finding.message)}`);
  }
  if (added.length > NEW_FINDINGS_NAMED)
    lines.push(`  - … and ${added.length - NEW_FINDINGS_NAMED} more in the Check Run`);
  return lines;
}

/** One line per check (a monorepo's check in twelve projects is one line), capped with a note of what was left. */
function section(lines: string[], heading: string, changes: readonly CheckChange[], links: LinkContext): void {
  if (!changes.length) return;
  const groups = groupByCheck(changes);
  // A count per result on one repository ("(3)"), the checks and places in a monorepo ("(2 checks in 5 projects)").
  const count = groups.length === changes.length && changes.every((change) => !change.project);
  lines.push(`**${heading} (${count ? changes.length : checksPhrase(changes)})**`, '');
  for (const group of groups.slice(0, MAX_LISTED)) lines.push(...line(group, links));
  const rest = groups.slice(MAX_LISTED);
  if (rest.length)
    lines.push(
      `- … and ${rest.length} more check${rest.length === 1 ? '' : 's'}, none more severe than those above: listed in the Check Run`,
    );
  lines.push('');
}

const GATE_WORDS: Record<GateDecision['conclusion'], string> = {
  success: '✅ passes',
  failure: '❌ fails',
  neutral: '⚪ neutral',
};

/** The sticky PR comment: short, and pointing at the Check Run for the details. */
export function renderPrComment({ report, comparison, gate, links, configChanges }: RenderPrCommentInput): string {
  const checksUrl = links.checkRunUrl ?? `${serverOf(links)}/${links.repository}/commit/${links.sha}/checks`;
  const score = report.score === null ? 'not scored' : `${report.score}/100 · ${report.rating}`;
  const lines: string[] = [];
  // The Check Run's title, word for word: the same worst item and the same numbers on both surfaces.
  lines.push(`### shipready · ${escapeMarkdown(renderTitle({ report, comparison, gate }))}`, '');
  lines.push(`Readiness ${score}${formatDelta(comparison)}`, '');
  const notes = scoreNotes(report);
  if (notes.length) lines.push(...notes, '');
  lines.push(`**Verdict:** ${VERDICT_WORDS[report.verdict]} · **Gate:** ${GATE_WORDS[gate.conclusion]}`, '');
  lines.push(`**On this commit:** ${countsLine(comparison)}`, '');
  if (gate.reasons.length) lines.push(`> ${escapeMessage(gate.reasons[0])}`, '');
  lines.push(...renderConfigChanges(configChanges));
  section(lines, 'This PR breaks', comparison.regressions, links);
  section(lines, 'This PR brings in', comparison.newProblems.filter(isIntroduced), links);
  section(lines, 'This PR adds to checks that already fail', comparison.findingsAdded, links);
  section(lines, 'This PR fixes or improves', comparison.fixes, links);
  if (comparison.hasBase && !changesReadiness(comparison, configChanges))
    lines.push('This PR no longer changes any check’s outcome or the score.', '');
  if (comparison.unchangedFailures.length) {
    const already = countsOf(comparison.unchangedFailures, comparison.counts.projects);
    lines.push(`Already on the base, not blamed on this PR: ${countsWords(already)}.`, '');
  }
  lines.push(link('Details, line annotations and how to fix them in the Check Run', checksUrl), '');
  lines.push(
    `<sub>Evaluated at ${links.sha.slice(0, 7)} by shipready ${report.tool.version}. This comment is updated in place.</sub>`,
  );
  const limit = GITHUB_LIMITS.text - 2 * (COMMENT_MARKER.length + 1);
  const body = fitLines(lines, limit, () => link('The rest is in the Check Run', checksUrl));
  return `${COMMENT_MARKER}\n${body}\n${COMMENT_MARKER}`;
}

/** True when a comment body is shipready's sticky comment. */
export function isShipreadyComment(body: string | null | undefined): boolean {
  return typeof body === 'string' && body.trimStart().startsWith(COMMENT_MARKER);
}
