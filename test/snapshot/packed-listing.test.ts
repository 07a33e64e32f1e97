import { describe, expect, it } from '@jest/globals';
import {
  findPackedEntry,
  packEntries,
  packedSignature,
  packListing,
  unpackListing,
} from '../../src/snapshot/packed-listing.js';
import type { TreeEntry, TreeListing } from '../../src/snapshot/types.js';

const sha = (digit: string) => digit.repeat(40);

const entries: TreeEntry[] = [
  { path: '.github/shipready.yml', kind: 'file', size: 120, mode: '100644', sha: sha('a') },
  { path: 'README.md', kind: 'file', size: 2048, mode: '100644', sha: sha('b') },
  { path: 'bin/run', kind: 'file', size: 77, mode: '100755', sha: sha('c') },
  { path: 'docs/latest', kind: 'symlink', size: 6, mode: '120000', sha: sha('d') },
  { path: 'vendor/lib', kind: 'submodule', size: 0, mode: '160000', sha: sha('e') },
  { path: 'ünïcode/ファイル.txt', kind: 'file', size: 3, mode: '100644' },
];
const listing: TreeListing = { entries, truncated: false, warnings: ['a warning'] };

describe('packed tree listings', () => {
  it('round-trips every field of every entry kind, including entries without a blob id', () => {
    expect(unpackListing(packListing(listing))).toEqual(listing);
  });

  it('round-trips an empty listing', () => {
    const empty: TreeListing = { entries: [], truncated: true, warnings: [] };
    expect(unpackListing(packListing(empty))).toEqual(empty);
    expect(findPackedEntry(packListing(empty), 'README.md')).toBeUndefined();
  });

  it('finds an entry by path without unpacking, and nothing for a path that is only a prefix', () => {
    const packed = packListing(listing);
    expect(findPackedEntry(packed, '.github/shipready.yml')).toEqual(entries[0]);
    expect(findPackedEntry(packed, 'ünïcode/ファイル.txt')).toEqual(entries[5]);
    expect(findPackedEntry(packed, 'bin')).toBeUndefined();
    expect(findPackedEntry(packed, 'zzz')).toBeUndefined();
  });

  it('sorts entries that were not sorted, so that look-ups by path still work', () => {
    const packed = packEntries([...entries].reverse(), { truncated: false, warnings: [] });
    expect(unpackListing(packed).entries.map((entry) => entry.path)).toEqual(entries.map((entry) => entry.path));
    expect(findPackedEntry(packed, 'README.md')?.sha).toBe(sha('b'));
  });

  it('signs by the root tree id when the source gave one, else by every column', () => {
    expect(packedSignature(packListing(listing, sha('f')))).toBe(`ftree:${sha('f')}`);
    const plain = packedSignature(packListing(listing));
    expect(plain).toMatch(/^f[0-9a-f]{40}$/);
    const changedBlob = entries.map((entry, index) => (index === 1 ? { ...entry, sha: sha('9') } : entry));
    const changedMode = entries.map((entry, index) => (index === 2 ? { ...entry, mode: '100644' } : entry));
    const changedSize = entries.map((entry, index) => (index === 5 ? { ...entry, size: 4 } : entry));
    for (const changed of [changedBlob, changedMode, changedSize])
      expect(packedSignature(packListing({ ...listing, entries: changed }))).not.toBe(plain);
    expect(packedSignature(packListing({ ...listing, truncated: true }))).not.toBe(plain);
    expect(packedSignature(packListing({ ...listing, warnings: [] }))).toBe(plain);
  });
});

describe('packed listings cross threads cheaply', () => {
  it('holds paths and blob ids as exactly-sized byte columns (postMessage copies typed arrays with a memcpy)', () => {
    const packed = packListing(listing);
    for (const column of [packed.paths, packed.shas, packed.pathEnds, packed.shaEnds, packed.sizes])
      expect(column.byteLength).toBe(column.buffer.byteLength);
    expect(unpackListing(structuredClone(packed))).toEqual(listing);
  });
});
