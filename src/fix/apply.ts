import type { FileEdit, ReplaceLines } from './types.js';

/** A file as the edits found it: its text, or undefined when it does not exist; `editable: false` refuses edits. */
export interface FileBefore {
  text: string | undefined;
  /** Why the file must not be edited (truncated when read, binary, a symlink); undefined when it may be. */
  refuse?: string;
}

/** One hunk of an applied edit, in the original file's line numbers (for diffs and review suggestions). */
export interface AppliedChange {
  /** First original line replaced (or the line the new lines go before). */
  startLine: number;
  /** Last original line replaced; `startLine - 1` for a pure insertion. */
  endLine: number;
  oldLines: string[];
  newLines: string[];
}

export interface FileChange {
  path: string;
  /** undefined: the file is created. */
  before: string | undefined;
  after: string;
  changes: AppliedChange[];
}

export interface RefusedEdit {
  edit: FileEdit;
  reason: string;
}

export interface ApplyResult {
  /** Changed files, sorted by path. */
  files: FileChange[];
  refused: RefusedEdit[];
}

/**
 * Applies edits to files deterministically: files in path order, edits of one file by position then by the order
 * given (so two insertions at one line keep the fixers' order). Identical edits count once. An edit that overlaps a
 * replacement already taken, creates a file that exists, or edits one that is missing is refused with the reason —
 * never merged by guesswork.
 */
export function applyEdits(edits: readonly FileEdit[], readFile: (path: string) => FileBefore): ApplyResult {
  const byPath = new Map<string, FileEdit[]>();
  const seen = new Set<string>();
  for (const edit of edits) {
    const key = JSON.stringify(edit);
    if (seen.has(key)) continue;
    seen.add(key);
    const list = byPath.get(edit.path);
    if (list) list.push(edit);
    else byPath.set(edit.path, [edit]);
  }
  const files: FileChange[] = [];
  const refused: RefusedEdit[] = [];
  for (const path of [...byPath.keys()].sort()) {
    const change = applyToFile(path, byPath.get(path)!, readFile(path), refused);
    if (change) files.push(change);
  }
  return { files, refused };
}

function applyToFile(
  path: string,
  edits: FileEdit[],
  before: FileBefore,
  refused: RefusedEdit[],
): FileChange | undefined {
  if (!isSafePath(path)) {
    for (const edit of edits) refused.push({ edit, reason: `${JSON.stringify(path)} is not a repository path` });
    return undefined;
  }
  const creates = edits.filter((edit) => edit.kind === 'create');
  const replaces = edits.filter((edit): edit is ReplaceLines => edit.kind === 'replace');
  if (before.text === undefined && !before.refuse) {
    for (const edit of replaces) refused.push({ edit, reason: `${path} does not exist` });
    if (!creates.length) return undefined;
    const [first, ...others] = creates;
    for (const edit of others) refused.push({ edit, reason: `another fix already creates ${path}` });
    const text = first.text.endsWith('\n') ? first.text : `${first.text}\n`;
    return {
      path,
      before: undefined,
      after: text,
      changes: [{ startLine: 1, endLine: 0, oldLines: [], newLines: splitLines(text).lines }],
    };
  }
  for (const edit of creates) refused.push({ edit, reason: `${path} already exists` });
  if (before.refuse) {
    for (const edit of replaces) refused.push({ edit, reason: `${path} ${before.refuse}` });
    return undefined;
  }
  if (!replaces.length) return undefined;
  const original = splitLines(before.text!);
  const count = original.lines.length;
  const ordered = replaces
    .map((edit, order) => ({ edit, order }))
    .sort(
      (a, b) =>
        a.edit.startLine - b.edit.startLine ||
        // Insertions before a replacement that starts on the same line.
        length(a.edit) - length(b.edit) ||
        a.order - b.order,
    );
  const taken: ReplaceLines[] = [];
  for (const { edit } of ordered) {
    const valid =
      Number.isInteger(edit.startLine) &&
      Number.isInteger(edit.endLine) &&
      edit.startLine >= 1 &&
      edit.startLine <= count + 1 &&
      edit.endLine >= edit.startLine - 1 &&
      edit.endLine <= count;
    if (!valid) {
      refused.push({ edit, reason: `lines ${edit.startLine}–${edit.endLine} are outside ${path} (${count} lines)` });
      continue;
    }
    const clash = taken.find((other) => overlaps(edit, other));
    if (clash) {
      refused.push({
        edit,
        reason: `it overlaps another fix of ${path} (lines ${clash.startLine}–${clash.endLine})`,
      });
      continue;
    }
    taken.push(edit);
  }
  if (!taken.length) return undefined;
  const output: string[] = [];
  const changes: AppliedChange[] = [];
  let next = 1;
  for (const edit of taken) {
    for (; next < edit.startLine; next += 1) output.push(original.lines[next - 1]);
    const oldLines = original.lines.slice(edit.startLine - 1, edit.endLine);
    output.push(...edit.lines);
    next = Math.max(next, edit.endLine + 1);
    const last = changes[changes.length - 1];
    // Insertions at one line, and an insertion right before a replacement of that line, are one change.
    if (last && last.endLine === last.startLine - 1 && last.startLine === edit.startLine) {
      last.endLine = edit.endLine;
      last.oldLines = oldLines;
      last.newLines.push(...edit.lines);
    } else {
      changes.push({ startLine: edit.startLine, endLine: edit.endLine, oldLines, newLines: [...edit.lines] });
    }
  }
  for (; next <= count; next += 1) output.push(original.lines[next - 1]);
  const after = joinLines(output, original);
  if (after === before.text) return undefined;
  return { path, before: before.text, after, changes };
}

const length = (edit: ReplaceLines) => edit.endLine - edit.startLine + 1;

/** An insertion overlaps a replacement when it falls strictly inside it; two replacements when they share a line. */
function overlaps(a: ReplaceLines, b: ReplaceLines): boolean {
  const aInsert = length(a) === 0;
  const bInsert = length(b) === 0;
  if (aInsert && bInsert) return false;
  if (aInsert) return a.startLine > b.startLine && a.startLine <= b.endLine;
  if (bInsert) return b.startLine > a.startLine && b.startLine <= a.endLine;
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}

/** Relative, forward slashes, no `.`/`..` segments, no `.git` directory: a fix never writes outside the tree. */
export function isSafePath(path: string): boolean {
  if (!path || path.startsWith('/') || path.includes('\\') || path.includes('\u0000')) return false;
  return path
    .split('/')
    .every((segment) => segment !== '' && segment !== '.' && segment !== '..' && segment !== '.git');
}

export interface SplitText {
  lines: string[];
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

/** Lines without terminators; the file's line ending (CRLF when its first line ends so) and final newline kept. */
export function splitLines(text: string): SplitText {
  const firstBreak = text.indexOf('\n');
  const eol = firstBreak > 0 && text[firstBreak - 1] === '\r' ? '\r\n' : '\n';
  const finalNewline = text.endsWith('\n');
  const body = finalNewline ? text.slice(0, -1) : text;
  const lines = body === '' && finalNewline ? [''] : body === '' ? [] : body.split('\n');
  return {
    lines: lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line)),
    eol,
    finalNewline,
  };
}

function joinLines(lines: string[], like: SplitText): string {
  if (!lines.length) return '';
  return lines.join(like.eol) + (like.finalNewline || like.lines.length === 0 ? like.eol : '');
}
