/**
 * Glob matching in time linear in the path, for every glob shipready matches: the checks' own needs and the globs a
 * repository supplies (.dockerignore lines, workspace members, Dependabot directories, `paths.ignore`).
 *
 * Why not picomatch: it compiles a glob to one backtracking regular expression, and `**` becomes
 * `(?:(?!(?:^|\/)\.{1,2}(?:\/|$)).)*?` — quadratic in the path for most globs, worse for a repository's own
 * globs (`**\/**\/**\/a`), and the tree's paths are chosen by whoever opens the pull request. Here a glob is split
 * into path segments once; `**` is matched by a set of positions over segments, and each segment by a
 * Thompson simulation over its characters — O(path length × glob length) whatever the input.
 *
 * The syntax is picomatch's, as the checks use it: `*`, `?`, `[…]` (`[!…]`/`[^…]` negated), `\` escapes,
 * `{a,b}` braces (nested, expanded first, so an alternative may span segments), `**` as a whole segment,
 * extglobs `@(…)`, `?(…)`, `*(…)`, `+(…)`, and `!(…)` at the start of a segment followed by literal text only
 * (`!(package-lock|*.min).js`, `!(*.*)`), and a leading `!` that negates the whole glob. `test/snapshot/glob.test.ts`
 * holds picomatch's answers for every glob in the code as the oracle.
 */

import { LRUCache } from 'lru-cache';

export interface GlobOptions {
  /** Let `*`, `?` and `**` match names starting with a dot (picomatch's `dot`). Default false. */
  dot?: boolean;
}

/**
 * The only names and extensions a matched path's last segment can have, when the list says so: a path index
 * (`path-index.ts`) then tests just the paths with those names or extensions instead of every path of the tree.
 * Absent when some glob of the list can match any name (`src/**`, `*`, a negated glob).
 */
export interface MatcherCandidates {
  names: ReadonlySet<string>;
  /** The text after the name's last dot (`yml` for `ci.yml`). */
  extensions: ReadonlySet<string>;
}

export type PathMatcher = ((path: string) => boolean) & { readonly candidates?: MatcherCandidates };

/** Thrown for a glob this matcher does not support or that expands past the bound. */
export class GlobSyntaxError extends Error {
  constructor(
    readonly glob: string,
    reason: string,
  ) {
    super(`unsupported glob ${JSON.stringify(glob.length > 80 ? `${glob.slice(0, 80)}…` : glob)}: ${reason}`);
    this.name = 'GlobSyntaxError';
  }
}

/** Brace expansion beyond this many alternatives is refused (a repository's glob could otherwise explode). */
const MAX_EXPANSIONS = 4096;
/** Longer globs are refused: the per-segment simulation is O(name × glob). */
const MAX_GLOB_LENGTH = 2000;

// ---------------------------------------------------------------------------------------------------------------
// Public API

/**
 * Compiled matchers by glob list, least recently used dropped first: globs come from repositories (config files,
 * CODEOWNERS, .gitignore), so the cache must not grow with what they contain. Matchers are pure, so no TTL.
 */
export const MATCHER_CACHE_ENTRIES = 5000;
const cache = new LRUCache<string, PathMatcher>({ max: MATCHER_CACHE_ENTRIES });

/** A matcher for one glob, or for any of a list (each `!`-led entry matches what its glob does not, as picomatch). */
export function compileGlob(glob: string | readonly string[], options: GlobOptions = {}): PathMatcher {
  const globs = typeof glob === 'string' ? [glob] : glob;
  const key = `${options.dot ? 'd' : '-'}\u0000${globs.join('\u0000')}`;
  let matcher = cache.get(key);
  if (!matcher) {
    matcher = compileList(globs, options.dot ?? false);
    cache.set(key, matcher);
  }
  return matcher;
}

/** Whether `path` matches `glob`. */
export function matchesGlob(path: string, glob: string | readonly string[], options: GlobOptions = {}): boolean {
  return compileGlob(glob, options)(path);
}

