/**
 * Without Redis, a restart must not strand a Check Run in progress: the built App (dist/src/app/server.js) runs
 * against the simulator with a state directory, is killed with SIGKILL in the middle of an evaluation, and is started
 * again with the same directory. Its journal (src/app/journal.ts) names the run the killed process left; the sweeper
 * evaluates it again in that same run at start: one Check Run, completed with its real conclusion, one comment.
 * `SHIPREADY_E2E_NO_BUILD=1` skips the build when dist/ is fresh.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../simulator/index.js';
import {
  appPrivateKey,
  ensureBuilt,
  startAppProcess,
  waitFor as waitUntil,
  type AppProcess,
} from '../helpers/app-process.js';
import { checkRunsOn, shipreadyComments } from '../helpers/simulator-queries.js';
import { deliver, pullPayload, REPO } from '../helpers/webhooks.js';

const SECRET = 'restart-webhook-secret';
const REAL_TITLE = / · \d+\/100 · [a-z-]+$/;

let sim: Simulator;
let stateDir = '';
let app: AppProcess | undefined;
const privateKey = appPrivateKey();

const waitFor = <T>(what: string, probe: () => T | undefined | false, timeoutMs = 90_000) =>
  waitUntil(what, probe, { timeoutMs, intervalMs: 50, context: () => app?.tail(30) ?? '' });

const startApp = async () => {
  app = await startAppProcess({
    githubUrl: sim.url,
    secret: SECRET,
    privateKey,
    name: 'app',
    env: {
      SHIPREADY_STATE_DIR: stateDir,
      // The run is created in progress at once (no grace period), so there is one to strand.
      SHIPREADY_CHECK_RUN_GRACE_MS: '0',
    },
  });
  return app;
};

const journal = (): { records: Array<{ checkRunId: number }> } | undefined => {
  try {
    return JSON.parse(readFileSync(join(stateDir, 'runs.json'), 'utf8'));
  } catch {
    return undefined;
  }
};

beforeAll(async () => {
  ensureBuilt();
  stateDir = mkdtempSync(join(tmpdir(), 'shipready-state-'));
  sim = await startSimulator({
    repos: [{ owner: 'acme', name: 'api', files: { 'README.md': '# api\n\nA small service.\n' } }],
  });
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await sim?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('the App without Redis across a kill -9', () => {
  it('the run the killed process left in progress is evaluated again in that same run after the restart', async () => {
    const first = await startApp();
    const base = sim.head(REPO);
    const head = sim.commit(REPO, { branch: 'docker', changes: { Dockerfile: 'FROM node:20\nCMD ["node"]\n' } });
    const pull = sim.openPull(REPO, { head: 'docker', base: 'main' });
    // Slow answers: the evaluation is still reading when it is killed.
    sim.latencyMs = 400;
    const payload = pullPayload({ number: pull.number, branch: 'docker', head, base });
    expect((await deliver(first.url, { event: 'pull_request', payload, id: 'restart-1', secret: SECRET })).status).toBe(
      200,
    );
    const run = await waitFor('the run in progress', () =>
      checkRunsOn(sim, head).find((candidate) => candidate.status === 'in_progress'),
    );
    await waitFor('the journal to name the run', () =>
      journal()?.records.some((record) => record.checkRunId === run.id),
    );
    await first.stop('SIGKILL');
    expect(run.status).toBe('in_progress');
    expect(readdirSync(stateDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    sim.latencyMs = 0;
    const second = await startApp();
    await waitFor('the run to complete', () => run.status === 'completed');
    expect(checkRunsOn(sim, head)).toHaveLength(1);
    expect(run.output.title).toMatch(REAL_TITLE);
    expect(run.conclusion).toBe('failure');
    const titles = (run.history as Array<{ output?: { title?: string } }>).map((entry) => entry.output?.title);
    expect(titles).toContain('Evaluating again after a restart');
    await waitFor('the comment', () => shipreadyComments(sim, pull.number).length > 0, 10_000);
    expect(shipreadyComments(sim, pull.number)).toHaveLength(1);
    await waitFor('the journal to forget the run', () => journal()?.records.length === 0, 10_000);
    expect(second.log()).toContain('Check Runs left in progress by the previous process');
    expect(sim.violations).toEqual([]);
  }, 180_000);
});
