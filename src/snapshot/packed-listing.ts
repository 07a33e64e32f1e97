import { createHash } from 'node:crypto';
import type { EntryKind, TreeEntry, TreeListing } from './types.js';

/**
 * A tree listing as a few columns of bytes instead of one object per entry. A 100,000-entry listing as objects costs
 * the thread that builds, copies or posts it ~100 ms of work (and the GC more), and even as two long strings
 * `postMessage` copies it at ~120 MB/s (25 ms for the paths); as typed arrays it is a memcpy, and a cache holds it
 * compactly. The App's main thread only ever holds listings in this form: the tree is parsed into it off the event
 * loop and unpacked where the checks run.
 */
export interface PackedTreeListing {
  count: number;
  /** The entries' paths in UTF-8, sorted, each followed by a NUL byte (git paths never contain NUL). */
  paths: Uint8Array;
  /** Where each path ends in `paths` (a byte offset, exclusive): path i starts one byte after path i-1 ends. */
  pathEnds: Uint32Array;
  /** Blob ids (ASCII hex), each followed by NUL; empty when the source gave none. */
  shas: Uint8Array;
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
const NUL = 0;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function modeIndex(mode: string): number {
  const index = (MODES as readonly string[]).indexOf(mode);
  return index === -1 ? 0 : index;
}

/** NUL-terminated values as one byte column, and where each ends. */
function column(values: string[]): { bytes: Uint8Array; ends: Uint32Array } {
  const encoded = values.length ? encoder.encode(`${values.join('\u0000')}\u0000`) : new Uint8Array(0);
  // A view on a larger buffer would be copied (or transferred) whole: keep exactly the bytes.
  const bytes = encoded.byteLength === encoded.buffer.byteLength ? encoded : encoded.slice();
  const ends = new Uint32Array(values.length);
  let index = 0;
  for (let offset = 0; offset < bytes.length; offset += 1) if (bytes[offset] === NUL) ends[index++] = offset;
  return { bytes, ends };
}

function valuesOf(bytes: Uint8Array, count: number): string[] {
  if (count === 0) return [];
  const values = decoder.decode(bytes).split('\u0000');
  values.length = count; // the last NUL leaves one empty string behind
  return values;
}

/** Packs entries, sorted by path (sources list them sorted; a copy is sorted when they are not). */
export function packEntries(
  given: readonly TreeEntry[],
  meta: { truncated: boolean; warnings: string[]; treeSha?: string },
): PackedTreeListing {
  const entries = isSorted(given) ? given : [...given].sort(byPath);
  const count = entries.length;
  const modes = new Uint8Array(count);
  const kinds = new Uint8Array(count);
  const sizes = new Float64Array(count);
  const paths: string[] = new Array<string>(count);
  const shas: string[] = new Array<string>(count);
  for (let index = 0; index < count; index += 1) {
    const entry = entries[index]!;
    paths[index] = entry.path;
    shas[index] = entry.sha ?? '';
    modes[index] = modeIndex(entry.mode);
    kinds[index] = Math.max(0, KINDS.indexOf(entry.kind));
    sizes[index] = entry.size;
  }
  const pathColumn = column(paths);
  const shaColumn = column(shas);
  return {
    count,
    paths: pathColumn.bytes,
    pathEnds: pathColumn.ends,
    shas: shaColumn.bytes,
    shaEnds: shaColumn.ends,
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

function columnAt(bytes: Uint8Array, ends: Uint32Array, index: number): string {
  const start = index === 0 ? 0 : ends[index - 1]! + 1;
  return decoder.decode(bytes.subarray(start, ends[index]));
}

function entryOf(packed: PackedTreeListing, index: number, path: string, sha: string): TreeEntry {
  return {
    path,
    kind: KINDS[packed.kinds[index]!] ?? 'file',
    size: packed.sizes[index]!,
    mode: MODES[packed.modes[index]!] ?? '100644',
    ...(sha ? { sha } : {}),
  };
}

export function unpackListing(packed: PackedTreeListing): TreeListing {
  const paths = valuesOf(packed.paths, packed.count);
  const shas = valuesOf(packed.shas, packed.count);
  const entries = new Array<TreeEntry>(packed.count);
  for (let index = 0; index < packed.count; index += 1)
    entries[index] = entryOf(packed, index, paths[index]!, shas[index]!);
  return { entries, truncated: packed.truncated, warnings: [...packed.warnings] };
}

/**
 * One entry by path without unpacking (a config file's blob id): a native search for the NUL-delimited bytes, then
 * the entry's index from where they were found.
 */
export function findPackedEntry(packed: PackedTreeListing, path: string): TreeEntry | undefined {
  if (packed.count === 0 || path.includes('\u0000')) return undefined;
  const wanted = encoder.encode(path);
  const bytes = Buffer.from(packed.paths.buffer, packed.paths.byteOffset, packed.paths.byteLength);
  const needle = Buffer.concat([Buffer.from([NUL]), wanted, Buffer.from([NUL])]);
  // The first path has no NUL before it.
  const first = bytes.subarray(0, wanted.length + 1);
  let start = Buffer.compare(first, needle.subarray(1)) === 0 ? 0 : -1;
  if (start === -1) {
    const found = bytes.indexOf(needle);
    if (found === -1) return undefined;
    start = found + 1;
  }
  // The entry whose path starts at `start`: the first whose end is at or after it.
  let low = 0;
  let high = packed.count - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (packed.pathEnds[middle]! < start) low = middle + 1;
    else high = middle;
  }
  return entryOf(packed, low, path, columnAt(packed.shas, packed.shaEnds, low));
}

/**
 * Equal signatures mean the same paths, modes and contents: the root tree id when the source gave one (git names
 * content by its hash), else a hash of the columns.
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
  return packed.paths.byteLength + packed.shas.byteLength + packed.count * 18;
}

/** The typed arrays of a listing, for `postMessage`'s transfer list (the sender gives the listing up). */
export function packedBuffers(packed: PackedTreeListing): ArrayBuffer[] {
  return [packed.paths, packed.pathEnds, packed.shas, packed.shaEnds, packed.modes, packed.kinds, packed.sizes].map(
    (column) => column.buffer as ArrayBuffer,
  );
}
