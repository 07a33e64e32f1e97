import { LRUCache } from 'lru-cache';
import PQueue from 'p-queue';
import { SupersededError } from '../../github/octokit.js';
import {
  backoffDelayMs,
  isOlder,
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

export interface MemoryQueueOptions {
  /** Evaluations run at once (default 4, `SHIPREADY_QUEUE_CONCURRENCY`). */
  concurrency?: number;
  /** Jobs waiting at most; beyond it a delivery is refused (503) with a log line (default 500). */
  maxPending?: number;
  /** How long a delivery id is remembered (default a day: GitHub redelivers within days, retries within hours). */
  deliveryTtlMs?: number;
  /** Runs of one job at most when its processor asks to retry (default 6). */
  maxAttempts?: number;
  /** First retry delay; doubled per attempt (default 2 s). */
  backoffMs?: number;
  logger?: QueueLogger;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** One delivery may queue several jobs (an installation of many repositories): each is remembered on its own. */
const deliveryMark = (job: EvaluationJob) => `${job.deliveryId}\u0000${job.key}`;

interface Pending {
  job: EvaluationJob;
  /** Identifies this enqueue among the jobs of its key: the newest one is `latest.get(key).token`. */
  token: number;
  attempt: number;
}

interface Slot {
  /** The newest job for this key that has not started (or waits for a retry). */
  waiting?: Pending;
  /** A retry's timer, while `waiting` is delayed. */
  timer?: NodeJS.Timeout;
  running?: { pending: Pending; controller: AbortController };
}

/**
 * The in-process queue (the default, no Redis): the delivery is answered at once and the evaluation runs here.
 * One slot per key: a newer job replaces the waiting one, and aborts the one running (its writes check the signal),
 * so only the newest head publishes. Bounded: beyond `maxPending` waiting jobs a delivery is refused, never dropped
 * silently. What is waiting is lost with the process: run with REDIS_URL for durability.
 */
export class MemoryJobQueue implements JobQueue {
  readonly kind = 'memory';
  readonly #queue: PQueue;
  readonly #slots = new Map<string, Slot>();
  /** The newest job seen per key (deliveries arrive out of order); bounded, oldest keys forgotten first. */
  readonly #latest = new LRUCache<string, Pick<EvaluationJob, 'order' | 'head' | 'parent'> & { token: number }>({
    max: 10_000,
  });
  readonly #deliveries: LRUCache<string, true>;
  readonly #maxPending: number;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #log?: QueueLogger;
  #processor?: JobProcessor;
  #accepting = true;
  #tokens = 0;
  #idle: Array<() => void> = [];
  readonly #counts = { completed: 0, superseded: 0, failed: 0, retried: 0, duplicates: 0, stale: 0, rejected: 0 };

  constructor(options: MemoryQueueOptions = {}) {
    this.#queue = new PQueue({ concurrency: Math.max(1, options.concurrency ?? 4) });
    this.#maxPending = Math.max(1, options.maxPending ?? 500);
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 6);
    this.#backoffMs = Math.max(0, options.backoffMs ?? 2000);
    this.#deliveries = new LRUCache({ max: 100_000, ttl: options.deliveryTtlMs ?? DAY_MS });
    this.#log = options.logger;
  }

  get accepting(): boolean {
    return this.#accepting;
  }

  get stats(): QueueStats {
    let delayed = 0;
    for (const slot of this.#slots.values()) if (slot.timer) delayed += 1;
    const running = [...this.#slots.values()].filter((slot) => slot.running).length;
    return { waiting: this.#waitingCount(), running, delayed, bound: this.#maxPending, ...this.#counts };
  }

  /** Jobs not started yet (delayed retries included): what the bound limits. */
  #waitingCount(): number {
    let waiting = 0;
    for (const slot of this.#slots.values()) if (slot.waiting) waiting += 1;
    return waiting;
  }

  async enqueue(job: EvaluationJob): Promise<EnqueueResult> {
    if (!this.#accepting) return this.#reject(job, 'shutting down');
    if (job.deliveryId !== undefined && this.#deliveries.has(deliveryMark(job))) {
      this.#counts.duplicates += 1;
      this.#log?.info(
        { job: job.key, deliveryId: job.deliveryId },
        `queue: ${job.label} seen before: not evaluated again`,
      );
      return 'duplicate';
    }
    if (isOlder(job, this.#latest.get(job.key))) {
      if (job.deliveryId !== undefined) this.#deliveries.set(deliveryMark(job), true);
      this.#counts.stale += 1;
      this.#log?.info({ job: job.key }, `queue: ${job.label} is older than a job already seen for it: dropped`);
      return 'stale';
    }
    const slot = this.#slots.get(job.key) ?? {};
    if (!slot.waiting && this.#waitingCount() >= this.#maxPending)
      return this.#reject(job, `full (${this.#maxPending} waiting)`);
    const token = (this.#tokens += 1);
    const previous = this.#latest.get(job.key);
    this.#latest.set(job.key, {
      order: job.order ?? previous?.order,
      head: job.order === undefined ? previous?.head : job.head,
      parent: job.order === undefined ? previous?.parent : job.parent,
      token,
    });
    if (job.deliveryId !== undefined) this.#deliveries.set(deliveryMark(job), true);
    this.#slots.set(job.key, slot);
    if (slot.running) {
      slot.running.controller.abort(new SupersededError(`superseded by ${job.label}`));
      this.#log?.info({ job: job.key }, `queue: ${job.label} supersedes the running evaluation`);
    }
    // A replaced job that waited for its retry left its Check Run in progress: the newer job completes it.
    const pending: Pending = { job: slot.waiting ? replacing(job, slot.waiting.job) : job, token, attempt: 1 };
    if (slot.waiting) {
      this.#log?.info(
        { job: job.key },
        `queue: ${job.label} replaces ${slot.waiting.job.label}, which had not started`,
      );
      this.#counts.superseded += 1;
      const wasDelayed = slot.timer !== undefined;
      this.#clearTimer(slot);
      slot.waiting = pending;
      if (wasDelayed) this.#schedule(job.key);
      return 'coalesced';
    }
    slot.waiting = pending;
    this.#schedule(job.key);
    return 'queued';
  }

  process(processor: JobProcessor): void {
    if (this.#processor) throw new Error('queue: a processor is already set');
    this.#processor = processor;
    for (const key of this.#slots.keys()) {
      const slot = this.#slots.get(key)!;
      if (slot.waiting && !slot.timer) void this.#queue.add(() => this.#run(key));
    }
  }

  #reject(job: EvaluationJob, why: string): EnqueueResult {
    this.#counts.rejected += 1;
    this.#log?.warn(
      { job: job.key, deliveryId: job.deliveryId, waiting: this.#waitingCount() },
      `queue: ${why}, refused ${job.label} (answered 503: GitHub records the delivery as failed, to be redelivered)`,
    );
    return 'rejected';
  }

  #schedule(key: string): void {
    if (this.#processor) void this.#queue.add(() => this.#run(key));
  }

  #clearTimer(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
  }

  async #run(key: string): Promise<void> {
    const slot = this.#slots.get(key);
    const pending = slot?.waiting;
    if (!slot || !pending || slot.timer || slot.running) {
      // Already taken by an earlier run of this key, or the key is running: its end schedules the next.
      return;
    }
    slot.waiting = undefined;
    const controller = new AbortController();
    slot.running = { pending, controller };
    const isSuperseded = async () => this.#latest.get(key)?.token !== pending.token;
    try {
      if (await isSuperseded()) this.#counts.superseded += 1;
      else {
        await this.#processor!(pending.job, {
          signal: controller.signal,
          isSuperseded,
          attempt: pending.attempt,
          finalAttempt: pending.attempt >= this.#maxAttempts,
          maxAttempts: this.#maxAttempts,
          retryDelayMs: (minimumMs) => backoffDelayMs(this.#backoffMs, pending.attempt, minimumMs),
        });
        if (controller.signal.aborted) this.#counts.superseded += 1;
        else this.#counts.completed += 1;
      }
    } catch (error) {
      if (error instanceof SupersededError || controller.signal.aborted) this.#counts.superseded += 1;
      else if (error instanceof RetryLaterError && pending.attempt < this.#maxAttempts && !slot.waiting) {
        this.#retry(key, slot, pending, error);
      } else {
        this.#counts.failed += 1;
        this.#log?.error({ job: key, err: error }, `queue: ${pending.job.label} failed`);
      }
    } finally {
      slot.running = undefined;
      if (slot.waiting && !slot.timer) this.#schedule(key);
      // `#schedule` may start the next run of this key at once (p-queue runs it synchronously up to its first await):
      // a slot that is running again, or waits for a retry, must stay, or that retry's timer finds no slot.
      if (!slot.waiting && !slot.running && !slot.timer && this.#slots.get(key) === slot) this.#slots.delete(key);
      this.#checkIdle();
    }
  }

  #retry(key: string, slot: Slot, pending: Pending, error: RetryLaterError): void {
    const delayMs = retryDelayFor(error, this.#backoffMs, pending.attempt);
    this.#counts.retried += 1;
    this.#log?.warn(
      { job: key, attempt: pending.attempt, delayMs, err: error },
      `queue: ${pending.job.label} runs again in ${Math.round(delayMs / 1000)} s (${error.message})`,
    );
    slot.waiting = { ...pending, job: withRetryUpdate(pending.job, error), attempt: pending.attempt + 1 };
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      this.#schedule(key);
    }, delayMs);
    slot.timer.unref?.();
  }

  #checkIdle(): void {
    if (this.#queue.size > 0 || this.#queue.pending > 1) return;
    for (const slot of this.#slots.values()) if (slot.waiting || slot.running) return;
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) queueMicrotask(resolve);
  }

  async onIdle(): Promise<void> {
    await this.#queue.onIdle();
    for (const slot of this.#slots.values()) {
      if (slot.waiting || slot.running) {
        await new Promise<void>((resolve) => this.#idle.push(resolve));
        return this.onIdle();
      }
    }
  }

  async drain(timeoutMs: number): Promise<boolean> {
    this.#accepting = false;
    for (const slot of this.#slots.values()) {
      // A delayed retry would outlive the process anyway; dropping it now is what a restart does (logged).
      if (slot.timer) {
        this.#log?.warn({ job: slot.waiting?.job.key }, 'queue: shutting down, a delayed retry is dropped');
        this.#clearTimer(slot);
        slot.waiting = undefined;
      }
    }
    if (this.#queue.size === 0 && this.#queue.pending === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([this.#queue.onIdle().then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.#accepting = false;
    for (const slot of this.#slots.values()) this.#clearTimer(slot);
  }
}
