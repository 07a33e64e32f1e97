import { describe, expect, it } from '@jest/globals';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { allChecks } from '../../checks/index.js';
import { compileGlob } from '../../src/snapshot/glob.js';
import { PathIndex } from '../../src/snapshot/path-index.js';

const paths = [
  '.gitlab-ci.yml',
  '.github/workflows/ci.yml',
  'Jenkinsfile',
  'deploy.Jenkinsfile',
  'package.json',
  'README.md',
  'src/index.ts',
  'src/index.test.ts',
  'packages/a/package.json',
  'packages/a/src/a.ts',
  'packages/a/src/a.spec.ts',
  'packages/a/Dockerfile',
  'packages/a/.env.example',
  'packages/ab/package.json',
  'packages/ab/src/x.ts',
  'docs/a.yaml',
  'noextension',
  'weird.',
].map((path) => ({ path }));

const fixtures = join(process.cwd(), 'test', 'fixtures', 'repos');

function walk(directory: string, into: string[] = [], root = directory): string[] {
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) walk(path, into, root);
    else into.push(relative(root, path));
  }
  return into;
}

/** Every list the checks declare, and a few shapes of each kind (names, extensions, any-name, negated). */
function globLists(): string[][] {
  const lists: string[][] = [
    ['.gitlab-ci.yml', '.gitlab/ci/*.{yml,yaml}'],
    ['Jenkinsfile', '*.Jenkinsfile', 'Jenkinsfile.*'],
    ['**/*.{ts,tsx}'],
    ['**/*.{test,spec}.ts'],
    ['src/**'],
    ['**/*', '!**/*.md'],
    ['*'],
    [],
  ];
  for (const check of allChecks) {
    const strings = (check.needs.files ?? []).filter((need): need is string => typeof need === 'string');
    if (strings.length) lists.push(strings);
    for (const need of check.needs.files ?? []) if (typeof need !== 'string') lists.push([need.glob]);
  }
  return lists;
}

describe('PathIndex', () => {
  it('selects exactly what a full scan selects, in the same order, for every glob list of the checks', () => {
    const index = new PathIndex(paths);
    for (const list of globLists()) {
      const matcher = compileGlob(list, { dot: true });
      expect({ list, kept: index.filter(matcher) }).toEqual({ list, kept: paths.filter((p) => matcher(p.path)) });
    }
  });

  it('answers each list under a directory exactly as a full scan of that sub-tree, for every glob list of the checks', () => {
    const tree = [
      ...paths.map(({ path }) => path),
      ...walk(fixtures).map((path) => path.split('/').slice(1).join('/')),
      ...['packages/a', 'packages/b', 'packages/a/packages/c', 'x/y/z/scripts'].flatMap((root) =>
        paths.map(({ path }) => `${root}/${path}`),
      ),
      'scripts/deploy',
      'x/scripts/run',
      'LICENSES/MIT.txt',
      'docs',
      'docs/api/openapi.yaml',
      'cmd/server/main.go',
    ];
    const items = [...new Set(tree)].sort().map((path) => ({ path }));
    const index = new PathIndex(items);
    const lists = [...globLists(), ['docs/**'], ['{a,b}/*/c.ts', '**/scripts/*'], ['**/x/**/*.ts']];
    for (const directory of ['', 'packages/a', 'packages/b', 'packages/a/packages/c', 'x/y/z', 'missing'])
      for (const list of lists) {
        const matcher = compileGlob(list, { dot: true });
        const prefix = directory ? `${directory}/` : '';
        const expected = items
          .map((item, rank) => ({ item, rank }))
          .filter(({ item }) => item.path.startsWith(prefix) && matcher(item.path.slice(prefix.length)))
          .map(({ rank }) => rank);
        expect({ directory, list, ranks: index.query(matcher, directory) }).toEqual({
          directory,
          list,
          ranks: expected,
        });
      }
  });

  it('keeps the order it was given when that is not path order', () => {
    const shuffled = [...paths].reverse();
    const index = new PathIndex(shuffled);
    for (const list of globLists()) {
      const matcher = compileGlob(list, { dot: true });
      expect({ list, kept: index.filter(matcher) }).toEqual({ list, kept: shuffled.filter((p) => matcher(p.path)) });
    }
  });

  it('matches paths relative to a root, and only the items it was given', () => {
    const under = paths.filter((p) => p.path.startsWith('packages/a/'));
    const index = new PathIndex(under, 'packages/a');
    expect(index.filter(compileGlob('package.json', { dot: true }))).toEqual([{ path: 'packages/a/package.json' }]);
    expect(index.filter(compileGlob('src/**/*.ts', { dot: true })).map((p) => p.path)).toEqual([
      'packages/a/src/a.ts',
      'packages/a/src/a.spec.ts',
    ]);
  });

  it('tells the index which names and extensions can match, and nothing when any name can', () => {
    expect(compileGlob(['.gitlab-ci.yml', '**/*.{yml,yaml}']).candidates).toEqual({
      names: new Set(['.gitlab-ci.yml']),
      extensions: new Set(['yml', 'yaml']),
    });
    expect(compileGlob(['src/**']).candidates).toBeUndefined();
    expect(compileGlob(['!*.md']).candidates).toBeUndefined();
  });
});
