import { execFile, spawn } from 'node:child_process';
import { closeSync, constants, lstatSync, openSync, readSync } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { toFileText } from './file-text.js';
import { nextTurn } from './turns.js';
import type {
  FileText,
  ReadLimits,
  SettingKey,
  Settings,
  SnapshotSource,
  Target,
  TreeEntry,
  TreeListing,
} from './types.js';

const run = promisify(execFile);
/** Directories a plain walk never enters: they are not part of a repository's own content. */
const WALK_SKIPPED = new Set(['.git', 'node_modules']);
const STAT_CONCURRENCY = 64;
/** Files read (synchronously, one after another) between two turns of the event loop: progress keeps moving. */
const READS_PER_TURN = 256;
/** Never through a symlink, whatever a path's last component became since it was listed. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * Runs `task` on every item with at most `limit` in flight: one promise per file of a 100,000-file tree costs
 * hundreds of MiB, and more concurrency does not make the disk faster.
 */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** `https://github.com/o/r(.git)`, `git@github.com:o/r.git`, `ssh://git@github.com/o/r` → `o/r`. */
function githubRepositoryOf(url: string): string | undefined {
  const prefix = ['https://github.com/', 'git@github.com:', 'ssh://git@github.com/'].find((start) =>
    url.toLowerCase().startsWith(start),
  );
  if (!prefix) return undefined;
  const rest = url
    .slice(prefix.length)
    .replace(/\/$/, '')
    .replace(/\.git$/, '');
  return /^[\w.-]{1,100}\/[\w.-]{1,100}$/.test(rest) ? rest : undefined;
}

export interface LocalProgress {
  listed: number;
  read: number;
  toRead: number;
}

/** A directory on disk. Uses git's index when the directory is in a checkout, a plain walk otherwise. */
export class LocalSource implements SnapshotSource {
  readonly kind = 'local' as const;
  readonly directory: string;
  /** Known once the tree is listed, when the directory is the top of a git checkout: HEAD and a GitHub origin. */
  private checkout: { sha?: string; repository?: string } = {};
  private listed = 0;
  private scratch = Buffer.allocUnsafe(64 << 10);

  /** Counts one more listed entry (every 256, and at the end, a progress event). */
  private countListed(final = false): void {
    if (!final) this.listed += 1;
    if (final || this.listed % 256 === 0) this.onProgress?.({ listed: this.listed, read: 0, toRead: 0 });
  }

  /** Counts for a progress line (the CLI on a terminal): files listed so far, files read of those to read. */
  private readonly onProgress?: (progress: LocalProgress) => void;

  constructor(directory: string, options: { onProgress?: (progress: LocalProgress) => void } = {}) {
    this.directory = resolve(directory);
    this.onProgress = options.onProgress;
  }

  target(): Target {
    return { source: 'local', path: this.directory, ...this.checkout };
  }

  async listTree(): Promise<TreeListing> {
    const [fromGit, checkout] = await Promise.all([this.listFromGit(), this.readCheckout()]);
    this.checkout = checkout;
    return fromGit ?? this.walk();
  }

  /**
   * The commit and the GitHub repository of a checkout, so a report names them instead of a local path. Only when
   * the directory is the checkout's top: a sub-directory (a fixture inside another repository) is not that repository.
   */
  private async readCheckout(): Promise<{ sha?: string; repository?: string }> {
    const options = { cwd: this.directory };
    try {
      const { stdout } = await run('git', ['rev-parse', '--show-toplevel', 'HEAD'], options);
      const [top, sha] = stdout.trim().split('\n');
      const here = await realpath(this.directory);
      if (!top || (await realpath(top)) !== here || !/^[0-9a-f]{40,64}$/.test(sha ?? '')) return {};
      let repository: string | undefined;
      try {
        const { stdout: url } = await run('git', ['remote', 'get-url', 'origin'], options);
        repository = githubRepositoryOf(url.trim());
      } catch {
        // no origin: the report names the directory
      }
      return { sha, ...(repository ? { repository } : {}) };
    } catch {
      return {}; // not a checkout, or no commit yet
    }
  }

