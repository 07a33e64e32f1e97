import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/quality/type-checking-enabled.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

const ts = { 'package.json': '{ "name": "x" }', 'src/index.ts': 'export {}\n' };

describe('type-checking-enabled', () => {
  it('passes with strict: true in a tsconfig with comments and trailing commas', async () => {
    const report = await runCheck(check, {
      ...ts,
      'tsconfig.json':
        '{\n  // strict is the point\n  "compilerOptions": {\n    "strict": true, /* yes */\n    "target": "ES2022",\n  },\n}\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('tsconfig.json');
  });

  it('warns when strict is off, annotating the line', async () => {
    const report = await runCheck(check, {
      ...ts,
      'tsconfig.json': '{\n  "compilerOptions": {\n    "strict": false,\n    "strictNullChecks": true\n  }\n}\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'tsconfig.json', line: 3 });
    expect(report.findings[0].message).toContain('only strictNullChecks on');
  });

  it('warns when strict is not set, at the compilerOptions line', async () => {
    const report = await runCheck(check, {
      ...ts,
      'tsconfig.json': '{\n  "compilerOptions": {\n    "target": "ES2022"\n  }\n}\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'tsconfig.json', line: 2 });
  });

  it('follows extends to a file in the repository, a workspace package and a known npm base', async () => {
    const relative = await runCheck(check, {
      ...ts,
      'tsconfig.base.json': '{ "compilerOptions": { "strict": true } }',
      'tsconfig.json': '{ "extends": "./tsconfig.base" }',
    });
    expect(relative.outcome).toBe('pass');
    expect(relative.summary).toContain('from tsconfig.base.json');
    const workspace = await runCheck(check, {
      ...ts,
      'packages/typescript-config/package.json': '{ "name": "@repo/typescript-config" }',
      'packages/typescript-config/base.json': '{ "compilerOptions": { "strict": true } }',
      'tsconfig.json': '{ "extends": "@repo/typescript-config/base.json" }',
    });
    expect(workspace.outcome).toBe('pass');
    const strictest = await runCheck(check, {
      ...ts,
      'tsconfig.json': '{ "extends": ["@tsconfig/node20/tsconfig.json", "@tsconfig/strictest"] }',
    });
    expect(strictest.outcome).toBe('pass');
    expect(strictest.summary).toContain('@tsconfig/strictest');
    const svelte = await runCheck(check, { ...ts, 'tsconfig.json': '{ "extends": "@tsconfig/svelte/tsconfig.json" }' });
    expect(svelte.outcome).toBe('warn');
  });

  it('lets the child override an inherited strict: true', async () => {
    const report = await runCheck(check, {
      ...ts,
      'base.json': '{ "compilerOptions": { "strict": true } }',
      'tsconfig.json': '{\n  "extends": "./base.json",\n  "compilerOptions": { "strict": false }\n}',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'tsconfig.json', line: 3 });
  });

  it('warns when strictness comes from an unknown package it cannot read', async () => {
    const report = await runCheck(check, { ...ts, 'tsconfig.json': '{\n  "extends": "@acme/tsconfig"\n}' });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'tsconfig.json', line: 2 });
    expect(report.findings[0].message).toMatch(/@acme\/tsconfig.*cannot tell/);
  });

  it('judges a solution-style tsconfig by its references', async () => {
    const report = await runCheck(check, {
      ...ts,
      'tsconfig.json':
        '{ "files": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./tsconfig.node.json" }] }',
      'tsconfig.app.json': '{ "compilerOptions": { "strict": true } }',
      'tsconfig.node.json': '{ "compilerOptions": { "strict": false } }',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].path).toBe('tsconfig.node.json');
  });

  it('reports a malformed tsconfig with its line instead of throwing', async () => {
    const report = await runCheck(check, {
      ...ts,
      'tsconfig.json': '{\n  "compilerOptions": {\n    "strict": true\n  \n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].path).toBe('tsconfig.json');
    expect(report.findings[0].message).toMatch(/invalid JSON/);
  });

  it('fails plain JavaScript without checkJs and passes it with checkJs', async () => {
    const js = { 'package.json': '{}', 'index.js': 'module.exports = 1;' };
    const failed = await runCheck(check, js);
    expect(failed.outcome).toBe('fail');
    expect(failed.findings[0].message).toMatch(/checkJs/);
    expect(
      (await runCheck(check, { ...js, 'jsconfig.json': '{ "compilerOptions": { "checkJs": true } }' })).outcome,
    ).toBe('pass');
  });

  it('passes Python with mypy or pyright configured and fails without', async () => {
    const py = { 'pyproject.toml': '[project]\nname = "x"\n', 'x/app.py': '' };
    expect((await runCheck(check, { ...py, 'mypy.ini': '[mypy]\nstrict = True\n' })).summary).toContain('mypy');
    expect(
      (
        await runCheck(check, {
          ...py,
          'pyproject.toml': '[project]\nname = "x"\n\n[tool.pyright]\ntypeCheckingMode = "strict"\n',
        })
      ).summary,
    ).toContain('Pyright');
    expect((await runCheck(check, { ...py, 'setup.cfg': '[mypy]\nignore_missing_imports = True\n' })).outcome).toBe(
      'pass',
    );
    const off = await runCheck(check, {
      ...py,
      'pyproject.toml': '[project]\nname = "x"\n\n[tool.basedpyright]\ntypeCheckingMode = "off"\n',
    });
    expect(off.outcome).toBe('warn');
    expect(off.findings[0]).toMatchObject({ path: 'pyproject.toml', line: 5 });
    const none = await runCheck(check, py);
    expect(none.outcome).toBe('fail');
    expect(none.findings[0].message).toMatch(/mypy\.ini.*pyrightconfig\.json/);
  });

  it('is not applicable to statically typed languages', async () => {
    const report = await runCheck(check, { 'go.mod': 'module x', 'main.go': 'package main' });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toMatch(/Go is statically typed/);
  });

  it('warns in a mixed repository where one ecosystem is unchecked', async () => {
    const report = await runCheck(check, {
      ...ts,
      'tsconfig.json': '{ "compilerOptions": { "strict": true } }',
      'svc/pyproject.toml': '[project]\nname="s"\n',
      'svc/main.py': '',
    });
    expect(report.outcome).toBe('warn');
    expect(report.score).toBeCloseTo(0.5);
  });

  it('evaluates a monorepo project against its own tsconfig', async () => {
    const report = await runChecks([check], {
      'package.json': '{ "private": true, "workspaces": ["apps/*"] }',
      'tsconfig.json': '{ "compilerOptions": { "strict": true } }',
      'apps/web/package.json': '{ "name": "web" }',
      'apps/web/tsconfig.json': '{\n  "compilerOptions": { "jsx": "react" }\n}',
      'apps/web/src/App.tsx': 'export {}',
    });
    const web = report.projects?.find((project) => project.path === 'apps/web')?.checks[0];
    expect(web?.outcome).toBe('warn');
    expect(web?.findings[0]).toMatchObject({ path: 'apps/web/tsconfig.json', line: 2 });
  });
});

describe('type-checking-enabled, shared configs from a workspace package', () => {
  // tooling/typescript/{package.json,base.json,internal-package.json} as stored for t3-oss/create-t3-turbo
  // (commits b6117d2a, 359c0d7b, 09fd6681); the app tsconfig follows the repository's `@acme/tsconfig/…` pattern.
  const tooling = {
    'tooling/typescript/package.json':
      '{\n  "name": "@acme/tsconfig",\n  "private": true,\n  "files": [\n    "*.json"\n  ]\n}\n',
    'tooling/typescript/base.json':
      '{\n  "$schema": "https://json.schemastore.org/tsconfig",\n  "compilerOptions": {\n    /** Base Options */\n    "esModuleInterop": true,\n    "skipLibCheck": true,\n    "target": "ES2022",\n    "lib": ["ES2022"],\n    "allowJs": true,\n    "resolveJsonModule": true,\n    "moduleDetection": "force",\n    "isolatedModules": true,\n\n    /** Keep TSC performant in monorepos */\n    "incremental": true,\n    "disableSourceOfProjectReferenceRedirect": true,\n\n    /** Strictness */\n    "strict": true,\n    "noUncheckedIndexedAccess": true,\n    "checkJs": true,\n\n    /** Transpile using Bundler (not tsc) */\n    "module": "Preserve",\n    "moduleResolution": "Bundler",\n    "noEmit": true\n  },\n  "exclude": ["node_modules", "build", "dist", ".next", ".expo"]\n}\n',
    'tooling/typescript/internal-package.json':
      '{\n  "$schema": "https://json.schemastore.org/tsconfig",\n  "extends": "./base.json",\n  "compilerOptions": {\n    "strictNullChecks": true,\n    /** Emit types for internal packages to speed up editor performance. */\n    "declaration": true,\n    "declarationMap": true,\n    "emitDeclarationOnly": true,\n    "noEmit": false,\n    "outDir": "${configDir}/dist"\n  }\n}\n',
  };

  it('follows "@acme/tsconfig/internal-package.json" into tooling/typescript and on to base.json', async () => {
    const report = await runChecks([check], {
      'package.json': '{ "private": true }',
      'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n  - tooling/*\n',
      ...tooling,
      'packages/api/package.json': '{ "name": "@acme/api" }',
      'packages/api/tsconfig.json':
        '{\n  "extends": "@acme/tsconfig/internal-package.json",\n  "include": ["src"]\n}\n',
      'packages/api/src/index.ts': 'export {}',
    });
    const api = report.projects?.find((project) => project.path === 'packages/api')?.checks[0];
    expect(api?.outcome).toBe('pass');
    expect(api?.summary).toBe('TypeScript strict mode on in tsconfig.json (from tooling/typescript/base.json)');
  });
});

describe('type-checking-enabled, unread parents', () => {
  it('says when an extended file was not read, and why', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'src/a.ts': '',
      'tsconfig.json': '{ "extends": "./shared/base.json" }',
      'shared/base.json': '{ "compilerOptions": { "strict": true } }',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].message).toMatch(/shared\/base\.json: not read: .*tsconfig\.<name>\.json/);
  });
});

describe('type-checking-enabled, strict set where the project sets it (issue 9)', () => {
  it('strict: true in a config the checked tsconfig extends (configs/base.json) passes', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'src/a.ts': '',
      'tsconfig.json': '{\n  // shared settings\n  "extends": "./configs/base",\n  "include": ["src/**/*"]\n}',
      'configs/base.json': '{ "compilerOptions": { "target": "ES2022", "strict": true } }',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('TypeScript strict mode on in tsconfig.json (from configs/base.json)');
  });

  it('strict: true in the root tsconfig of a project with references passes', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'src/a.ts': '',
      'tsconfig.json':
        '{ "compilerOptions": { "strict": true }, "files": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./tsconfig.node.json" }] }',
      'tsconfig.app.json': '{ "include": ["src"] }',
      'tsconfig.node.json': '{ "include": ["vite.config.ts"] }',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('TypeScript strict mode on in tsconfig.json');
  });

  it('reports the line of compilerOptions.strict, not of a "strict" key elsewhere or in a comment', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'src/a.ts': '',
      'tsconfig.json':
        '{\n  // "strict": true is planned\n  "ts-node": { "strict": true },\n  "compilerOptions": {\n    "strict": false\n  }\n}',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'tsconfig.json', line: 5 });
  });
});
