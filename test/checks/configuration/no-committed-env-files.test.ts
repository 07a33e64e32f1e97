import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/configuration/no-committed-env-files.js';
import { runCheck } from '../../helpers/run-check.js';

// Fake credentials are assembled at run time so that no realistic secret literal sits in this file.
const fakeKey = ['sk', 'live', 'A1b2C3d4E5f6G7h8'].join('_');

describe('no-committed-env-files', () => {
  it('passes when only an example is tracked', async () => {
    const report = await runCheck(check, { '.env.example': 'API_KEY=\n', '.gitignore': '.env\n', 'index.js': '' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).not.toContain('tip');
  });

  it('passes with a tip when .gitignore does not ignore .env', async () => {
    const report = await runCheck(check, { '.gitignore': 'node_modules\n' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('tip');
  });

  it('fails on a tracked .env with a credential, pointing at the line and never showing the value', async () => {
    const report = await runCheck(check, { '.env': `PORT=3000\nSTRIPE_API_KEY=${fakeKey}\n` });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: '.env', line: 2 });
    expect(report.findings[0].message).toContain('STRIPE_API_KEY');
    expect(JSON.stringify(report)).not.toContain(fakeKey);
  });

  it('fails on a URL with a password for a remote host', async () => {
    const url = ['postgres://app:', 'Sup3rS3cret', '@db.example.com:5432/app'].join('');
    const report = await runCheck(check, { 'deploy/production.env': `DATABASE_URL=${url}\n` });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: 'deploy/production.env', line: 1 });
  });

  it('warns for env files without credential-like values, and for fixtures', async () => {
    const placeholders = await runCheck(check, {
      '.env.local': 'API_KEY=\nPASSWORD=changeme\nDATABASE_URL=postgres://postgres:postgres@localhost/app\nDEBUG=1\n',
    });
    expect(placeholders.outcome).toBe('warn');
    expect(placeholders.findings[0]).toMatchObject({ path: '.env.local', line: 1 });
    const fixture = await runCheck(check, { 'test/fixtures/app/.env': `SECRET_TOKEN=${fakeKey}\n` });
    expect(fixture.outcome).toBe('warn');
    expect(fixture.findings[0].message).toMatch(/fixture/);
    // CATALOG "Which files count": .env files inside test-fixture trees are reported as warn, whatever they hold.
    const harmless = await runCheck(check, { 'test/fixtures/parser/.env': 'GREETING=hello\n' });
    expect(harmless.outcome).toBe('warn');
    expect(harmless.findings[0].message).toContain('make sure it is not a real credential');
  });

  it('excepts templates, vaults, .envrc and .flaskenv', async () => {
    const report = await runCheck(check, {
      '.env.sample': 'X=1',
      '.env.template': 'X=1',
      'example.env': 'X=1',
      '.env.vault': 'DOTENV_VAULT=encrypted',
      '.envrc': 'use flake',
      '.flaskenv': 'FLASK_APP=app',
      'src/env.ts': 'export {}',
    });
    expect(report.outcome).toBe('pass');
  });

  it('fails on an unreadable (binary) env file rather than assuming it is safe', async () => {
    const report = await runCheck(check, { '.env.production': new Uint8Array([0, 1, 2, 3]) });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toMatch(/binary/);
  });

  it('honours an inline shipready-ignore comment', async () => {
    const report = await runCheck(check, {
      '.env': `# shipready-ignore no-committed-env-files: a throwaway key for the demo\nDEMO_SECRET=${fakeKey}\n`,
    });
    expect(report.outcome).toBe('pass');
    expect(report.findings[0].suppressed?.reason).toContain('throwaway');
  });
});

describe('no-committed-env-files, symlinks', () => {
  it('warns, not fails, for a tracked .env symlink (it holds no values itself)', async () => {
    const report = await runCheck(check, { '.env': { content: '../shared/.env', kind: 'symlink' } });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0].message).toContain('a symlink');
  });
});

describe('no-committed-env-files, test-fixture trees (issue 9)', () => {
  it('vitejs/vite playground/assets-sanitize/.env (KEY=unsafe) is a warn, not a critical fail', async () => {
    const report = await runCheck(check, {
      'package.json': '{"private":true}',
      'playground/assets-sanitize/.env': 'KEY=unsafe\n',
      'playground/assets-sanitize/package.json': '{"name":"@vitejs/test-assets-sanitize"}',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: 'playground/assets-sanitize/.env', line: 1 });
    expect(report.findings[0].message).toContain('test fixture');
    expect(report.findings[0].message).toContain('make sure it is not a real credential');
  });

  it('a credential-like .env in testdata/ or __tests__/ sub-trees warns; the same file elsewhere fails', async () => {
    for (const path of ['testdata/.env', 'packages/x/src/__tests__/fixtures/app/.env']) {
      expect((await runCheck(check, { [path]: 'API_KEY=unsafe-value-123\n' })).outcome).toBe('warn');
    }
    expect((await runCheck(check, { 'config/.env': 'API_KEY=unsafe-value-123\n' })).outcome).toBe('fail');
  });
});
