import { createHash } from 'node:crypto';
import { DelayedError, Job, Queue, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import { SupersededError } from '../../github/octokit.js';
import {
  backoffDelayMs,
  replacing,
  retryDelayFor,
  RetryLaterError,
  withRetryUpdate,
  type EnqueueResult,
  type EvaluationJob,
  type JobProcessor,
  type JobQueue,
  type QueueLogger,
  type QueueStats,
} from './types.js';

export interface RedisQueueOptions {
  /** `redis://host:port/db` (REDIS_URL). */
  url: string;
  /** Prefix of every key this queue writes (default `shipready`); tests isolate themselves with their own. */
  prefix?: string;
  /** Evaluations this instance runs at once (default 4). */
  concurrency?: number;
  /** Jobs waiting at most across instances before deliveries are refused (default 100,000; in the metrics). */
  maxPending?: number;
  /** How long a delivery id is remembered (default a day). */
  deliveryTtlMs?: number;
  /** Runs of one job at most (retries with backoff, and runs after an instance crashed) (default 6). */
  maxAttempts?: number;
  /** First retry delay, doubled per attempt (default 2 s). */
  backoffMs?: number;
  /**
   * How long a running job's lock lasts without renewal: when the instance running it dies, another instance takes
   * it over after about this long (BullMQ's stalled-job check). Default 30 s.
   */
  lockDurationMs?: number;
  logger?: QueueLogger;
}

const QUEUE_NAME = 'evaluations';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Atomically: refuse a delivery id seen before; refuse a job older than the newest of its key (the same rule as
 * `isOlder`); otherwise record this job as the newest of its key and return the job it replaces.
 * KEYS: delivery marker, latest-of-key hash, sequence. ARGV: delivery id ('' none), ttl ms, order ('' none), head,
 * parent, key hash.
 */
const ENQUEUE_SCRIPT = `
if ARGV[1] ~= '' then
  if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) == false then return {'duplicate'} end
end
local latestOrder = redis.call('HGET', KEYS[2], 'order')
if ARGV[3] ~= '' and latestOrder then
  local order, latest = tonumber(ARGV[3]), tonumber(latestOrder)
  if order < latest or (order == latest and ARGV[4] ~= '' and ARGV[4] == redis.call('HGET', KEYS[2], 'parent')) then
    return {'stale'}
  end
end
local previous = redis.call('HGET', KEYS[2], 'job') or ''
local jobId = ARGV[6] .. '-' .. redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[2], 'job', jobId)
if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], 'order', ARGV[3], 'head', ARGV[4], 'parent', ARGV[5]) end
redis.call('PEXPIRE', KEYS[2], 7 * 86400000)
return {'ok', jobId, previous}
`;

interface StoredJob extends EvaluationJob {
  /** BullMQ job id; the newest job of the key is the one whose id is in the latest-of-key hash. */
  id: string;
}

/**
 * The BullMQ queue (REDIS_URL): jobs live in Redis, so any instance's worker takes them, a crashed instance's job is
 * taken over (stalled-job recovery), and a restart loses nothing. One job id per enqueue; the latest-of-key hash
 * names the newest, an older waiting job is removed and an older running one is told on a pub/sub channel to stop.
 */
export class RedisJobQueue implements JobQueue {
  readonly kind = 'redis';
  readonly #options: Required<Omit<RedisQueueOptions, 'logger'>>;
  readonly #log?: QueueLogger;
  readonly #client: Redis;
  readonly #subscriber: Redis;
  readonly #queue: Queue;
  #worker?: Worker;
  #workerConnection?: Redis;
  /** This instance's running jobs by id: a supersede message aborts the right ones. */
  readonly #running = new Map<string, { key: string; controller: AbortController }>();
  #accepting = true;
  #counts = { waiting: 0, running: 0, delayed: 0 };
  readonly #local = {
    completed: 0,
    superseded: 0,
    failed: 0,
    retried: 0,
    duplicates: 0,
    stale: 0,
    rejected: 0,
    stalled: 0,
  };
  readonly #refresh: NodeJS.Timeout;

  constructor(options: RedisQueueOptions) {
    this.#options = {
      url: options.url,
      prefix: options.prefix ?? 'shipready',
      concurrency: Math.max(1, options.concurrency ?? 4),
      maxPending: Math.max(1, options.maxPending ?? 100_000),
      deliveryTtlMs: options.deliveryTtlMs ?? DAY_MS,
      maxAttempts: Math.max(1, options.maxAttempts ?? 6),
      backoffMs: Math.max(0, options.backoffMs ?? 2000),
      lockDurationMs: Math.max(1000, options.lockDurationMs ?? 30_000),
    };
    this.#log = options.logger;
    // BullMQ needs `maxRetriesPerRequest: null` on the connections it blocks on; ioredis reconnects by itself.
    this.#client = new Redis(this.#options.url, {
      maxRetriesPerRequest: null,
      lazyConnect: false,
      connectionName: 'shipready-queue',
    });
    this.#client.on('error', (error) => this.#log?.warn({ err: error }, 'queue: Redis connection error'));
    this.#subscriber = this.#client.duplicate();
    this.#subscriber.on('error', () => undefined);
    void this.#subscriber.subscribe(this.#channel).catch(() => undefined);
    this.#subscriber.on('message', (_channel, key: string) => void this.#onSuperseded(key));
    this.#queue = new Queue(QUEUE_NAME, { connection: this.#client, prefix: this.#options.prefix });
    this.#queue.on('error', (error) => this.#log?.warn({ err: error }, 'queue: BullMQ error'));
    this.#refresh = setInterval(() => void this.#refreshCounts(), 1000);
    this.#refresh.unref();
    void this.#refreshCounts();
  }

  get #channel(): string {
    return `${this.#options.prefix}:superseded`;
  }

  get accepting(): boolean {
    return this.#accepting && this.#client.status === 'ready';
  }

  get problem(): string | undefined {
    if (this.#client.status !== 'ready') return `Redis is unreachable (connection ${this.#client.status})`;
    return undefined;
  }

  get stats(): QueueStats {
    return { ...this.#counts, bound: this.#options.maxPending, ...this.#local };
  }

  /** The Redis client (locks share it). */
  get client(): Redis {
    return this.#client;
  }

  async #refreshCounts(): Promise<void> {
    try {
      const counts = await this.#queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      this.#counts = {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        running: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
      };
    } catch {
      // Unreachable Redis: `problem` says so; the last counts stay.
    }
  }

  #keys(job: EvaluationJob): { delivery: string; latest: string; sequence: string; hash: string } {
    const hash = createHash('sha1').update(job.key).digest('hex').slice(0, 16);
    const prefix = this.#options.prefix;
    return {
      // One delivery may queue several jobs (an installation of many repositories): each is remembered on its own.
      delivery: `${prefix}:delivery:${job.deliveryId ?? ''}:${hash}`,
      latest: `${prefix}:latest:${hash}`,
      sequence: `${prefix}:sequence`,
      hash,
    };
  }

  async enqueue(job: EvaluationJob): Promise<EnqueueResult> {
    if (!this.#accepting) return this.#reject(job, 'shutting down');
    await this.#refreshCounts();
    const keys = this.#keys(job);
    if (this.#counts.waiting >= this.#options.maxPending) {
      return this.#reject(job, `full (${this.#counts.waiting} waiting, bound ${this.#options.maxPending})`);
    }
    const [verdict, jobId, previous] = (await this.#client.eval(
      ENQUEUE_SCRIPT,
      3,
      keys.delivery,
      keys.latest,
      keys.sequence,
      job.deliveryId ?? '',
      String(this.#options.deliveryTtlMs),
      job.order === undefined || !Number.isFinite(job.order) ? '' : String(job.order),
      job.head ?? '',
      job.parent ?? '',
      keys.hash,
    )) as [string, string?, string?];
    if (verdict === 'duplicate') {
      this.#local.duplicates += 1;
      this.#log?.info(
        { job: job.key, deliveryId: job.deliveryId },
        `queue: ${job.label} seen before: not evaluated again`,
      );
      return 'duplicate';
    }
    if (verdict === 'stale') {
      this.#local.stale += 1;
      this.#log?.info({ job: job.key }, `queue: ${job.label} is older than a job already seen for it: dropped`);
      return 'stale';
    }
    // The job replaced is removed first when it has not started, so that the Check Run it left in progress (a job
    // waiting for its retry) travels in this one's data, and the evaluation completes it as superseded. If it started
    // in between, it is told to stop below instead.
    const replaced = previous ? await this.#removeIfNotStarted(previous) : undefined;
    const stored: StoredJob = { ...(replaced ? replacing(job, replaced) : job), id: jobId! };
    try {
      await this.#queue.add('evaluate', stored, {
        jobId: jobId!,
        attempts: this.#options.maxAttempts,
        backoff: { type: 'exponential', delay: this.#options.backoffMs },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      });
    } catch (error) {
      // Not stored: forget the delivery id so that GitHub's redelivery of this 5xx is taken.
      if (job.deliveryId !== undefined) await this.#client.del(keys.delivery).catch(() => undefined);
      throw error;
    }
    if (!previous) return 'queued';
    // Running somewhere: tell every instance; the one running it aborts (and checks again before publishing).
    if (!replaced) await this.#client.publish(this.#channel, job.key);
    else this.#local.superseded += 1;
    return replaced ? 'coalesced' : 'queued';
  }

  /** The job's data when it was removed (it had not started); undefined when it is running, done or gone. */
  async #removeIfNotStarted(jobId: string): Promise<StoredJob | undefined> {
    try {
      const previous = (await Job.fromId(this.#queue, jobId)) as BullJob<StoredJob> | undefined;
      if (!previous) return undefined;
      const state = await previous.getState();
      if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return undefined;
      await previous.remove();
      return previous.data;
    } catch {
      // It started in between (a locked job cannot be removed): it will notice that it is superseded.
      return undefined;
    }
  }

  #reject(job: EvaluationJob, why: string): EnqueueResult {
    this.#local.rejected += 1;
    this.#log?.warn(
      { job: job.key, deliveryId: job.deliveryId },
      `queue: ${why}, refused ${job.label} (answered 503: GitHub records the delivery as failed, to be redelivered)`,
    );
    return 'rejected';
  }

  async #isSuperseded(job: StoredJob): Promise<boolean> {
    const newest = await this.#client.hget(this.#keys(job).latest, 'job');
    return newest !== null && newest !== job.id;
  }

  async #onSuperseded(key: string): Promise<void> {
    for (const [id, running] of this.#running) {
      if (running.key !== key || running.controller.signal.aborted) continue;
      const newest = await this.#client.hget(this.#keys({ key } as EvaluationJob).latest, 'job').catch(() => null);
      if (newest && newest !== id) running.controller.abort(new SupersededError(`superseded by job ${newest}`));
    }
  }

  process(processor: JobProcessor): void {
    if (this.#worker) throw new Error('queue: a processor is already set');
    const connection = (this.#workerConnection = this.#client.duplicate());
    connection.on('error', () => undefined);
    this.#worker = new Worker<StoredJob>(
      QUEUE_NAME,
      async (bullJob: BullJob<StoredJob>, token?: string) => {
        const job = bullJob.data;
        const controller = new AbortController();
        const isSuperseded = () => this.#isSuperseded(job);
        // Started runs, counting retries, delays and takeovers after a crash (`attemptsMade` counts failures only).
        const attempt = Math.max(1, bullJob.attemptsStarted);
        this.#running.set(job.id, { key: job.key, controller });
        try {
          if (await isSuperseded()) {
            this.#local.superseded += 1;
            return 'superseded';
          }
          await processor(job, {
            signal: controller.signal,
            isSuperseded,
            attempt,
            finalAttempt: attempt >= this.#options.maxAttempts,
            maxAttempts: this.#options.maxAttempts,
            retryDelayMs: (minimumMs) => backoffDelayMs(this.#options.backoffMs, attempt, minimumMs),
          });
          if (controller.signal.aborted) this.#local.superseded += 1;
          else this.#local.completed += 1;
          return controller.signal.aborted ? 'superseded' : 'completed';
        } catch (error) {
          if (error instanceof SupersededError || controller.signal.aborted) {
            this.#local.superseded += 1;
            return 'superseded';
          }
          if (error instanceof RetryLaterError && attempt < this.#options.maxAttempts && token) {
            this.#local.retried += 1;
            // Delayed by the same rule as the memory queue (a date, or the backoff with GitHub's retry-after as its
            // floor), not failed: BullMQ's own backoff could not honour retry-after, and a wait for a quota reset
            // must not use up an attempt. `attempt` counts the runs started, so the bound still holds.
            const delayMs = retryDelayFor(error, this.#options.backoffMs, attempt);
            const until = new Date(Date.now() + delayMs);
            this.#log?.warn(
              { job: job.key, attempt, until: until.toISOString(), err: error },
              `queue: ${job.label} runs again in ${Math.round(delayMs / 1000)} s (${error.message})`,
            );
            if (error.update) await bullJob.updateData(withRetryUpdate(job, error));
            await bullJob.moveToDelayed(until.getTime(), token);
            throw new DelayedError();
          }
          this.#local.failed += 1;
          this.#log?.error({ job: job.key, err: error }, `queue: ${job.label} failed`);
          // Only a RetryLaterError is retried: anything else is a bug or a fault the Check Run already reports.
          throw new UnrecoverableError((error as Error).message);
        } finally {
          this.#running.delete(job.id);
        }
      },
      {
        connection,
        prefix: this.#options.prefix,
        concurrency: this.#options.concurrency,
        lockDuration: this.#options.lockDurationMs,
        stalledInterval: Math.max(500, Math.floor(this.#options.lockDurationMs / 2)),
        maxStalledCount: this.#options.maxAttempts,
      },
    );
    this.#worker.on('error', (error) => this.#log?.warn({ err: error }, 'queue: worker error'));
    this.#worker.on('stalled', (jobId) => {
      this.#local.stalled += 1;
      this.#log?.warn({ jobId }, 'queue: a job stalled (its instance stopped): taken over');
    });
  }

  async onIdle(): Promise<void> {
    for (;;) {
      const counts = await this.#queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (!counts.waiting && !counts.active && !counts.delayed && !counts.prioritized && this.#running.size === 0)
        return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async drain(timeoutMs: number): Promise<boolean> {
    this.#accepting = false;
    if (!this.#worker) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref?.();
    });
    try {
      // Running jobs finish here; what is still running at the timeout stays in Redis and is taken over elsewhere.
      return await Promise.race([this.#worker.close().then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#refresh);
    await this.#worker?.close(true).catch(() => undefined);
    await this.#queue.close().catch(() => undefined);
    // `quit()` waits for a connection that may never come back (Redis down at shutdown): only a ready client quits
    // politely; the others are dropped.
    for (const connection of [this.#workerConnection, this.#subscriber, this.#client]) {
      if (!connection) continue;
      if (connection.status === 'ready') await connection.quit().catch(() => undefined);
      else connection.disconnect();
    }
  }
}
