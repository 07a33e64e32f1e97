import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packEntries, type PackedTreeListing } from '../snapshot/packed-listing.js';
import type { TreeEntry } from '../snapshot/types.js';

/** One item of `GET /repos/{owner}/{repo}/git/trees/{tree_sha}`. */
export interface GitTreeItem {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
  size?: number;
}

export interface GitTreeResponse {
  sha: string;
  truncated: boolean;
  tree: GitTreeItem[];
}

/** A recursive tree answer, parsed: its own fields and its blobs, packed (sub-tree items are left out). */
export interface ParsedTree {
  sha: string;
  truncated: boolean;
  listing: PackedTreeListing;
}

/** Git modes → what the snapshot calls them. */
export function toEntry(item: GitTreeItem, prefix: string): TreeEntry | undefined {
  if (!item.path || item.type === 'tree') return undefined;
  const path = prefix + item.path;
  const mode = item.mode ?? '100644';
  if (item.type === 'commit' || mode === '160000')
    return { path, kind: 'submodule', size: 0, mode: '160000', sha: item.sha };
  if (mode === '120000') return { path, kind: 'symlink', size: item.size ?? 0, mode, sha: item.sha };
  return { path, kind: 'file', size: item.size ?? 0, mode, sha: item.sha };
}

/** The whole parse of one answer body: JSON, entries, sort, pack. Pure; runs in the parser thread or inline. */
export function parseTreeBody(body: ArrayBuffer | string): ParsedTree {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  const data = JSON.parse(text) as Partial<GitTreeResponse>;
  if (!data || typeof data !== 'object' || !Array.isArray(data.tree))
    throw new Error('GitHub answered a tree request without a tree');
  const entries: TreeEntry[] = [];
  for (const item of data.tree) {
    const entry = toEntry(item, '');
    if (entry) entries.push(entry);
  }
  return {
    sha: String(data.sha ?? ''),
    truncated: data.truncated === true,
    listing: packEntries(entries, { truncated: false, warnings: [] }),
  };
}

/** Parses tree answers; the thread implementation keeps 10 MB of JSON off the event loop that answers webhooks. */
export interface TreeParser {
  parse(body: ArrayBuffer): Promise<ParsedTree>;
  close(): Promise<void>;
}

export const inlineTreeParser: TreeParser = {
  parse: async (body) => parseTreeBody(body),
  close: async () => {},
};

interface Pending {
  resolve: (tree: ParsedTree) => void;
  reject: (error: Error) => void;
}

export type TreeParseRequest = { id: number; body: ArrayBuffer };
export type TreeParseAnswer = { id: number; tree: ParsedTree } | { id: number; error: string };

/** The compiled worker beside this module (dist/); absent when running from TypeScript sources. */
export function treeParserWorkerUrl(): URL | undefined {
  const url = new URL('./tree-parse-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * One worker thread that parses tree answers in arrival order. It is started on first use and unref'd while idle
 * (an idle parser never keeps the process alive); if it dies, the pending parses fail and the next one restarts it.
 */
export class TreeParserThread implements TreeParser {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly workerUrl: URL) {}

  parse(body: ArrayBuffer): Promise<ParsedTree> {
    if (this.closed) return Promise.reject(new Error('the tree parser is closed'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<ParsedTree>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, body } satisfies TreeParseRequest, [body]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the tree parser is closed'));
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerUrl);
    worker.unref();
    worker.on('message', (answer: TreeParseAnswer) => {
      const pending = this.pending.get(answer.id);
      if (!pending) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in answer) pending.reject(new Error(answer.error));
      else pending.resolve(answer.tree);
    });
    const lost = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the tree parser thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of pending) reject(error);
  }
}
