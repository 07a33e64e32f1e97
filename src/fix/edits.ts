import { splitLines } from './apply.js';
import type { ReplaceLines } from './types.js';

/**
 * The one line range that turns `before` into `after` (their common first and last lines left out), or undefined
 * when they are equal. For fixers that rewrite a document (yaml's Document API) but must hand back a minimal edit.
 */
export function rewriteEdit(path: string, before: string, after: string): ReplaceLines | undefined {
  if (before === after) return undefined;
  const old = splitLines(before).lines;
  const next = splitLines(after).lines;
  let head = 0;
  while (head < old.length && head < next.length && old[head] === next[head]) head += 1;
  let tail = 0;
  while (
    tail < old.length - head &&
    tail < next.length - head &&
    old[old.length - 1 - tail] === next[next.length - 1 - tail]
  )
    tail += 1;
  return {
    kind: 'replace',
    path,
    startLine: head + 1,
    endLine: old.length - tail,
    lines: next.slice(head, next.length - tail),
  };
}

/** Lines to insert before `line` (1-based; one past the last line appends). */
export function insertBefore(path: string, line: number, lines: string[]): ReplaceLines {
  return { kind: 'replace', path, startLine: line, endLine: line - 1, lines };
}

/** The leading spaces of a line. */
export function indentOf(line: string): string {
  let index = 0;
  while (index < line.length && line[index] === ' ') index += 1;
  return line.slice(0, index);
}

/** Joins a directory ('' for the root) and a relative path. */
export function joinPath(directory: string, path: string): string {
  return directory ? `${directory}/${path}` : path;
}
