/**
 * One contract, two queues: every case runs against the in-process queue and against the BullMQ queue on a real
 * redis-server (started here on a free port, in a temporary directory, and stopped after). No mock Redis.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  MemoryJobQueue,
  RedisJobQueue,
  RetryLaterError,
  type EvaluationJob,
  type JobControl,
  type JobQueue,
} from '../../src/app/queue.js';
import { SupersededError } from '../../src/github/octokit.js';
import { startRedisServer, type RedisServer } from './queue-redis-server.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const silent = { info: () => {}, warn: () => {}, error: () => {} };

const job = (key: string, label: string, extra: Partial<EvaluationJob> = {}): EvaluationJob => ({
  key,
  label,
  request: { owner: 'acme', repo: 'api', installationId: 7, reason: label },
  ...extra,
});

interface Options {
  concurrency?: number;
  maxPending?: number;
  backoffMs?: number;
  maxAttempts?: number;
}

let redis: RedisServer | undefined;
let prefixes = 0;
const open: JobQueue[] = [];

const implementations: Array<[string, (options: Options, prefix?: string) => JobQueue]> = [
  ['in memory', (options) => new MemoryJobQueue({ ...options, logger: silent })],
  [
    'BullMQ on redis-server',
    (options, prefix) =>
      new RedisJobQueue({
        url: redis!.url,
        prefix: prefix ?? `t${++prefixes}`,
        lockDurationMs: 5000,
        ...options,
        logger: silent,
      }),
  ],
];

beforeAll(async () => {
  redis = await startRedisServer();
}, 20_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((queue) => queue.close()));
});

afterAll(async () => {
  await redis?.stop();
});

describe.each(implementations)('queue contract: %s', (_name, make) => {
  const create = (options: Options = {}, prefix?: string) => {
    const queue = make(options, prefix);
    open.push(queue);
    return queue;
  };

  it('hands the job, as data, to the processor', async () => {
    const queue = create();
    const seen: Array<{ job: EvaluationJob; attempt: number }> = [];
    queue.process(async (received, control) => void seen.push({ job: received, attempt: control.attempt }));
    const sent = job('acme/api#1', 'opened', { deliveryId: 'd-1', order: 1000, head: 'b'.repeat(40) });
    await expect(queue.enqueue(sent)).resolves.toBe('queued');
    await queue.onIdle();
    expect(seen).toHaveLength(1);
    expect(seen[0].attempt).toBe(1);
    expect(seen[0].job).toMatchObject(sent);
    expect(queue.stats).toMatchObject({ completed: 1, failed: 0 });
  });

  it('coalesces waiting jobs of one key: the newest data runs, once', async () => {
    const queue = create({ concurrency: 1 });
    const gate = deferred();
    const ran: string[] = [];
    queue.process(async (received) => {
      if (received.key === 'other') await gate.promise;
      ran.push(received.label);
    });
    await queue.enqueue(job('other', 'other'));
    await until(() => queue.stats.running === 1 || ran.length > 0);
    expect(await queue.enqueue(job('acme/api#1', 'head-1', { order: 1 }))).toBe('queued');
    expect(await queue.enqueue(job('acme/api#1', 'head-2', { order: 2 }))).toBe('coalesced');
    expect(await queue.enqueue(job('acme/api#1', 'head-3', { order: 3 }))).toBe('coalesced');
    gate.resolve();
    await queue.onIdle();
    expect(ran).toEqual(['other', 'head-3']);
  });

  it('a newer job aborts the running one of its key, which sees it is superseded before publishing', async () => {
    const queue = create({ concurrency: 2 });
    const started = deferred();
    const outcomes: string[] = [];
    queue.process(async (received, control: JobControl) => {
      if (received.label === 'old') {
        started.resolve();
        await until(() => control.signal.aborted, 5000);
        outcomes.push(`old aborted: ${control.signal.reason instanceof SupersededError}`);
        outcomes.push(`old superseded: ${await control.isSuperseded()}`);
        throw control.signal.reason;
      }
      outcomes.push(`new superseded: ${await control.isSuperseded()}`);
    });
    await queue.enqueue(job('acme/api#7', 'old', { order: 1 }));
    await started.promise;
    await queue.enqueue(job('acme/api#7', 'new', { order: 2 }));
    await queue.onIdle();
    // The old one may still be winding down when the new one starts (BullMQ): the order between them is free.
    expect(outcomes.filter((line) => line.startsWith('old'))).toEqual(['old aborted: true', 'old superseded: true']);
    expect(outcomes.filter((line) => line.startsWith('new'))).toEqual(['new superseded: false']);
    expect(queue.stats).toMatchObject({ superseded: 1, completed: 1, failed: 0 });
  });

  it('orders by the ordering value, never by arrival: a stale push is dropped, a tie is broken by the commit chain', async () => {
    const queue = create({ concurrency: 1 });
    const gate = deferred();
    const ran: string[] = [];
    queue.process(async (received) => {
      if (received.key === 'other') await gate.promise;
      ran.push(received.label);
    });
    await queue.enqueue(job('other', 'other'));
    expect(await queue.enqueue(job('acme/api@main', 'B', { order: 2000, head: 'b', parent: 'a' }))).toBe('queued');
    expect(await queue.enqueue(job('acme/api@main', 'A', { order: 1000, head: 'a', parent: '0' }))).toBe('stale');
    // Same second: A is B's parent, so A is older although it arrived later.
    expect(await queue.enqueue(job('acme/api@main', 'A-same-second', { order: 2000, head: 'a' }))).toBe('stale');
    gate.resolve();
    await queue.onIdle();
    expect(ran).toEqual(['other', 'B']);
    // A job without an ordering value (a re-run click) is the newest by arrival; the ordering value stays.
    expect(await queue.enqueue(job('acme/api@main', 'rerun'))).toBe('queued');
    await queue.onIdle();
    expect(await queue.enqueue(job('acme/api@main', 'A-again', { order: 1000, head: 'a' }))).toBe('stale');
    expect(ran).toEqual(['other', 'B', 'rerun']);
    expect(queue.stats.stale).toBe(3);
  });

  it('acknowledges a delivery id seen before without evaluating it again', async () => {
    const queue = create();
    let runs = 0;
    queue.process(async () => void (runs += 1));
    expect(await queue.enqueue(job('acme/api#3', 'first', { deliveryId: 'same-id' }))).toBe('queued');
    await queue.onIdle();
    expect(await queue.enqueue(job('acme/api#3', 'again', { deliveryId: 'same-id' }))).toBe('duplicate');
    // One delivery may queue several keys (an installation of many repositories): each is taken once.
    expect(await queue.enqueue(job('acme/web@default', 'same id, other key', { deliveryId: 'same-id' }))).toBe(
      'queued',
    );
    await queue.onIdle();
    expect(runs).toBe(2);
    expect(queue.stats.duplicates).toBe(1);
  });

  it('refuses a delivery beyond the bound (never drops it silently) and takes it again once there is room', async () => {
    const queue = create({ maxPending: 1 });
    // No processor yet (a web instance, or workers all busy): jobs wait.
    expect(queue.stats.bound).toBe(1);
    expect(await queue.enqueue(job('acme/api#1', 'a', { deliveryId: 'bound-a' }))).toBe('queued');
    expect(await queue.enqueue(job('acme/api#2', 'b', { deliveryId: 'bound-b' }))).toBe('rejected');
    expect(queue.stats.rejected).toBe(1);
    const ran: string[] = [];
    queue.process(async (received) => void ran.push(received.label));
    await queue.onIdle();
    // The refused delivery id was not remembered: GitHub's redelivery of it is taken.
    expect(await queue.enqueue(job('acme/api#2', 'b redelivered', { deliveryId: 'bound-b' }))).toBe('queued');
    await queue.onIdle();
    expect(ran).toEqual(['a', 'b redelivered']);
  });

  it('runs a job again after a retryable failure (backoff), and after a delay until a given time (a quota reset)', async () => {
    const queue = create({ backoffMs: 50 });
    const runs: Array<{ label: string; attempt: number; at: number }> = [];
    const resetAt = Date.now() + 700;
    queue.process(async (received, control) => {
      runs.push({ label: received.label, attempt: control.attempt, at: Date.now() });
      if (control.attempt > 1) return;
      if (received.label === 'server error') throw new RetryLaterError('GitHub answered 502');
      throw new RetryLaterError('quota exhausted', new Date(resetAt));
    });
    await queue.enqueue(job('acme/api#5', 'server error'));
    await queue.enqueue(job('acme/api#6', 'quota'));
    await until(() => runs.length === 4);
    await queue.onIdle();
    const quota = runs.filter((run) => run.label === 'quota');
    expect(quota.map((run) => run.attempt)).toEqual([1, 2]);
    expect(quota[1].at).toBeGreaterThanOrEqual(resetAt - 5);
    expect(runs.filter((run) => run.label === 'server error').map((run) => run.attempt)).toEqual([1, 2]);
    expect(queue.stats).toMatchObject({ retried: 2, completed: 2, failed: 0 });
  });

  it('a retry waits at least what it asks (retry-after), tells the attempt and delay, and carries its update to the next attempt', async () => {
    const queue = create({ backoffMs: 50, maxAttempts: 4 });
    const runs: Array<{ attempt: number; max: number; delay: number; at: number; resumed?: number; reason: string }> =
      [];
    queue.process(async (received, control) => {
      runs.push({
        attempt: control.attempt,
        max: control.maxAttempts,
        delay: control.retryDelayMs(),
        at: Date.now(),
        reason: received.request.reason,
        ...(received.request.resumeRun ? { resumed: received.request.resumeRun.id } : {}),
      });
      if (control.attempt === 1)
        throw new RetryLaterError('secondary rate limit', undefined, {
          minDelayMs: 800,
          update: { resumeRun: { id: 42, headSha: 'a'.repeat(40) } },
        });
    });
    await queue.enqueue(job('acme/api#7', 'limited'));
    await until(() => runs.length === 2);
    await queue.onIdle();
    expect(runs.map(({ attempt, max, delay }) => ({ attempt, max, delay }))).toEqual([
      { attempt: 1, max: 4, delay: 50 },
      { attempt: 2, max: 4, delay: 100 },
    ]);
    // The backoff alone would be 50 ms: retry-after's 800 ms is the floor.
    expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(795);
    expect(runs[0].resumed).toBeUndefined();
    expect(runs[1]).toMatchObject({ resumed: 42, reason: 'limited' });
    expect(queue.stats).toMatchObject({ retried: 1, completed: 1, failed: 0 });
  });

  it('retries with a doubling backoff up to the last attempt, which is told it is final, then fails the job', async () => {
    const queue = create({ backoffMs: 40, maxAttempts: 3 });
    const runs: Array<{ attempt: number; final: boolean; at: number }> = [];
    queue.process(async (_received, control) => {
      runs.push({ attempt: control.attempt, final: control.finalAttempt, at: Date.now() });
      throw new RetryLaterError('GitHub answered 502');
    });
    await queue.enqueue(job('acme/api#8', 'outage'));
    await until(() => runs.length === 3);
    await queue.onIdle();
    expect(runs.map(({ attempt, final }) => [attempt, final])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(35);
    expect(runs[2].at - runs[1].at).toBeGreaterThanOrEqual(75);
    expect(queue.stats).toMatchObject({ retried: 2, completed: 0, failed: 1 });
  });

  it('a job that superseded a running one is still retried when it asks to be', async () => {
    const queue = create({ backoffMs: 50 });
    const gate = deferred();
    const runs: string[] = [];
    queue.process(async (received, control) => {
      runs.push(`${received.label}#${control.attempt}`);
      if (received.label === 'older') {
        await gate.promise;
        return;
      }
      if (control.attempt === 1) throw new RetryLaterError('GitHub answered 502');
    });
    await queue.enqueue(job('acme/api#9', 'older'));
    await until(() => runs.length === 1);
    await queue.enqueue(job('acme/api#9', 'newer'));
    gate.resolve();
    await until(() => runs.includes('newer#2'));
    await queue.onIdle();
    expect(runs).toEqual(['older#1', 'newer#1', 'newer#2']);
    expect(queue.stats).toMatchObject({ retried: 1, failed: 0 });
  });

  it('a job waiting for its retry that a newer one replaces hands its Check Run to the newer job (to complete as superseded)', async () => {
    const queue = create({ backoffMs: 60_000 });
    const runs: Array<{ label: string; attempt: number; superseded?: number[] }> = [];
    queue.process(async (received, control) => {
      runs.push({
        label: received.label,
        attempt: control.attempt,
        ...(received.request.supersededRuns
          ? { superseded: received.request.supersededRuns.map((run) => run.id) }
          : {}),
      });
      if (received.label === 'older')
        throw new RetryLaterError('GitHub answered 502', undefined, {
          update: { resumeRun: { id: 42, headSha: 'a'.repeat(40) } },
        });
    });
    await queue.enqueue(job('acme/api#10', 'older', { order: 1 }));
    // Its retry waits a minute: the newer job replaces it meanwhile and runs at once.
    await until(() => runs.length === 1 && queue.stats.delayed === 1);
    await expect(queue.enqueue(job('acme/api#10', 'newer', { order: 2 }))).resolves.toBe('coalesced');
    await until(() => runs.length === 2);
    await queue.onIdle();
    expect(runs).toEqual([
      { label: 'older', attempt: 1 },
      { label: 'newer', attempt: 1, superseded: [42] },
    ]);
    expect(queue.stats).toMatchObject({ retried: 1, completed: 1, failed: 0 });
  });

  it('a replaced job that never started, or had completed its run, hands over no run', async () => {
    const queue = create({ concurrency: 1, backoffMs: 60_000 });
    const gate = deferred();
    const seen: Array<{ label: string; superseded?: number[] }> = [];
    queue.process(async (received) => {
      seen.push({
        label: received.label,
        ...(received.request.supersededRuns
          ? { superseded: received.request.supersededRuns.map((run) => run.id) }
          : {}),
      });
      if (received.label === 'blocker') await gate.promise;
    });
    await queue.enqueue(job('acme/api#11', 'blocker'));
    await until(() => seen.length === 1);
    const completedRun = { resumeRun: { id: 7, headSha: 'c'.repeat(40), completed: true } };
    await queue.enqueue({ ...job('acme/api#12', 'first'), request: { ...job('', 'first').request, ...completedRun } });
    await expect(queue.enqueue(job('acme/api#12', 'second'))).resolves.toBe('coalesced');
    gate.resolve();
    await queue.onIdle();
    expect(seen).toEqual([{ label: 'blocker' }, { label: 'second' }]);
  });

  it('counts a failing job and keeps going', async () => {
    const queue = create();
    queue.process(async (received) => {
      if (received.label === 'boom') throw new Error('boom');
    });
    await queue.enqueue(job('x', 'boom'));
    await queue.enqueue(job('y', 'fine'));
    await queue.onIdle();
    expect(queue.stats).toMatchObject({ failed: 1, completed: 1 });
  });

  it('stops taking work when draining and waits for the running job', async () => {
    const queue = create();
    const gate = deferred();
    let finished = false;
    queue.process(async () => {
      await gate.promise;
      finished = true;
    });
    await queue.enqueue(job('slow', 'slow'));
    await until(() => queue.stats.running === 1);
    const drained = queue.drain(5000);
    expect(queue.accepting).toBe(false);
    expect(await queue.enqueue(job('late', 'late'))).toBe('rejected');
    gate.resolve();
    await expect(drained).resolves.toBe(true);
    expect(finished).toBe(true);
  });
});

describe('BullMQ queue across instances', () => {
  const pair = (options: Options = {}) => {
    const prefix = `pair${++prefixes}`;
    const make = implementations[1][1];
    const queues = [make(options, prefix), make(options, prefix)];
    open.push(...queues);
    return queues;
  };

  it('one job per key across instances: a newer job enqueued on B aborts the one running on A', async () => {
    const [a, b] = pair();
    const started = deferred();
    const log: string[] = [];
    a.process(async (received, control) => {
      log.push(`A ran ${received.label}`);
      if (received.label === 'old') {
        started.resolve();
        await until(() => control.signal.aborted, 5000);
        log.push(`A superseded: ${await control.isSuperseded()}`);
        throw control.signal.reason;
      }
    });
    await a.enqueue(job('acme/api#9', 'old', { order: 1 }));
    await started.promise;
    expect(await b.enqueue(job('acme/api#9', 'new', { order: 2 }))).toBe('queued');
    // A stale delivery arriving at B after the newer one is dropped there too.
    expect(await b.enqueue(job('acme/api#9', 'older', { order: 1 }))).toBe('stale');
    await b.onIdle();
    expect(log.slice(0, 1)).toEqual(['A ran old']);
    expect([...log].sort()).toEqual(['A ran new', 'A ran old', 'A superseded: true']);
  });

  it('a delivery id taken by one instance is a duplicate on the other', async () => {
    const [a, b] = pair();
    expect(await a.enqueue(job('acme/api#1', 'x', { deliveryId: 'shared' }))).toBe('queued');
    expect(await b.enqueue(job('acme/api#1', 'x', { deliveryId: 'shared' }))).toBe('duplicate');
  });

  it('a job whose instance died is taken over by another instance (stalled-job recovery)', async () => {
    const prefix = `stall${++prefixes}`;
    const make = implementations[1][1];
    const dying = make({}, prefix) as RedisJobQueue;
    const survivor = make({}, prefix);
    open.push(survivor);
    const started = deferred();
    dying.process(async () => {
      started.resolve();
      await new Promise(() => {});
    });
    await dying.enqueue(job('acme/api#2', 'crash'));
    await started.promise;
    // Forced close: the job's lock is no longer renewed, as when the process is killed.
    void dying.close();
    const ran: Array<{ attempt: number }> = [];
    survivor.process(async (_received, control) => void ran.push({ attempt: control.attempt }));
    await until(() => ran.length === 1, 20_000);
    expect(ran[0].attempt).toBeGreaterThanOrEqual(1);
    // The survivor found the job stalled: counted for the stalled-jobs metric.
    expect(survivor.stats.stalled).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
