import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { openCheckRun } from '../../src/app/flow/check-run.js';
import { baseExternalId } from '../../src/app/flow/types.js';
import type { Target } from '../../src/app/flow/types.js';
import type { CheckRunHandle } from '../../src/github/check-runs.js';
import { noGuard } from '../../src/github/octokit.js';
import type { Simulator } from '../simulator/index.js';
import { simulatorWithRepo } from '../github/sim-helpers.js';

// The Check Run of one evaluation against the simulator: created completed in one request when the evaluation ends
// within the grace period, in progress at its end otherwise, and never created twice or left missing.

const NOW = () => new Date('2026-01-02T03:04:05Z');
const COMPLETED = {
  status: 'completed' as const,
  conclusion: 'success' as const,
  output: { title: '✓ ready', summary: 'all good' },
};

let sim: Simulator;
let octokit: Octokit;
beforeEach(async () => ({ sim, octokit } = await simulatorWithRepo()));
afterEach(async () => {
  expect(sim.violations).toEqual([]);
  await sim.close();
});

function target(overrides: Partial<Target> = {}): Target {
  const headSha = sim.head('acme/api');
  return {
    owner: 'acme',
    repo: 'api',
    defaultBranch: 'main',
    headSha,
    ref: 'main',
    isDefaultBranch: true,
    base: { sha: '1'.repeat(40), ref: 'main' },
    ...overrides,
  };
}

const writes = () => ({
  post: sim.counts.byRoute['POST /repos/{owner}/{repo}/check-runs'] ?? 0,
  patch: sim.counts.byRoute['PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}'] ?? 0,
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function open(graceMs: number, extra: { octokit?: Octokit; target?: Target } = {}) {
  const started: CheckRunHandle[] = [];
  const errors: unknown[] = [];
  const run = openCheckRun({
    octokit: extra.octokit ?? octokit,
    target: extra.target ?? target(),
    guard: noGuard,
    now: NOW,
    graceMs,
    onStarted: async (handle) => {
      started.push(handle);
    },
    onError: (error) => errors.push(error),
  });
  return { run, started, errors };
}

describe('the Check Run of an evaluation', () => {
  it('an evaluation that ends within the grace period creates it completed, in one request', async () => {
    const { run: opening, started } = open(60_000);
    const run = await opening;
    expect(sim.repo('acme/api').checkRuns).toHaveLength(0);
    const handle = await run.write(COMPLETED);
    expect(writes()).toEqual({ post: 1, patch: 0 });
    const [created] = sim.repo('acme/api').checkRuns;
    expect(created).toMatchObject({
      id: handle.id,
      status: 'completed',
      conclusion: 'success',
      // Created completed, it still carries what a run created in progress would: the compared commit.
      external_id: baseExternalId('1'.repeat(40)),
      output: { title: '✓ ready' },
    });
    expect(run.id).toBe(handle.id);
    expect(run.htmlUrl).toBe(`https://github.com/acme/api/runs/${handle.id}`);
    // Never in progress: the sweeper is not told about it.
    expect(started).toEqual([]);
  });

  it('a longer evaluation shows it in progress when the grace period ends, then completes the same run', async () => {
    const { run: opening, started } = open(30);
    const run = await opening;
    await until(() => sim.repo('acme/api').checkRuns.length === 1 && started.length === 1);
    expect(sim.repo('acme/api').checkRuns[0]).toMatchObject({
      status: 'in_progress',
      output: { title: 'Evaluating…' },
    });
    expect(started[0].id).toBe(sim.repo('acme/api').checkRuns[0].id);
    await run.write(COMPLETED);
    expect(writes()).toEqual({ post: 1, patch: 1 });
    expect(sim.repo('acme/api').checkRuns).toHaveLength(1);
    expect(sim.repo('acme/api').checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  it('the end of the evaluation during the creation in progress waits for it and updates that run', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let posting = false;
    const slowPost = {
      ...octokit,
      request: (async (route: string, parameters: Record<string, unknown>) => {
        if (route.startsWith('POST ')) {
          posting = true;
          await held;
        }
        return octokit.request(route, parameters);
      }) as unknown as Octokit['request'],
    } as Octokit;
    const { run: opening } = open(1, { octokit: slowPost });
    const run = await opening;
    await until(() => posting);
    const writing = run.write(COMPLETED);
    release();
    await writing;
    expect(writes()).toEqual({ post: 1, patch: 1 });
    expect(sim.repo('acme/api').checkRuns).toHaveLength(1);
    expect(sim.repo('acme/api').checkRuns[0].status).toBe('completed');
  });

  it('a creation in progress that failed is replaced by creating the run at the end', async () => {
    sim.failNext({ path: /\/check-runs$/, method: 'POST', status: 502, times: 1 });
    const { run: opening, errors, started } = open(1);
    const run = await opening;
    await until(() => errors.length === 1);
    await run.write(COMPLETED);
    expect(sim.repo('acme/api').checkRuns).toHaveLength(1);
    expect(sim.repo('acme/api').checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(started).toEqual([]);
  });

  it('a write in progress before the grace period ended (waiting for the quota) creates it in progress, for the sweeper', async () => {
    const { run: opening, started } = open(60_000);
    const run = await opening;
    await run.write({
      status: 'in_progress',
      output: { title: 'Waiting for the GitHub API quota reset', summary: 's' },
    });
    expect(sim.repo('acme/api').checkRuns[0].status).toBe('in_progress');
    expect(started.map((handle) => handle.id)).toEqual([sim.repo('acme/api').checkRuns[0].id]);
  });

  it('grace period 0: created in progress at once', async () => {
    const { run: opening, started } = open(0, { target: target({ isDefaultBranch: false, ref: 'feature' }) });
    await opening;
    expect(sim.repo('acme/api').checkRuns).toHaveLength(1);
    expect(sim.repo('acme/api').checkRuns[0].status).toBe('in_progress');
    expect(sim.repo('acme/api').checkRuns[0].external_id ?? null).toBeNull();
    expect(started).toHaveLength(1);
  });

  it('cancel stops a creation still waiting', async () => {
    const { run: opening } = open(20);
    const run = await opening;
    run.cancel();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sim.repo('acme/api').checkRuns).toHaveLength(0);
  });
});
