import { parse as parseTomlText } from 'smol-toml';
import { parseDocument } from 'yaml';
import type { RepoSnapshot } from '../snapshot/snapshot.js';

/** A parse that never throws: either a value or a message a person can act on (with the line when known). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; line?: number };

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index += 1) if (text.charCodeAt(index) === 10) line += 1;
  return line;
}

export function parseJsonText(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    return {
      ok: false,
      error: `invalid JSON: ${message}`,
      ...(position ? { line: lineOfOffset(text, Number(position[1])) } : {}),
    };
  }
}

export function parseTomlTextSafe(text: string): Parsed<Record<string, unknown>> {
  try {
    return { ok: true, value: parseTomlText(text) as Record<string, unknown> };
  } catch (error) {
    const line = (error as { line?: number }).line;
    const first = (error as Error).message.split('\n')[0];
    return { ok: false, error: `invalid TOML: ${first}`, ...(line ? { line } : {}) };
  }
}

export function parseYamlText(text: string): Parsed<unknown> {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  if (document.errors.length) {
    const first = document.errors[0];
    const line = first.linePos?.[0]?.line;
    return { ok: false, error: `invalid YAML: ${first.message.split('\n')[0]}`, ...(line ? { line } : {}) };
  }
  return { ok: true, value: document.toJS({ maxAliasCount: 1000 }) };
}

function parseFile<T>(
  snapshot: RepoSnapshot,
  kind: string,
  path: string,
  parser: (text: string) => Parsed<T>,
): Parsed<T> | undefined {
  return snapshot.memo(`${kind}:${path}`, () => {
    const file = snapshot.file(path);
    if (!file) return undefined;
    if (file.text === null)
      return { ok: false, error: file.binary ? 'binary file' : (file.error ?? 'unreadable') } as Parsed<T>;
    if (file.truncated)
      return { ok: false, error: `file is larger than the ${file.text.length}-byte read limit` } as Parsed<T>;
    // Parsers see the text as read; only line-oriented matchers get the line-capped text.
    return parser(file.longLines?.fullText ?? file.text);
  });
}

/** Parses a fetched JSON file once per snapshot view; undefined when the file does not exist. */
export const readJson = (snapshot: RepoSnapshot, path: string) => parseFile(snapshot, 'json', path, parseJsonText);
export const readToml = (snapshot: RepoSnapshot, path: string) => parseFile(snapshot, 'toml', path, parseTomlTextSafe);
export const readYaml = (snapshot: RepoSnapshot, path: string) => parseFile(snapshot, 'yaml', path, parseYamlText);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
