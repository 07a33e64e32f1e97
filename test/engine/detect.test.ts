import { describe, expect, it } from '@jest/globals';
import { configSchema } from '../../src/config/schema.js';
import { listDependencies } from '../../src/engine/dependencies.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';

async function detect(files: Record<string, string>) {
  return evaluateRepository({ source: new MemorySource(files), checks: [], config: configSchema.parse({}) });
}

describe('ecosystem and profile detection', () => {
  it('detects ecosystems from manifests anywhere but fixtures and vendored code', async () => {
    const report = await detect({
      'package.json': '{}',
      'api/pyproject.toml': '[project]\nname="api"\n',
      'tools/go.mod': 'module x\n',
      'test/fixtures/repos/a/Cargo.toml': '[package]\nname="a"\n',
      'vendor/x/composer.json': '{}',
      'svc/App.csproj': '<Project/>',
    });
    expect(report.ecosystems).toEqual(['dotnet', 'go', 'node', 'python']);
  });

  it.each([
    [{ 'package.json': JSON.stringify({ dependencies: { express: '^4' } }) }, 'service'],
    [{ 'pyproject.toml': '[project]\nname="x"\ndependencies=["fastapi>=0.100", "uvicorn[standard]"]\n' }, 'service'],
    [{ 'go.mod': 'module x\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n)\n' }, 'service'],
    [{ 'package.json': '{"name":"lib"}', Dockerfile: 'FROM node:20\n' }, 'service'],
    [{ 'package.json': JSON.stringify({ name: 'tool', bin: { tool: 'bin/tool.js' } }) }, 'cli'],
    [{ 'Cargo.toml': '[package]\nname="x"\n', 'src/main.rs': 'fn main(){}' }, 'cli'],
    [{ 'README.md': '# Handbook', 'chapter-1.md': 'text' }, 'docs'],
    [{ 'setup.py': 'from setuptools import setup\nsetup(name="x")\n' }, 'library'],
    // Development-only web frameworks do not make a service.
    [{ 'package.json': JSON.stringify({ name: 'lib', devDependencies: { express: '^4' } }) }, 'library'],
    [
      { 'pyproject.toml': '[project]\nname="x"\ndependencies=["anyio"]\n', 'requirements.txt': 'uvicorn==0.30.0\n' },
      'library',
    ],
    [{ 'pyproject.toml': '[project]\nname="x"\n[project.optional-dependencies]\nserver=["fastapi"]\n' }, 'library'],
    [{ 'requirements-dev.txt': 'flask==3.0.0\n', 'setup.cfg': '[metadata]\nname = x\n' }, 'library'],
    [{ 'requirements.txt': 'flask==3.0.0\n' }, 'service'],
  ])('%j is a %s', async (files, profile) => {
    expect((await detect(files as Record<string, string>)).profile).toBe(profile);
  });

  it('keeps source packages named like sample folders (Java packages) in project discovery', async () => {
    const report = await detect({
      'pom.xml': '<project/>',
      'src/main/java/org/example/samples/app/pom.xml': '<project/>',
      'src/test/resources/fixtures/demo/pom.xml': '<project/>',
    });
    expect(report.projects?.map((project) => project.path)).toEqual(['src/main/java/org/example/samples/app']);
  });

  it('one rule for which files count: fixtures, __tests__ sub-trees, playgrounds and vendored trees are not projects; examples are', async () => {
    const report = await detect({
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
      'packages/vite/package.json': JSON.stringify({ name: 'vite', bin: { vite: 'bin/vite.js' } }),
      'packages/vite/src/node/__tests__/fixtures/cjs-ssr-dep/package.json': '{"name":"cjs-ssr-dep"}',
      'packages/vite/src/node/__tests__/packages/name/package.json': '{"name":"name"}',
      'playground/alias/package.json': '{"name":"@vitejs/test-alias"}',
      'third_party/lib/package.json': '{"name":"lib"}',
      'dist/package.json': '{"name":"built"}',
      'examples/basic/package.json': '{"name":"example-basic"}',
    });
    expect(report.projects?.map((project) => project.path).sort()).toEqual(['examples/basic', 'packages/vite']);
  });

  it('reads dependencies from every manifest kind and survives malformed ones', async () => {
    const source = new MemorySource({
      'package.json': '{ "dependencies": { "pino": "1" }, ',
      'requirements.txt': 'structlog==24.1.0  # logging\n-r other.txt\n',
      'Cargo.toml': '[dependencies]\ntracing = "0.1"\n',
      Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 7'\n",
      'pom.xml':
        '<project><dependencies><dependency><groupId>io.micrometer</groupId><artifactId>micrometer-core</artifactId></dependency></dependencies></project>',
      'go.mod': 'module x\nrequire go.uber.org/zap v1.27.0\n',
    });
    const report = await evaluateRepository({ source, checks: [], config: configSchema.parse({}) });
    expect(report.ecosystems).toEqual(['go', 'java', 'node', 'python', 'ruby', 'rust']);
    const { RepoSnapshot } = await import('../../src/snapshot/snapshot.js');
    const listing = await source.listTree();
    const files = await source.readFiles(listing.entries, { maxFileBytes: 1 << 20 });
    const dependencies = listDependencies(new RepoSnapshot({ source: 'local', entries: listing.entries, files }));
    expect([...dependencies]).toEqual(
      expect.arrayContaining(['structlog', 'tracing', 'rails', 'micrometer-core', 'go.uber.org/zap']),
    );
    expect(dependencies.has('pino')).toBe(false); // package.json is malformed: skipped here, reported by package-manifest-present
  });
});
