import PQueue from 'p-queue';
import { SupersededError } from '../github/octokit.js';

/** pino-like (Probot's `app.log` fits). */
export interface QueueLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export type EnqueueResult = 'queued' | 'coalesced' | 'rejected' | 'stale';

export interface QueueOptions {
  /** Evaluations run at once (default 8, `QUEUE_CONCURRENCY`). */
  concurrency?: number;
  /** Jobs waiting at most; beyond it a delivery is rejected with a log line (default 500, `QUEUE_MAX_PENDING`). */
  maxPending?: number;
  logger?: QueueLogger;
}

export type JobWork = (signal: AbortSignal) => Promise<void>;

interface Slot {
  /** The newest work for this key that has not started yet. */
  waiting?: { work: JobWork; label: string };
  /** The controller of the evaluation of this key that is running. */
  running?: AbortController;
}

/**
 * The bounded in-process queue behind the webhook: the delivery is answered at once and the work runs here.
 * Jobs are keyed (repo#PR or repo@branch) and coalesce: a newer job replaces a waiting one of the same key, and an
 * evaluation of that key already running is aborted (its writes check the signal and stop) so only the newest
 * head publishes.
 */
export class EvaluationQueue {
  readonly #queue: PQueue;
  readonly #slots = new Map<string, Slot>();
  /** The newest `order` seen per key (e.g. the PR's updated_at): deliveries can arrive out of order. */
  readonly #latest = new Map<string, number>();
  readonly #maxPending: number;
  readonly #log: QueueOptions['logger'];
  #accepting = true;
  #completed = 0;
  #superseded = 0;
  #failed = 0;

  constructor(options: QueueOptions = {}) {
    this.#queue = new PQueue({ concurrency: Math.max(1, options.concurrency ?? 8) });
    this.#maxPending = Math.max(1, options.maxPending ?? 500);
    this.#log = options.logger;
  }

  /** False once shutdown began; `/ready` answers 503 then. */
  get accepting(): boolean {
    return this.#accepting;
  }

  get stats(): { waiting: number; running: number; completed: number; superseded: number; failed: number } {
    return {
      waiting: this.#queue.size,
      running: this.#queue.pending,
      completed: this.#completed,
      superseded: this.#superseded,
      failed: this.#failed,
    };
  }

  /**
   * `order` (optional) ranks jobs of one key by recency, e.g. the pull request's `updated_at`: a delivery older
   * than one already seen for the key is dropped as stale instead of superseding the newer evaluation.
   */
  enqueue(key: string, work: JobWork, label = key, order?: number): EnqueueResult {
    if (!this.#accepting) {
      this.#log?.warn({ job: key }, `queue: shutting down, rejected ${label}`);
      return 'rejected';
    }
    if (order !== undefined && Number.isFinite(order)) {
      const latest = this.#latest.get(key);
      if (latest !== undefined && order < latest) {
        this.#log?.info({ job: key }, `queue: ${label} is older than an evaluation already seen for it: dropped`);
        return 'stale';
      }
      this.#latest.delete(key);
      this.#latest.set(key, order);
      if (this.#latest.size > 10_000) this.#latest.delete(this.#latest.keys().next().value!);
    }
    const slot = this.#slots.get(key) ?? {};
    this.#slots.set(key, slot);
    if (slot.running) {
      slot.running.abort(new SupersededError(`superseded by ${label}`));
      this.#log?.info({ job: key }, `queue: ${label} supersedes the running evaluation`);
    }
    if (slot.waiting) {
      this.#log?.info({ job: key }, `queue: ${label} replaces ${slot.waiting.label}, which had not started`);
      slot.waiting = { work, label };
      this.#superseded += 1;
      return 'coalesced';
    }
    if (this.#queue.size >= this.#maxPending) {
      this.#log?.warn(
        { job: key, waiting: this.#queue.size },
        `queue: full (${this.#maxPending} waiting), rejected ${label}`,
      );
      if (!slot.running) this.#slots.delete(key);
      return 'rejected';
    }
    slot.waiting = { work, label };
    void this.#queue.add(() => this.#run(key));
    return 'queued';
  }

  async #run(key: string): Promise<void> {
    const slot = this.#slots.get(key);
    const next = slot?.waiting;
    if (!slot || !next) return;
    slot.waiting = undefined;
    const controller = new AbortController();
    slot.running = controller;
    try {
      await next.work(controller.signal);
      if (controller.signal.aborted) this.#superseded += 1;
      else this.#completed += 1;
    } catch (error) {
      if (error instanceof SupersededError || controller.signal.aborted) this.#superseded += 1;
      else {
        this.#failed += 1;
        this.#log?.error({ job: key, err: error }, `queue: ${next.label} failed`);
      }
    } finally {
      if (slot.running === controller) slot.running = undefined;
      if (!slot.running && !slot.waiting && this.#slots.get(key) === slot) this.#slots.delete(key);
    }
  }

  /** Stops taking work and waits for what is queued and running; true when everything finished in time. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.#accepting = false;
    if (this.#queue.size === 0 && this.#queue.pending === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref?.();
    });
    const idle = this.#queue.onIdle().then(() => true as const);
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves when nothing is queued or running (tests). */
  onIdle(): Promise<void> {
    return this.#queue.onIdle();
  }
}
