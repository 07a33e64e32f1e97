/**
 * The default export is a real Probot app function: `probot run ./dist/src/app/index.js` (the README's manifest-flow
 * step, and what Probot's adapters load) registers every handler. Checked twice: the events the function registers
 * (against app.yml's default_events), and the built App run by Probot's own CLI against the simulator, with signed
 * deliveries that must end in completed Check Runs and the PR comment.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Probot } from 'probot';
import { parse } from 'yaml';
import shipready, { HANDLED_EVENTS } from '../../src/app/index.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { startRedisServer, type RedisServer } from './queue-redis-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const SECRET = 'probot-run-secret';
const REPO = 'acme/api';
const COMMENT_MARKER = '<!-- shipready:comment -->';

describe('the default export, as a Probot app function', () => {
  it('registers a handler for every event shipready answers, covering every default event of app.yml', () => {
    const registered: string[] = [];
    const added: unknown[] = [];
    const probot = {
      on: (events: string | string[]) => registered.push(...[events].flat()),
      onAny: () => undefined,
      onError: () => undefined,
      log: { child: () => probot.log, info() {}, warn() {}, error() {}, debug() {} },
    };
    const env = process.env.SHIPREADY_EVALUATION_WORKERS;
    process.env.SHIPREADY_EVALUATION_WORKERS = '0';
    try {
      shipready(probot as unknown as Probot, { cwd: root, addHandler: (handler) => added.push(handler) });
    } finally {
      if (env === undefined) delete process.env.SHIPREADY_EVALUATION_WORKERS;
      else process.env.SHIPREADY_EVALUATION_WORKERS = env;
    }
    expect([...registered].sort()).toEqual([...HANDLED_EVENTS].sort());
    // One HTTP handler: /health, /ready and /metrics (ready.ts, as under npm start).
    expect(added).toHaveLength(1);
    const manifest = parse(readFileSync(join(root, 'app.yml'), 'utf8')) as { default_events: string[] };
    for (const event of manifest.default_events)
      expect(registered.some((name) => name === event || name.startsWith(`${event}.`))).toBe(true);
  });
});

// ── `probot run` on the build ──────────────────────────────────────────────────────────────────────────────────────

let sim: Simulator;
let redis: RedisServer | undefined;
let app: ChildProcess;
/** Where the `npx` and `npm` on the App's PATH write their arguments: nothing may run them. */
let npxCalls = '';
let appUrl = '';
let appLog = '';
let deliveries = 0;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fixture(name: string): any {
  return JSON.parse(readFileSync(join(here, '..', 'fixtures', 'webhooks', `${name}.json`), 'utf8'));
}

const repository = () => ({
  ...fixture('push').repository,
  id: 1,
  name: 'api',
  full_name: REPO,
  owner: { ...fixture('push').repository.owner, login: 'acme', name: 'acme' },
  default_branch: 'main',
  master_branch: 'main',
});

