import { createHash } from 'node:crypto';

/** What a file in a simulated commit can be: text, bytes, an executable, a symlink or a submodule. */
export type SimFile =
  | string
  | Uint8Array
  | { content: string | Uint8Array; mode?: '100644' | '100755' }
  | { symlink: string }
  | { submodule: string };

/** A file map: repository-relative path → file. In a commit's `changes`, `null` deletes the path. */
export type SimFiles = Record<string, SimFile>;

export interface GitTreeItem {
  name: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  date: string;
}

/** A flat view of one file at a commit (what `flatten` returns). */
export interface FlatFile {
  mode: string;
  type: 'blob' | 'commit';
  sha: string;
  size: number;
}

function gitHash(type: string, body: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest('hex');
}

/** Git's tree order: byte order of names, with trees compared as if their name ended in '/'. */
function treeOrder(a: GitTreeItem, b: GitTreeItem): number {
  const left = Buffer.from(a.type === 'tree' ? `${a.name}/` : a.name);
  const right = Buffer.from(b.type === 'tree' ? `${b.name}/` : b.name);
  return Buffer.compare(left, right);
}

/** Git objects with git's real ids: the same content always gets the same blob and tree SHA. */
export class ObjectStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, GitTreeItem[]>();
  readonly commits = new Map<string, GitCommit>();
  private clock = Date.parse('2026-01-01T00:00:00Z');

  writeBlob(content: string | Uint8Array): string {
    const body = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
    const sha = gitHash('blob', body);
    this.blobs.set(sha, body);
    return sha;
  }

  writeTree(items: GitTreeItem[]): string {
    const sorted = [...items].sort(treeOrder);
    const body = Buffer.concat(
      sorted.flatMap((item) => [
        Buffer.from(`${item.mode === '040000' ? '40000' : item.mode} ${item.name}\0`),
        Buffer.from(item.sha, 'hex'),
      ]),
    );
    const sha = gitHash('tree', body);
    this.trees.set(sha, sorted);
    return sha;
  }

  /** Builds the nested trees for a flat file map and returns the root tree's SHA. */
  writeFiles(files: Map<string, FlatFile>): string {
    interface Dir {
      files: GitTreeItem[];
      dirs: Map<string, Dir>;
    }
    const root: Dir = { files: [], dirs: new Map() };
    for (const [path, file] of files) {
      const parts = path.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.dirs.get(part);
        if (!next) dir.dirs.set(part, (next = { files: [], dirs: new Map() }));
        dir = next;
      }
      dir.files.push({
        name: parts[parts.length - 1],
        mode: file.mode,
        type: file.type,
        sha: file.sha,
        size: file.type === 'blob' ? file.size : undefined,
      });
    }
    const write = (dir: Dir): string =>
      this.writeTree([
        ...dir.files,
        ...[...dir.dirs].map(([name, child]) => ({ name, mode: '040000', type: 'tree' as const, sha: write(child) })),
      ]);
    return write(root);
  }

  writeCommit(tree: string, parents: string[], message: string): string {
    this.clock += 60_000;
    const date = new Date(this.clock).toISOString();
    const seconds = Math.floor(this.clock / 1000);
    const person = `Simulator <simulator@example.com> ${seconds} +0000`;
    const body = Buffer.from(
      `tree ${tree}\n${parents.map((parent) => `parent ${parent}\n`).join('')}author ${person}\ncommitter ${person}\n\n${message}\n`,
    );
    const sha = gitHash('commit', body);
    this.commits.set(sha, { sha, tree, parents, message, date });
    return sha;
  }

  /** Converts a SimFile into a flat entry, storing its blob. */
  toFlat(file: SimFile): FlatFile {
    if (typeof file === 'string' || file instanceof Uint8Array) {
      const sha = this.writeBlob(file);
      return { mode: '100644', type: 'blob', sha, size: this.blobs.get(sha)!.length };
    }
    if ('symlink' in file) {
      const sha = this.writeBlob(file.symlink);
      return { mode: '120000', type: 'blob', sha, size: this.blobs.get(sha)!.length };
    }
    if ('submodule' in file) return { mode: '160000', type: 'commit', sha: file.submodule, size: 0 };
    const sha = this.writeBlob(file.content);
    return { mode: file.mode ?? '100644', type: 'blob', sha, size: this.blobs.get(sha)!.length };
  }

  /** Every file (blob or submodule) under a tree, by full path. */
  flatten(treeSha: string, prefix = '', into = new Map<string, FlatFile>()): Map<string, FlatFile> {
    for (const item of this.trees.get(treeSha) ?? []) {
      const path = prefix + item.name;
      if (item.type === 'tree') this.flatten(item.sha, `${path}/`, into);
      else into.set(path, { mode: item.mode, type: item.type, sha: item.sha, size: item.size ?? 0 });
    }
    return into;
  }

  /** The object a `<commit>:<path>` expression names, or undefined. */
  resolvePath(treeSha: string, path: string): GitTreeItem | { type: 'tree'; sha: string } | undefined {
    if (path === '' || path === '/') return { type: 'tree', sha: treeSha };
    let current: GitTreeItem | { type: 'tree'; sha: string } = { type: 'tree', sha: treeSha };
    for (const part of path.replace(/\/+$/, '').split('/')) {
      if (current.type !== 'tree') return undefined;
      const next: GitTreeItem | undefined = this.trees.get(current.sha)?.find((item) => item.name === part);
      if (!next) return undefined;
      current = next;
    }
    return current;
  }
}
