import { listDependencies, listOwnDependencies } from '../../src/engine/dependencies.js';
import { classifyManifest, isNonProjectPath } from '../../src/engine/manifests.js';

export { isNonProjectPath };
import type { CheckContext, Ecosystem, Finding } from '../../src/engine/types.js';
import { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { TreeIndex } from '../../src/snapshot/tree-index.js';
import type { FileText, TreeEntry } from '../../src/snapshot/types.js';

/**
 * A project-scoped check sees either the whole repository (projectPath '') or one monorepo project. Tools are
 * often configured once at the repository root (ESLint, Prettier, Ruff, pre-commit, CI) and inherited by every
 * project, so these checks work in repository coordinates: the project's own sub-tree plus the files directly in
 * each ancestor directory. Findings for files inside the project carry a path relative to it (the engine prefixes
 * the project path); findings for inherited files name the file in the message instead.
 */
export class ProjectView {
  readonly repository: RepoSnapshot;
  /** The project's path in the repository, '' for the repository itself. */
  readonly root: string;
  readonly prefix: string;
  readonly ecosystems: readonly Ecosystem[];
  readonly context: CheckContext<unknown>;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every check's options type
  constructor(context: CheckContext<any>) {
    this.context = context as CheckContext<unknown>;
    this.repository = context.repository;
    this.root = context.projectPath;
    this.prefix = this.root ? `${this.root}/` : '';
    this.ecosystems = context.ecosystems;
  }

  /** The project's own entries (repository paths), outside vendored code, fixtures and examples. */
  get entries(): TreeEntry[] {
    return this.repository.memo(`project-view:entries:${this.root}`, () => {
      // The repository's own entries: one test per directory (the classes go by directory) through the tree index.
      if (!this.root) return [...this.repository.index.where('project-view:own', { directory: isProjectDirectory })];
      const ownDirectory = new Map<string, boolean>();
      return this.repository.entriesUnder(this.root).filter((entry) => {
        const relative = entry.path.slice(this.prefix.length);
        const directory = directoryOf(relative);
        let own = ownDirectory.get(directory);
        if (own === undefined) ownDirectory.set(directory, (own = !isNonProjectPath(relative)));
        return own;
      });
    });
  }

  /** Directories above the project, the repository root first ([] for the repository itself). */
  get ancestors(): string[] {
    if (!this.root) return [];
    const parts = this.root.split('/');
    return parts.map((_, index) => parts.slice(0, index).join('/'));
  }

  /**
   * Files directly inside the ancestor directories, and inside their dot-directories (`.husky/`, `.githooks/`,
   * `.trunk/`, `.config/`): inherited configuration.
   */
  get inheritedEntries(): TreeEntry[] {
    return this.repository.memo(`project-view:inherited:${this.root}`, () => {
      const ancestors = this.ancestors;
      if (!ancestors.length) return [];
      // The ancestors and their dot-directories, in the tree's order of directories, from the shared index.
      const index = this.repository.index;
      const numbers = new Set<number>();
      for (const ancestor of ancestors) {
        const number = index.directoryNumber(ancestor);
        if (number >= 0) numbers.add(number);
        for (const child of index.subdirectoryNumbers(ancestor))
          if (baseName(index.directoryList()[child]).startsWith('.')) numbers.add(child);
      }
      const direct = new Set(ancestors);
      const inherited: TreeEntry[] = [];
      for (const number of [...numbers].sort((a, b) => a - b)) {
        const isDirect = direct.has(index.directoryList()[number]);
        for (const entry of index.childrenOfNumber(number))
          if (isDirect || !entry.path.startsWith(this.prefix)) inherited.push(entry);
      }
      return inherited;
    });
  }

  /** Own entries plus inherited ones: where a tool's configuration may sit. */
  get configEntries(): TreeEntry[] {
    return this.repository.memo(`project-view:config:${this.root}`, () => [...this.inheritedEntries, ...this.entries]);
  }

  /**
   * The project's own entries indexed by base name and directory. For the repository itself it is the repository's
   * index, whose entries outside the project's own directories `isOwnDirectory` leaves out.
   */
  get ownIndex(): { index: TreeIndex; isOwnDirectory?: (directory: string) => boolean } {
    if (!this.root) return { index: this.repository.index, isOwnDirectory: isProjectDirectory };
    return { index: this.repository.memo(`project-view:own-index:${this.root}`, () => new TreeIndex(this.entries)) };
  }

  /** Own entries (any kind) whose base name passes `test`, in tree order, memoised under `key` (one key, one test). */
  ownEntriesNamed(key: string, test: (name: string) => boolean): readonly TreeEntry[] {
    const { index, isOwnDirectory } = this.ownIndex;
    return index.where(`project-view:own-named:${key}`, { name: test, directory: isOwnDirectory });
  }

  /**
   * Configuration files (not symlinks) whose base name passes `test`, in `configEntries` order, memoised under `key`
   * (one key, one test): one test per distinct name, through the tree index.
   */
  configFilesNamed(key: string, test: (name: string) => boolean): TreeEntry[] {
    return this.repository.memo(`project-view:files-named:${this.root}:${key}`, () => {
      const named = this.root
        ? this.repository
            .memo(`project-view:config-index:${this.root}`, () => new TreeIndex(this.configEntries))
            .where(`project-view:config-named:${key}`, { name: test })
        : this.ownEntriesNamed(key, test);
      return named.filter((entry) => entry.kind === 'file');
    });
  }

  /**
   * Configuration entries whose base name matches, grouped by name in order of the names' first appearance
   * (memoised per pattern: dozens of detectors share patterns).
   */
  findByName(pattern: RegExp): TreeEntry[] {
    return this.repository.memo(`project-view:find-name:${this.root}:${pattern.source}/${pattern.flags}`, () => {
      const groups = new Map<string, TreeEntry[]>();
      for (const entry of this.configFilesNamed(`${pattern.source}/${pattern.flags}`, (name) => pattern.test(name))) {
        const name = baseName(entry.path);
        const group = groups.get(name);
        if (group) group.push(entry);
        else groups.set(name, [entry]);
      }
      return [...groups.values()].flat();
    });
  }

  /** Configuration entries whose path relative to the project (or the ancestor holding it) matches. */
  findByPath(pattern: RegExp): TreeEntry[] {
    return this.repository.memo(`project-view:find-path:${this.root}:${pattern.source}/${pattern.flags}`, () =>
      this.configEntries.filter((entry) => entry.kind === 'file' && pattern.test(this.relative(entry.path))),
    );
  }

  /** Path relative to the project when inside it, else relative to the nearest ancestor directory holding it. */
  relative(repoPath: string): string {
    if (repoPath.startsWith(this.prefix)) return repoPath.slice(this.prefix.length);
    const ancestors = this.ancestors;
    for (let index = ancestors.length - 1; index >= 0; index -= 1) {
      const ancestor = ancestors[index];
      if (!ancestor) return repoPath;
      if (repoPath.startsWith(`${ancestor}/`)) return repoPath.slice(ancestor.length + 1);
    }
    return repoPath;
  }

  isOwn(repoPath: string): boolean {
    return repoPath.startsWith(this.prefix);
  }

  /** The fetched file, or undefined when missing or not read (beyond a `{ glob, max }` bound or the read budget). */
  file(repoPath: string): FileText | undefined {
    return this.repository.fileIfRead(repoPath);
  }

  text(repoPath: string): string | undefined {
    return this.file(repoPath)?.text ?? undefined;
  }

  /**
   * A finding at a repository path: relative when the file is the project's own; an inherited file keeps its
   * repository path (flagged, so the engine does not prefix it) and is named in the message too.
   */
  finding(repoPath: string | undefined, message: string, line?: number): Finding {
    if (repoPath === undefined) return { message };
    if (this.isOwn(repoPath)) return { message, path: repoPath.slice(this.prefix.length), ...(line ? { line } : {}) };
    return {
      message: `${message} (inherited from ${repoPath}${line ? `:${line}` : ''})`,
      path: repoPath,
      ...(line ? { line } : {}),
      repositoryPath: true,
    };
  }

  /** How a repository path is shown in a summary. */
  display(repoPath: string, line?: number): string {
    const shown = this.isOwn(repoPath) ? repoPath.slice(this.prefix.length) : repoPath;
    return line ? `${shown}:${line}` : shown;
  }

  /**
   * A declared dependency of the project, or of a manifest in an ancestor directory (hoisted dev dependencies of a
   * monorepo root). Names are lower-case; a trailing `*` matches a prefix.
   */
  dependency(names: readonly string[], options: { withoutExtras?: boolean } = {}): string | undefined {
    const list = options.withoutExtras ? listOwnDependencies : listDependencies;
    const sets = [list(this.ownManifests()), list(this.inheritedManifests())];
    for (const name of names) {
      for (const set of sets) {
        if (name.endsWith('*')) {
          const start = name.slice(0, -1);
          for (const dependency of set) if (dependency.startsWith(start)) return dependency;
        } else if (set.has(name)) return name;
      }
    }
    return undefined;
  }

  /** The project's own manifests as a snapshot (its dependency lists are memoised on it). */
  private ownManifests(): RepoSnapshot {
    return this.repository.memo(`project-view:manifests:${this.root}`, () =>
      this.subSnapshot(this.root ? this.entries : this.configFilesNamed('manifest', isManifestName)),
    );
  }

  private inheritedManifests(): RepoSnapshot {
    return this.repository.memo(`project-view:inherited-manifests:${this.root}`, () =>
      this.subSnapshot(this.inheritedEntries.filter((entry) => classifyManifest(entry.path))),
    );
  }

  /** A snapshot holding only the manifests among `entries` (with their fetched texts), for the engine's parsers. */
  private subSnapshot(entries: TreeEntry[]): RepoSnapshot {
    const files = new Map<string, FileText>();
    const kept: TreeEntry[] = [];
    for (const entry of entries) {
      if (!classifyManifest(entry.path)) continue;
      const file = this.file(entry.path);
      if (!file) continue;
      files.set(entry.path, file);
      kept.push(entry);
    }
    return new RepoSnapshot({ source: this.repository.source, entries: kept, files });
  }
}

/** Files directly in this repository directory are the repository's own (not vendored, generated, fixtures…). */
export function isProjectDirectory(directory: string): boolean {
  return !isNonProjectPath(directory ? `${directory}/_` : '_');
}

/** A manifest's base name: `classifyManifest` of a path is its name's rule, outside non-project directories. */
export function isManifestName(name: string): boolean {
  return classifyManifest(name) !== undefined;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function joinPath(directory: string, name: string): string {
  return directory ? `${directory}/${name}` : name;
}

/** A test of one line: a linear regex, or code (see followedBy). */
export type LineTest = RegExp | ((line: string) => boolean);

export const testLine = (test: LineTest, line: string): boolean =>
  typeof test === 'function' ? test(line) : test.test(line);

/**
 * The text after the first match of `first` in which `then` matches, or undefined. The first occurrence decides, as
 * any later one leaves less text after it; as one regex, `first.*then` retries at every occurrence of `first`, each
 * retry scanning to the end of the line (quadratic).
 */
export function after(text: string, first: RegExp): string | undefined {
  const match = first.exec(text);
  if (!match) return undefined;
  const rest = text.slice(match.index + match[0].length);
  const newline = rest.indexOf('\n');
  return newline < 0 ? rest : rest.slice(0, newline);
}

/** `first`, then later on the same line `then` (`/first.*then/` in linear time). */
export const followedBy =
  (first: RegExp, then: RegExp) =>
  (line: string): boolean => {
    const rest = after(line, first);
    return rest !== undefined && then.test(rest);
  };

/** True when any of the tests passes. */
export const anyOf =
  (...tests: LineTest[]) =>
  (line: string): boolean =>
    tests.some((test) => testLine(test, line));

/** 1-based line of the first line matching `pattern`, or undefined. */
export function lineOf(text: string, pattern: LineTest): number | undefined {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => testLine(pattern, line));
  return index < 0 ? undefined : index + 1;
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/** A readable list: "a, b and c". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
