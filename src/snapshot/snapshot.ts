import { compileGlob, type PathMatcher } from './glob.js';
import { PathIndex } from './path-index.js';
import { TreeIndex } from './tree-index.js';
import type { FileText, SettingKey, SettingState, SettingValues, Settings, TreeEntry } from './types.js';

/** A matcher for repository-relative paths (dot files included); compiled once per glob list (see glob.ts). */
export function globMatcher(glob: string | readonly string[]): PathMatcher {
  return compileGlob(glob, { dot: true });
}

export class UndeclaredReadError extends Error {
  constructor(path: string) {
    super(`read of "${path}" was not declared in the check's needs`);
    this.name = 'UndeclaredReadError';
  }
}

/**
 * The read-only view checks evaluate: the tree, the file texts the engine fetched for the declared needs,
 * and the settings. A scoped view (a monorepo project) shows paths relative to its root.
 */
export class RepoSnapshot {
  readonly source: 'local' | 'github';
  readonly entries: readonly TreeEntry[];
  readonly treeTruncated: boolean;
  /** Path of this view's root inside the repository ('' for the repository itself). */
  readonly root: string;
  private pathMap?: Map<string, TreeEntry>;
  /** The files fetched, by repository path when `filePrefix` is set (a view shares its repository's). */
  private readonly files: ReadonlyMap<string, FileText>;
  private readonly filePrefix: string;
  /** A view's files with paths relative to it, made on first use. */
  private relativeFiles?: Map<string, FileText>;
  private readonly settings: Settings;
  private readonly memos = new Map<string, unknown>();
  private byDirectory?: Map<string, TreeEntry[]>;
  private pathIndex?: PathIndex<TreeEntry>;
  /** A scoped view's place in its repository's index: its entries are that index's ranks from `low` on. */
  private readonly shared?: { index: PathIndex<TreeEntry>; directory: string; low: number };
  private treeIndex?: TreeIndex;
  /** `glob` results by glob list (see `glob`). */
  private readonly globResults = new Map<string, TreeEntry[]>();

  constructor(init: {
    source: 'local' | 'github';
    entries: readonly TreeEntry[];
    treeTruncated?: boolean;
    files: ReadonlyMap<string, FileText>;
    settings?: Settings;
    root?: string;
    /** An index built over exactly `entries` (the engine's, built for selection), shared instead of built again. */
    pathIndex?: PathIndex<TreeEntry>;
    shared?: { index: PathIndex<TreeEntry>; directory: string; low: number };
    /** A view's place in `files` (its repository's): the keys of its files start with it. */
    filePrefix?: string;
  }) {
    this.source = init.source;
    this.entries = init.entries;
    this.treeTruncated = init.treeTruncated ?? false;
    this.files = init.files;
    this.filePrefix = init.filePrefix ?? '';
    this.settings = init.settings ?? {};
    this.root = init.root ?? '';
    this.pathIndex = init.pathIndex;
    this.shared = init.shared;
  }

  /** The fetched file at `path` (relative to this view). */
  private fetched(path: string): FileText | undefined {
    if (!this.filePrefix) return this.files.get(path);
    if (!this.relativeFiles) {
      // In one pass over the view's entries on first use: checks probe every entry, and a lookup per probe in the
      // repository's map would build a repository path each time.
      const relativeFiles = new Map<string, FileText>();
      for (const entry of this.entries) {
        const file = this.files.get(this.filePrefix + entry.path);
        if (file) relativeFiles.set(entry.path, { ...file, path: entry.path });
      }
      this.relativeFiles = relativeFiles;
    }
    return this.relativeFiles.get(path);
  }

  /** Entries by path, built on first use. */
  private get byPath(): Map<string, TreeEntry> {
    if (!this.pathMap) {
      this.pathMap = new Map();
      for (const entry of this.entries) this.pathMap.set(entry.path, entry);
    }
    return this.pathMap;
  }

  /** The path index of this view's entries (sorted once; its lookups are built on first use). */
  private ownPathIndex(): PathIndex<TreeEntry> {
    return (this.pathIndex ??= new PathIndex(this.entries));
  }

  /** Entries below `directory` ('' for all), found by binary search in a path-sorted index built once. */
  entriesUnder(directory: string): readonly TreeEntry[] {
    if (!directory) return this.entries;
    const index = this.ownPathIndex();
    const [low, high] = index.rangeUnder(directory);
    return index.slice(low, high);
  }

  /** Entries directly inside `directory` ('' for the root), from an index built once. */
  entriesIn(directory: string): readonly TreeEntry[] {
    if (!this.byDirectory) {
      this.byDirectory = new Map();
      for (const entry of this.entries) {
        const slash = entry.path.lastIndexOf('/');
        const parent = slash < 0 ? '' : entry.path.slice(0, slash);
        const list = this.byDirectory.get(parent);
        if (list) list.push(entry);
        else this.byDirectory.set(parent, [entry]);
      }
    }
    return this.byDirectory.get(directory) ?? [];
  }

