import { describe, expect, it } from '@jest/globals';
import { configSchema } from '../../src/config/schema.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';

async function detect(files: Record<string, string>, config: Record<string, unknown> = {}) {
  return evaluateRepository({ source: new MemorySource(files), checks: [], config: configSchema.parse(config) });
}
const json = (value: unknown) => JSON.stringify(value);

// The shape of vitejs/vite: a pnpm workspace whose published package depends on `connect` for its dev server, a
// scaffolding package with `template-*` package.json files, test packages under `__tests__/` and fixture trees.
const viteLike = {
  'package.json': json({ name: 'monorepo', private: true, devDependencies: { typescript: '5' } }),
  'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - 'packages/**/__tests__/**'\n  - docs\n",
  'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
  'docs/package.json': json({ name: 'docs', private: true, devDependencies: { vitepress: '1' } }),
  'packages/vite/package.json': json({
    name: 'vite',
    bin: { vite: 'bin/vite.js' },
    exports: { '.': './dist/node/index.js' },
    dependencies: { connect: '^3.7.0', esbuild: '0.25' },
  }),
  'packages/vite/src/node/server/index.ts':
    'export function createServer() { return http.createServer(app).listen(5173) }\n',
  'packages/vite/src/types/package.json': json({ '//': 'types only' }),
  'packages/vite/src/node/__tests__/package.json': json({
    name: '@vitejs/unit',
    private: true,
    dependencies: { vue: '3' },
  }),
  'packages/vite/src/node/__tests__/packages/child/package.json': json({ name: 'child' }),
  'packages/create-vite/package.json': json({
    name: 'create-vite',
    bin: { 'create-vite': 'index.js' },
    files: ['template-*'],
  }),
  'packages/create-vite/template-react/package.json': json({ name: 'vite-react', dependencies: { react: '19' } }),
  'packages/create-vite/template-vue/package.json': json({ name: 'vite-vue', dependencies: { vue: '3' } }),
  'test/fixtures/ssr/package.json': json({ name: 'ssr', private: true, dependencies: { express: '4' } }),
  'test/fixtures/ssr/Dockerfile': 'FROM node:20\n',
  '.devcontainer/Dockerfile': 'FROM mcr.microsoft.com/devcontainers/typescript-node\n',
};

describe('profile and its reason', () => {
  it('detects a published package depending on connect as a library, and says why', async () => {
    const report = await detect(viteLike);
    expect(report.profile).toBe('library');
    expect(report.profileReason).toContain('packages/vite/package.json');
    expect(report.profileReason).toContain('"connect"');
  });

  it('still detects an unpublished app or a started package with a framework as a service, naming the file', async () => {
    const app = await detect({ 'package.json': json({ name: 'api', private: true, dependencies: { express: '4' } }) });
    expect(app.profile).toBe('service');
    expect(app.profileReason).toBe('web framework dependency "express" in package.json');
    const started = await detect({
      'package.json': json({
        name: 'api',
        main: 'index.js',
        scripts: { start: 'node index.js' },
        dependencies: { fastify: '4' },
      }),
    });
    expect(started.profile).toBe('service');
    expect(started.profileReason).toContain('node index.js');
    const deployed = await detect({
      'package.json': json({ name: 'lib', main: 'index.js' }),
      'deploy/Dockerfile': 'FROM x\n',
    });
    expect(deployed.profileReason).toBe('deployment file deploy/Dockerfile');
  });

  it('detects a published Python package built on a framework as a library, and an app with an entry as a service', async () => {
    const pyproject = [
      '[build-system]',
      'requires = ["hatchling"]',
      'build-backend = "hatchling.build"',
      '',
      '[project]',
      'name = "fastapi-pagination-x"',
      'dependencies = ["fastapi>=0.100", "pydantic>=2"]',
      '',
    ].join('\n');
    const library = await detect({
      'pyproject.toml': pyproject,
      'src/fastapi_pagination_x/__init__.py': '',
      'examples/app.py': '',
    });
    expect(library.profile).toBe('library');
    expect(library.profileReason).toContain('"fastapi" is a dependency of the published package pyproject.toml');
    const app = await detect({ 'pyproject.toml': pyproject, 'src/svc/main.py': 'app = FastAPI()\n' });
    expect(app.profile).toBe('service');
    const served = await detect({
      'pyproject.toml': pyproject.replace('"pydantic>=2"', '"uvicorn"'),
      'src/x/__init__.py': '',
    });
    expect(served.profile).toBe('service');
  });

  it('says when config set the profile, with what was detected', async () => {
    const report = await detect(viteLike, { profile: 'service' });
    expect(report.profile).toBe('service');
    expect(report.profileReason).toMatch(/^set in config \(`profile: service`\); detected library: /);
  });

  it('never calls a repository with code docs: Python scripts without a manifest are a library', async () => {
    const report = await detect({
      'README.md': '# Tools\n\nScripts we use.\n',
      'docs/guide.md': 'text',
      'scripts/sync_labels.py': 'import requests\n',
      'scripts/report.py': 'print(1)\n',
    });
    expect(report.profile).toBe('library');
    expect(report.profileReason).toContain('scripts/report.py');
    const action = await detect({ 'README.md': '# Action', 'action.yml': 'name: x\nruns:\n  using: composite\n' });
    expect(action.profile).toBe('library');
    expect(action.profileReason).toContain('action.yml');
    const docs = await detect({ 'README.md': '# Handbook', 'chapter-1.md': 'text' });
    expect(docs.profile).toBe('docs');
    expect(docs.profileReason).toContain('no source code');
  });
});

describe('monorepo projects', () => {
  it('are workspace members and real manifest roots, not test packages, templates or stubs', async () => {
    const report = await detect(viteLike);
    expect(report.projects?.map((project) => project.path)).toEqual(['docs', 'packages/create-vite', 'packages/vite']);
    expect(report.warnings).toEqual([]);
  });

  it('keeps a nested root that a workspace glob includes, and separate apps under a plain root', async () => {
    const report = await detect({
      'package.json': json({ name: 'root', workspaces: ['packages/*', 'packages/app/plugins/*'] }),
      'packages/app/package.json': json({ name: 'app' }),
      'packages/app/plugins/auth/package.json': json({ name: 'auth' }),
      'site/package.json': json({ name: 'site', dependencies: { astro: '4' } }),
      'services/api/pom.xml': '<project/>',
      'services/api/core/pom.xml': '<project/>',
    });
    expect(report.projects?.map((project) => project.path)).toEqual([
      'packages/app',
      'packages/app/plugins/auth',
      'services/api',
      'services/api/core',
      'site',
    ]);
  });

  it('evaluates far more than 50 projects, and says how many it left out beyond its bound', async () => {
    const files: Record<string, string> = { 'package.json': json({ private: true, workspaces: ['packages/*'] }) };
    for (let index = 0; index < 1003; index += 1)
      files[`packages/p${String(index).padStart(4, '0')}/package.json`] = '{}';
    const report = await detect(files);
    expect(report.projects).toHaveLength(1000);
    expect(report.warnings).toEqual([
      '3 project(s) left out: shipready evaluates at most 1000 projects one by one and found 1003 (sorted by path, not evaluated: `packages/p1000`, `packages/p1001`, `packages/p1002`); list the ones to evaluate in `projects:` in .github/shipready.yml (e.g. `projects: [packages/api, packages/web]`)',
    ]);
  });
});