async function deliver(name: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  deliveries += 1;
  const response = await fetch(`${appUrl}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': name,
      'x-github-delivery': `probot-run-${deliveries}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  await response.text();
  return response.status;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}\n--- probot log (tail) ---\n${appLog.split('\n').slice(-30).join('\n')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForAsync<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const completedRun = (sha: string) =>
  waitFor(`a completed Check Run on ${sha.slice(0, 7)}`, () =>
    sim.repo(REPO).checkRuns.find((run) => run.head_sha === sha && run.status === 'completed'),
  );

describe('probot run ./dist/src/app/index.js', () => {
  beforeAll(async () => {
    if (process.env.SHIPREADY_E2E_NO_BUILD !== '1' || !existsSync(join(root, 'dist/src/app/index.js')))
      spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
    expect(existsSync(join(root, 'dist/src/app/index.js'))).toBe(true);
    sim = await startSimulator({
      repos: [
        {
          owner: 'acme',
          name: 'api',
          files: { 'README.md': '# api\n', Dockerfile: 'FROM node:20\nUSER node\nCMD ["node","index.js"]\n' },
        },
      ],
    });
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    redis = await startRedisServer();
    // Probot's own throttling (REDIS_URL) loads ioredis through npx-import-light, which runs `npx` to fetch a
    // package it cannot import, and always in an `npx` context (npm_lifecycle_event=npx): stand-ins first on the
    // PATH record any such run.
    const bin = mkdtempSync(join(tmpdir(), 'shipready-npx-'));
    npxCalls = join(bin, 'calls.log');
    for (const tool of ['npx', 'npm']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> '${npxCalls}'\nexit 1\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    app = spawn(process.execPath, [join(root, 'node_modules/probot/bin/probot.js'), 'run', './dist/src/app/index.js'], {
      cwd: root,
      env: {
        PATH: `${dirname(npxCalls)}:${process.env.PATH}`,
        npm_lifecycle_event: 'npx',
        NODE_ENV: 'production',
        APP_ID: '1',
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: new URL(sim.url).host,
        GHE_PROTOCOL: 'http',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        SHIPREADY_EVALUATION_WORKERS: '1',
        REDIS_URL: redis.url,
        SHIPREADY_REDIS_PREFIX: 'probot-run',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout!.on('data', (chunk: Buffer) => (appLog += chunk.toString()));
    app.stderr!.on('data', (chunk: Buffer) => (appLog += chunk.toString()));
    await waitFor('probot run to listen', () => /Listening on/i.test(appLog), 60_000);
  }, 240_000);

  afterAll(async () => {
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app.once('exit', resolve));
      app.kill('SIGTERM');
      await exited;
    }
    await redis?.stop();
    await sim?.close();
  });

  it('a signed push to the default branch is evaluated: a completed Check Run', async () => {
    const sha = sim.head(REPO);
    const payload = {
      ...fixture('push'),
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: sha,
      deleted: false,
      created: false,
      repository: repository(),
      installation: { id: 1 },
    };
    expect(await deliver('push', payload)).toBe(200);
    const run = await completedRun(sha);
    expect(run.name).toBe('Production readiness');
  }, 120_000);

  it('a signed pull_request.opened: its Check Run completed and the sticky comment', async () => {
    const base = sim.head(REPO);
    sim.commit(REPO, { branch: 'harden', changes: { Dockerfile: 'FROM node:20\nUSER root\n' } });
    const pull = sim.openPull(REPO, { head: 'harden', title: 'Harden' });
    const payload = fixture('pull_request.opened');
    payload.number = pull.number;
    Object.assign(payload.pull_request, {
      number: pull.number,
      state: 'open',
      draft: false,
      head: { ...payload.pull_request.head, ref: 'harden', sha: pull.head.sha, repo: repository() },
      base: { ...payload.pull_request.base, ref: 'main', sha: base, repo: repository() },
    });
    payload.repository = repository();
    payload.installation = { id: 1 };
    expect(await deliver('pull_request', payload)).toBe(200);
    const run = await completedRun(pull.head.sha);
    expect(run.conclusion).toBe('failure');
    await waitFor('the PR comment', () =>
      sim
        .repo(REPO)
        .comments.some((comment) => comment.issue_number === pull.number && comment.body.includes(COMMENT_MARKER)),
    );
    expect(appLog).not.toContain('could not schedule an evaluation');
    expect(sim.violations).toEqual([]);
  }, 120_000);

  it('serves /metrics: the deliveries and evaluations it has seen, and the GitHub API responses', async () => {
    // The outcome is counted once the flow returns, a moment after its last write.
    const text = await waitForAsync('both evaluations in /metrics', async () => {
      const response = await fetch(`${appUrl}/metrics`);
      expect(response.status).toBe(200);
      const scraped = await response.text();
      const evaluations = [...scraped.matchAll(/^shipready_evaluations_total\{[^}]*\} (\d+)$/gm)];
      return evaluations.reduce((sum, match) => sum + Number(match[1]), 0) === 2 ? scraped : undefined;
    });
    expect(text).toMatch(/^shipready_webhook_deliveries_total\{event="push"\} 1$/m);
    expect(text).toMatch(/^shipready_webhook_deliveries_total\{event="pull_request.opened"\} 1$/m);
    expect(text).toMatch(/^shipready_evaluations_total\{status="completed",conclusion="failure"\} 1$/m);
    expect(text).toMatch(/^shipready_github_api_requests_total\{status="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^shipready_queue_bound 100000$/m);
  });

  it('never runs npx: ioredis is the installed one', () => {
    expect(existsSync(npxCalls) ? readFileSync(npxCalls, 'utf8') : '').toBe('');
  });

  it('serves /ready: 200 while Redis answers, 503 with the reason once it is unreachable', async () => {
    const ready = await fetch(`${appUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', reasons: [] });
    await redis!.stop();
    redis = undefined;
    const down = await waitForAsync('/ready to answer 503', async () => {
      const response = await fetch(`${appUrl}/ready`);
      return response.status === 503 ? ((await response.json()) as { status: string; reasons: string[] }) : undefined;
    });
    expect(down.status).toBe('not-ready');
    expect(down.reasons.join(' ')).toMatch(/Redis is unreachable/);
  }, 60_000);
});
