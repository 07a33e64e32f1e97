import { parse as parseTomlText } from 'smol-toml';
import {
  isAlias,
  isMap,
  isPair,
  isSeq,
  Lexer,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import type { RepoSnapshot } from '../snapshot/snapshot.js';

/** A parse that never throws: either a value or a message a person can act on (with the line when known). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; line?: number; column?: number };

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index += 1) if (text.charCodeAt(index) === 10) line += 1;
  return line;
}

/**
 * Budgets for repository files and for the config (and everything it `_extends`) alike: nesting deeper than this
 * is no real manifest, workflow or config (they stay under 20 levels), and every consumer walks values
 * recursively; alias expansion is bounded so a YAML "billion laughs" document is refused instead of expanded.
 */
export const MAX_NESTING_DEPTH = 200;
/** yaml's own guard (`maxAliasCount`: how often one anchor is resolved, weighted by the aliases inside it). */
export const MAX_YAML_ALIAS_COUNT = 1000;
/** Nodes that aliases may add if the document were expanded: templates reused in every job stay far below. */
export const MAX_YAML_ALIAS_EXPANSION = 100_000;
/** Bytes of one config file (`.github/shipready.yml` and each file it `_extends`): real ones are a few KB. */
export const MAX_CONFIG_BYTES = 256 * 1024;

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

function tooDeep(kind: string, line?: number): { ok: false; error: string; line?: number } {
  return {
    ok: false,
    error: `${kind} nested more than ${MAX_NESTING_DEPTH} levels deep: not parsed`,
    ...(line ? { line } : {}),
  };
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

/** The lexer's control tokens (document start, flow error end, scalar start) are not source text. */
const CONTROL_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * The line at which a YAML text nests deeper than `max`, found from the lexer's tokens alone (linear, no
 * recursion) before the text is composed: yaml's composer recurses once per level, so 10^5 levels of `[` would
 * overflow the stack hundreds of times over (seconds of work) before it gave up. Flow collections count each
 * `[`/`{`; block collections count the columns of an indentation stack (a key, a `-` or `?` and the node after it
 * on the same line each open a column). That can count a sequence written at its parent key's indentation as one
 * level instead of two, so the exact depth is still checked on the value; this only keeps the composer bounded.
 */
export function yamlNestingBeyond(text: string, max = MAX_NESTING_DEPTH): number | undefined {
  const columns: number[] = [];
  let flow = 0;
  let line = 1;
  let lineStart = 0;
  let offset = 0;
  let lineHasContent = false;
  let afterIndicator = false;
  for (const token of new Lexer().lex(text)) {
    if (CONTROL_TOKENS.has(token)) continue;
    const start = offset;
    offset += token.length;
    const first = token.charCodeAt(0);
    if (token === '[' || token === '{') flow += 1;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if (
      flow === 0 &&
      first !== 32 && // spaces, tabs and line breaks, comments, and block scalar contents (they start with one)
      first !== 9 &&
      first !== 10 &&
      first !== 13 &&
      first !== 35 &&
      (!lineHasContent || afterIndicator)
    ) {
      const column = start - lineStart;
      while (columns.length && columns[columns.length - 1] >= column) columns.pop();
      columns.push(column);
      lineHasContent = true;
      afterIndicator = token === '-' || token === '?';
    }
    if (columns.length + flow > max) return line;
    for (let index = token.indexOf('\n'); index !== -1; index = token.indexOf('\n', index + 1)) {
      line += 1;
      lineStart = start + index + 1;
      lineHasContent = false;
      afterIndicator = false;
    }
  }
  return undefined;
}

/**
 * The offset of the alias at which expanding the document's aliases would add more than `max` nodes, if any.
 * Each alias adds the size of the node it names (aliases inside that node included), in document order; an alias
 * inside the very node it names would expand forever.
 */
function aliasExpansionBeyond(document: Document, max: number): number | undefined {
  const anchors = new Map<string, Node>();
  const aliases: Array<{ alias: Node; target: Node | undefined }> = [];
  visit(document, {
    Node: (_key, node) => {
      if (isAlias(node)) aliases.push({ alias: node, target: anchors.get(node.source) });
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  if (!aliases.length) return undefined;
  const targetOf = new Map(aliases.map(({ alias, target }) => [alias, target]));
  const sizes = new Map<unknown, number>();
  // Recursion is bounded: the nesting was checked before composing, and targets precede their aliases, so each
  // target's own aliases were sized (memoised) before it is.
  const sizeOf = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return node === null || node === undefined ? 0 : 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (isAlias(node)) return sizeOf(targetOf.get(node));
    if (isPair(node)) return sizeOf(node.key) + sizeOf(node.value);
    if (!isMap(node) && !isSeq(node)) return 1;
    sizes.set(node, Infinity); // in progress: an alias back into it is a cycle
    let size = 1;
    for (const item of node.items as unknown[]) size += sizeOf(item);
    sizes.set(node, size);
    return size;
  };
  let total = 0;
  for (const { alias, target } of aliases) {
    total += sizeOf(target);
    if (total > max) return alias.range?.[0] ?? 0;
  }
  return undefined;
}

export type ParsedYamlDocument =
  | { ok: true; value: unknown; document: Document; lineCounter: LineCounter }
  | { ok: false; error: string; line?: number; column?: number };

/**
 * Parses YAML within the budgets (bytes when `maxBytes` is given, nesting depth, alias expansion): every refusal
 * is a message with the line where the budget was crossed, never a crash, a hang or a silent skip. The config
 * loader keeps the document to find the lines of keys, and asks for unique keys (a repeated key in a config is
 * a mistake; in repository files it is tolerated as their own tools tolerate it).
 */
export function parseYamlDocument(
  text: string,
  options: { maxBytes?: number; uniqueKeys?: boolean } = {},
): ParsedYamlDocument {
  if (options.maxBytes !== undefined && Buffer.byteLength(text, 'utf8') > options.maxBytes) {
    return {
      ok: false,
      error: `the file is ${Buffer.byteLength(text, 'utf8').toLocaleString('en-US')} bytes, more than the ${options.maxBytes.toLocaleString('en-US')}-byte limit: not parsed`,
    };
  }
  const deepAt = yamlNestingBeyond(text);
  if (deepAt !== undefined) return tooDeep('YAML', deepAt);
  const lineCounter = new LineCounter();
  let document: Document;
  try {
    document = parseDocument(text, { prettyErrors: false, uniqueKeys: options.uniqueKeys ?? false, lineCounter });
  } catch (error) {
    if (error instanceof RangeError) return tooDeep('YAML');
    throw error;
  }
  const at = (offset: number) => {
    // An error at the end of the text (an unclosed bracket) belongs to the last line that has something on it.
    const clamped = Math.min(offset, text.trimEnd().length);
    const position = lineCounter.linePos(Math.max(0, clamped === text.trimEnd().length ? clamped - 1 : clamped));
    return { line: position.line, column: position.col };
  };
  if (document.errors.length) {
    const first = document.errors[0];
    return { ok: false, error: `invalid YAML: ${first.message.split('\n')[0]}`, ...at(first.pos[0]) };
  }
  const bombAt = aliasExpansionBeyond(document, MAX_YAML_ALIAS_EXPANSION);
  if (bombAt !== undefined)
    return {
      ok: false,
      error: `YAML aliases would expand to more than ${MAX_YAML_ALIAS_EXPANSION.toLocaleString('en-US')} nodes (an alias bomb): not parsed`,
      line: at(bombAt).line,
    };
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (error) {
    // yaml throws a ReferenceError past maxAliasCount; a stack overflow means nesting far beyond any real file.
    if (error instanceof RangeError) return tooDeep('YAML');
    if (error instanceof ReferenceError)
      return {
        ok: false,
        error: error.message.includes('resource exhaustion')
          ? `YAML aliases are resolved more than ${MAX_YAML_ALIAS_COUNT} times: not parsed`
          : `invalid YAML: ${error.message.split('\n')[0]}`,
      };
    return { ok: false, error: `invalid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  if (nestingDepth(value) > MAX_NESTING_DEPTH) return tooDeep('YAML');
  return { ok: true, value, document, lineCounter };
}

export function parseYamlText(text: string): Parsed<unknown> {
  const parsed = parseYamlDocument(text);
  return parsed.ok ? { ok: true, value: parsed.value } : parsed;
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