/** Whether the text contains glob syntax (otherwise it names one path). */
export function hasGlobSyntax(text: string): boolean {
  return /[*?[{]|[@+!]\(/.test(text);
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation

/** One brace-free glob, and the literal text its last segment ends with (the name must end with it). */
interface Alternative {
  tail: string;
  /** The last segment is this literal name (`Makefile`): indexed by name. */
  exactName?: string;
  test: (parts: readonly string[]) => boolean;
}

/**
 * The alternatives of every positive glob of the list in one index, by the extension their last segment ends
 * with: a path is tried only against the alternatives its own extension can match (`**\/*.{js,…,60 more}` costs one
 * lookup, not sixty tests). Negated globs are matched on their own.
 */
function compileList(globs: readonly string[], dot: boolean): PathMatcher {
  const byName = new Map<string, Alternative[]>();
  const byExtension = new Map<string, Alternative[]>();
  const unindexed: Alternative[] = [];
  const negated: Array<(parts: readonly string[]) => boolean> = [];
  const index = (map: Map<string, Alternative[]>, key: string, alternative: Alternative) => {
    const list = map.get(key);
    if (list) list.push(alternative);
    else map.set(key, [alternative]);
  };
  for (const glob of globs) {
    if (glob.length > MAX_GLOB_LENGTH) throw new GlobSyntaxError(glob, `longer than ${MAX_GLOB_LENGTH} characters`);
    let isNegated = false;
    let body = glob;
    while (body.startsWith('!') && !body.startsWith('!(')) {
      isNegated = !isNegated;
      body = body.slice(1);
    }
    const alternatives = expandBraces(body, glob).map((expanded) => compileExpanded(expanded, dot, glob));
    if (isNegated) {
      negated.push((parts) => !alternatives.some((alternative) => matchAlternative(alternative, parts)));
      continue;
    }
    for (const alternative of alternatives) {
      const dotAt = alternative.tail.lastIndexOf('.');
      if (alternative.exactName !== undefined) index(byName, alternative.exactName, alternative);
      else if (dotAt >= 0) index(byExtension, alternative.tail.slice(dotAt + 1), alternative);
      else unindexed.push(alternative);
    }
  }
  const matcher = (path: string) => {
    // Candidates first, from the name alone: most paths have none, and are never split.
    const name = path.slice(path.lastIndexOf('/') + 1);
    const dotAt = name.lastIndexOf('.');
    const named = byName.get(name);
    // An indexed tail contains a dot, so the name's last dot is inside the tail: both end with the same extension.
    const extended = dotAt < 0 ? undefined : byExtension.get(name.slice(dotAt + 1));
    if (!named && !extended && unindexed.length === 0 && negated.length === 0) return false;
    const parts = path.split('/');
    const matches = (alternative: Alternative) => matchAlternative(alternative, parts);
    return Boolean(
      named?.some(matches) || extended?.some(matches) || unindexed.some(matches) || negated.some((test) => test(parts)),
    );
  };
  if (unindexed.length || negated.length) return matcher;
  const candidates: MatcherCandidates = { names: new Set(byName.keys()), extensions: new Set(byExtension.keys()) };
  return Object.assign(matcher, { candidates });
}

function matchAlternative(alternative: Alternative, parts: readonly string[]): boolean {
  return parts[parts.length - 1].endsWith(alternative.tail) && alternative.test(parts);
}

type SegmentMatcher = (name: string) => boolean;
type Segment = { globstar: true } | { globstar: false; match: SegmentMatcher };

/** One brace-free glob: its segments, and a quick test on the last path segment before the full match. */
function compileExpanded(glob: string, dot: boolean, original: string): Alternative {
  let tail = '';
  let exactName: string | undefined;
  const texts = splitSegments(glob);
  const segments: Segment[] = texts.map((text, index) => {
    if (text === '**') return { globstar: true };
    const compiled = compileSegment(text, dot, original);
    if (index === texts.length - 1) {
      tail = compiled.tail;
      exactName = compiled.exactName;
    }
    return { globstar: false, match: compiled.match };
  });
  const last = segments[segments.length - 1];
  const fixedCount = segments.every((segment) => !segment.globstar) ? segments.length : undefined;
  // The common shapes without the position set: `**/name` (any depth) and globs without `**`.
  const anyDepthName = segments.length === 2 && segments[0].globstar && !last.globstar ? last.match : undefined;
  const fixed = segments.every((segment) => !segment.globstar)
    ? segments.map((segment) => (segment as { match: SegmentMatcher }).match)
    : undefined;
  const test = anyDepthName
    ? (parts: readonly string[]) => {
        const name = parts[parts.length - 1];
        if (name === '' || !anyDepthName(name)) return false;
        if (!dot)
          for (let index = 0; index < parts.length - 1; index += 1) if (parts[index].startsWith('.')) return false;
        return true;
      }
    : fixed
      ? (parts: readonly string[]) =>
          parts.length === fixed.length && fixed.every((match, index) => parts[index] !== '' && match(parts[index]))
      : undefined;
  return {
    tail,
    ...(exactName !== undefined ? { exactName } : {}),
    test:
      test ??
      ((parts) => {
        if (fixedCount !== undefined && parts.length !== fixedCount) return false;
        const name = parts[parts.length - 1];
        if (last && !last.globstar && (name === '' || !last.match(name))) return false;
        return matchSegments(segments, parts, dot);
      }),
  };
}

/** Positions in the glob's segments reachable after each path segment; `**` matches zero or more segments. */
function matchSegments(segments: readonly Segment[], parts: readonly string[], dot: boolean): boolean {
  let positions = closure(new Set([0]), segments);
  for (const part of parts) {
    const next = new Set<number>();
    for (const position of positions) {
      const segment = segments[position];
      if (!segment) continue;
      if (segment.globstar) {
        if (dot || !part.startsWith('.')) next.add(position);
      } else if (part !== '' && segment.match(part)) next.add(position + 1); // `a/*` does not match `a/`
    }
    if (next.size === 0) return false;
    positions = closure(next, segments);
  }
  return positions.has(segments.length);
}

function closure(positions: Set<number>, segments: readonly Segment[]): Set<number> {
  for (const position of positions) if (segments[position]?.globstar) positions.add(position + 1); // Set iteration visits added items
  return positions;
}

/** Splits on `/` outside classes and extglob groups; repeated slashes are one, a trailing slash is dropped. */
function splitSegments(glob: string): string[] {
  const segments: string[] = [];
  let current = '';
  let depth = 0;
  let inClass = false;
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index];
    if (char === '\\' && index + 1 < glob.length) {
      current += char + glob[++index];
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') inClass = glob.indexOf(']', index + 2) > 0;
    else if (char === '(' && '@?*+!'.includes(glob[index - 1] ?? '')) depth += 1;
    else if (char === ')' && depth > 0) depth -= 1;
    else if (char === '/' && depth === 0) {
      if (current) segments.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (current) segments.push(current);
  return segments;
}

// ---------------------------------------------------------------------------------------------------------------
// Brace expansion

/** `a{b,c{d,e}}` → `ab`, `acd`, `ace`. A group without a top-level comma is literal text, as in picomatch. */
function expandBraces(glob: string, original: string): string[] {
  const open = findBraceOpen(glob);
  if (open < 0) return [glob];
  const { close, parts } = splitBraceGroup(glob, open);
  if (close < 0 || parts.length < 2) {
    // Literal `{`: escape it and expand the rest.
    return expandBraces(`${glob.slice(0, open)}\\{${glob.slice(open + 1)}`, original);
  }
  const prefix = glob.slice(0, open);
  const suffixes = expandBraces(glob.slice(close + 1), original);
  const results: string[] = [];
  for (const part of parts)
    for (const middle of expandBraces(part, original))
      for (const suffix of suffixes) {
        results.push(prefix + middle + suffix);
        if (results.length > MAX_EXPANSIONS)
          throw new GlobSyntaxError(original, `braces expand to more than ${MAX_EXPANSIONS} globs`);
      }
  return results;
}

function findBraceOpen(glob: string): number {
  let inClass = false;
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index];
    if (char === '\\') index += 1;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = glob.indexOf(']', index + 2) > 0;
    else if (char === '{') return index;
  }
  return -1;
}

function splitBraceGroup(glob: string, open: number): { close: number; parts: string[] } {
  const parts: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let index = open + 1; index < glob.length; index += 1) {
    const char = glob[index];
    if (char === '\\') index += 1;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      if (depth === 0) {
        parts.push(glob.slice(start, index));
        return { close: index, parts };
      }
      depth -= 1;
    } else if (char === ',' && depth === 0) {
      parts.push(glob.slice(start, index));
      start = index + 1;
    }
  }
  return { close: -1, parts };
}

