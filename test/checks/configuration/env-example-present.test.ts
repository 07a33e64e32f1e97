import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/configuration/env-example-present.js';
import { runCheck as runAnyProfile, runChecks, type RepoFiles } from '../../helpers/run-check.js';

/** The check is service-only (CATALOG): its cases run with the profile set, as a service repository would be. */
const service = { config: { profile: 'service' as const } };
const runCheck = (target: typeof check, files: RepoFiles) => runAnyProfile(target, files, service);

const server =
  "const port = process.env.PORT ?? 3000;\nconst db = process.env['DATABASE_URL'];\nexport { port, db };\n";

describe('env-example-present', () => {
  it('passes with .env.example and notes variables it does not list', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'src/server.js': server,
      '.env.example': 'PORT=3000\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.env.example');
    expect(report.summary).toContain('not listed there: DATABASE_URL');
  });

  it('accepts .env.sample, .env.template and .env.dist', async () => {
    for (const name of ['.env.sample', '.env.template', '.env.dist', 'config/.env.local.example']) {
      const report = await runCheck(check, {
        'app.py': "import os\nSECRET = os.environ['SECRET_KEY']\n",
        [name]: 'SECRET_KEY=\n',
      });
      expect({ name, outcome: report.outcome }).toEqual({ name, outcome: 'pass' });
    }
  });

  it('fails when code reads the environment without an example, pointing at the reads', async () => {
    const report = await runCheck(check, { 'package.json': '{}', 'src/server.js': server });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: 'src/server.js', line: 1 });
    expect(report.findings[0].message).toContain('PORT');
    expect(report.findings.at(-1)?.message).toMatch(/add \.env\.example listing DATABASE_URL and PORT/);
  });

  it('detects reads in Go, Rust, Java, Ruby, PHP, C# and Elixir', async () => {
    const samples: Record<string, string> = {
      'main.go': 'package main\nimport "os"\nvar token = os.Getenv("API_TOKEN")\n',
      'src/main.rs': 'fn main() { let url = std::env::var("DATABASE_URL").unwrap(); }\n',
      'src/main/java/App.java': 'class App { String k = System.getenv("API_KEY"); }\n',
      'config/app.rb': "URL = ENV.fetch('REDIS_URL')\n",
      'index.php': "<?php $k = getenv('APP_KEY');\n",
      'Program.cs': 'var c = Environment.GetEnvironmentVariable("CONN");\n',
      'lib/app.ex': 'url = System.get_env("DB_URL")\n',
    };
    for (const [path, content] of Object.entries(samples)) {
      const report = await runCheck(check, { [path]: content });
      expect({ path, outcome: report.outcome }).toEqual({ path, outcome: 'fail' });
    }
  });

  it('counts env_file and ${VAR} in compose files, dotenv dependencies and --env-file scripts', async () => {
    const compose = await runCheck(check, {
      'docker-compose.yml': 'services:\n  app:\n    image: x\n    env_file: .env\n',
    });
    expect(compose.outcome).toBe('fail');
    expect(compose.findings[0]).toMatchObject({ path: 'docker-compose.yml', line: 4 });
    const dotenv = await runCheck(check, {
      'package.json': '{ "dependencies": { "dotenv": "^16" } }',
      'index.js': 'console.log(1)\n',
    });
    expect(dotenv.outcome).toBe('fail');
    expect(dotenv.summary).toContain('dotenv');
    const script = await runCheck(check, {
      'package.json': '{\n  "scripts": {\n    "dev": "node --env-file=.env server.js"\n  }\n}',
    });
    expect(script.outcome).toBe('fail');
    expect(script.findings[0]).toMatchObject({ path: 'package.json', line: 3 });
  });

  it('is not applicable when nothing reads the environment (well-known variables and tests do not count)', async () => {
    const report = await runCheck(check, {
      'package.json': '{}',
      'src/index.js': "if (process.env.NODE_ENV !== 'production') console.log(process.env.HOME);\n",
      'test/index.test.js': 'const key = process.env.TEST_KEY;\n',
    });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toMatch(/process\.env/);
  });

  it('evaluates each monorepo project and accepts the root example for it', async () => {
    const report = await runChecks(
      [check],
      {
        'package.json': '{ "private": true, "workspaces": ["apps/*"] }',
        '.env.example': 'PORT=\n',
        'apps/api/package.json': '{ "name": "api" }',
        'apps/api/src/index.ts': 'const port = process.env.PORT;\n',
      },
      service,
    );
    const api = report.projects?.find((project) => project.path === 'apps/api')?.checks[0];
    expect(api?.outcome).toBe('pass');
    expect(api?.summary).toContain('.env.example');
  });

  it('skips binary and minified files without throwing', async () => {
    const report = await runCheck(check, {
      'dist/app.js': `var a=process.env.X;${'x'.repeat(3000)}`,
      'logo.js': new Uint8Array([0, 1, 2]),
    });
    expect(report.outcome).toBe('not-applicable');
  });
});

describe('env-example-present outside services', () => {
  it('does not apply to a library or CLI that reads PAGER or PORT (pallets/click, gin-gonic/gin)', async () => {
    const click = await runAnyProfile(check, {
      'pyproject.toml': '[project]\nname = "click"\ndependencies = []\n',
      'src/click/_termui_impl.py': "import os\npager = os.environ.get('PAGER')\nless = os.environ.get('LESS')\n",
    });
    expect(click.outcome).toBe('not-applicable');
    const gin = await runAnyProfile(check, {
      'go.mod': 'module github.com/gin-gonic/gin\n\ngo 1.21\n',
      'utils.go': 'package gin\nimport "os"\nfunc port() string { return os.Getenv("PORT") }\n',
    });
    expect(gin.outcome).toBe('not-applicable');
  });

  it('does not count PAGER or GOMAXPROCS as configuration of a service', async () => {
    const report = await runCheck(check, {
      'go.mod': 'module svc\n\ngo 1.21\n',
      'main.go': 'package main\nimport "os"\nvar p = os.Getenv("PAGER")\nvar g = os.Getenv("GOMAXPROCS")\n',
    });
    expect(report.outcome).toBe('not-applicable');
  });
});

describe('env-example-present and optional extras', () => {
  it('does not count a dotenv package offered only as an optional extra (pallets/flask)', async () => {
    const report = await runCheck(check, {
      'pyproject.toml':
        '[project]\nname = "flask"\ndependencies = ["werkzeug>=3"]\n\n[project.optional-dependencies]\ndotenv = ["python-dotenv"]\n',
      'src/flask/app.py': 'def run():\n    return 1\n',
    });
    expect(report.outcome).toBe('not-applicable');
  });

  it('still counts python-dotenv as a real dependency', async () => {
    const report = await runCheck(check, {
      'pyproject.toml': '[project]\nname = "svc"\ndependencies = ["python-dotenv"]\n',
      'src/svc/app.py': 'def run():\n    return 1\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toContain('python-dotenv');
  });
});
