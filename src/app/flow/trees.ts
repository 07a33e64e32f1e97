import { CONFIG_PATH } from '../../config/load.js';
import { SupersededError } from '../../github/octokit.js';
import { findPackedEntry, packedSignature, type PackedTreeListing } from '../../snapshot/packed-listing.js';
import type { ReportCache } from '../caches.js';
import { isQuotaExhausted } from './faults.js';
import { noBaseNote, reportKey } from './helpers.js';
import type { Sources } from './sources.js';
import type { Target } from './types.js';

// Step 3: the trees of head and base, and their signatures (the same tree needs no second evaluation).

export interface Trees {
  head: PackedTreeListing;
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
  const head = await sources.head.listPackedTree();
  const trees: Trees = { head, headSignature: packedSignature(head) };
  if (!target.base) return trees;
  const known = reports.get(reportKey(target, target.base.sha));
  if (known) return { ...trees, base: { signature: known.signature, configBlob: known.configBlob } };
  try {
    const base = await sources.base!.listPackedTree();
    return { ...trees, base: { signature: packedSignature(base), configBlob: configBlobOf(base) } };
  } catch (error) {
    // A PR's base must be listed (a fault is reported); a push's previous commit may be gone (a force-push).
    if (target.pull || isQuotaExhausted(error) || error instanceof SupersededError) throw error;
    return { ...trees, baseNote: noBaseNote(target, error) };
  }
}

/** The config file's blob id (sources without blob ids, like the in-memory one, fall back to its size). */
export function configBlobOf(listing: PackedTreeListing): string | undefined {
  const entry = findPackedEntry(listing, CONFIG_PATH);
  return entry ? (entry.sha ?? `size:${entry.size}`) : undefined;
}