  /** Directories that hold entries directly (keys of the `entriesIn` index). */
  directoriesWithEntries(): Iterable<string> {
    this.entriesIn('');
    return this.byDirectory!.keys();
  }

  /** The entries indexed by base name and parent directory (tree-index.ts), built on first use and shared by checks. */
  get index(): TreeIndex {
    return (this.treeIndex ??= new TreeIndex(this.entries));
  }

  /** The tree entry at `path` (file, symlink or submodule), if any. */
  entry(path: string): TreeEntry | undefined {
    return this.byPath.get(path);
  }

  /** True when a file, symlink or submodule exists at `path`. */
  has(path: string): boolean {
    return this.byPath.has(path);
  }

  /**
   * Entries whose path matches the glob(s), in tree order. Results are kept per glob list: several checks ask for
   * the same lists (other CI systems' files, Dockerfiles), and on 100,000 files each pass is milliseconds. A copy is
   * returned, so a caller that sorts its result changes nobody else's.
   */
  glob(glob: string | string[]): TreeEntry[] {
    const key = typeof glob === 'string' ? glob : glob.join('\u0000');
    let found = this.globResults.get(key);
    if (!found) {
      const matcher = globMatcher(glob);
      if (this.shared) {
        // A project's view asks its repository's index, built once, for the ranks under its root.
        const { index, directory, low } = this.shared;
        found = index.query(matcher, directory).map((rank) => this.entries[rank - low]);
      } else found = this.ownPathIndex().filter(matcher);
      this.globResults.set(key, found);
    }
    return [...found];
  }

  /** First existing path among candidates (exact paths, case-sensitive), or undefined. */
  firstExisting(candidates: readonly string[]): string | undefined {
    return candidates.find((candidate) => this.byPath.has(candidate));
  }

  /**
   * The fetched file at `path`. Throws UndeclaredReadError when the file exists but the check did not declare it,
   * so a forgotten need fails the check's tests instead of silently passing on the GitHub source.
   */
  file(path: string): FileText | undefined {
    const fetched = this.fetched(path);
    if (fetched) return fetched;
    const entry = this.byPath.get(path);
    if (entry && entry.kind === 'file') throw new UndeclaredReadError(this.root ? `${this.root}/${path}` : path);
    if (entry)
      return { path, text: null, binary: false, truncated: false, size: entry.size, error: `${entry.kind}, not read` };
    return undefined;
  }

  /**
   * The fetched file, or undefined when it is missing or was not read (past a `{ glob, max }` bound or the read
   * budget). Never throws: for checks that read what a bounded need happened to fetch.
   */
  fileIfRead(path: string): FileText | undefined {
    return this.fetched(path);
  }

  /** The fetched text, or undefined when missing, binary, unreadable or not read. Never throws. */
  textIfRead(path: string): string | undefined {
    return this.fetched(path)?.text ?? undefined;
  }

  /** The text of the file at `path`, or undefined when it is missing, binary or unreadable. */
  text(path: string): string | undefined {
    return this.file(path)?.text ?? undefined;
  }

  /** The state of a repository setting; 'not-supported' when the source cannot tell. */
  setting<K extends SettingKey>(key: K): SettingState<SettingValues[K]> {
    const state = this.settings[key] as SettingState<SettingValues[K]> | undefined;
    return (
      state ?? {
        status: 'not-supported',
        reason: `${this.source === 'local' ? 'a local directory' : 'this source'} cannot tell`,
      }
    );
  }

  /** Computes `compute()` once per view: parsed workflows, Dockerfiles and the like are shared by every check. */
  memo<T>(key: string, compute: () => T): T {
    const known = this.memos.get(key);
    if (known !== undefined || this.memos.has(key)) return known as T;
    const computed = compute();
    this.memos.set(key, computed);
    return computed;
  }

  /** A view of the sub-tree at `root`, with paths relative to it. */
  scoped(root: string): RepoSnapshot {
    if (!root) return this;
    const prefix = `${root}/`;
    const entries: TreeEntry[] = [];
    for (const entry of this.entriesUnder(root)) entries.push({ ...entry, path: entry.path.slice(prefix.length) });
    // The view's entries are a range of this view's sorted entries, so they are a range of the repository's index.
    const index = this.shared?.index ?? this.ownPathIndex();
    const directory = this.shared ? `${this.shared.directory}/${root}` : root;
    return new RepoSnapshot({
      source: this.source,
      entries,
      treeTruncated: this.treeTruncated,
      files: this.files,
      filePrefix: `${this.filePrefix}${prefix}`,
      settings: this.settings,
      root: this.root ? `${this.root}/${root}` : root,
      shared: { index, directory, low: index.rangeUnder(directory)[0] },
    });
  }
}
