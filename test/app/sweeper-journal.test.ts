/**
 * The run journal (src/app/journal.ts): without Redis, the Check Runs a process leaves in progress are in a JSON file
 * under the state directory, so the next process (after a restart or kill -9) hands them to the sweeper. Real files
 * in a temporary directory; the end-to-end case (kill -9 of the built App) is test/e2e/restart.e2e.test.ts.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appSettingsFromEnv } from '../../src/app/settings.js';
import { defaultStateDir, FileRunRegistry } from '../../src/app/journal.js';
import { CheckRunSweeper, LocalSweepLock, type RunRecord } from '../../src/app/sweeper.js';
import type { EvaluationJob } from '../../src/app/queue/types.js';
import type { OctokitLike } from '../../src/github/octokit.js';
import { Octokit } from '@octokit/rest';
import { startSimulator } from '../simulator/index.js';

const dirs: string[] = [];
const open: FileRunRegistry[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((journal) => journal.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const SCOPE = 'http://127.0.0.1:1234#app=1';
const stateDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipready-journal-'));
  dirs.push(dir);
  return dir;
};
const record = (checkRunId: number, startedAt = 1000 + checkRunId): RunRecord => ({
  checkRunId,
  installationId: 1,
  owner: 'acme',
  repo: 'api',
  headSha: 'a'.repeat(40),
  startedAt,
  request: { owner: 'acme', repo: 'api', installationId: 1, reason: 'push' },
});
const logs: string[] = [];
const log = {
  info: (_: object, message: string) => logs.push(message),
  warn: (_: object, message: string) => logs.push(message),
};
const openJournal = (dir: string, options: { scope?: string; maxEntries?: number } = {}) => {
  const journal = FileRunRegistry.open({ dir, scope: options.scope ?? SCOPE, log, ...options });
  if (journal) open.push(journal);
  return journal;
};
const onDisk = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'runs.json'), 'utf8')) as { records: RunRecord[] }).records.map(
    (entry) => entry.checkRunId,
  );

describe('the run journal', () => {
  it('keeps the runs in progress on disk; the next process gets them once, as orphans', async () => {
    const dir = stateDir();
    const first = openJournal(dir)!;
    await first.started(record(1));
    await first.started(record(2));
    expect(onDisk(dir)).toEqual([1, 2]);
    await first.finished(1);
    expect(onDisk(dir)).toEqual([2]);
    // Replaced atomically: nothing written aside is left.
    expect(readdirSync(dir).sort()).toEqual(['runs.json', 'runs.lock']);
    expect(await first.takeOrphans(10)).toEqual([]);

    // A new process on the same directory (the lock names this pid: taken as left by a dead process).
    const second = openJournal(dir)!;
    expect(await second.size()).toBe(1);
    expect((await second.takeOrphans(10)).map((entry) => entry.checkRunId)).toEqual([2]);
    expect(await second.takeOrphans(10)).toEqual([]);
    // Still an ordinary record (the stale sweep finds it) until the evaluation completes it.
    expect((await second.startedBefore(Number.MAX_SAFE_INTEGER, 10)).map((entry) => entry.checkRunId)).toEqual([2]);
    await second.finished(2);
    expect(onDisk(dir)).toEqual([]);
  });

  it('is bounded: past maxEntries the oldest runs are dropped', async () => {
    const dir = stateDir();
    const journal = openJournal(dir, { maxEntries: 3 })!;
    await Promise.all([1, 2, 3, 4, 5].map((id) => journal.started(record(id))));
    expect(onDisk(dir)).toEqual([3, 4, 5]);
  });

  it('writes concurrent changes together, the last state winning', async () => {
    const dir = stateDir();
    const journal = openJournal(dir)!;
    await Promise.all([...Array.from({ length: 50 }, (_, index) => journal.started(record(index + 1)))]);
    await Promise.all([...Array.from({ length: 49 }, (_, index) => journal.finished(index + 1))]);
    expect(onDisk(dir)).toEqual([50]);
  });

  it('is not used while another live process holds the directory', async () => {
    const dir = stateDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'runs.lock'), String(other.pid));
      logs.length = 0;
      expect(openJournal(dir)).toBeUndefined();
      expect(logs.join('\n')).toContain(`the state directory is in use by process ${other.pid}`);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('leaves alone a journal written for another GitHub or App, and sets an unreadable one aside', async () => {
    const dir = stateDir();
    const first = openJournal(dir)!;
    await first.started(record(7));
    await first.close();
    const foreign = openJournal(dir, { scope: 'https://api.github.com#app=2' })!;
    expect(await foreign.takeOrphans(10)).toEqual([]);
    await foreign.close();

    writeFileSync(join(dir, 'runs.json'), '{"version":1,"records":');
    const fresh = openJournal(dir)!;
    expect(await fresh.size()).toBe(0);
    expect(readdirSync(dir).some((name) => name.startsWith('runs.json.unreadable-'))).toBe(true);
    await fresh.close();
    // Closed: the lock is released.
    expect(existsSync(join(dir, 'runs.lock'))).toBe(false);
  });

  it('settings: SHIPREADY_STATE_DIR, a default outside jest, off', () => {
    expect(appSettingsFromEnv({ SHIPREADY_STATE_DIR: '/srv/state', APP_ID: '9' }).journal).toEqual({
      dir: '/srv/state',
      scope: 'https://api.github.com#app=9',
    });
    expect(appSettingsFromEnv({ GHE_HOST: 'ghe.example', GHE_PROTOCOL: 'http', APP_ID: '3' }).journal).toEqual({
      dir: defaultStateDir({}),
      scope: 'http://ghe.example#app=3',
    });
    expect(appSettingsFromEnv({ XDG_STATE_HOME: '/x' }).journal?.dir).toBe('/x/shipready');
    expect(appSettingsFromEnv({ SHIPREADY_STATE_DIR: 'off' }).journal).toBeUndefined();
    // Under jest (test processes must not share one), only an explicit directory.
    expect(appSettingsFromEnv({ JEST_WORKER_ID: '1' }).journal).toBeUndefined();
  });
});

describe('the sweeper at start, with the runs the previous process left', () => {
  it('evaluates each again in its own run, completes one whose PR moved on, forgets one completed meanwhile', async () => {
    const sim = await startSimulator({ repos: [{ owner: 'acme', name: 'api', files: { 'README.md': '# api\n' } }] });
    try {
      const octokit = new Octokit({ baseUrl: sim.url, auth: 't' }) as unknown as OctokitLike;
      const main = sim.head('acme/api');
      const first = sim.commit('acme/api', { branch: 'one', changes: { 'a.md': 'a\n' } });
      const moved = sim.commit('acme/api', { branch: 'two', changes: { 'b.md': 'b\n' } });
      const pullOne = sim.openPull('acme/api', { head: 'one' });
      const pullTwo = sim.openPull('acme/api', { head: 'two' });
      const create = async (sha: string, status: 'in_progress' | 'completed') =>
        (
          (await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
            owner: 'acme',
            repo: 'api',
            name: 'Production readiness',
            head_sha: sha,
            status,
            ...(status === 'completed' ? { conclusion: 'success' } : {}),
          })) as { data: { id: number } }
        ).data.id;
      const pullRecord = (id: number, sha: string, number: number): RunRecord => ({
        ...record(id),
        headSha: sha,
        request: {
          owner: 'acme',
          repo: 'api',
          installationId: 1,
          reason: 'pull_request.synchronize',
          pull: { number, headSha: sha, headRef: 'x', baseSha: main, baseRef: 'main', draft: false, fork: false },
        },
      });
      const again = await create(first, 'in_progress');
      const superseded = await create(moved, 'in_progress');
      const done = await create(main, 'completed');
      // The PR of `superseded` has a newer commit since.
      sim.commit('acme/api', { branch: 'two', changes: { 'c.md': 'c\n' } });

      const dir = stateDir();
      const before = openJournal(dir)!;
      await before.started(pullRecord(again, first, pullOne.number));
      await before.started(pullRecord(superseded, moved, pullTwo.number));
      await before.started({ ...record(done), headSha: main });
      // kill -9: nothing closed. The next process:
      const journal = openJournal(dir)!;
      const queued: EvaluationJob[] = [];
      const sweeper = new CheckRunSweeper({
        registry: journal,
        lock: new LocalSweepLock(),
        auth: async () => octokit,
        enqueue: async (job) => {
          queued.push(job);
          return 'queued';
        },
      });
      expect(await sweeper.recoverOrphans()).toMatchObject({
        requeued: 1,
        completed: 1,
        alreadyCompleted: 1,
        failed: 0,
      });
      const runs = sim.repo('acme/api').checkRuns;
      const byId = (id: number) => runs.find((run) => run.id === id)!;
      expect(byId(again)).toMatchObject({ status: 'in_progress' });
      expect(byId(again).output.title).toBe('Evaluating again after a restart');
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({
        key: `acme/api#${pullOne.number}`,
        request: { resumeRun: { id: again, headSha: first }, sweeps: 1, settings: 'fresh' },
      });
      expect(byId(superseded)).toMatchObject({ status: 'completed', conclusion: 'neutral' });
      expect(byId(superseded).output.title).toBe('Superseded by a newer commit');
      expect(byId(done)).toMatchObject({ status: 'completed', conclusion: 'success' });
      // Handed out once; the re-queued one stays recorded until its evaluation completes it.
      expect(await sweeper.recoverOrphans()).toMatchObject({ requeued: 0, completed: 0 });
      expect(onDisk(dir)).toEqual([again]);
      expect(runs).toHaveLength(3);
      expect(sim.violations).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
