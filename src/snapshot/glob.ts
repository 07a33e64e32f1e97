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
 * The only names and extensions a matched path's last segment can have, when the list says so.
 * Absent when some glob of the list can match any name (`src/**`, `*`, a negated glob).
 */
export interface MatcherCandidates {
  names: ReadonlySet<string>;
  /** The text after the name's last dot (`yml` for `ci.yml`). */
  extensions: ReadonlySet<string>;
}

/**
 * One glob of a list as a path index (`path-index.ts`) looks it up: the tree's paths it can match are found by name,
 * extension, directory or parent directory name, so a list is tested only against the few paths that can match
 * instead of every path of the tree — and not at all when the lookup is the whole match (`**\/*.ts`).
 */
export interface PathPattern {
  /** Whether a path, split on `/` (relative to where the list applies), matches. */
  matches(parts: readonly string[]): boolean;
  /** The only names a matching path's last segment can have. */
  names?: ReadonlySet<string>;
  /** The only extensions (the text after the name's last dot) it can have. */
  extensions?: ReadonlySet<string>;
  /** Every path with one of `names` (else `extensions`) matches: `**\/name`, `**\/*.ext` (dot files matched). */
  exact?: boolean;
  /** Literal leading directories (`.github/workflows`, `{docs,doc}`): a matching path is inside one of them… */
  directories?: readonly string[];
  /** …directly (`.github/workflows/*.yml`; `['']` for one-segment globs), else at any depth or the directory itself. */
  directly?: boolean;
  /** The only names the path's parent directory can have (`**\/scripts/*`). */
  parentNames?: ReadonlySet<string>;
  /**
   * When the last segment is not `**`, the match in two parts: the name, and the directory's segments (absent when any
   * directory matches). `matches(parts)` is `matchesName(name) && matchesDirectory(directories)`.
   */
  matchesName?: (name: string) => boolean;
  matchesDirectory?: (directories: readonly string[]) => boolean;
}

export type PathMatcher = ((path: string) => boolean) & {
  readonly candidates?: MatcherCandidates;
  /** The list's globs as index lookups; absent when the list has a negated glob (that matches by exclusion). */
  readonly patterns?: readonly PathPattern[];
};

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
/** Directory prefixes a pattern names at most (`{a,b}/{c,d}/…` multiplies them); past it, no directory lookup. */
const MAX_PREFIXES = 64;

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

