import type { TreeEntry } from './types.js';

/** A test of a base name or of a directory path ('' for the root). */
export type PartTest = (part: string) => boolean;

/**
 * A tree's entries indexed once by base name and by parent directory, for checks that would otherwise walk every
 * entry testing its path: a 100,000-file tree has a few thousand distinct names and directories, so each test runs
 * once per distinct name or directory, and the answer is one pass over two integer columns. Results keep the
 * entries' order and are memoised by the caller's key (a key names one test: the same key must mean the same test).
 */
export class TreeIndex {
  private built = false;
  private names: string[] = [];
  private directories: string[] = [];
  /** Per entry, its base name's and its directory's number in `names` / `directories`. */
  private nameOf = new Uint32Array(0);
  private directoryOf = new Uint32Array(0);
  private readonly results = new Map<string, readonly TreeEntry[]>();
  private directoryIds?: Map<string, number>;
  private childrenOf?: TreeEntry[][];
  private subdirectoriesOf?: Map<string, number[]>;

  constructor(private readonly entries: readonly TreeEntry[]) {}

  /**
   * Entries whose base name passes `name` and whose parent directory passes `directory` (an absent test passes
   * everything; with `either`, passing one of the two tests is enough), in tree order, memoised under `key`.
   */
  where(key: string, tests: { name?: PartTest; directory?: PartTest; either?: boolean }): readonly TreeEntry[] {
    let found = this.results.get(key);
    if (found) return found;
    this.build();
    const namePasses = tests.name ? passing(this.names, tests.name) : undefined;
    const directoryPasses = tests.directory ? passing(this.directories, tests.directory) : undefined;
    const kept: TreeEntry[] = [];
    const { entries, nameOf, directoryOf } = this;
    if (tests.either && namePasses && directoryPasses) {
      for (let index = 0; index < entries.length; index += 1)
        if (namePasses[nameOf[index]] || directoryPasses[directoryOf[index]]) kept.push(entries[index]);
    } else
      for (let index = 0; index < entries.length; index += 1) {
        if (namePasses && !namePasses[nameOf[index]]) continue;
        if (directoryPasses && !directoryPasses[directoryOf[index]]) continue;
        kept.push(entries[index]);
      }
    found = kept;
    this.results.set(key, found);
    return found;
  }

  /** Entries whose base name matches `pattern` (a regex without the stateful g or y flags), in tree order. */
  named(pattern: RegExp): readonly TreeEntry[] {
    if (pattern.global || pattern.sticky) throw new Error(`named(): ${pattern} has a stateful flag`);
    return this.where(`name:${pattern.source}/${pattern.flags}`, { name: (name) => pattern.test(name) });
  }

  /** Entries whose base name is one of `names`, in tree order. */
  namedOneOf(names: readonly string[]): readonly TreeEntry[] {
    const wanted = new Set(names);
    return this.where(`names:${names.join('\u0000')}`, { name: (name) => wanted.has(name) });
  }

  /** The distinct parent directories of the entries ('' for the root), in order of first appearance. */
  directoryList(): readonly string[] {
    this.build();
    return this.directories;
  }

  /**
   * The index's columns, for a caller that computes values per distinct name or directory and then visits the
   * entries: entry i has base name `names[nameOf[i]]` and parent directory `directories[directoryOf[i]]`.
   */
  columns(): {
    entries: readonly TreeEntry[];
    names: readonly string[];
    directories: readonly string[];
    nameOf: Uint32Array;
    directoryOf: Uint32Array;
  } {
    this.build();
    const { entries, names, directories, nameOf, directoryOf } = this;
    return { entries, names, directories, nameOf, directoryOf };
  }

  /** Where `directory` is in `directoryList()`, or -1 when no entry sits directly in it. */
  directoryNumber(directory: string): number {
    this.build();
    return this.directoryIds!.get(directory) ?? -1;
  }

  /** The entries directly in directory number `directory` (see `directoryNumber`), in tree order. */
  childrenOfNumber(directory: number): readonly TreeEntry[] {
    if (!this.childrenOf) {
      this.build();
      const children: TreeEntry[][] = this.directories.map(() => []);
      for (let index = 0; index < this.entries.length; index += 1)
        children[this.directoryOf[index]].push(this.entries[index]);
      this.childrenOf = children;
    }
    return this.childrenOf[directory] ?? [];
  }

  /** The numbers of the directories holding entries whose parent is `directory`, ascending. */
  subdirectoryNumbers(directory: string): readonly number[] {
    if (!this.subdirectoriesOf) {
      this.build();
      const byParent = new Map<string, number[]>();
      this.directories.forEach((path, number) => {
        if (!path) return;
        const slash = path.lastIndexOf('/');
        const parent = slash < 0 ? '' : path.slice(0, slash);
        const list = byParent.get(parent);
        if (list) list.push(number);
        else byParent.set(parent, [number]);
      });
      this.subdirectoriesOf = byParent;
    }
    return this.subdirectoriesOf.get(directory) ?? [];
  }

  private build(): void {
    if (this.built) return;
    this.built = true;
    const nameIds = new Map<string, number>();
    const directoryIds = new Map<string, number>();
    const count = this.entries.length;
    this.nameOf = new Uint32Array(count);
    this.directoryOf = new Uint32Array(count);
    let lastDirectory = '';
    let lastDirectoryId = -1;
    for (let index = 0; index < count; index += 1) {
      const path = this.entries[index].path;
      const slash = path.lastIndexOf('/');
      const name = slash < 0 ? path : path.slice(slash + 1);
      let nameId = nameIds.get(name);
      if (nameId === undefined) {
        nameId = this.names.length;
        this.names.push(name);
        nameIds.set(name, nameId);
      }
      this.nameOf[index] = nameId;
      // Sorted listings hold a directory's files together: most entries share the previous entry's directory.
      const sameDirectory =
        lastDirectoryId >= 0 &&
        (slash < 0 ? lastDirectory === '' : slash === lastDirectory.length && path.startsWith(lastDirectory));
      if (!sameDirectory) {
        const directory = slash < 0 ? '' : path.slice(0, slash);
        let directoryId = directoryIds.get(directory);
        if (directoryId === undefined) {
          directoryId = this.directories.length;
          this.directories.push(directory);
          directoryIds.set(directory, directoryId);
        }
        lastDirectory = directory;
        lastDirectoryId = directoryId;
      }
      this.directoryOf[index] = lastDirectoryId;
    }
    this.directoryIds = directoryIds;
  }
}

function passing(parts: readonly string[], test: PartTest): Uint8Array {
  const passes = new Uint8Array(parts.length);
  for (let index = 0; index < parts.length; index += 1) if (test(parts[index])) passes[index] = 1;
  return passes;
}
