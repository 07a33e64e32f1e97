import { createHash } from 'node:crypto';
import type { Finding } from '../engine/types.js';
import { codeSpan, escapeMarkdown } from '../report/escape.js';
import { suggestionMarker } from '../report/markers.js';
import { splitLines } from './apply.js';
import type { FixRun } from './plan.js';
import type { ReplaceLines } from './types.js';

/**
 * The checks whose fixes are offered on a pull request's own lines: each fix is a few lines of the file the PR
 * changed (a pinned `uses:`, a `permissions:` block, a `timeout-minutes:`), which GitHub can apply in one click.
 * File-level fixes (a new SECURITY.md) go in the fix pull request instead.
 */
export const SUGGESTED_CHECKS: readonly string[] = [
  'workflow-actions-pinned',
  'workflow-permissions-restricted',
  'workflow-jobs-have-timeouts',
];

/** One review comment with a ```suggestion: lines `startLine`…`line` of `path` (head side) become `lines`. */
export interface Suggestion {
  /** Identifies the suggestion across heads: a hash of the check, the file, the lines replaced and their new text. */
  key: string;
  checkId: string;
  path: string;
  startLine: number;
  line: number;
  lines: string[];
  /** The finding the suggestion fixes (its message is shown). */
  finding: Finding;
}

/**
 * The head-side lines a unified diff adds, from a pull request file's `patch` (GitHub's `pulls/list-files`).
 * Only added lines count as "changed by the PR": a suggestion on a context line would fix what was already there.
 */
export function addedLines(patch: string | undefined): Set<number> {
  const added = new Set<number>();
  if (!patch) return added;
  let line = 0;
  for (const row of patch.split('\n')) {
    if (row.startsWith('@@')) {
      const plus = row.indexOf('+');
      line = plus < 0 ? 0 : Number.parseInt(row.slice(plus + 1), 10) || 0;
      continue;
    }
    if (line === 0) continue;
    if (row.startsWith('+')) added.add(line++);
    else if (row.startsWith(' ')) line += 1;
    // '-' rows and "\ No newline at end of file" do not move the head side.
  }
  return added;
}

/**
 * Suggestions for the findings a pull request adds, on lines it adds. An edit is offered when its check has an
 * added finding in that file and every line the suggestion replaces is one the PR added; an insertion is shown
 * as a replacement of the line before it (GitHub suggests on existing lines only).
 */
export function planSuggestions(input: {
  runs: readonly FixRun[];
  /** Findings the PR adds, by check id (the comparison's addedFindings). */
  added: ReadonlyMap<string, readonly Finding[]>;
  /** Head-side added lines by path. */
  changed: ReadonlyMap<string, ReadonlySet<number>>;
  /** The head's text of a file. */
  text: (path: string) => string | undefined;
}): Suggestion[] {
  const suggestions: Suggestion[] = [];
  const seen = new Set<string>();
  for (const run of input.runs) {
    if (!SUGGESTED_CHECKS.includes(run.checkId)) continue;
    for (const edit of run.edits) {
      if (edit.kind !== 'replace') continue;
      const findings = (input.added.get(run.checkId) ?? []).filter((finding) => finding.path === edit.path);
      const changed = input.changed.get(edit.path);
      const text = input.text(edit.path);
      if (!findings.length || !changed || text === undefined) continue;
      const anchored = anchor(edit, splitLines(text).lines);
      if (!anchored) continue;
      let covered = true;
      for (let line = anchored.startLine; line <= anchored.line; line += 1) if (!changed.has(line)) covered = false;
      if (!covered) continue;
      const finding =
        findings.find(
          (candidate) =>
            candidate.line !== undefined &&
            candidate.line >= anchored.startLine - 1 &&
            candidate.line <= anchored.line + 1,
        ) ?? findings[0];
      const key = createHash('sha256')
        .update(JSON.stringify([run.checkId, edit.path, anchored.original, anchored.lines]))
        .digest('hex');
      if (seen.has(key)) continue;
      seen.add(key);
      suggestions.push({ key, checkId: run.checkId, path: edit.path, ...pick(anchored), finding });
    }
  }
  return suggestions.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

const pick = ({ startLine, line, lines }: { startLine: number; line: number; lines: string[] }) => ({
  startLine,
  line,
  lines,
});

/** The existing lines a suggestion replaces for an edit: a replacement as is, an insertion with a neighbour. */
function anchor(
  edit: ReplaceLines,
  file: readonly string[],
): { startLine: number; line: number; original: string[]; lines: string[] } | undefined {
  if (edit.endLine >= edit.startLine)
    return {
      startLine: edit.startLine,
      line: edit.endLine,
      original: file.slice(edit.startLine - 1, edit.endLine),
      lines: edit.lines,
    };
  if (edit.startLine > 1) {
    const before = file[edit.startLine - 2];
    if (before === undefined) return undefined;
    return {
      startLine: edit.startLine - 1,
      line: edit.startLine - 1,
      original: [before],
      lines: [before, ...edit.lines],
    };
  }
  const first = file[0];
  if (first === undefined) return undefined;
  return { startLine: 1, line: 1, original: [first], lines: [...edit.lines, first] };
}

/**
 * A review comment's body: what is wrong (the finding, escaped), the suggestion block (a fence longer than any
 * backtick run in the lines, so repository text cannot close it), and the marker that finds it again.
 */
export function renderSuggestion(suggestion: Suggestion): string {
  let fence = '```';
  for (const line of suggestion.lines) while (line.includes(fence)) fence += '`';
  return [
    `**shipready** · ${codeSpan(suggestion.checkId)}: ${escapeMarkdown(suggestion.finding.message)}`,
    '',
    `${fence}suggestion`,
    ...suggestion.lines,
    fence,
    '',
    suggestionMarker(suggestion.key),
  ].join('\n');
}

/** The review's own body: why these comments are here; one review per head commit. */
export function renderSuggestionReview(count: number): string {
  return `**shipready** has ${count === 1 ? 'a fix' : `${count} fixes`} for what this pull request adds: *Commit suggestion* applies ${count === 1 ? 'it' : 'each one'} (or *Add suggestion to batch* for one commit).`;
}

/** The body an outdated review is left with: its suggestions were removed because the PR no longer needs them. */
export const OUTDATED_REVIEW_BODY =
  '**shipready**: the suggestions of this review are outdated (a later commit fixed what they were for) and were removed.';