  /**
   * Synchronous reads, a batch per turn of the event loop: a promise open/read/close per file cost 3.5× the time on
   * a 100,000-file tree (the CLI reads on its main thread, which has nothing else to do meanwhile).
   */
  async readFiles(entries: TreeEntry[], limits: ReadLimits): Promise<Map<string, FileText>> {
    const files = new Map<string, FileText>();
    for (const [index, entry] of entries.entries()) {
      if (index > 0 && index % READS_PER_TURN === 0) {
        this.onProgress?.({ listed: this.listed, read: files.size, toRead: entries.length });
        await nextTurn();
      }
      files.set(entry.path, this.readOne(entry, limits));
    }
    this.onProgress?.({ listed: this.listed, read: files.size, toRead: entries.length });
    return files;
  }

  async readSettings(keys: SettingKey[]): Promise<Settings> {
    const settings: Settings = {};
    for (const key of keys) {
      (settings as Record<string, unknown>)[key] = {
        status: 'not-supported',
        reason: 'repository settings are only known to the GitHub source (scan with --repo owner/name)',
      };
    }
    return settings;
  }

  private readOne(entry: TreeEntry, limits: ReadLimits): FileText {
    if (entry.kind !== 'file')
      return {
        path: entry.path,
        text: null,
        binary: false,
        truncated: false,
        size: entry.size,
        error: `${entry.kind} not followed`,
      };
    let descriptor: number | undefined;
    try {
      descriptor = openSync(join(this.directory, entry.path), READ_FLAGS);
      const length = Math.min(entry.size, limits.maxFileBytes + 1);
      // One scratch buffer for every read: toFileText copies what it keeps (the text, a binary's magic bytes), so
      // 50,000 reads do not allocate 50,000 buffers for the collector.
      if (this.scratch.length < length) this.scratch = Buffer.allocUnsafe(Math.max(length, this.scratch.length * 2));
      const buffer = this.scratch;
      let bytesRead = 0;
      while (bytesRead < length) {
        const read = readSync(descriptor, buffer, bytesRead, length - bytesRead, bytesRead);
        if (read === 0) break;
        bytesRead += read;
      }
      return toFileText(entry.path, buffer.subarray(0, bytesRead), entry.size, limits.maxFileBytes);
    } catch (error) {
      return {
        path: entry.path,
        text: null,
        binary: false,
        truncated: false,
        size: entry.size,
        error: `unreadable: ${(error as Error).message}`,
      };
    } finally {
      if (descriptor !== undefined) closeSync(descriptor);
    }
  }

  /**
   * Tracked files (with modes and blob ids) plus untracked files git does not ignore. Sizes of tracked files the
   * working tree has not changed come from git's object database in one `cat-file --batch-check`; only changed and
   * untracked files are stat'ed (an lstat per file was most of the listing time of a 100,000-file tree).
   */
  private async listFromGit(): Promise<TreeListing | undefined> {
    let tracked: string;
    let untracked: string;
    let changed: string;
    try {
      const options = { cwd: this.directory, maxBuffer: 1 << 30 };
      [{ stdout: tracked }, { stdout: untracked }, { stdout: changed }] = await Promise.all([
        run('git', ['ls-files', '-z', '--stage'], options),
        run('git', ['ls-files', '-z', '--others', '--exclude-standard'], options),
        // Modified, type-changed and deleted tracked files: their index size is not the working tree's.
        run('git', ['ls-files', '-z', '--modified'], options),
      ]);
    } catch {
      return undefined;
    }
    const changedPaths = new Set(changed.split('\0').filter(Boolean));
    const warnings: string[] = [];
    const candidates: Array<{ path: string; mode?: string; sha?: string }> = [];
    const seen = new Set<string>();
    for (const record of tracked.split('\0')) {
      if (!record) continue;
      // `<mode> <object> <stage>\t<path>`, read by position: no array and no throw-away strings per record.
      const tab = record.indexOf('\t');
      const head = tab < 0 ? record.length - 1 : tab;
      const space = record.indexOf(' ');
      const mode = space < 0 || space >= head ? record.slice(0, head) : record.slice(0, space);
      let sha: string | undefined;
      if (space >= 0 && space < head) {
        const second = record.indexOf(' ', space + 1);
        sha = record.slice(space + 1, second < 0 || second >= head ? head : second);
      }
      const path = record.slice(tab + 1);
      if (seen.has(path)) continue; // merge conflicts list a path once per stage
      seen.add(path);
      candidates.push({ path, mode, sha });
    }
    for (const path of untracked.split('\0')) if (path && !seen.has(path)) candidates.push({ path });
    const unchanged = candidates.filter(
      (candidate) => candidate.sha && candidate.mode !== '160000' && !changedPaths.has(candidate.path),
    );
    const sizes = await this.blobSizes(unchanged.map((candidate) => candidate.sha!));
    const entries = this.entriesOf(candidates, sizes ?? new Map(), changedPaths, warnings);
    return { entries, truncated: false, warnings };
  }