/** The text after a name's last dot (`yml` for `ci.yml`, '' for `weird.`), undefined without a dot. */
export function extensionOf(name: string): string | undefined {
  const dotAt = name.lastIndexOf('.');
  return dotAt < 0 ? undefined : name.slice(dotAt + 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation

/**
 * Every positive glob of the list as patterns in one index, by the names and extensions their last segment can
 * have: a path is tried only against the patterns its own name or extension can match (`**\/*.{js,…,60 more}` costs
 * one lookup, not sixty tests). Negated globs are matched on their own.
 */
function compileList(globs: readonly string[], dot: boolean): PathMatcher {
  const byName = new Map<string, PathPattern[]>();
  const byExtension = new Map<string, PathPattern[]>();
  const unindexed: PathPattern[] = [];
  const negated: Array<(parts: readonly string[]) => boolean> = [];
  const patterns: PathPattern[] = [];
  const index = (map: Map<string, PathPattern[]>, key: string, pattern: PathPattern) => {
    const list = map.get(key);
    if (!list) map.set(key, [pattern]);
    else if (list[list.length - 1] !== pattern) list.push(pattern);
  };
  for (const glob of globs) {
    if (glob.length > MAX_GLOB_LENGTH) throw new GlobSyntaxError(glob, `longer than ${MAX_GLOB_LENGTH} characters`);
    let isNegated = false;
    let body = glob;
    while (body.startsWith('!') && !body.startsWith('!(')) {
      isNegated = !isNegated;
      body = body.slice(1);
    }
    const compiled = compilePatterns(body, dot, glob);
    if (isNegated) {
      negated.push((parts) => !compiled.some((pattern) => pattern.matches(parts)));
      continue;
    }
    for (const pattern of compiled) {
      patterns.push(pattern);
      if (pattern.names) for (const name of pattern.names) index(byName, name, pattern);
      else if (pattern.extensions) for (const extension of pattern.extensions) index(byExtension, extension, pattern);
      else unindexed.push(pattern);
    }
  }
  const matcher = (path: string) => {
    // Candidates first, from the name alone: most paths have none, and are never split.
    const name = path.slice(path.lastIndexOf('/') + 1);
    const named = byName.get(name);
    const extension = extensionOf(name);
    const extended = extension === undefined ? undefined : byExtension.get(extension);
    if (!named && !extended && unindexed.length === 0 && negated.length === 0) return false;
    const parts = path.split('/');
    const matches = (pattern: PathPattern) => pattern.matches(parts);
    return Boolean(
      named?.some(matches) || extended?.some(matches) || unindexed.some(matches) || negated.some((test) => test(parts)),
    );
  };
  if (negated.length) return matcher;
  if (unindexed.length) return Object.assign(matcher, { patterns });
  const candidates: MatcherCandidates = { names: new Set(byName.keys()), extensions: new Set(byExtension.keys()) };
  return Object.assign(matcher, { candidates, patterns });
}

type SegmentMatcher = (name: string) => boolean;
/** A path segment of a pattern: `**`, or any of one or more single-segment globs (`{routes,router}`, `*.{yml,yaml}`). */
type Segment =
  | { globstar: true }
  | {
      globstar: false;
      match: SegmentMatcher;
      /** Set when every alternative is a literal name. */
      literals?: ReadonlySet<string>;
      /** The extensions of the alternatives' literal tails, when every tail has a dot. */
      extensions?: ReadonlySet<string>;
      /** Every alternative is `*.ext` (`ext` literal, without a dot). */
      starExtensions: boolean;
    };

/**
 * One glob, braces expanded (what picomatch means by them), then the expansions that differ in one segment only
 * merged back into one pattern with that segment's alternatives: `**\/{routes,api}/**\/*.{js,ts}` is one pattern,
 * not four, so a path is tested once.
 */
function compilePatterns(body: string, dot: boolean, original: string): PathPattern[] {
  let groups = expandBraces(body, original).map((expanded) => splitSegments(expanded).map((text) => [text]));
  const length = (group: string[][]) => group.length;
  const maxLength = Math.max(0, ...groups.map(length));
  for (let position = maxLength - 1; position >= 0; position -= 1) {
    const merged = new Map<string, string[][]>();
    const kept: string[][][] = [];
    for (const group of groups) {
      const texts = group[position];
      if (!texts || texts.includes('**')) {
        kept.push(group);
        continue;
      }
      const kind = position === group.length - 1 ? lastSegmentKind(texts[0], dot, original) : '';
      const key = `${group.length}\u0001${kind}\u0001${group
        .map((alternatives, at) => (at === position ? '' : alternatives.join('\u0000')))
        .join('\u0001')}`;
      const into = merged.get(key);
      if (!into) {
        const copy = group.slice();
        copy[position] = texts.slice();
        merged.set(key, copy);
        kept.push(copy);
      } else for (const text of texts) if (!into[position].includes(text)) into[position].push(text);
    }
    groups = kept;
  }
  return groups.map((group) => compilePattern(group, dot, original));
}

function compileSegmentAlternatives(texts: readonly string[], dot: boolean, original: string): Segment {
  const literals = new Set<string>();
  // `*.ext` alternatives, matched together by the name's extension (`*.{js,…,26 more}` is one lookup).
  const starExtensionSet = new Set<string>();
  const others: SegmentMatcher[] = [];
  const extensions = new Set<string>();
  let allHaveExtensions = true;
  for (const text of texts) {
    const compiled = compileSegment(text, dot, original);
    if (compiled.exactName !== undefined) literals.add(compiled.exactName);
    else if (isStarExtension(text)) starExtensionSet.add(text.slice(2));
    else others.push(compiled.match);
    const extension = extensionOf(compiled.tail);
    if (extension === undefined) allHaveExtensions = false;
    else extensions.add(extension);
  }
  const byExtension =
    starExtensionSet.size === 0
      ? undefined
      : (name: string) => {
          const extension = extensionOf(name);
          return extension !== undefined && starExtensionSet.has(extension) && (dot || !name.startsWith('.'));
        };
  const rest = byExtension ? [byExtension, ...others] : others;
  const match: SegmentMatcher =
    rest.length === 0
      ? (name) => literals.has(name)
      : literals.size === 0 && rest.length === 1
        ? rest[0]
        : (name) => literals.has(name) || rest.some((test) => test(name));
  return {
    globstar: false,
    match,
    ...(rest.length === 0 ? { literals } : {}),
    ...(allHaveExtensions ? { extensions } : {}),
    starExtensions: literals.size === 0 && others.length === 0,
  };
}

/** The kind of a last segment's alternative, so a pattern's last segment is all names, all extensions, or neither. */
function lastSegmentKind(text: string, dot: boolean, original: string): string {
  const compiled = compileSegment(text, dot, original);
  return compiled.exactName !== undefined ? 'name' : extensionOf(compiled.tail) !== undefined ? 'extension' : 'other';
}

/** `*.ext` with a literal `ext` without dots: a name matches it exactly when its extension is `ext` (dot files too). */
function isStarExtension(text: string): boolean {
  if (!text.startsWith('*.') || text.length === 2) return false;
  for (let index = 2; index < text.length; index += 1) if ('.*?[]{}()\\!@+/'.includes(text[index])) return false;
  return true;
}

/** One pattern: its segments' matchers, the lookups a path index can use, and the test on a split path. */
function compilePattern(texts: readonly string[][], dot: boolean, original: string): PathPattern {
  const segments: Segment[] = texts.map((alternatives) =>
    alternatives.length === 1 && alternatives[0] === '**'
      ? { globstar: true }
      : compileSegmentAlternatives(alternatives, dot, original),
  );
  const last = segments[segments.length - 1];
  const fixed = segments.every((segment) => !segment.globstar)
    ? segments.map((segment) => (segment as { match: SegmentMatcher }).match)
    : undefined;
  const anyDepthName = segments.length === 2 && segments[0].globstar && last && !last.globstar ? last.match : undefined;
  const globstars = segments.map((segment) => segment.globstar);
  const matches: (parts: readonly string[]) => boolean = anyDepthName
    ? (parts) => {
        const name = parts[parts.length - 1];
        if (name === '' || !anyDepthName(name)) return false;
        if (!dot)
          for (let index = 0; index < parts.length - 1; index += 1) if (parts[index].startsWith('.')) return false;
        return true;
      }
    : fixed
      ? (parts) => {
          if (parts.length !== fixed.length) return false;
          for (let index = fixed.length - 1; index >= 0; index -= 1)
            if (parts[index] === '' || !fixed[index](parts[index])) return false;
          return true;
        }
      : (parts) => {
          const name = parts[parts.length - 1];
          if (last && !last.globstar && (name === '' || !last.match(name))) return false;
          return matchSegments(segments, globstars, parts, dot);
        };

  const pattern: { -readonly [K in keyof PathPattern]: PathPattern[K] } = { matches };
  if (last && !last.globstar) {
    // A last segment that is not `**` matches the name, the others the directory: each part can be decided once per
    // distinct name or directory of a tree.
    const lastMatch = last.match;
    pattern.matchesName = (name) => name !== '' && lastMatch(name);
    const count = segments.length;
    if (anyDepthName) {
      if (!dot) pattern.matchesDirectory = (directories) => directories.every((part) => !part.startsWith('.'));
    } else if (fixed)
      pattern.matchesDirectory = (directories) =>
        directories.length === count - 1 && directories.every((part, index) => part !== '' && fixed[index](part));
    else pattern.matchesDirectory = (directories) => reaches(segments, globstars, directories, dot, count - 1);
    if (last.literals) pattern.names = last.literals;
    else if (last.extensions) pattern.extensions = last.extensions;
    pattern.exact =
      dot && segments.length === 2 && segments[0].globstar && (last.literals !== undefined || last.starExtensions);
    const parent = segments[segments.length - 2];
    if (parent && !parent.globstar && parent.literals) pattern.parentNames = parent.literals;
  }
  // Leading literal directories, as every combination of their alternatives (bounded).
  let prefixes: string[] = [''];
  let depth = 0;
  for (; depth < segments.length - 1; depth += 1) {
    const segment = segments[depth];
    if (segment.globstar || !segment.literals) break;
    if (prefixes.length * segment.literals.size > MAX_PREFIXES) break;
    const names = [...segment.literals];
    prefixes = prefixes.flatMap((prefix) => names.map((name) => (prefix ? `${prefix}/${name}` : name)));
  }
  const directly = fixed !== undefined && depth === segments.length - 1;
  if (depth > 0 || directly) {
    pattern.directories = prefixes;
    pattern.directly = directly;
  }
  return pattern;
}

/** Whether the whole path matches: the position after the last segment is reached. */
function matchSegments(
  segments: readonly Segment[],
  globstars: readonly boolean[],
  parts: readonly string[],
  dot: boolean,
): boolean {
  return reaches(segments, globstars, parts, dot, segments.length);
}

/**
 * Whether `target` is among the positions in the pattern's segments reachable after the path segments: bits (a set
 * for patterns past 30 segments); `**` matches zero or more segments.
 */
function reaches(
  segments: readonly Segment[],
  globstars: readonly boolean[],
  parts: readonly string[],
  dot: boolean,
  target: number,
): boolean {
  const count = segments.length;
  if (count > 30) return reachesLong(segments, parts, dot, target);
  let positions = closureBits(1, globstars);
  for (const part of parts) {
    let next = 0;
    for (let position = 0; position < count; position += 1) {
      if ((positions & (1 << position)) === 0) continue;
      const segment = segments[position];
      if (segment.globstar) {
        if (dot || !part.startsWith('.')) next |= 1 << position;
      } else if (part !== '' && segment.match(part)) next |= 1 << (position + 1); // `a/*` does not match `a/`
    }
    if (next === 0) return false;
    positions = closureBits(next, globstars);
  }
  return (positions & (1 << target)) !== 0;
}

function closureBits(positions: number, globstars: readonly boolean[]): number {
  for (let position = 0; position < globstars.length; position += 1)
    if (globstars[position] && positions & (1 << position)) positions |= 1 << (position + 1);
  return positions;
}

function reachesLong(segments: readonly Segment[], parts: readonly string[], dot: boolean, target: number): boolean {
  let positions = closure(new Set([0]), segments);
  for (const part of parts) {
    const next = new Set<number>();
    for (const position of positions) {
      const segment = segments[position];
      if (!segment) continue;
      if (segment.globstar) {
        if (dot || !part.startsWith('.')) next.add(position);
      } else if (part !== '' && segment.match(part)) next.add(position + 1);
    }
    if (next.size === 0) return false;
    positions = closure(next, segments);
  }
  return positions.has(target);
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
type CompiledSegment = { match: SegmentMatcher; tail: string; exactName?: string };

/**
 * Compiled segments by text: the checks' lists repeat the same segments (`*.{js,ts,…}` in a dozen globs, the same
 * names in every CI list), and brace expansion repeats them again. Bounded (texts come from repositories too);
 * failures are not kept, so an error always names the glob it came from.
 */
const segmentCache = new Map<string, CompiledSegment>();
const MAX_CACHED_SEGMENTS = 20_000;

function compileSegment(text: string, dot: boolean, original: string): CompiledSegment {
  const key = `${dot ? 'd' : '-'}${text}`;
  let compiled = segmentCache.get(key);
  if (!compiled) {
    compiled = compileSegmentText(text, dot, original);
    if (segmentCache.size >= MAX_CACHED_SEGMENTS) segmentCache.clear();
    segmentCache.set(key, compiled);
  }
  return compiled;
}

function compileSegmentText(text: string, dot: boolean, original: string): CompiledSegment {
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
  /** Scratch for `runNfa`: the generation each state was last added in (matching is synchronous, never nested). */
  marks?: Uint32Array;
  generation?: number;
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

/** The simulation, with state lists and marks reused (a generation per step) instead of a set per character. */
function runNfa(nfa: Nfa, text: string): boolean {
  const size = nfa.states.length;
  if (!nfa.marks || nfa.marks.length < size || nfa.generation! > 0x7fffffff) {
    nfa.marks = new Uint32Array(size);
    nfa.generation = 0;
  }
  let current: number[] = [];
  let next: number[] = [];
  addState(nfa, current, nfa.start, ++nfa.generation!);
  for (const char of text) {
    const generation = ++nfa.generation!;
    next.length = 0;
    for (const index of current) {
      const state = nfa.states[index];
      if (state.kind === 'char' && state.test(char)) addState(nfa, next, state.out, generation);
    }
    if (next.length === 0) return false;
    [current, next] = [next, current];
  }
  return current.includes(0);
}

function addState(nfa: Nfa, list: number[], index: number, generation: number): void {
  const marks = nfa.marks!;
  if (marks[index] === generation) return;
  marks[index] = generation;
  list.push(index);
  const state = nfa.states[index];
  if (state.kind === 'split') for (const out of state.outs) addState(nfa, list, out, generation);
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
