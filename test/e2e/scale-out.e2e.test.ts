/**
 * Scale-out end to end: TWO App processes (`node dist/src/app/server.js`, the build output) share one real
 * redis-server (started here on a free port) and the GitHub simulator (a real HTTP GitHub in this process). Signed
 * deliveries are split across both; then one instance is killed with SIGKILL mid-evaluation and started again.
 * `SHIPREADY_E2E_NO_BUILD=1` skips the build when dist/ is fresh.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { startSimulator, type SimCheckRun, type Simulator } from '../simulator/index.js';
import { startRedisServer, type RedisServer } from '../app/queue-redis-server.js';
import {
  appPrivateKey,
  ensureBuilt,
  startAppProcess,
  waitFor as waitUntil,
  type AppProcess,
} from '../helpers/app-process.js';
import { ONE_FAILURE_TO_FILE } from '../helpers/repositories.js';
import { checkRunsOn, shipreadyComments, shipreadyIssues as filedIssues } from '../helpers/simulator-queries.js';
import { deliver as deliverTo, pullPayload, pushPayload, REPO } from '../helpers/webhooks.js';

const SECRET = 'scale-out-webhook-secret';
const PULLS = 5;
const ROOT_DOCKERFILE = 'FROM node:20\nWORKDIR /app\nCOPY . .\nUSER root\nCMD ["node","index.js"]\n';
const HEADS_PER_PULL = 5;

// As in app.e2e: one high-severity failure left to file (workflow-permissions-restricted).
const files = ONE_FAILURE_TO_FILE;

type Instance = AppProcess;

let sim: Simulator;
let redis: RedisServer;
let privateKey = '';
const instances = new Map<string, Instance>();
const allLogs: string[] = [];

const waitFor = <T>(what: string, probe: () => T | undefined | false, timeoutMs = 120_000) =>
  waitUntil(what, probe, {
    timeoutMs,
    intervalMs: 25,
    context: () => [...instances.values()].map((instance) => instance.tail(25)).join('\n'),
  });

async function startInstance(name: string): Promise<Instance> {
  const instance = await startAppProcess({
    name,
    githubUrl: sim.url,
    secret: SECRET,
    privateKey,
    env: {
      REDIS_URL: redis.url,
      SHIPREADY_ROLE: 'all',
      // A killed instance's job is taken over within seconds (production: 30 s).
      SHIPREADY_QUEUE_LOCK_MS: '3000',
      SHIPREADY_QUEUE_CONCURRENCY: '3',
      SHIPREADY_EVALUATION_WORKERS: '1',
      // Every Check Run is created in progress at the start, so a kill mid-evaluation leaves one to take over.
      SHIPREADY_CHECK_RUN_GRACE_MS: '0',
    },
  });
  instance.process.once('exit', () => allLogs.push(`--- ${name} ---\n${instance.log()}`));
  instances.set(name, instance);
  return instance;
}

const stopInstance = (instance: Instance) => instance.stop('SIGTERM', 30_000);

const deliver = (instance: Instance, event: string, payload: unknown, id: string) =>
  deliverTo(instance.url, { event, payload, id, secret: SECRET });

const pullRequest = (
  action: string,
  number: number,
  branch: string,
  head: string,
  base: string,
  updatedAt: string,
  before?: string,
) => pullPayload({ action, number, branch, head, base, updatedAt, ...(before ? { before } : {}) });

const runsFor = (sha: string): SimCheckRun[] => checkRunsOn(sim, sha);
const commentsOn = (number: number) => shipreadyComments(sim, number);
const shipreadyIssues = () => filedIssues(sim);
const REAL_TITLE = / · \d+\/100 · [a-z-]+$/;

/** Every run completed, and nothing queued or running in Redis (asked through an instance's metrics). */
async function settled(instance: Instance): Promise<void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const metrics = await (await fetch(`${instance.url}/metrics`)).text();
    const depth = [...metrics.matchAll(/^shipready_queue_depth\{state="(waiting|running)"\} (\d+)/gm)].reduce(
      (sum, match) => sum + Number(match[2]),
      0,
    );
    const runs = sim.repo(REPO).checkRuns;
    if (depth === 0 && runs.length > 0 && runs.every((run) => run.status === 'completed')) return;
    if (Date.now() > deadline) throw new Error(`not settled: depth ${depth}\n${instance.log().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  ensureBuilt();
  redis = await startRedisServer();
  sim = await startSimulator({ repos: [{ owner: 'acme', name: 'api', files }] });
  privateKey = appPrivateKey();
  await Promise.all([startInstance('A'), startInstance('B')]);
}, 240_000);

afterAll(async () => {
  await Promise.all([...instances.values()].map((instance) => stopInstance(instance)));
  if (process.env.SHIPREADY_E2E_LOGS) writeFileSync(process.env.SHIPREADY_E2E_LOGS, allLogs.join('\n'));
  await sim?.close();
  await redis?.stop();
});

describe('two App instances on one Redis', () => {
  const newestHeads = new Map<number, string>();
  const olderHeads: string[] = [];
  let newestPush = '';
  let stalePush = '';

  it('50 deliveries split across both: one comment per PR, one issue per failing check, newest heads only', async () => {
    const [a, b] = [instances.get('A')!, instances.get('B')!];
    const base = sim.head(REPO);
    const deliveries: Array<{ name: string; payload: unknown; id: string }> = [];
    // 5 PRs: opened, then a burst of 5 synchronize each (25 + 5 = 30 deliveries).
    const bursts: Array<typeof deliveries> = [];
    for (let pr = 1; pr <= PULLS; pr += 1) {
      const branch = `feature-${pr}`;
      // Each PR makes the container run as root (a high regression): a failing Check Run and a comment.
      sim.commit(REPO, { branch, changes: { [`notes/pr-${pr}.md`]: 'start\n', Dockerfile: ROOT_DOCKERFILE } });
      const pull = sim.openPull(REPO, { head: branch, title: `Feature ${pr}` });
      const opened = pullRequest('opened', pull.number, branch, pull.head.sha, base, `2026-02-0${pr}T00:00:00Z`);
      deliveries.push({ name: 'pull_request', payload: opened, id: `open-${pr}` });
      const burst: typeof deliveries = [];
      let previous = pull.head.sha;
      for (let head = 1; head <= HEADS_PER_PULL; head += 1) {
        const sha = sim.commit(REPO, { branch, changes: { [`notes/pr-${pr}.md`]: `change ${head}\n` } });
        const updatedAt = `2026-02-0${pr}T00:0${head}:00Z`;
        burst.push({
          name: 'pull_request',
          payload: pullRequest('synchronize', pull.number, branch, sha, base, updatedAt, previous),
          id: `sync-${pr}-${head}`,
        });
        if (head < HEADS_PER_PULL) olderHeads.push(sha);
        else newestHeads.set(pull.number, sha);
        previous = sha;
      }
      olderHeads.push(opened.pull_request.head.sha);
      // Delivered out of order within the burst (GitHub does not promise order): newest in the middle.
      bursts.push([burst[2], burst[0], burst[4], burst[1], burst[3]]);
    }
    // 12 pushes to the default branch (issues.file: auto); the last two are delivered out of order.
    const pushes: typeof deliveries = [];
    let before = base;
    const pushedAt = 1_800_000_000;
    const pushShas: string[] = [];
    for (let index = 1; index <= 12; index += 1) {
      const sha = sim.commit(REPO, { changes: { [`notes/main-${index}.md`]: `main ${index}\n` } });
      pushShas.push(sha);
      pushes.push({
        name: 'push',
        payload: pushPayload(sha, before, { pushedAt: pushedAt + index }),
        id: `push-${index}`,
      });
      before = sha;
    }
    newestPush = pushShas[11];
    stalePush = pushShas[10];
    const [olderOfPair, newerOfPair] = [pushes[10], pushes[11]];
    pushes.splice(10, 2, newerOfPair, olderOfPair);

    let sent = 0;
    const statuses: number[] = [];
    const send = async (delivery: { name: string; payload: unknown; id: string }) => {
      const instance = sent++ % 2 === 0 ? a : b;
      const { status } = await deliver(instance, delivery.name, delivery.payload, delivery.id);
      statuses.push(status);
    };
    for (const delivery of deliveries) await send(delivery);
    await Promise.all(bursts.flat().map(send));
    for (const push of pushes.slice(0, 10)) await send(push);
    await send(pushes[10]);
    await send(pushes[11]);
    // The same delivery ids again, each to the other instance (a redelivery): acknowledged, not evaluated again.
    const again = [
      deliveries[0],
      bursts[0][2],
      bursts[1][2],
      pushes[3],
      pushes[10],
      bursts[2][0],
      bursts[3][1],
      deliveries[4],
    ];
    for (const delivery of again) {
      const instance = sent++ % 2 === 0 ? a : b;
      statuses.push((await deliver(instance, delivery.name, delivery.payload, delivery.id)).status);
    }
    expect(statuses).toHaveLength(50);
    expect(statuses.every((status) => status === 200)).toBe(true);

    await settled(a);

    // Exactly one comment per PR, showing the newest head.
    for (const [number, newest] of newestHeads) {
      const comments = commentsOn(number);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toContain(newest.slice(0, 7));
      const [run] = runsFor(newest);
      expect(runsFor(newest)).toHaveLength(1);
      expect(run.status).toBe('completed');
      expect(run.output.title).toMatch(REAL_TITLE);
      expect(run.conclusion).toBe('failure');
    }
    // Older heads never published a result: no run, or one completed as superseded.
    for (const sha of olderHeads)
      for (const run of runsFor(sha)) {
        expect(run.status).toBe('completed');
        expect(run.output.title).toBe('Superseded by a newer evaluation');
      }
    // The default branch: its newest push evaluated; the stale push delivered after it never was.
    expect(runsFor(newestPush)).toHaveLength(1);
    expect(runsFor(newestPush)[0].output.title).toMatch(REAL_TITLE);
    expect(runsFor(stalePush)).toEqual([]);
    // One issue per failing check (workflow-permissions-restricted), however many pushes evaluated it.
    const filed = shipreadyIssues();
    expect(filed).toHaveLength(1);
    expect(filed[0].body).toContain('<!-- shipready:check=workflow-permissions-restricted -->');
    expect(sim.repo(REPO).checkRuns.every((run) => run.status === 'completed')).toBe(true);
    // Both instances took deliveries, and the redeliveries were recognised.
    const logs = a.log() + b.log();
    expect(logs).toContain('seen before: not evaluated again');
    expect(logs).toContain('is older than a job already seen for it');
  }, 360_000);

  it('kill -9 mid-evaluation, start again: the job completes, its Check Run is completed, nothing duplicated', async () => {
    await stopInstance(instances.get('B')!);
    instances.delete('B');
    const a = instances.get('A')!;
    const [number] = [...newestHeads.keys()];
    const branch = `feature-1`;
    const previous = newestHeads.get(number)!;
    const sha = sim.commit(REPO, { branch, changes: { 'notes/pr-1.md': 'after the crash\n' } });
    const payload = pullRequest('synchronize', number, branch, sha, sim.head(REPO), '2026-02-01T01:00:00Z', previous);
    expect((await deliver(a, 'pull_request', payload, 'crash-1')).status).toBe(200);
    // Mid-evaluation: its Check Run is in progress (the rest takes seconds: writes are spaced by the throttling).
    await waitFor('the Check Run in progress', () => runsFor(sha).some((run) => run.status === 'in_progress'), 60_000);
    a.process.kill('SIGKILL');
    await new Promise((resolve) => a.process.once('exit', resolve));
    instances.delete('A');
    expect(runsFor(sha).map((run) => run.status)).toEqual(['in_progress']);

    const restarted = await startInstance('A');
    await waitFor('the Check Run completed after the restart', () => runsFor(sha)[0]?.status === 'completed', 120_000);
    await settled(restarted);
    expect(runsFor(sha)).toHaveLength(1);
    expect(runsFor(sha)[0].output.title).toMatch(REAL_TITLE);
    const comments = commentsOn(number);
    expect(comments).toHaveLength(1);
    await waitFor('the comment to show the head evaluated after the crash', () =>
      commentsOn(number)[0].body.includes(sha.slice(0, 7)),
    );
    expect(shipreadyIssues()).toHaveLength(1);
    expect(restarted.log()).toMatch(/stalled|taken over/);
  }, 240_000);
});
