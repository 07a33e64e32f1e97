import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/container/dockerignore-present.js';
import { isIgnored, parseDockerignore } from '../../../checks/lib/container.js';
import { runCheck } from '../../helpers/run-check.js';

const dockerfile = 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD ["node","server.js"]\n';

describe('dockerignore-present', () => {
  it('passes when the .dockerignore beside the Dockerfile excludes .git and .env', async () => {
    const report = await runCheck(check, { Dockerfile: dockerfile, '.dockerignore': '.git\n.env\nnode_modules\n' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('.dockerignore excludes .git and .env: .dockerignore');
  });

  it('fails without a .dockerignore and points at the COPY that sends the whole context', async () => {
    const report = await runCheck(check, {
      Dockerfile: dockerfile,
      'api/Dockerfile': 'FROM alpine:3\nCOPY app /app\n',
      'api/.dockerignore': '.git\n.env\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings).toEqual([
      {
        message:
          "Dockerfile: no .dockerignore in its build context . (the Dockerfile's directory); COPY on line 3 sends the whole context",
        path: 'Dockerfile',
        line: 3,
      },
    ]);
  });

  it('warns when .git or .env is not excluded, naming which', async () => {
    const report = await runCheck(check, { Dockerfile: dockerfile, '.dockerignore': 'node_modules\n.env.local\n' });
    expect(report.outcome).toBe('warn');
    expect(report.findings).toEqual([
      { message: '.dockerignore does not exclude .git or .env: add `.git` and `.env`', path: '.dockerignore' },
    ]);
  });

  it('understands **/.env, .env*, .git/ and an allow-list with ! re-includes', async () => {
    expect((await runCheck(check, { Dockerfile: dockerfile, '.dockerignore': '**/.env\n.git/\n' })).outcome).toBe(
      'pass',
    );
    expect((await runCheck(check, { Dockerfile: dockerfile, '.dockerignore': '.env*\n/.git\n' })).outcome).toBe('pass');
    expect(
      (await runCheck(check, { Dockerfile: dockerfile, '.dockerignore': '*\n!src\n!package*.json\n' })).outcome,
    ).toBe('pass');
    const reincluded = await runCheck(check, { Dockerfile: dockerfile, '.dockerignore': '*\n!src\n!.env\n' });
    expect(reincluded.outcome).toBe('warn');
    expect(reincluded.findings[0].message).toContain('does not exclude .env');
  });

  it('uses the compose build.context, and the Dockerfile-specific ignore file', async () => {
    const compose = 'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/web.Dockerfile\n';
    const inContext = await runCheck(check, {
      'docker/web.Dockerfile': dockerfile,
      'compose.yaml': compose,
      '.dockerignore': '.git\n.env\n',
    });
    expect(inContext.outcome).toBe('pass');
    const wrongPlace = await runCheck(check, {
      'docker/web.Dockerfile': dockerfile,
      'compose.yaml': compose,
      'docker/.dockerignore': '.git\n.env\n',
    });
    expect(wrongPlace.outcome).toBe('fail');
    expect(wrongPlace.findings[0].message).toContain('build.context of compose service "web" (compose.yaml:3)');
    const specific = await runCheck(check, {
      'docker/web.Dockerfile': dockerfile,
      'compose.yaml': compose,
      'docker/web.Dockerfile.dockerignore': '.git\n.env\n',
    });
    expect(specific.outcome).toBe('pass');
  });

  it('accepts a parent .dockerignore for a Dockerfile in a sub-directory, saying what it assumes', async () => {
    const report = await runCheck(check, { 'docker/Dockerfile': dockerfile, '.dockerignore': '.git\n.env\n' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('assuming docker/Dockerfile is built from .');
  });

  it('is not applicable without a Dockerfile', async () => {
    expect((await runCheck(check, { '.dockerignore': '.git\n' })).outcome).toBe('not-applicable');
  });

  it('treats a binary .dockerignore as excluding nothing, without crashing', async () => {
    const report = await runCheck(check, {
      Dockerfile: dockerfile,
      '.dockerignore': new Uint8Array([0, 159, 146, 150]),
    });
    expect(report.outcome).toBe('warn');
  });
});

describe('dockerignore matching', () => {
  it('follows Docker: last match wins, parents count, comments ignored', () => {
    const rules = parseDockerignore('# comment\n*\n!src/**\nsrc/secret.pem\n');
    expect(isIgnored(rules, 'README.md')).toBe(true);
    expect(isIgnored(rules, 'src/index.ts')).toBe(false);
    expect(isIgnored(rules, 'src/secret.pem')).toBe(true);
    expect(isIgnored(parseDockerignore('.git\n'), '.git/HEAD')).toBe(true);
    expect(isIgnored(parseDockerignore('*.env\n'), '.env')).toBe(true);
  });
});
