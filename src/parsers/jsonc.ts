/**
 * JSON with comments and trailing commas (tsconfig, biome.jsonc, deno.jsonc, .vscode files) read with `jsonc-parser`:
 * comments and strings are told apart by a real scanner (`"src/*.ts"` is a string, not a comment), parse errors carry
 * their offset and line, and key locations are those of the syntax tree, not of the first line that looks like one.
 */
import {
  findNodeAtLocation,
  parse,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
  type ParseOptions,
} from 'jsonc-parser';
import type { Parsed } from './structured.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';

const OPTIONS: ParseOptions = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index += 1) if (text.charCodeAt(index) === 10) line += 1;
  return line;
}

/** A JSONC parse error with where it is. */
export interface JsoncError {
  message: string;
  offset: number;
  line: number;
}

/** Every parse error of a JSONC text (empty when it parses). */
export function jsoncErrors(text: string): JsoncError[] {
  const errors: ParseError[] = [];
  parse(text, errors, OPTIONS);
  return errors.map((error) => ({
    message: printParseErrorCode(error.error),
    offset: error.offset,
    line: lineOfOffset(text, error.offset),
  }));
}

/** Parses JSONC; on error, the first error's message, offset and line. */
export function parseJsoncText(text: string): Parsed<unknown> & { offset?: number } {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, OPTIONS);
  if (!errors.length) return { ok: true, value };
  const first = errors[0];
  return {
    ok: false,
    error: `invalid JSON (with comments): ${printParseErrorCode(first.error)} at offset ${first.offset}`,
    line: lineOfOffset(text, first.offset),
    offset: first.offset,
  };
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

/** The first property named `key` in document order, at any depth. */
function findProperty(root: Node, key: string): Node | undefined {
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.shift()!;
    if (node.type === 'property' && node.children?.[0]?.value === key) return node;
    if (node.children) stack.unshift(...node.children);
  }
  return undefined;
}

/**
 * 1-based line of a key: a path (`['compilerOptions', 'strict']`) is looked up exactly; a single name is the first
 * property with that name in document order (inside strings and comments nothing matches). Undefined when absent.
 */
export function lineOfJsonKey(text: string, key: string | readonly string[]): number | undefined {
  const root = parseTree(text, [], OPTIONS);
  if (!root) return undefined;
  const property =
    typeof key === 'string' ? findProperty(root, key) : (findNodeAtLocation(root, [...key])?.parent ?? undefined);
  if (!property || property.type !== 'property') return undefined;
  return lineOfOffset(text, property.offset);
}
