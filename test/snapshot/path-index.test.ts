import { describe, expect, it } from '@jest/globals';
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
