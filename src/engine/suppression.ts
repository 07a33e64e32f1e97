import { createHash } from 'node:crypto';
import type { Finding } from './types.js';

const IGNORE_MARKER = /(?:#|\/\/|<!--)\s*shipready-ignore\s+/g;
const CHECK_IDS = /[a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*/y;

/**
 * `# shipready-ignore <ids>[: <reason>]` (or `//`, or `<!-- … -->`) anywhere on the line, ending it. Parsed in
 * steps rather than by one expression: a lazy reason before optional trailing `-->` and blanks backtracks
 * polynomially on a long line.
 */
function parseIgnoreComment(text: string): { ids: string; reason?: string } | undefined {
  let body = text.trimEnd();
  if (body.endsWith('-->')) body = body.slice(0, -3);
  for (const marker of body.matchAll(IGNORE_MARKER)) {
    CHECK_IDS.lastIndex = marker.index + marker[0].length;
    const ids = CHECK_IDS.exec(body);
    if (!ids) continue;
    const rest = body.slice(CHECK_IDS.lastIndex).trim();
    if (rest === '') return { ids: ids[0] };
    if (rest.startsWith(':')) return { ids: ids[0], reason: rest.slice(1) };
  }
  return undefined;
}

/** The reason of a `# shipready-ignore <check-id>: <reason>` comment on `line` or the line above it, if any. */
export function findSuppression(lines: readonly string[], line: number, checkId: string): string | undefined {
  for (const candidate of [line, line - 1]) {
    const text = lines[candidate - 1];
    if (text === undefined) continue;
    const comment = parseIgnoreComment(text);
    if (!comment) continue;
    const ids = comment.ids.split(',').map((id) => id.trim());
    if (ids.includes(checkId)) return comment.reason?.trim() || 'no reason given';
  }
  return undefined;
}

/** Marks findings covered by inline comments. `linesOf` returns the file's lines, or undefined when not read. */
export function applySuppressions(
  checkId: string,
  findings: Finding[],
  linesOf: (path: string) => readonly string[] | undefined,
): Finding[] {
  return findings.map((finding) => {
    if (!finding.path || !finding.line) return finding;
    const lines = linesOf(finding.path);
    if (!lines) return finding;
    const reason = findSuppression(lines, finding.line, checkId);
    return reason ? { ...finding, suppressed: { reason } } : finding;
  });
}

/**
 * Gives each finding on a line the identity of that line's text (whitespace-trimmed, hashed): the comparison of a
 * PR's head with its base matches findings by check, path and line text, so inserting lines above a finding or
 * rewording a message does not make an old finding look new. Findings on files that were not read keep none.
 */
export function identifyLines(
  findings: Finding[],
  linesOf: (path: string) => readonly string[] | undefined,
): Finding[] {
  return findings.map((finding) => {
    if (!finding.path || !finding.line) return finding;
    const text = linesOf(finding.path)?.[finding.line - 1];
    if (text === undefined) return finding;
    return { ...finding, lineKey: createHash('sha1').update(text.trim()).digest('hex').slice(0, 16) };
  });
}