// ---------------------------------------------------------------------------------------------------------------
// One segment

type Token =
  | { kind: 'literal'; text: string }
  | { kind: 'one'; test: (char: string) => boolean }
  | { kind: 'star' }
  | { kind: 'group'; operator: '@' | '?' | '*' | '+'; alternatives: Token[][] }
  | { kind: 'not'; alternatives: Token[][] };

/** A segment's matcher, and the literal text it ends with ('' when it ends with a wildcard or group). */
function compileSegment(
  text: string,
  dot: boolean,
  original: string,
): { match: SegmentMatcher; tail: string; exactName?: string } {
  const tokens = tokenize(text, original);
  const explicitDot = tokens[0]?.kind === 'literal' && tokens[0].text.startsWith('.');
  const dotAllowed = (name: string) => dot || explicitDot || !name.startsWith('.');
  const lastToken = tokens[tokens.length - 1];
  const tail = lastToken?.kind === 'literal' ? lastToken.text : '';

  // Literals and stars only (`Dockerfile`, `*.json`, `*Controller*.java`): leftmost-first search is exact.
  if (tokens.length === 1 && lastToken.kind === 'literal')
    return { match: (name) => name === tail, tail, exactName: tail };
  if (tokens.every((token) => token.kind === 'literal' || token.kind === 'star')) {
    const match = starMatcher(tokens as Array<{ kind: 'literal'; text: string } | { kind: 'star' }>);
    return { match: (name) => dotAllowed(name) && match(name), tail };
  }

  if (tokens[0]?.kind === 'not') {
    const rest = tokens.slice(1);
    if (!rest.every((token) => token.kind === 'literal'))
      throw new GlobSyntaxError(original, '`!(…)` must start a segment and be followed by literal text only');
    const suffix = literalText(rest);
    const excluded = compileNfa(
      tokens[0].alternatives.length ? [{ kind: 'group', operator: '@', alternatives: tokens[0].alternatives }] : [],
    );
    const match = (name: string) => {
      if (!dotAllowed(name) || !name.endsWith(suffix)) return false;
      return !runNfa(excluded, name.slice(0, name.length - suffix.length));
    };
    return { match, tail: suffix };
  }
  if (tokens.some((token) => token.kind === 'not'))
    throw new GlobSyntaxError(original, '`!(…)` must start a segment and be followed by literal text only');

  const nfa = compileNfa(tokens);
  return { match: (name) => dotAllowed(name) && runNfa(nfa, name), tail };
}

