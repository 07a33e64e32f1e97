/**
 * The default export is a real Probot app function: `probot run ./dist/src/app/index.js` (the README's manifest-flow
 * step, and what Probot's adapters load) registers every handler. Checked twice: the events the function registers
 * (against app.yml's default_events), and the built App run by Probot's own CLI against the simulator, with signed
 * deliveries that must end in completed Check Runs and the PR comment.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Probot } from 'probot';
import { parse } from 'yaml';
import shipready, { HANDLED_EVENTS } from '../../src/app/index.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { startRedisServer, type RedisServer } from './queue-redis-server.js';
import { ensureBuilt, root, startAppProcess, waitFor, type AppProcess } from '../helpers/app-process.js';
import { completedRunOn, shipreadyComments } from '../helpers/simulator-queries.js';
import { deliver as deliverTo, pullPayload, pushPayload, REPO } from '../helpers/webhooks.js';

const SECRET = 'probot-run-secret';

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
let app: AppProcess;
/** Where the `npx` and `npm` on the App's PATH write their arguments: nothing may run them. */
let npxCalls = '';
let deliveries = 0;

async function deliver(event: string, payload: unknown): Promise<number> {
  deliveries += 1;
  return (await deliverTo(app.url, { event, payload, id: `probot-run-${deliveries}`, secret: SECRET })).status;
}

const completedRun = (sha: string) => completedRunOn(sim, sha, { context: () => app.tail(30) });

describe('probot run ./dist/src/app/index.js', () => {
  beforeAll(async () => {
    ensureBuilt('dist/src/app/index.js');
    sim = await startSimulator({
      repos: [
        {
          owner: 'acme',
          name: 'api',
          files: { 'README.md': '# api\n', Dockerfile: 'FROM node:20\nUSER node\nCMD ["node","index.js"]\n' },
        },
      ],
    });
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
    app = await startAppProcess({
      entry: 'probot-run',
      name: 'probot run',
      githubUrl: sim.url,
      secret: SECRET,
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        npm_lifecycle_event: 'npx',
        SHIPREADY_EVALUATION_WORKERS: '1',
        REDIS_URL: redis.url,
        SHIPREADY_REDIS_PREFIX: 'probot-run',
      },
    });
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
    await sim?.close();
  });

  it('a signed push to the default branch is evaluated: a completed Check Run', async () => {
    const sha = sim.head(REPO);
    expect(await deliver('push', pushPayload(sha))).toBe(200);
    const run = await completedRun(sha);
    expect(run.name).toBe('Production readiness');
  }, 120_000);

  it('a signed pull_request.opened: its Check Run completed and the sticky comment', async () => {
    const base = sim.head(REPO);
    sim.commit(REPO, { branch: 'harden', changes: { Dockerfile: 'FROM node:20\nUSER root\n' } });
    const pull = sim.openPull(REPO, { head: 'harden', title: 'Harden' });
    const payload = pullPayload({ number: pull.number, branch: 'harden', head: pull.head.sha, base });
    expect(await deliver('pull_request', payload)).toBe(200);
    const run = await completedRun(pull.head.sha);
    expect(run.conclusion).toBe('failure');
    await waitFor('the PR comment', () => shipreadyComments(sim, pull.number).length > 0, {
      context: () => app.tail(30),
    });
    expect(app.log()).not.toContain('could not schedule an evaluation');
    expect(sim.violations).toEqual([]);
  }, 120_000);

  it('serves /metrics: the deliveries and evaluations it has seen, and the GitHub API responses', async () => {
    // The outcome is counted once the flow returns, a moment after its last write.
    const text = await waitFor('both evaluations in /metrics', async () => {
      const response = await fetch(`${app.url}/metrics`);
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
    const ready = await fetch(`${app.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', reasons: [] });
    await redis!.stop();
    redis = undefined;
    const down = await waitFor('/ready to answer 503', async () => {
      const response = await fetch(`${app.url}/ready`);
      return response.status === 503 ? ((await response.json()) as { status: string; reasons: string[] }) : undefined;
    });
    expect(down.status).toBe('not-ready');
    expect(down.reasons.join(' ')).toMatch(/Redis is unreachable/);
  }, 60_000);
});
