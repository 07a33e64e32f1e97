import picomatch from 'picomatch';
import type { FileText, SettingKey, SettingState, SettingValues, Settings, TreeEntry } from './types.js';

const GLOB_OPTIONS = { dot: true } as const;
const matcherCache = new Map<string, (path: string) => boolean>();

/** Compiled picomatch matchers are cached: the same globs are matched against every tree. */
export function globMatcher(glob: string | string[]): (path: string) => boolean {
  const key = Array.isArray(glob) ? glob.join('\u0000') : glob;
  let matcher = matcherCache.get(key);
  if (!matcher) {
    matcher = picomatch(glob, GLOB_OPTIONS);
    matcherCache.set(key, matcher);
  }
  return matcher;
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
  private readonly byPath: Map<string, TreeEntry>;
  private readonly files: ReadonlyMap<string, FileText>;
  private readonly settings: Settings;
  private readonly memos = new Map<string, unknown>();
  private directories?: Set<string>;

  constructor(init: {
    source: 'local' | 'github';
    entries: readonly TreeEntry[];
    treeTruncated?: boolean;
    files: ReadonlyMap<string, FileText>;
    settings?: Settings;
    root?: string;
  }) {
    this.source = init.source;
    this.entries = init.entries;
    this.treeTruncated = init.treeTruncated ?? false;
    this.files = init.files;
    this.settings = init.settings ?? {};
    this.root = init.root ?? '';
    this.byPath = new Map(init.entries.map((entry) => [entry.path, entry]));
  }

  /** The tree entry at `path` (file, symlink or submodule), if any. */
  entry(path: string): TreeEntry | undefined {
    return this.byPath.get(path);
  }

  /** True when a file, symlink or submodule exists at `path`. */
  has(path: string): boolean {
    return this.byPath.has(path);
  }

  /** True when `path` is a directory holding at least one entry. */
  hasDirectory(path: string): boolean {
    if (!this.directories) {
      this.directories = new Set();
      for (const entry of this.entries) {
        let index = entry.path.lastIndexOf('/');
        while (index > 0) {
          const directory = entry.path.slice(0, index);
          if (this.directories.has(directory)) break;
          this.directories.add(directory);
          index = directory.lastIndexOf('/');
        }
      }
    }
    return this.directories.has(path.replace(/\/$/, ''));
  }

  /** Entries whose path matches the glob(s), in tree order. */
  glob(glob: string | string[]): TreeEntry[] {
    const matches = globMatcher(glob);
    return this.entries.filter((entry) => matches(entry.path));
  }

  /** First existing path among candidates (exact paths, case-sensitive), or undefined. */
  firstExisting(candidates: readonly string[]): string | undefined {
    return candidates.find((candidate) => this.byPath.has(candidate));
  }

  /** Entries whose path matches `pattern` case-insensitively (for README, LICENSE… in any case). */
  findCaseInsensitive(pattern: RegExp): TreeEntry[] {
    const flags = pattern.flags.includes('i') ? pattern.flags : `${pattern.flags}i`;
    const insensitive = new RegExp(pattern.source, flags);
    return this.entries.filter((entry) => insensitive.test(entry.path));
  }

  /**
   * The fetched file at `path`. Throws UndeclaredReadError when the file exists but the check did not declare it,
   * so a forgotten need fails the check's tests instead of silently passing on the GitHub source.
   */
  file(path: string): FileText | undefined {
    const fetched = this.files.get(path);
    if (fetched) return fetched;
    const entry = this.byPath.get(path);
    if (entry && entry.kind === 'file') throw new UndeclaredReadError(this.root ? `${this.root}/${path}` : path);
    if (entry) return { path, text: null, binary: false, truncated: false, size: entry.size, error: `${entry.kind}, not read` };
    return undefined;
  }

  /** The text of the file at `path`, or undefined when it is missing, binary or unreadable. */
  text(path: string): string | undefined {
    return this.file(path)?.text ?? undefined;
  }

  /** The state of a repository setting; 'not-supported' when the source cannot tell. */
  setting<K extends SettingKey>(key: K): SettingState<SettingValues[K]> {
    const state = this.settings[key] as SettingState<SettingValues[K]> | undefined;
    return state ?? { status: 'not-supported', reason: `${this.source === 'local' ? 'a local directory' : 'this source'} cannot tell` };
  }

  /** Computes `compute()` once per view: parsed workflows, Dockerfiles and the like are shared by every check. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** A view of the sub-tree at `root`, with paths relative to it. */
  scoped(root: string): RepoSnapshot {
    if (!root) return this;
    const prefix = `${root}/`;
    const entries: TreeEntry[] = [];
    for (const entry of this.entries) if (entry.path.startsWith(prefix)) entries.push({ ...entry, path: entry.path.slice(prefix.length) });
    const files = new Map<string, FileText>();
    for (const [path, file] of this.files) if (path.startsWith(prefix)) files.set(path.slice(prefix.length), { ...file, path: path.slice(prefix.length) });
    return new RepoSnapshot({
      source: this.source,
      entries,
      treeTruncated: this.treeTruncated,
      files,
      settings: this.settings,
      root: this.root ? `${this.root}/${root}` : root,
    });
  }
}
