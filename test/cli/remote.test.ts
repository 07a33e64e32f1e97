import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import { startSimulator, type Simulator } from '../simulator/index.js';

let sim: Simulator;

function capture(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env,
      cwd: process.cwd(),
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

beforeAll(async () => {
  sim = await startSimulator({
    repos: [
      {
        owner: 'acme',
        name: 'api',
        files: {
          'README.md': `# api\n\n${'An API service that answers questions. '.repeat(30)}\n`,
          'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4' } }),
          '.github/shipready.yml': 'checks:\n  runbook-present: off\n',
        },
        settings: { secretScanning: true, secretPushProtection: false, dependabotAlerts: true, license: null },
      },
    ],
  });
});
afterAll(async () => sim.close());

describe('shipready scan --repo', () => {
  it('scans a repository through the API, with its settings and its config', async () => {
    const run = capture({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'test-token' });
    const code = await main(['scan', '--repo', 'acme/api', '--format', 'json', '--fail-on', 'none'], run.io);
    expect(run.stderr()).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(run.stdout());
    expect(report.target).toMatchObject({
      source: 'github',
      repository: 'acme/api',
      ref: 'main',
      sha: sim.head('acme/api'),
    });
    expect(report.profile).toBe('service');
    const outcome = (id: string) => report.checks.find((check: { id: string }) => check.id === id)?.outcome;
    expect(outcome('secret-scanning-enabled')).toBe('pass');
    expect(outcome('secret-push-protection-enabled')).toBe('fail');
    expect(outcome('runbook-present')).toBe('not-applicable'); // turned off by the repository's config
    expect(sim.violations).toEqual([]);
  });

  it('exits 2 with a clear message for a repository it cannot see', async () => {
    const run = capture({ GITHUB_API_URL: sim.url });
    expect(await main(['scan', '--repo', 'acme/missing'], run.io)).toBe(2);
    expect(run.stderr()).toMatch(/cannot read acme\/missing: .*no such repository/);
  });

  it('rejects a malformed --repo and a directory given with it', async () => {
    const bad = capture({});
    expect(await main(['scan', '--repo', 'not a repo'], bad.io)).toBe(2);
    expect(bad.stderr()).toContain('--repo takes owner/name');
    const both = capture({});
    expect(await main(['scan', '.', '--repo', 'acme/api'], both.io)).toBe(2);
    expect(both.stderr()).toContain('either a directory or --repo');
  });
});
