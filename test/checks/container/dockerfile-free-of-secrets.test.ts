import { describe, expect, it } from '@jest/globals';
import check, { redact } from '../../../checks/container/dockerfile-free-of-secrets.js';
import { runCheck } from '../../helpers/run-check.js';

// Built by concatenation so no realistic secret literal sits in this file.
const fakeToken = 'ghp' + '_' + 'Zx9'.repeat(12);
const fakePassword = 'hunter' + '2-' + 'correct-horse';

describe('dockerfile-free-of-secrets', () => {
  it('passes a Dockerfile that uses secret mounts and *_FILE variables', async () => {
    const report = await runCheck(check, {
      Dockerfile: [
        '# syntax=docker/dockerfile:1',
        'FROM node:22-slim',
        'ENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password TOKEN_URL=https://auth.example.com/token',
        'ARG TOKEN_TTL=3600',
        'RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci',
        'COPY .env.example ./',
        'COPY <<EOF /app/.env',
        'PORT=3000',
        'EOF',
      ].join('\n'),
    });
    expect(report.outcome).toBe('pass');
  });

  it('fails on ENV/ARG with secret names and literal values, redacting them', async () => {
    const report = await runCheck(check, {
      Dockerfile: `FROM alpine:3.20\nENV GITHUB_TOKEN=${fakeToken} \\\n    DB_PASSWORD="${fakePassword}"\narg api_key=abcdef1234567890\n`,
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => [finding.line, finding.message.split(' has ')[0]])).toEqual([
      [2, 'Dockerfile: ENV GITHUB_TOKEN'],
      [2, 'Dockerfile: ENV DB_PASSWORD'],
      [4, 'Dockerfile: ARG api_key'],
    ]);
    const text = JSON.stringify(report.findings);
    expect(text).not.toContain(fakeToken);
    expect(text).not.toContain(fakePassword);
    expect(report.findings[0].message).toContain(redact(fakeToken));
  });

  it('fails on COPY/ADD of .env and key files, in shell and JSON form', async () => {
    const report = await runCheck(check, {
      Dockerfile:
        'FROM alpine:3.20\nCOPY .env /app/.env\nADD ["certs/server.key", "/etc/ssl/"]\nCOPY --chown=app id_rsa /home/app/.ssh/\nCOPY --from=build /app/tls.pem /tls.pem\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => finding.line)).toEqual([2, 3, 4]);
  });

  it('warns on secrets passed as build arguments, ENV from ARG, and .npmrc copies', async () => {
    const report = await runCheck(check, {
      Dockerfile: 'FROM node:22\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nCOPY .npmrc ./\nARG SECRET_KEY=""\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings.map((finding) => finding.line)).toEqual([2, 3, 4, 5]);
    expect(report.findings[0].message).toContain('--mount=type=secret');
  });

  it('is not applicable without a Dockerfile', async () => {
    expect((await runCheck(check, { '.env': 'A=1\n' })).outcome).toBe('not-applicable');
  });

  it('warns, without crashing, on an unreadable Dockerfile', async () => {
    const report = await runCheck(check, { Dockerfile: new Uint8Array([0, 0, 0, 1]) });
    expect(report.outcome).toBe('warn');
  });

  it('redacts to at most 4 characters each side', () => {
    expect(redact('short')).toBe('****');
    expect(redact(fakeToken)).toMatch(/^.{4}….{4}$/);
  });
});