  /** Blob sizes by id, from one `git cat-file --batch-check`; undefined when git cannot answer (then lstat). */
  private blobSizes(shas: string[]): Promise<Map<string, number> | undefined> {
    if (shas.length === 0) return Promise.resolve(new Map());
    return new Promise((resolvePromise) => {
      const git = spawn('git', ['cat-file', '--batch-check=%(objectname) %(objectsize)'], {
        cwd: this.directory,
        stdio: ['pipe', 'pipe', 'ignore'],
      });
      const chunks: Buffer[] = [];
      git.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      git.on('error', () => resolvePromise(undefined));
      git.on('close', (code) => {
        if (code !== 0) return resolvePromise(undefined);
        const sizes = new Map<string, number>();
        // "<id> <size>", or "<id> missing" for an object this clone does not have (then the file is stat'ed).
        for (const line of Buffer.concat(chunks).toString('latin1').split('\n')) {
          const space = line.indexOf(' ');
          const size = Number(line.slice(space + 1));
          if (space > 0 && Number.isInteger(size)) sizes.set(line.slice(0, space), size);
        }
        resolvePromise(sizes);
      });
      git.stdin.on('error', () => {}); // git gone early: 'close' reports it
      git.stdin.end(`${[...new Set(shas)].join('\n')}\n`);
    });
  }

  private entriesOf(
    candidates: Array<{ path: string; mode?: string; sha?: string }>,
    sizes: Map<string, number>,
    changedPaths: Set<string>,
    warnings: string[],
  ): TreeEntry[] {
    const entries: TreeEntry[] = [];
    let missing = 0;
    for (const { path, mode, sha } of candidates) {
      this.countListed();
      if (mode === '160000') {
        entries.push({ path, kind: 'submodule', size: 0, mode, sha });
        continue;
      }
      const size = sha && !changedPaths.has(path) ? sizes.get(sha) : undefined;
      if (size !== undefined && mode) {
        entries.push({ path, kind: mode === '120000' ? 'symlink' : 'file', size, mode, sha });
        continue;
      }
      try {
        const stats = lstatSync(join(this.directory, path));
        const kind = stats.isSymbolicLink() ? 'symlink' : 'file';
        const fileMode = mode ?? (kind === 'symlink' ? '120000' : stats.mode & 0o111 ? '100755' : '100644');
        entries.push({ path, kind, size: stats.size, mode: fileMode, ...(sha ? { sha } : {}) });
      } catch {
        missing += 1; // tracked but deleted in the working tree
      }
    }
    this.countListed(true);
    if (missing) warnings.push(`${missing} tracked file(s) are missing from the working tree and were left out`);
    return entries;
  }

  private async walk(): Promise<TreeListing> {
    const entries: TreeEntry[] = [];
    const warnings: string[] = [];
    const pending = [''];
    while (pending.length) {
      const relative = pending.pop()!;
      let children;
      try {
        children = await readdir(join(this.directory, relative), { withFileTypes: true });
      } catch (error) {
        warnings.push(
          `could not read directory ${relative || '.'}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
        continue;
      }
      for (const child of children) {
        const path = relative ? `${relative}/${child.name}` : child.name;
        if (child.isDirectory()) {
          if (WALK_SKIPPED.has(child.name)) continue;
          pending.push(path);
        } else if (child.isSymbolicLink()) {
          // Symlinks are recorded, never followed: no loops, no escaping the directory.
          entries.push({ path, kind: 'symlink', size: 0, mode: '120000' });
          this.countListed();
        } else if (child.isFile()) {
          entries.push({ path, kind: 'file', size: 0, mode: '100644' });
          this.countListed();
        }
      }
    }
    await forEachBounded(entries, STAT_CONCURRENCY, async (entry) => {
      if (entry.kind !== 'file') return;
      try {
        const stats = await lstat(join(this.directory, entry.path));
        entry.size = stats.size;
        if (stats.mode & 0o111) entry.mode = '100755';
      } catch (error) {
        warnings.push(`could not stat ${entry.path}: ${(error as Error).message}`);
      }
    });
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.countListed(true);
    return { entries, truncated: false, warnings };
  }
}
