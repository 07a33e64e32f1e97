import { describe, expect, it } from '@jest/globals';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import picomatch from 'picomatch';
import { allChecks } from '../../checks/index.js';
import { compileGlob, GlobSyntaxError, matchesGlob } from '../../src/snapshot/glob.js';

const fixtures = join(process.cwd(), 'test', 'fixtures', 'repos');

function walk(directory: string, into: string[] = [], root = directory): string[] {
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) walk(path, into, root);
    else into.push(relative(root, path));
  }
  return into;
}

/** Every glob the checks declare as needs, plus the ones the engine and checks build from repository content. */
function codeGlobs(): string[] {
  const globs = new Set<string>();
  for (const check of allChecks)
    for (const need of check.needs.files ?? []) {
      if (typeof need === 'string') globs.add(need);
      else {
        globs.add(need.glob);
        for (const excluded of need.exclude ?? []) globs.add(excluded);
      }
    }
  return [...globs];
}

const SYNTHETIC = [
  'a',
  '.env',
  '.env.local',
  'x.env',
  'env.production',
  'a/.env',
  'src/app.ts',
  'src/.hidden/app.ts',
  '.github/workflows/ci.yml',
  '.github/workflows/nested/ci.yml',
  'Dockerfile',
  'docker/Dockerfile.prod',
  'Containerfile.dev',
  'package-lock.json',
  'web/package-lock.json',
  'dist/app.min.js',
  'lib/index.js',
  'bin/tool',
  'scripts/deploy',
  'scripts/deploy.sh',
  'script/do-it_now',
  'tests/unit/test_api.py',
  'test_api.py',
  'test/a.py',
  'k8s/base/deployment.yaml',
  'deploy/charts/app/templates/deployment.yml',
  'config/app/settings.yml',
  'cmd/server/main.go',
  'main.go',
  'pkg/log/log.go',
  'tsconfig.base.json',
  'packages/a/tsconfig.json',
  'id_rsa',
  'keys/id_ed25519',
  'certs/server.pem',
  'LICENSES/MIT.txt',
  'Makefile',
  'tools/Makefile',
  'a/b/Makefile',
  'Taskfile.dist.yml',
  'src/main/java/com/x/HealthController.java',
  'app/routes/health.ts',
  'buildSrc/src/main/kotlin/conventions.gradle.kts',
];

describe('glob matching', () => {
  const paths = [...new Set([...SYNTHETIC, ...walk(fixtures).map((path) => path.split('/').slice(1).join('/'))])];

  it('agrees with picomatch (the syntax the checks were written for) on every glob in the code', () => {
    const globs = codeGlobs();
    expect(globs.length).toBeGreaterThan(80);
    expect(paths.length).toBeGreaterThan(250);
    const disagreements: string[] = [];
    for (const glob of globs) {
      const ours = compileGlob(glob, { dot: true });
      const theirs = picomatch(glob, { dot: true });
      for (const path of paths)
        if (ours(path) !== theirs(path)) disagreements.push(`${glob} on ${path}: ours ${ours(path)}`);
    }
    expect(disagreements.slice(0, 20)).toEqual([]);
  });

  it('agrees with picomatch on the syntax corners, with and without dot', () => {
    const cases: Array<[string, string]> = [
      ['a/**', 'a'],
      ['a/**', 'a/b/c'],
      ['**/x', 'x'],
      ['**', '.git/x'],
      ['*.js', '.a.js'],
      ['.*', '.env'],
      ['**/.env{,.*}', 'a/.env.local'],
      ['{,*/}{Makefile,makefile}', 'a/Makefile'],
      ['{,*/}{Makefile,makefile}', 'a/b/Makefile'],
      ['**/!(*.*)', 'a/b'],
      ['**/!(*.*)', 'a/b.c'],
      ['**/!(package-lock|*.min).{js,json}', 'a/package-lock.json'],
      ['**/!(package-lock|*.min).{js,json}', 'a/x.min.js'],
      ['**/!(package-lock|*.min).{js,json}', 'a/package-lock.x.json'],
      ['a/**/b', 'a/b'],
      ['a**b', 'axxb'],
      ['a/**b', 'a/x/yb'],
      ['a/**b', 'a/xb'],
      ['a/*', 'a/'],
      ['**/test{_*,s,}{.py,/**/*.py}', 'test/a.py'],
      ['**/test{_*,s,}{.py,/**/*.py}', 'tests/x/y.py'],
      ['**/test{_*,s,}{.py,/**/*.py}', 'test_x/y.py'],
      ['**/script{,s}/{*.sh,+([a-zA-Z0-9_-])}', 'scripts/do-it'],
      ['**/script{,s}/{*.sh,+([a-zA-Z0-9_-])}', 'scripts/do.it'],
      ['x/?(a|b)c', 'x/c'],
      ['x/?(a|b)c', 'x/ac'],
      ['x/*(a|b)c', 'x/ababc'],
      ['x/@(a|b)c', 'x/abc'],
      ['[a-c]x', 'bx'],
      ['[a-c]x', 'dx'],
      ['\\*x', '*x'],
      ['\\*x', 'ax'],
      ['**/*', 'a/.b'],
      ['**/*', '.a/b'],
      ['packages/*', 'packages/a'],
      ['packages/*', 'packages/a/b'],
      ['!packages/*', 'packages/a'],
      ['!packages/*', 'apps/a'],
      ['{a}', '{a}'],
    ];
    for (const dot of [true, false])
      for (const [glob, path] of cases)
        expect(`${glob} ${path} ${dot}: ${matchesGlob(path, glob, { dot })}`).toBe(
          `${glob} ${path} ${dot}: ${picomatch(glob, { dot })(path)}`,
        );
  });

  it('is linear in the path: hostile globs and paths that backtracking matchers take quadratic or exponential time on', () => {
    const long = 'a/'.repeat(20_000) + 'b'; // 40 KB path of 20,000 segments
    const name = 'x'.repeat(50_000); // 50 KB segment
    const hostile = ['**/**/**/**/**/**/**/**/c', '**/*a*a*a*a*a*a*a*a*c', '**/{a,b}/**/{a,b}/**/c', '*(a|aa)*(a|aa)c'];
    const started = process.hrtime.bigint();
    for (const glob of hostile) {
      expect(matchesGlob(long, glob, { dot: true })).toBe(false);
      expect(matchesGlob(name, glob, { dot: true })).toBe(false);
      expect(matchesGlob(`${'a'.repeat(30_000)}`, glob, { dot: true })).toBe(false);
    }
    // A loose bound (picomatch takes minutes here): fails only if matching went super-linear.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(20);
  });

  it('refuses what it does not support with a GlobSyntaxError, instead of guessing', () => {
    expect(() => compileGlob('a/*!(x)')).toThrow(GlobSyntaxError);
    expect(() => compileGlob('{a,b}'.repeat(13))).toThrow(/more than 4096/);
    expect(() => compileGlob('x'.repeat(3000))).toThrow(/longer than 2000/);
    expect(() => compileGlob('a/@(b')).toThrow(/unclosed/);
  });
});
