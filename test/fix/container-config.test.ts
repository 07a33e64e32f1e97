import { describe, expect, it } from '@jest/globals';
import dockerignore from '../../checks/container/dockerignore-present.js';
import envExample from '../../checks/configuration/env-example-present.js';
import { fixCheck } from './fix-check.js';
import { runChecks } from '../helpers/run-check.js';

describe('dockerignore-present fixer', () => {
  it('adds a .dockerignore to the build context, leaving out nothing the Dockerfile copies by name', async () => {
    const fixed = await fixCheck(dockerignore, {
      'package.json': '{"dependencies":{"express":"4"}}',
      Dockerfile: 'FROM node:22\nCOPY coverage/ /report\nCOPY . .\nCMD ["node", "server.js"]\n',
    });
    expect(fixed.before.outcome).toBe('fail');
    expect(fixed.changed['.dockerignore']).toBe(
      '.git\n.env\n.env.*\n!.env.example\n*.log\nnode_modules\nnpm-debug.log*\n',
    );
    expect(fixed.plan.runs[0].notes).toEqual(['.dockerignore leaves out coverage: Dockerfile copies them']);
    expect(fixed.after.outcome).toBe('pass');
  });

  it('adds .git and .env to a .dockerignore that lacks them, and one file per compose build context', async () => {
    const fixed = await fixCheck(dockerignore, {
      'api/Dockerfile': 'FROM python:3.12\nCOPY . .\n',
      'api/.dockerignore': '# local\n__pycache__\n',
      'web/Dockerfile': 'FROM nginx\nCOPY . /usr/share/nginx/html\n',
      'compose.yaml': 'services:\n  web:\n    build: { context: ., dockerfile: web/Dockerfile }\n',
    });
    expect(fixed.changed['api/.dockerignore']).toBe('# local\n__pycache__\n.git\n.env\n');
    expect(fixed.changed['.dockerignore']).toContain('.git\n.env\n');
    expect(fixed.after.outcome).toBe('pass');
  });

  it('refuses when the Dockerfile copies .env by name', async () => {
    const fixed = await fixCheck(dockerignore, { Dockerfile: 'FROM alpine\nCOPY .env /app/.env\n' });
    expect(fixed.plan.applied.files).toEqual([]);
    expect(fixed.plan.runs[0].skipped[0]).toContain(
      '.dockerignore: Dockerfile copies .env by name; exclude secrets by hand',
    );
  });
});

describe('env-example-present fixer', () => {
  it('lists every variable the code reads, with empty values and where it is read', async () => {
    const fixed = await fixCheck(envExample, {
      'package.json': '{"dependencies":{"express":"4"}}',
      Dockerfile: 'FROM node:22\n',
      'src/server.js':
        'const port = process.env.PORT;\nconst db = process.env["DATABASE_URL"];\nif (process.env.NODE_ENV) {}\n',
      'src/mail.js': 'export const key = process.env.SMTP_KEY ?? process.env.PORT;\n',
    });
    expect(fixed.before.outcome).toBe('fail');
    expect(fixed.changed['.env.example']).toBe(
      [
        '# The environment variables this service reads. Copy to .env and fill in the values.',
        '',
        '# read in src/server.js:2',
        'DATABASE_URL=',
        '# read in src/mail.js:1',
        'PORT=',
        '# read in src/mail.js:1',
        'SMTP_KEY=',
        '',
      ].join('\n'),
    );
    expect(fixed.after.outcome).toBe('pass');
  });

  it('writes the file in the project of a monorepo that reads the environment', async () => {
    const fixed = await fixCheck(envExample, {
      'package.json': '{"workspaces":["services/*"]}',
      'services/api/package.json': '{"dependencies":{"fastify":"5"}}',
      'services/api/Dockerfile': 'FROM node:22\n',
      'services/api/index.js': 'const url = process.env.REDIS_URL;\n',
    });
    expect(Object.keys(fixed.changed)).toEqual(['services/api/.env.example']);
    expect(fixed.changed['services/api/.env.example']).toContain('# read in index.js:1\nREDIS_URL=\n');
    const project = fixed.plan.before.projects!.find((entry) => entry.path === 'services/api')!;
    expect(project.checks.find((check) => check.id === 'env-example-present')!.outcome).toBe('fail');
    const after = await runChecks([envExample], fixed.files);
    expect([after.checks[0].outcome, after.projects![0].checks[0].outcome]).toEqual(['pass', 'pass']);
  });
});
