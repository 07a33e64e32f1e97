import { describe, expect, it } from '@jest/globals';
import { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { TreeIndex } from '../../src/snapshot/tree-index.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { isTestDirectory, isTestFileName, isTestPath } from '../../checks/lib/source-files.js';

const paths = [
  'README.md',
  '.husky/pre-commit',
  'package.json',
  'packages/a/package.json',
  'packages/a/src/index.ts',
  'packages/a/src/index.test.ts',
  'packages/a/src/lib/x.ts',
  'packages/a/src/y.ts',
  'packages/.shared/tsconfig.json',
  'packages/b/package.json',
  'src/index.ts',
  'src/__tests__/a.ts',
  'tests/test_app.py',
  'node_modules/left-pad/package.json',
  'weird.',
  'noextension',
];
const entries: TreeEntry[] = paths.map((path) => ({ path, kind: 'file', size: 1, mode: '100644' }));
const directoryOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

describe('TreeIndex', () => {
  it('answers like a walk over every entry, in tree order', () => {
    const index = new TreeIndex(entries);
    const name = (n: string) => n.endsWith('.ts');
    const directory = (d: string) => d.startsWith('packages');
    expect(index.where('ts-in-packages', { name, directory })).toEqual(
      entries.filter((entry) => name(nameOf(entry.path)) && directory(directoryOf(entry.path))),
    );
    expect(index.named(/^package\.json$/).map((entry) => entry.path)).toEqual([
      'package.json',
      'packages/a/package.json',
      'packages/b/package.json',
      'node_modules/left-pad/package.json',
    ]);
    expect(index.namedOneOf(['README.md', 'noextension']).map((entry) => entry.path)).toEqual([
      'README.md',
      'noextension',
    ]);
  });

  it('keeps entries passing either test when asked', () => {
    const index = new TreeIndex(entries);
    const name = (n: string) => n === 'README.md';
    const directory = (d: string) => d === 'tests';
    expect(index.where('either', { name, directory, either: true }).map((entry) => entry.path)).toEqual([
      'README.md',
      'tests/test_app.py',
    ]);
    expect(index.where('both', { name, directory })).toEqual([]);
  });

  it('tests each distinct name and directory once, and memoises by key', () => {
    const index = new TreeIndex(entries);
    const seen: string[] = [];
    const first = index.where('count', { name: (n) => (seen.push(n), n === 'package.json') });
    expect(seen.filter((n) => n === 'package.json')).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(index.where('count', { name: () => false })).toBe(first);
  });

  it('lists directories in order of first appearance, their entries and their sub-directories', () => {
    const index = new TreeIndex(entries);
    const directories = index.directoryList();
    expect(directories).toEqual([...new Set(paths.map(directoryOf))]);
    const packagesA = index.directoryNumber('packages/a/src');
    expect(index.childrenOfNumber(packagesA).map((entry) => entry.path)).toEqual([
      'packages/a/src/index.ts',
      'packages/a/src/index.test.ts',
      'packages/a/src/y.ts',
    ]);
    expect(index.directoryNumber('packages')).toBe(-1);
    expect(index.subdirectoryNumbers('packages').map((number) => directories[number])).toEqual([
      'packages/a',
      'packages/.shared',
      'packages/b',
    ]);
    expect(index.subdirectoryNumbers('').map((number) => directories[number])).toEqual(['.husky', 'src', 'tests']);
  });

  it('refuses a regex whose lastIndex would make the answer depend on the order of tests', () => {
    expect(() => new TreeIndex(entries).named(/x/g)).toThrow(/stateful/);
  });

  it('is shared by the snapshot', () => {
    const snapshot = new RepoSnapshot({ source: 'local', entries, files: new Map() });
    expect(snapshot.index).toBe(snapshot.index);
    expect(snapshot.index.named(/^x\.ts$/)).toEqual([entries[6]]);
  });
});

describe('isTestPath by directory and by name', () => {
  it('is the same test as on the whole path', () => {
    const samples = [
      ...paths,
      'a/test/b.js',
      'test/b.js',
      'b.test.js',
      'a/b_test.go',
      'src/FooTest.java',
      'x/Foo.UnitTests/a.cs',
      'e2e/a.ts',
      'a/spec.js',
      'a/testdata.js',
      'a/x.bats',
      'app/test_x.py',
      'test_x.py',
      'Tests/x.swift',
    ];
    for (const path of samples)
      expect({ path, split: isTestDirectory(directoryOf(path)) || isTestFileName(nameOf(path)) }).toEqual({
        path,
        split: isTestPath(path),
      });
  });
});
