import { describe, expect, it } from '@jest/globals';
import { PathIndex } from '../../src/snapshot/path-index.js';
import { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { TreeEntry } from '../../src/snapshot/types.js';

const paths = [
  'package.json',
  'packages/a/package.json',
  'packages/a/src/index.ts',
  'packages/a/src/deep/x.ts',
  'packages/a/.github/workflows/ci.yml',
  'packages/a/apps/web/package.json',
  'packages/a/apps/web/src/main.ts',
  'packages/a/apps/web-two/src/main.ts',
  'packages/a-b/package.json',
  'packages/a-b/src/index.ts',
  'packages/a.c/src/index.ts',
  'src/index.ts',
];
const entries = (list: readonly string[]): TreeEntry[] =>
  list.map((path) => ({ path, kind: 'file', size: 1, mode: '100644' }));

const globs = ['**/*.ts', '**/package.json', 'src/**', '.github/workflows/*.yml', '*', 'apps/*/src/*.ts', '**/web/**'];

/** What a view must answer: the same as a repository made of the view's own entries. */
function expectSameAsFresh(view: RepoSnapshot): void {
  const fresh = new RepoSnapshot({ source: 'local', entries: view.entries, files: new Map() });
  for (const glob of globs) expect({ glob, found: view.glob(glob) }).toEqual({ glob, found: fresh.glob(glob) });
  for (const directory of ['', 'src', 'apps', 'apps/web', 'missing'])
    expect({ directory, under: view.entriesUnder(directory) }).toEqual({
      directory,
      under: fresh.entriesUnder(directory),
    });
}

describe('RepoSnapshot views', () => {
  it("answers a project's globs from the repository's index exactly as a snapshot of the project's own entries", () => {
    for (const order of [paths, [...paths].reverse()]) {
      const repository = new RepoSnapshot({ source: 'local', entries: entries(order), files: new Map() });
      const project = repository.scoped('packages/a');
      expect(project.entries.map((entry) => entry.path)).toEqual([
        '.github/workflows/ci.yml',
        'apps/web-two/src/main.ts',
        'apps/web/package.json',
        'apps/web/src/main.ts',
        'package.json',
        'src/deep/x.ts',
        'src/index.ts',
      ]);
      expectSameAsFresh(project);
      expectSameAsFresh(project.scoped('apps/web'));
      expect(project.scoped('apps/web').root).toBe('packages/a/apps/web');
    }
  });

  it("shows a view's fetched files with paths relative to it, at any depth of views, and only its own", () => {
    const text = (path: string) => ({ path, text: `text of ${path}`, binary: false, truncated: false, size: 1 });
    const files = new Map(
      ['packages/a/src/index.ts', 'packages/a-b/src/index.ts', 'src/index.ts'].map((p) => [p, text(p)]),
    );
    const repository = new RepoSnapshot({ source: 'local', entries: entries(paths), files });
    const project = repository.scoped('packages/a');
    expect(project.fileIfRead('src/index.ts')).toEqual({ ...text('packages/a/src/index.ts'), path: 'src/index.ts' });
    expect(project.fileIfRead('src/index.ts')).toBe(project.fileIfRead('src/index.ts'));
    expect(project.textIfRead('../a-b/src/index.ts')).toBeUndefined();
    expect(project.fileIfRead('packages/a/src/index.ts')).toBeUndefined();
    expect(() => project.file('src/deep/x.ts')).toThrow('packages/a/src/deep/x.ts');
    expect(repository.scoped('packages').scoped('a').text('src/index.ts')).toBe('text of packages/a/src/index.ts');
    expect(repository.scoped('packages/a-b').fileIfRead('src/index.ts')?.path).toBe('src/index.ts');
  });

  it('uses the index it is given (built over the same entries) for its globs', () => {
    const list = entries([...paths].sort());
    const index = new PathIndex(list);
    const repository = new RepoSnapshot({ source: 'local', entries: list, files: new Map(), pathIndex: index });
    expect(repository.glob('**/package.json').map((entry) => entry.path)).toEqual([
      'package.json',
      'packages/a-b/package.json',
      'packages/a/apps/web/package.json',
      'packages/a/package.json',
    ]);
    expectSameAsFresh(repository.scoped('packages/a'));
  });
});
