import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ensureCheckRun } from '../github/check-runs.js';
import type { OctokitLike } from '../github/octokit.js';
import type { EvaluationRequest } from './flow/types.js';
import { jobKey } from './handlers/common.js';
import type { EnqueueResult, EvaluationJob } from './queue/types.js';

/**
 * The sweeper: a Check Run that shipready started and never completed (the instance died mid-evaluation, the
 * completing PATCH kept failing, a bug) would block a PR with "Evaluating…" for good when the check is required.
 * Every run the flow starts is remembered here until it is completed; the sweeper looks at those older than a bound
 * and completes them — re-queuing their evaluation once, then giving up with a message that says so.
 */

/** A Check Run started in progress and not yet completed. */
export interface RunRecord {
  checkRunId: number;
  installationId?: number;
  owner: string;
  repo: string;
  headSha: string;
  /** Epoch ms. */
  startedAt: number;
  /** What to evaluate again when it is re-queued (plain data). */
  request: EvaluationRequest;
}

/** Where started runs are remembered: this process (memory), or Redis, shared by every instance. */
export interface RunRegistry {
  started(record: RunRecord): Promise<void>;
  finished(checkRunId: number): Promise<void>;
  /** Records started before `cutoff` (epoch ms), oldest first, at most `limit`. */
  startedBefore(cutoff: number, limit: number): Promise<RunRecord[]>;
  /** Runs remembered (metrics). */
  size(): Promise<number>;
  /**
   * The runs a previous process left in progress (the file journal after a restart, src/app/journal.ts), handed out
   * once: nobody evaluates them any more, so the sweeper takes them at start, whatever their age.
   */
  takeOrphans?(limit: number): Promise<RunRecord[]>;
  /** Writes what is pending (shutdown). */
  close?(): Promise<void>;
}

/** Bounded: past `maxEntries` the oldest record is dropped (with thousands stuck, something else is wrong). */
export class MemoryRunRegistry implements RunRegistry {
  readonly #records = new Map<number, RunRecord>();
  constructor(private readonly maxEntries = 10_000) {}

