import { listDependencies, listOwnDependencies } from '../../src/engine/dependencies.js';
import { classifyManifest, isNonProjectPath } from '../../src/engine/manifests.js';

export { isNonProjectPath };
import type { CheckContext, Ecosystem, Finding } from '../../src/engine/types.js';
import { RepoSnapshot } from '../../src/snapshot/snapshot.js';
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
    return this.repository.memo(`project-view:entries:${this.root}`, () =>
      this.repository
        .entriesUnder(this.root)
        .filter((entry) => !isNonProjectPath(entry.path.slice(this.prefix.length))),
    );
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
      const ancestors = new Set(this.ancestors);
      if (!ancestors.size) return [];
      const inherited: TreeEntry[] = [];
      for (const directory of this.repository.directoriesWithEntries()) {
        const direct = ancestors.has(directory);
        const dotDirectory = baseName(directory).startsWith('.') && ancestors.has(directoryOf(directory));
        if (!direct && !dotDirectory) continue;
        for (const entry of this.repository.entriesIn(directory))
          if (direct || !entry.path.startsWith(this.prefix)) inherited.push(entry);
      }
      return inherited;
    });
  }

  /** Own entries plus inherited ones: where a tool's configuration may sit. */
  get configEntries(): TreeEntry[] {
    return this.repository.memo(`project-view:config:${this.root}`, () => [...this.inheritedEntries, ...this.entries]);
  }

  /** Configuration files grouped by base name, so that a name pattern is tested once per distinct name. */
  private get byName(): Map<string, TreeEntry[]> {
    return this.repository.memo(`project-view:by-name:${this.root}`, () => {
      const index = new Map<string, TreeEntry[]>();
      for (const entry of this.configEntries) {
        if (entry.kind !== 'file') continue;
        const name = baseName(entry.path);
        const list = index.get(name);
        if (list) list.push(entry);
        else index.set(name, [entry]);
      }
      return index;
    });
  }

  /** Configuration entries whose base name matches (memoised per pattern: dozens of detectors share patterns). */
  findByName(pattern: RegExp): TreeEntry[] {
    return this.repository.memo(`project-view:find-name:${this.root}:${pattern.source}/${pattern.flags}`, () => {
      const found: TreeEntry[] = [];
      for (const [name, entries] of this.byName) if (pattern.test(name)) found.push(...entries);
      return found;
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
    return this.repository.memo(`project-view:manifests:${this.root}`, () => this.subSnapshot(this.entries));
  }

  private inheritedManifests(): RepoSnapshot {
    return this.repository.memo(`project-view:inherited-manifests:${this.root}`, () =>
      this.subSnapshot(this.inheritedEntries.filter((entry) => classifyManifest(entry.path))),
    );
  }

  /** A snapshot holding only `entries` (with their fetched texts), so the engine's manifest parsers can be reused. */
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
