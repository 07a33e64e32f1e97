import type { FileText } from './types.js';

/** Git's own heuristic: a NUL byte in the first 8,000 bytes makes a file binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let index = 0; index < end; index += 1) if (bytes[index] === 0) return true;
  return false;
}

/** Turns raw bytes into a FileText: binary detection, BOM stripped, cut at `maxBytes`. */
export function toFileText(path: string, bytes: Uint8Array, size: number, maxBytes: number): FileText {
  const truncated = size > maxBytes || bytes.length > maxBytes;
  const slice = bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  if (looksBinary(slice))
    return {
      path,
      text: null,
      binary: true,
      truncated,
      size,
      magic: Buffer.from(slice.subarray(0, 8)).toString('hex'),
    };
  let text = Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { path, text, binary: false, truncated, size };
}

/**
 * Longest line handed to line-oriented matchers. Real source lines are far shorter; minified bundles and crafted
 * attack lines are not, and every matcher's cost grows with the line. 4 KB keeps any key, URL or command whole.
 */
export const MAX_LINE_CHARS = 4096;

/**
 * Cuts every line longer than `maxLineChars` to that length (the file keeps its line count, so line numbers stay
 * true) and records what was cut in `longLines`; a file without long lines is returned as it is.
 */
export function capLineLength(file: FileText, maxLineChars: number = MAX_LINE_CHARS): FileText {
  const text = file.text;
  if (text === null || text.length <= maxLineChars) return file;
  let count = 0;
  let longest = 0;
  let start = 0;
  const parts: string[] = [];
  let kept = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const length = end - start;
    if (length > maxLineChars) {
      count += 1;
      longest = Math.max(longest, length);
      parts.push(text.slice(kept, start + maxLineChars));
      kept = end;
    }
    if (newline === -1) break;
    start = newline + 1;
  }
  if (count === 0) return file;
  parts.push(text.slice(kept));
  return { ...file, text: parts.join(''), longLines: { count, longest, fullText: text } };
}

/**
 * The line budget, applied once to everything read: returns the capped files and one report note per file that
 * had lines cut, so a cut is never silent.
 */
export function applyLineBudget(
  files: ReadonlyMap<string, FileText>,
  maxLineChars: number = MAX_LINE_CHARS,
): { files: Map<string, FileText>; notes: string[] } {
  const capped = new Map<string, FileText>();
  const notes: string[] = [];
  for (const [path, file] of files) {
    const result = capLineLength(file, maxLineChars);
    capped.set(path, result);
    if (result.longLines)
      notes.push(
        `${path}: ${result.longLines.count} line${result.longLines.count === 1 ? '' : 's'} longer than ${maxLineChars} characters (longest ${result.longLines.longest}) were cut to ${maxLineChars} for matching`,
      );
  }
  return { files: capped, notes };
}