  async started(record: RunRecord): Promise<void> {
    this.#records.delete(record.checkRunId);
    this.#records.set(record.checkRunId, record);
    while (this.#records.size > this.maxEntries) this.#records.delete(this.#records.keys().next().value!);
  }

  async finished(checkRunId: number): Promise<void> {
    this.#records.delete(checkRunId);
  }

  async startedBefore(cutoff: number, limit: number): Promise<RunRecord[]> {
    return [...this.#records.values()]
      .filter((record) => record.startedAt < cutoff)
      .sort((a, b) => a.startedAt - b.startedAt)
      .slice(0, limit);
  }

  async size(): Promise<number> {
    return this.#records.size;
  }
}

/** A sorted set (score: start time) of run ids and a hash of their records, under the instance's prefix. */
export class RedisRunRegistry implements RunRegistry {
  readonly #index: string;
  readonly #records: string;

  constructor(
    private readonly client: Redis,
    prefix = 'shipready',
  ) {
    this.#index = `${prefix}:runs:started`;
    this.#records = `${prefix}:runs:records`;
  }

  async started(record: RunRecord): Promise<void> {
    await this.client
      .multi()
      .zadd(this.#index, record.startedAt, String(record.checkRunId))
      .hset(this.#records, String(record.checkRunId), JSON.stringify(record))
      .exec();
  }

  async finished(checkRunId: number): Promise<void> {
    await this.client.multi().zrem(this.#index, String(checkRunId)).hdel(this.#records, String(checkRunId)).exec();
  }

  async startedBefore(cutoff: number, limit: number): Promise<RunRecord[]> {
    const ids = await this.client.zrangebyscore(this.#index, '-inf', `(${cutoff}`, 'LIMIT', 0, limit);
    if (!ids.length) return [];
    const values = await this.client.hmget(this.#records, ...ids);
    const records: RunRecord[] = [];
    for (const [index, value] of values.entries()) {
      if (value) records.push(JSON.parse(value) as RunRecord);
      // An id without its record (a write cut in half): drop it, nothing can be done with it.
      else await this.client.zrem(this.#index, ids[index]);
    }
    return records;
  }

  async size(): Promise<number> {
    return this.client.zcard(this.#index);
  }
}

/** Lets one instance sweep per interval. */
export interface SweepLock {
  /** True when this instance may sweep now; held until it expires (`ttlMs`), so the next interval is free again. */
  acquire(name: string, ttlMs: number): Promise<boolean>;
}

/** One process: its one timer is the only sweeper. */
export class LocalSweepLock implements SweepLock {
  async acquire(): Promise<boolean> {
    return true;
  }
}

/**
 * `SET key token NX PX ttl`: the first instance to ask in an interval sweeps, the others skip. Not released: it
 * expires a little before the next interval, so a sweep is never run twice in one interval, even by a slow instance.
 */
export class RedisSweepLock implements SweepLock {
  readonly #token = randomBytes(8).toString('hex');
  constructor(
    private readonly client: Redis,
    private readonly prefix = 'shipready',
  ) {}

  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const answer = await this.client.set(`${this.prefix}:lock:${name}`, this.#token, 'PX', ttlMs, 'NX');
    return answer === 'OK';
  }
}

export type SweepAction = 'requeued' | 'completed' | 'already-completed' | 'failed';

export interface SweeperOptions {
  registry: RunRegistry;
  lock: SweepLock;
  /** An Octokit of the installation (Probot's `app.auth(id)`). */
  auth: (installationId: number | undefined) => Promise<OctokitLike>;
  /** Queues an evaluation again (the App's queue). */
  enqueue: (job: EvaluationJob) => Promise<EnqueueResult>;
  /** A run in progress longer than this is swept (SHIPREADY_SWEEPER_STALE_MS, default 20 min). */
  staleAfterMs?: number;
  /** How often to sweep (SHIPREADY_SWEEPER_INTERVAL_MS, default 5 min). */
  intervalMs?: number;
  /** Times one evaluation is re-queued before its run is completed for good (SHIPREADY_SWEEPER_REQUEUES, default 1). */
  maxRequeues?: number;
  /** Runs looked at per sweep at most. */
  batch?: number;
  now?: () => Date;
  log?: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
  onAction?: (action: SweepAction) => void;
}

export interface SweepResult {
  /** Another instance holds this interval's sweep. */
  skipped: boolean;
  requeued: number;
  completed: number;
  alreadyCompleted: number;
  failed: number;
}

export const DEFAULT_SWEEPER_STALE_MS = 20 * 60_000;
export const DEFAULT_SWEEPER_INTERVAL_MS = 5 * 60_000;

export class CheckRunSweeper {
  readonly #options: SweeperOptions;
  readonly staleAfterMs: number;
  readonly intervalMs: number;
  readonly maxRequeues: number;
  #timer?: NodeJS.Timeout;
  #running?: Promise<SweepResult>;

  constructor(options: SweeperOptions) {
    this.#options = options;
    this.staleAfterMs = Math.max(1, options.staleAfterMs ?? DEFAULT_SWEEPER_STALE_MS);
    this.intervalMs = Math.max(1, options.intervalMs ?? DEFAULT_SWEEPER_INTERVAL_MS);
    this.maxRequeues = Math.max(0, options.maxRequeues ?? 1);
  }

  /** Sweeps every interval (the timer does not keep the process alive). */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sweepOnce().catch(() => undefined), this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /**
   * At start: the runs the previous process left in progress (file journal) are evaluated again in the same run
   * (re-queued with `resumeRun`, saying so meanwhile), or completed when their PR has moved on or they were re-queued
   * enough already. Nothing is left spinning and no second run is created.
   */
  async recoverOrphans(): Promise<SweepResult> {
    const { registry, log } = this.#options;
    const result: SweepResult = { skipped: false, requeued: 0, completed: 0, alreadyCompleted: 0, failed: 0 };
    const orphans = (await registry.takeOrphans?.(this.#options.batch ?? 200)) ?? [];
    const now = (this.#options.now ?? (() => new Date()))();
    for (const record of orphans) {
      const action = await this.#recoverRun(record, now).catch((error: unknown) => {
        log?.warn(
          { err: error, checkRunId: record.checkRunId, repository: `${record.owner}/${record.repo}` },
          'sweeper: could not recover a Check Run the previous process left; the next sweep completes it',
        );
        return 'failed' as const;
      });
      this.#options.onAction?.(action);
      if (action === 'requeued') result.requeued += 1;
      else if (action === 'completed') result.completed += 1;
      else if (action === 'already-completed') result.alreadyCompleted += 1;
      else result.failed += 1;
    }
    if (orphans.length)
      log?.info({ ...result }, 'sweeper: Check Runs left in progress by the previous process handled');
    return result;
  }

  async #recoverRun(record: RunRecord, now: Date): Promise<SweepAction> {
    const { registry, auth, enqueue, log } = this.#options;
    const octokit = await auth(record.installationId);
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: record.owner,
      repo: record.repo,
      check_run_id: record.checkRunId,
    });
    if ((data as { status?: string }).status === 'completed') {
      await registry.finished(record.checkRunId);
      return 'already-completed';
    }
    const sweeps = record.request.sweeps ?? 0;
    const pull = record.request.pull;
    // A PR that moved on while the App was down has its newer head evaluated by that push's delivery (or its
    // redelivery): evaluating the old one again would publish a stale comment.
    const moved = pull ? await this.#pullHeadMoved(octokit, record, pull.number) : false;
    if (moved || sweeps >= this.maxRequeues) {
      await ensureCheckRun({
        octokit,
        owner: record.owner,
        repo: record.repo,
        headSha: record.headSha,
        id: record.checkRunId,
        status: 'completed',
        conclusion: 'neutral',
        output: moved
          ? {
              title: 'Superseded by a newer commit',
              summary: `shipready was evaluating \`${record.headSha.slice(0, 7)}\` when it restarted; the pull request has a newer commit since, which is evaluated in its own run.`,
            }
          : {
              title: 'Completed by the sweeper: the evaluation did not finish',
              summary: `shipready was evaluating \`${record.headSha.slice(0, 7)}\` when it restarted, also after being re-queued. Nothing was concluded about this change. Use **Re-run** to evaluate it again; if it keeps happening, look at the App's logs for this repository.`,
            },
        now: () => now,
      });
      await registry.finished(record.checkRunId);
      return 'completed';
    }
    const request: EvaluationRequest = {
      ...record.request,
      reason: `restart (check run ${record.checkRunId})`,
      settings: 'fresh',
      sweeps: sweeps + 1,
      queuedAt: undefined,
      // The same run, continued: no second run on the commit.
      resumeRun: { id: record.checkRunId, headSha: record.headSha },
    };
    // Said before the job is queued: said after, it could set a run the job has just completed back in progress.
    await ensureCheckRun({
      octokit,
      owner: record.owner,
      repo: record.repo,
      headSha: record.headSha,
      id: record.checkRunId,
      status: 'in_progress',
      output: {
        title: 'Evaluating again after a restart',
        summary: `shipready restarted while evaluating \`${record.headSha.slice(0, 7)}\`; it is evaluated again, in this same Check Run: nothing to do.`,
      },
      now: () => now,
    }).catch((error: unknown) => log?.warn({ err: error }, 'sweeper: could not say that the run is evaluated again'));
    const queued = await enqueue({ key: jobKey(request), label: request.reason, request });
    if (queued === 'rejected') throw new Error('the queue refused the re-queued evaluation');
    log?.info(
      { checkRunId: record.checkRunId, repository: `${record.owner}/${record.repo}`, queued },
      'sweeper: a Check Run the previous process left in progress is evaluated again',
    );
    return 'requeued';
  }

  async #pullHeadMoved(octokit: OctokitLike, record: RunRecord, number: number): Promise<boolean> {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: record.owner,
      repo: record.repo,
      pull_number: number,
    });
    const pull = data as { state?: string; head?: { sha?: string } };
    return pull.state !== 'open' || (pull.head?.sha !== undefined && pull.head.sha !== record.headSha);
  }

  /** One sweep, unless another instance (or a sweep still running here) has this interval. */
  sweepOnce(): Promise<SweepResult> {
    this.#running ??= this.#sweep().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #sweep(): Promise<SweepResult> {
    const { registry, lock, log } = this.#options;
    const result: SweepResult = { skipped: false, requeued: 0, completed: 0, alreadyCompleted: 0, failed: 0 };
    // The lock lasts a little less than the interval: the next tick (on any instance) may sweep again.
    if (!(await lock.acquire('sweeper', Math.max(1, this.intervalMs - 1000)))) return { ...result, skipped: true };
    const now = (this.#options.now ?? (() => new Date()))();
    const stale = await registry.startedBefore(now.getTime() - this.staleAfterMs, this.#options.batch ?? 200);
    for (const record of stale) {
      const action = await this.#sweepRun(record, now).catch((error: unknown) => {
        log?.warn(
          { err: error, checkRunId: record.checkRunId, repository: `${record.owner}/${record.repo}` },
          'sweeper: could not complete a stale Check Run; trying again next time',
        );
        return 'failed' as const;
      });
      this.#options.onAction?.(action);
      if (action === 'requeued') result.requeued += 1;
      else if (action === 'completed') result.completed += 1;
      else if (action === 'already-completed') result.alreadyCompleted += 1;
      else result.failed += 1;
    }
    if (stale.length) log?.info({ ...result }, 'sweeper: stale Check Runs handled');
    return result;
  }

  async #sweepRun(record: RunRecord, now: Date): Promise<SweepAction> {
    const { registry, auth, enqueue, log } = this.#options;
    const octokit = await auth(record.installationId);
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: record.owner,
      repo: record.repo,
      check_run_id: record.checkRunId,
    });
    if ((data as { status?: string }).status === 'completed') {
      await registry.finished(record.checkRunId);
      return 'already-completed';
    }
    const minutes = Math.max(1, Math.round((now.getTime() - record.startedAt) / 60_000));
    const sweeps = record.request.sweeps ?? 0;
    const requeue = sweeps < this.maxRequeues;
    const output = requeue
      ? {
          title: 'Evaluation did not finish; re-queued',
          summary: `shipready started evaluating \`${record.headSha.slice(0, 7)}\` ${minutes} min ago and did not finish (the instance may have stopped, or GitHub refused the final update). The evaluation was re-queued: its result appears in a new run of this check.`,
        }
      : {
          title: 'Completed by the sweeper: the evaluation did not finish',
          summary: `shipready started evaluating \`${record.headSha.slice(0, 7)}\` ${minutes} min ago and did not finish${sweeps ? `, also after being re-queued ${sweeps === 1 ? 'once' : `${sweeps} times`}` : ''}. Nothing was concluded about this change. Use **Re-run** to evaluate it again; if it keeps happening, look at the App's logs for this repository.`,
        };
    // Completed first: a run re-queued but left spinning would still block the PR.
    await ensureCheckRun({
      octokit,
      owner: record.owner,
      repo: record.repo,
      headSha: record.headSha,
      id: record.checkRunId,
      status: 'completed',
      conclusion: 'neutral',
      output,
      now: () => now,
    });
    await registry.finished(record.checkRunId);
    if (!requeue) return 'completed';
    const request: EvaluationRequest = {
      ...record.request,
      reason: `sweeper (check run ${record.checkRunId})`,
      settings: 'fresh',
      sweeps: sweeps + 1,
      // Queued again now: its wait is measured from here.
      queuedAt: undefined,
    };
    const queued = await enqueue({ key: jobKey(request), label: request.reason, request });
    log?.info(
      { checkRunId: record.checkRunId, repository: `${record.owner}/${record.repo}`, queued },
      'sweeper: stale Check Run completed and its evaluation re-queued',
    );
    // Refused (queue full, shutting down): the run says "re-queued" but is not; the next push or a re-run evaluates.
    return queued === 'rejected' ? 'completed' : 'requeued';
  }
}