/**
 * `lit*lit*…*lit`: the first literal is a prefix, the last a suffix, the ones between are found left to right —
 * for stars alone, the leftmost occurrence of each is never worse than a later one. Linear with `indexOf`.
 */
function starMatcher(tokens: ReadonlyArray<{ kind: 'literal'; text: string } | { kind: 'star' }>): SegmentMatcher {
  const pieces: string[] = [''];
  for (const token of tokens) {
    if (token.kind === 'star') pieces.push('');
    else pieces[pieces.length - 1] += token.text;
  }
  if (pieces.length === 1) return (name) => name === pieces[0];
  const head = pieces[0];
  const last = pieces[pieces.length - 1];
  const middle = pieces.slice(1, -1).filter(Boolean);
  const minimum = pieces.reduce((sum, piece) => sum + piece.length, 0);
  return (name) => {
    if (name.length < minimum || !name.startsWith(head) || !name.endsWith(last)) return false;
    let position = head.length;
    const end = name.length - last.length;
    for (const piece of middle) {
      const found = name.indexOf(piece, position);
      if (found < 0 || found + piece.length > end) return false;
      position = found + piece.length;
    }
    return true;
  };
}

const literalText = (tokens: readonly Token[]) => tokens.map((token) => (token as { text: string }).text).join('');

function tokenize(text: string, original: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const pushLiteral = (char: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === 'literal') last.text += char;
    else tokens.push({ kind: 'literal', text: char });
  };
  while (index < text.length) {
    const char = text[index];
    if (char === '\\' && index + 1 < text.length) {
      pushLiteral(text[index + 1]);
      index += 2;
    } else if ('@?*+!'.includes(char) && text[index + 1] === '(') {
      const close = matchingParen(text, index + 1);
      if (close < 0) throw new GlobSyntaxError(original, 'unclosed extglob group');
      const alternatives = splitAlternatives(text.slice(index + 2, close)).map((part) => tokenize(part, original));
      tokens.push(
        char === '!'
          ? { kind: 'not', alternatives }
          : { kind: 'group', operator: char as '@' | '?' | '*' | '+', alternatives },
      );
      index = close + 1;
    } else if (char === '*') {
      while (text[index] === '*') index += 1; // `**` inside a segment is `*`
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') {
      tokens.push({ kind: 'one', test: () => true });
      index += 1;
    } else if (char === '[' && text.indexOf(']', index + 2) > 0) {
      const close = text.indexOf(']', index + 2);
      tokens.push({ kind: 'one', test: compileClass(text.slice(index + 1, close)) });
      index = close + 1;
    } else {
      pushLiteral(char);
      index += 1;
    }
  }
  return tokens;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    if (text[index] === '\\') index += 1;
    else if (text[index] === '(') depth += 1;
    else if (text[index] === ')' && --depth === 0) return index;
  }
  return -1;
}

