import { classifyPath, type FileClass } from '../../src/engine/file-classes.js';
import { PathIndex } from '../../src/snapshot/path-index.js';
import { globMatcher, type RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { TreeIndex, type PartTest } from '../../src/snapshot/tree-index.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import type { ProjectView } from './project-view.js';

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

/**
 * Visits the view's own entries in tree order with what their base name and their directory (relative to the
 * project) tell, each computed once per distinct name and directory: per-entry tests that go by the name and the
 * directory (ecosystem, test file, generated tree) cost one lookup each instead of a regex each. `byName` returning
 * undefined, or `byDirectory` returning undefined, skips the entry. Both are pure: their answers are kept for the
 * whole repository under `key` (projects share names and relative directories such as `src/lib`).
 */
export function forEachOwnEntry<N, D>(
  view: ProjectView,
  key: string,
  byName: (name: string) => N | undefined,
  byDirectory: (relativeDirectory: string) => D | undefined,
  visit: (entry: TreeEntry, name: N, directory: D) => void,
): void {
  const { index, isOwnDirectory } = view.ownIndex;
  const { entries, names, directories, nameOf, directoryOf } = index.columns();
  const nameValues: Array<N | undefined> = new Array(names.length);
  const nameKnown = new Uint8Array(names.length);
  const directoryValues: Array<D | undefined> = new Array(directories.length);
  const directoryKnown = new Uint8Array(directories.length);
  const prefixLength = view.prefix.length;
  const sharedNames = view.repository.memo(`tree-queries:names:${key}`, () => new Map<string, N | undefined>());
  const sharedDirectories = view.repository.memo(
    `tree-queries:directories:${key}`,
    () => new Map<string, D | undefined>(),
  );
  for (let position = 0; position < entries.length; position += 1) {
    const nameNumber = nameOf[position];
    if (!nameKnown[nameNumber]) {
      nameKnown[nameNumber] = 1;
      const name = names[nameNumber];
      let value = sharedNames.get(name);
      if (value === undefined && !sharedNames.has(name)) sharedNames.set(name, (value = byName(name)));
      nameValues[nameNumber] = value;
    }
    const name = nameValues[nameNumber];
    if (name === undefined) continue;
    const directoryNumber = directoryOf[position];
    if (!directoryKnown[directoryNumber]) {
      directoryKnown[directoryNumber] = 1;
      const directory = directories[directoryNumber];
      if (isOwnDirectory && !isOwnDirectory(directory)) directoryValues[directoryNumber] = undefined;
      else {
        const relative = directory.length > prefixLength ? directory.slice(prefixLength) : '';
        let value = sharedDirectories.get(relative);
        if (value === undefined && !sharedDirectories.has(relative))
          sharedDirectories.set(relative, (value = byDirectory(relative)));
        directoryValues[directoryNumber] = value;
      }
    }
    const directory = directoryValues[directoryNumber];
    if (directory === undefined) continue;
    visit(entries[position], name, directory);
  }
}

/** A test of a name or directory: true when it holds, case aside, one of `words`. */
export function containsAnyOf(words: readonly string[]): (part: string) => boolean {
  const lower = words.map((word) => word.toLowerCase());
  return (part) => {
    const text = part.toLowerCase();
    return lower.some((word) => text.includes(word));
  };
}
