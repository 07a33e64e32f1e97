import { createHash } from 'node:crypto';
import { CONFIG_PATH } from '../../config/load.js';
import { SupersededError } from '../../github/octokit.js';
import type { TreeListing } from '../../snapshot/types.js';
import type { ReportCache } from '../caches.js';
import { isQuotaExhausted } from './faults.js';
import { noBaseNote, reportKey } from './helpers.js';
import type { Sources } from './sources.js';
import type { Target } from './types.js';

// Step 3: the trees of head and base, and their signatures (the same tree needs no second evaluation).

export interface Trees {
  head: TreeListing;
  headSignature: string;
  /** The base's tree signature and config blob: from the cache, or listed now. */
  base?: { signature: string; configBlob?: string };
  /** Why there is no base although one was asked for. */
  baseNote?: string;
}

export async function listTrees({
  sources,
  target,
  reports,
}: {
  sources: Sources;
  target: Target;
  reports: ReportCache;
}): Promise<Trees> {
  const head = await sources.head.listTree();
  const trees: Trees = { head, headSignature: treeSignature(head) };
  if (!target.base) return trees;
  const known = reports.get(reportKey(target, target.base.sha));
  if (known) return { ...trees, base: { signature: known.signature, configBlob: known.configBlob } };
  try {
    const base = await sources.base!.listTree();
    return { ...trees, base: { signature: treeSignature(base), configBlob: configBlobOf(base) } };
  } catch (error) {
    // A PR's base must be listed (a fault is reported); a push's previous commit may be gone (a force-push).
    if (target.pull || isQuotaExhausted(error) || error instanceof SupersededError) throw error;
    return { ...trees, baseNote: noBaseNote(target, error) };
  }
}

/** Two listings with the same paths, modes and blob ids are the same tree: the base report is the head's. */
export function treeSignature(listing: TreeListing): string {
  const hash = createHash('sha1');
  for (const entry of listing.entries)
    hash.update(`${entry.path}\u0000${entry.mode}\u0000${entry.sha ?? entry.size}\n`);
  return `${listing.truncated ? 't' : 'f'}${hash.digest('hex')}`;
}

/** The config file's blob id (sources without blob ids, like the in-memory one, fall back to its size). */
export function configBlobOf(listing: TreeListing): string | undefined {
  const entry = listing.entries.find((candidate) => candidate.path === CONFIG_PATH);
  return entry ? (entry.sha ?? `size:${entry.size}`) : undefined;
}
