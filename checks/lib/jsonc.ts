import { parseJsonText, type Parsed } from '../../src/parsers/structured.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';

/**
 * JSON with comments and trailing commas (tsconfig, biome.jsonc, .vscode files, deno.jsonc): comments and trailing
 * commas are blanked out with spaces so that offsets, and so line numbers of parse errors, stay those of the file.
 */
export function stripJsonc(text: string): string {
  const out: string[] = [];
  let index = 0;
  const length = text.length;
  // Pass 1: comments (outside strings) become spaces; newlines are kept.
  while (index < length) {
    const char = text[index];
    if (char === '"') {
      const start = index;
      index += 1;
      while (index < length && text[index] !== '"' && text[index] !== '\n') index += text[index] === '\\' ? 2 : 1;
      index += 1;
      out.push(text.slice(start, index));
    } else if (char === '/' && text[index + 1] === '/') {
      while (index < length && text[index] !== '\n') {
        out.push(' ');
        index += 1;
      }
    } else if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      const stop = end < 0 ? length : end + 2;
      for (; index < stop; index += 1) out.push(text[index] === '\n' ? '\n' : ' ');
    } else {
      out.push(char);
      index += 1;
    }
  }
  const stripped = out.join('');
  // Pass 2: a comma followed only by whitespace and then `}` or `]` (outside strings) becomes a space.
  const chars = stripped.split('');
  let inString = false;
  for (let position = 0; position < chars.length; position += 1) {
    const char = chars[position];
    if (inString) {
      if (char === '\\') position += 1;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === ',') {
      let next = position + 1;
      while (next < chars.length && /\s/.test(chars[next])) next += 1;
      if (chars[next] === '}' || chars[next] === ']') chars[position] = ' ';
    }
  }
  return chars.join('');
}

export function parseJsoncText(text: string): Parsed<unknown> {
  const parsed = parseJsonText(stripJsonc(text));
  if (parsed.ok) return parsed;
  return { ...parsed, error: parsed.error.replace(/^invalid JSON/, 'invalid JSON (with comments)') };
}

/** Parses a fetched JSONC file once per snapshot view; undefined when the file does not exist or was not read. */
export function readJsonc(snapshot: RepoSnapshot, path: string): Parsed<unknown> | undefined {
  return snapshot.memo(`jsonc:${path}`, () => {
    let file;
    try {
      file = snapshot.file(path);
    } catch {
      return undefined; // beyond the read bound of the check's needs
    }
    if (!file) return undefined;
    if (file.text === null)
      return { ok: false, error: file.binary ? 'binary file' : (file.error ?? 'unreadable') } as Parsed<unknown>;
    if (file.truncated) return { ok: false, error: 'file is larger than the read limit' } as Parsed<unknown>;
    return parseJsoncText(file.text);
  });
}

/** 1-based line of the first `"key":` in a JSON text, or undefined. */
export function lineOfJsonKey(text: string, key: string): number | undefined {
  const pattern = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`);
  const lines = text.split('\n');
  const index = lines.findIndex((line) => pattern.test(line));
  return index < 0 ? undefined : index + 1;
}
