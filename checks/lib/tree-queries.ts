import { classifyPath, type FileClass } from '../../src/engine/file-classes.js';
import { PathIndex } from '../../src/snapshot/path-index.js';
import { globMatcher, type RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { TreeIndex, type PartTest } from '../../src/snapshot/tree-index.js';
import type { TreeEntry } from '../../src/snapshot/types.js';

/**
 * Questions about a whole tree asked through the snapshot's shared indexes (src/snapshot/tree-index.ts) instead of a
 * walk over every entry per check: on a 100,000-file tree a walk is milliseconds, and dozens of checks walk it.
 */

/** The class of the files directly in `directory` ('' for the root): classifyPath decides by directory alone. */
export function directoryClass(directory: string): FileClass {
  return classifyPath(directory ? `${directory}/_` : '_');
}

/** Entries whose file was fetched, in tree order: checks that only judge contents need look at no other. */
export function readEntries(snapshot: RepoSnapshot): readonly TreeEntry[] {
  return snapshot.memo('tree-queries:read-entries', () =>
    snapshot.entries.filter((entry) => snapshot.fileIfRead(entry.path) !== undefined),
  );
}

/**
 * A necessary condition on a glob's matches, tested once per distinct base name and directory: only the entries that
 * pass it are tested against the glob (whose brace lists make each test cost microseconds), so the result is the
 * glob's. `key` names the condition in the memo.
 */
export interface GlobNarrowing {
  key: string;
  name?: PartTest;
  directory?: PartTest;
}

/** Fetched entries whose path matches the glob(s), in tree order (memoised per glob list and narrowing). */
export function readEntriesMatching(
  snapshot: RepoSnapshot,
  glob: string | string[],
  narrowing?: GlobNarrowing,
): readonly TreeEntry[] {
  const key = `${typeof glob === 'string' ? glob : glob.join('\u0000')}\u0000${narrowing?.key ?? ''}`;
  return snapshot.memo(`tree-queries:read-glob:${key}`, () => {
    const matcher = globMatcher(glob);
    if (narrowing) {
      const index = snapshot.memo('tree-queries:read-tree-index', () => new TreeIndex(readEntries(snapshot)));
      return index.where(narrowing.key, narrowing).filter((entry) => matcher(entry.path));
    }
    const index = snapshot.memo('tree-queries:read-path-index', () => new PathIndex(readEntries(snapshot)));
    return index.filter(matcher);
  });
}

/** True for '' and for a directory of one segment (`docs`, `.github`): where repository-level files sit. */
export function isShallowDirectory(directory: string): boolean {
  return !directory.includes('/');
}

/** True for '' and for directories of at most two segments (`.github/ISSUE_TEMPLATE`, `docs/changelog`). */
export function isTwoLevelDirectory(directory: string): boolean {
  const slash = directory.indexOf('/');
  return slash < 0 || directory.indexOf('/', slash + 1) < 0;
}

/** The first segment of a path or directory. */
export function firstSegment(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(0, slash);
}

/**
 * A matcher for base names that answers what `globMatcher(globs)` answers for whole paths, for lists of `**\/…`
 * globs whose rest names a file (no `/`): `**` takes any directories, so only the name decides. Undefined for any
 * other list (the caller then tests whole paths).
 */
export function nameGlobMatcher(globs: readonly string[]): ((name: string) => boolean) | undefined {
  const names: string[] = [];
  for (const glob of globs) {
    if (!glob.startsWith('**/') || glob.indexOf('/', 3) >= 0) return undefined;
    names.push(glob);
  }
  const matcher = globMatcher(names);
  return (name) => matcher(name);
}