function splitAlternatives(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '\\') index += 1;
    else if (text[index] === '(') depth += 1;
    else if (text[index] === ')') depth -= 1;
    else if (text[index] === '|' && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `a-z0-9_` → a test on one character; a leading `!` or `^` negates. */
function compileClass(body: string): (char: string) => boolean {
  const negated = body.startsWith('!') || body.startsWith('^');
  const items = negated ? body.slice(1) : body;
  const ranges: Array<[number, number]> = [];
  for (let index = 0; index < items.length; index += 1) {
    let char = items[index];
    if (char === '\\' && index + 1 < items.length) char = items[++index];
    if (items[index + 1] === '-' && index + 2 < items.length) {
      ranges.push([char.charCodeAt(0), items.charCodeAt(index + 2)]);
      index += 2;
    } else ranges.push([char.charCodeAt(0), char.charCodeAt(0)]);
  }
  return (char) => {
    const code = char.charCodeAt(0);
    const inside = ranges.some(([low, high]) => code >= low && code <= high);
    return negated ? !inside : inside;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Thompson NFA over one segment's characters

type NfaState =
  | { kind: 'char'; test: (char: string) => boolean; out: number }
  | { kind: 'split'; outs: number[] }
  | { kind: 'accept' };

interface Nfa {
  states: NfaState[];
  start: number;
}

function compileNfa(tokens: readonly Token[]): Nfa {
  const states: NfaState[] = [{ kind: 'accept' }];
  const add = (state: NfaState) => states.push(state) - 1;
  /** Builds `tokens` so that it continues at `next`; returns its entry state. */
  const build = (sequence: readonly Token[], next: number): number => {
    let entry = next;
    for (let index = sequence.length - 1; index >= 0; index -= 1) {
      const token = sequence[index];
      if (token.kind === 'literal') {
        for (let position = token.text.length - 1; position >= 0; position -= 1) {
          const expected = token.text[position];
          entry = add({ kind: 'char', test: (char) => char === expected, out: entry });
        }
      } else if (token.kind === 'one') entry = add({ kind: 'char', test: token.test, out: entry });
      else if (token.kind === 'star') {
        const loop = add({ kind: 'split', outs: [] });
        const any = add({ kind: 'char', test: () => true, out: loop });
        (states[loop] as { outs: number[] }).outs.push(any, entry);
        entry = loop;
      } else if (token.kind === 'group') {
        const alternativesTo = (target: number) => token.alternatives.map((alternative) => build(alternative, target));
        if (token.operator === '@') entry = add({ kind: 'split', outs: alternativesTo(entry) });
        else if (token.operator === '?') entry = add({ kind: 'split', outs: [...alternativesTo(entry), entry] });
        else {
          const loop = add({ kind: 'split', outs: [] });
          (states[loop] as { outs: number[] }).outs.push(...alternativesTo(loop), entry);
          entry = token.operator === '*' ? loop : add({ kind: 'split', outs: alternativesTo(loop) });
        }
      } else throw new Error('`!(…)` inside an extglob group is not supported');
    }
    return entry;
  };
  return { states, start: build(tokens, 0) };
}

function runNfa(nfa: Nfa, text: string): boolean {
  let current = new Set<number>();
  addState(nfa, current, nfa.start);
  for (const char of text) {
    const next = new Set<number>();
    for (const index of current) {
      const state = nfa.states[index];
      if (state.kind === 'char' && state.test(char)) addState(nfa, next, state.out);
    }
    if (next.size === 0) return false;
    current = next;
  }
  return current.has(0);
}

function addState(nfa: Nfa, set: Set<number>, index: number): void {
  if (set.has(index)) return;
  set.add(index);
  const state = nfa.states[index];
  if (state.kind === 'split') for (const out of state.outs) addState(nfa, set, out);
}

/**
 * For globs a repository supplies (.dockerignore, workspaces, `files`, Dependabot directories): one this matcher
 * refuses matches nothing, so a hostile or exotic line is left out instead of failing the evaluation.
 */
export function compileRepositoryGlob(glob: string | readonly string[], options: GlobOptions = {}): PathMatcher {
  const globs = typeof glob === 'string' ? [glob] : glob;
  const usable = globs.filter((item) => {
    try {
      compileGlob(item, options);
      return true;
    } catch (error) {
      if (error instanceof GlobSyntaxError) return false;
      throw error;
    }
  });
  return usable.length ? compileGlob(usable, options) : () => false;
}
