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

/**
 * Budgets for repository files: nesting deeper than this is no real manifest or workflow (they stay under 20
 * levels), and every consumer walks values recursively; alias expansion is bounded so a YAML "billion laughs"
 * document is refused instead of expanded.
 */
export const MAX_NESTING_DEPTH = 200;
export const MAX_YAML_ALIAS_COUNT = 1000;

/** The nesting depth of a parsed value, walked without recursion (a deep value must not overflow the stack). */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_NESTING_DEPTH) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function tooDeep(kind: string): Parsed<never> {
  return { ok: false, error: `${kind} nested more than ${MAX_NESTING_DEPTH} levels deep: not parsed` };
}

export function parseJsonText(text: string): Parsed<unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return nestingDepth(value) > MAX_NESTING_DEPTH ? tooDeep('JSON') : { ok: true, value };
  } catch (error) {
    if (error instanceof RangeError) return tooDeep('JSON');
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
  let document;
  try {
    document = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  } catch (error) {
    if (error instanceof RangeError) return tooDeep('YAML');
    throw error;
  }
  if (document.errors.length) {
    const first = document.errors[0];
    const line = first.linePos?.[0]?.line;
    return { ok: false, error: `invalid YAML: ${first.message.split('\n')[0]}`, ...(line ? { line } : {}) };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (error) {
    // yaml throws a ReferenceError past maxAliasCount; a stack overflow means nesting far beyond any real file.
    if (error instanceof RangeError) return tooDeep('YAML');
    if (error instanceof ReferenceError)
      return { ok: false, error: `YAML aliases expand beyond ${MAX_YAML_ALIAS_COUNT} nodes: not parsed` };
    return { ok: false, error: `invalid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  return nestingDepth(value) > MAX_NESTING_DEPTH ? tooDeep('YAML') : { ok: true, value };
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
