import { describe, expect, it } from '@jest/globals';
import { globMatcher, RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { FileText, TreeEntry } from '../../src/snapshot/types.js';
import { directoryClass, nameGlobMatcher, readEntries, readEntriesMatching } from '../../checks/lib/tree-queries.js';
import { classifyPath } from '../../src/engine/file-classes.js';
import noHardcodedSecrets from '../../checks/security/no-hardcoded-secrets.js';

const paths = [
  'package-lock.json',
  'a.min.js',
  'src/app.js',
  'src/a.min.js',
  '.env',
  'deploy/.env.production',
  'id_rsa',
  'keys/id_ed25519',
  '.github/workflows/ci.yml',
  'node_modules/x/index.js',
  'vendor/dist/a.ts',
  'Dockerfile',
  'svc/Containerfile.dev',
  'docs/README.md',
  '.npmrc',
  'x/credentials.json',
  'x/y/z/file.pem',
  'noext',
  'templates/a/b.go',
];

describe('nameGlobMatcher', () => {
  it('answers for a base name what the glob list answers for the whole path', () => {
    const globs = noHardcodedSecrets.needs.files!.map((need) => (typeof need === 'string' ? need : need.glob));
    const byName = nameGlobMatcher(globs)!;
    expect(byName).toBeDefined();
    const byPath = globMatcher(globs);
    for (const path of paths)
      expect({ path, matches: byName(path.slice(path.lastIndexOf('/') + 1)) }).toEqual({ path, matches: byPath(path) });
  });

  it('refuses lists whose globs name directories', () => {
    expect(nameGlobMatcher(['**/*.js', 'src/**/*.ts'])).toBeUndefined();
    expect(nameGlobMatcher(['*.js'])).toBeUndefined();
    expect(nameGlobMatcher(['**/{a,b/c}.js'])).toBeUndefined();
  });
});

describe('tree queries', () => {
  const entries: TreeEntry[] = paths.map((path) => ({ path, kind: 'file', size: 1, mode: '100644' }));
  const read = (path: string): [string, FileText] => [
    path,
    { path, text: 'x', binary: false, truncated: false, size: 1 },
  ];
  const snapshot = new RepoSnapshot({
    source: 'local',
    entries,
    files: new Map([read('src/app.js'), read('src/a.min.js'), read('Dockerfile'), read('x/y/z/file.pem')]),
  });

  it('lists the fetched entries in tree order, and globs over them alone', () => {
    expect(readEntries(snapshot).map((entry) => entry.path)).toEqual([
      'src/app.js',
      'src/a.min.js',
      'Dockerfile',
      'x/y/z/file.pem',
    ]);
    expect(readEntriesMatching(snapshot, '**/*.js').map((entry) => entry.path)).toEqual(['src/app.js', 'src/a.min.js']);
    const narrowed = readEntriesMatching(snapshot, '**/*.js', { key: 'min', name: (name) => name.includes('min') });
    expect(narrowed.map((entry) => entry.path)).toEqual(['src/a.min.js']);
  });

  it('classifies a directory as classifyPath classifies the files in it', () => {
    for (const path of paths) {
      const directory = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      expect({ path, fileClass: directoryClass(directory) }).toEqual({ path, fileClass: classifyPath(path) });
    }
  });
});
