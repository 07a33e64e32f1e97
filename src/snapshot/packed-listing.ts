import { createHash } from 'node:crypto';
import type { EntryKind, TreeEntry, TreeListing } from './types.js';

/**
 * A tree listing as a few columns instead of one object per entry. A 100,000-entry listing as objects costs the
 * thread that builds, copies or posts it ~100 ms of work (and the GC more); as columns it is two strings and three
 * typed arrays, which `postMessage` copies with a memcpy and a cache holds compactly. The App's main thread only
 * ever holds listings in this form: the tree is parsed into it off the event loop and unpacked where the checks run.
 */
export interface PackedTreeListing {
  count: number;
  /** The entries' paths, sorted, each followed by NUL. */
  paths: string;
  /** Where each path ends in `paths` (exclusive): path i is `paths.slice(i ? pathEnds[i-1] + 1 : 0, pathEnds[i])`. */
  pathEnds: Uint32Array;
  /** Blob ids, each followed by NUL (empty when the source gave none). */
  shas: string;
  /** Where each blob id ends in `shas`, as `pathEnds` for `paths`. */
  shaEnds: Uint32Array;
  /** Index into MODES. */
  modes: Uint8Array;
  /** Index into KINDS. */
  kinds: Uint8Array;
  sizes: Float64Array;
  truncated: boolean;
  warnings: string[];
  /** The root tree's id when the source knows it: two listings of one tree id are the same tree. */
  treeSha?: string;
}

const MODES = ['100644', '100755', '120000', '160000', '040000'] as const;
const KINDS: readonly EntryKind[] = ['file', 'symlink', 'submodule'];

function modeIndex(mode: string): number {
  const index = (MODES as readonly string[]).indexOf(mode);
  return index === -1 ? 0 : index;
}

/** Packs entries, sorted by path (sources list them sorted; a copy is sorted when they are not). */
export function packEntries(
  given: readonly TreeEntry[],
  meta: { truncated: boolean; warnings: string[]; treeSha?: string },
): PackedTreeListing {
  const entries = isSorted(given) ? given : [...given].sort(byPath);
  const count = entries.length;
  const pathEnds = new Uint32Array(count);
  const shaEnds = new Uint32Array(count);
  const modes = new Uint8Array(count);
  const kinds = new Uint8Array(count);
  const sizes = new Float64Array(count);
  const paths: string[] = new Array<string>(count);
  const shas: string[] = new Array<string>(count);
  let pathOffset = 0;
  let shaOffset = 0;
  for (let index = 0; index < count; index += 1) {
    const entry = entries[index]!;
    paths[index] = entry.path;
    pathOffset += entry.path.length;
    pathEnds[index] = pathOffset;
    pathOffset += 1;
    shas[index] = entry.sha ?? '';
    shaOffset += shas[index]!.length;
    shaEnds[index] = shaOffset;
    shaOffset += 1;
    modes[index] = modeIndex(entry.mode);
    kinds[index] = Math.max(0, KINDS.indexOf(entry.kind));
    sizes[index] = entry.size;
  }
  return {
    count,
    paths: count ? `${paths.join('\u0000')}\u0000` : '',
    pathEnds,
    shas: count ? `${shas.join('\u0000')}\u0000` : '',
    shaEnds,
    modes,
    kinds,
    sizes,
    truncated: meta.truncated,
    warnings: [...meta.warnings],
    ...(meta.treeSha ? { treeSha: meta.treeSha } : {}),
  };
}

export function byPath(a: TreeEntry, b: TreeEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function isSorted(entries: readonly TreeEntry[]): boolean {
  for (let index = 1; index < entries.length; index += 1)
    if (entries[index - 1]!.path > entries[index]!.path) return false;
  return true;
}

export function packListing(listing: TreeListing, treeSha?: string): PackedTreeListing {
  return packEntries(listing.entries, { truncated: listing.truncated, warnings: listing.warnings, treeSha });
}

function columnAt(column: string, ends: Uint32Array, index: number): string {
  const start = index === 0 ? 0 : ends[index - 1]! + 1;
  return column.slice(start, ends[index]);
}

function pathAt(packed: PackedTreeListing, index: number): string {
  return columnAt(packed.paths, packed.pathEnds, index);
}

function entryAt(packed: PackedTreeListing, index: number): TreeEntry {
  const sha = columnAt(packed.shas, packed.shaEnds, index);
  return {
    path: pathAt(packed, index),
    kind: KINDS[packed.kinds[index]!] ?? 'file',
    size: packed.sizes[index]!,
    mode: MODES[packed.modes[index]!] ?? '100644',
    ...(sha ? { sha } : {}),
  };
}

export function unpackListing(packed: PackedTreeListing): TreeListing {
  const entries = new Array<TreeEntry>(packed.count);
  for (let index = 0; index < packed.count; index += 1) entries[index] = entryAt(packed, index);
  return { entries, truncated: packed.truncated, warnings: [...packed.warnings] };
}

/** One entry by path, by binary search over the sorted paths (a config file's blob id, without unpacking). */
export function findPackedEntry(packed: PackedTreeListing, path: string): TreeEntry | undefined {
  let low = 0;
  let high = packed.count - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const candidate = pathAt(packed, middle);
    if (candidate === path) return entryAt(packed, middle);
    if (candidate < path) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

/**
 * Equal signatures mean the same paths, modes and contents: the root tree id when the source gave one (git names
 * content by its hash), else a hash of the columns (native hashing of a few buffers, not of 100,000 strings).
 */
export function packedSignature(packed: PackedTreeListing): string {
  const cut = packed.truncated ? 't' : 'f';
  if (packed.treeSha) return `${cut}tree:${packed.treeSha}`;
  const hash = createHash('sha1');
  hash.update(packed.paths);
  hash.update(packed.shas);
  hash.update(packed.modes);
  hash.update(packed.kinds);
  hash.update(new Uint8Array(packed.sizes.buffer, packed.sizes.byteOffset, packed.sizes.byteLength));
  return `${cut}${hash.digest('hex')}`;
}

/** Roughly what the listing holds in memory, for caches that weigh their entries. */
export function packedWeight(packed: PackedTreeListing): number {
  return packed.paths.length * 2 + packed.shas.length + packed.count * 10;
}
