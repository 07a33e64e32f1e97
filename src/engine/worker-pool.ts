import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { Config } from '../config/schema.js';
import type { Report } from '../report/types.js';
import { nextTurn } from '../snapshot/turns.js';
import type { PackedTreeListing } from '../snapshot/packed-listing.js';
import type {
  FileText,
  ReadLimits,
  SettingKey,
  Settings,
  SnapshotSource,
  Target,
  TreeEntry,
  TreeListing,
} from '../snapshot/types.js';
import { createProgressBuffer, readProgress } from './evaluation-progress.js';
import { evaluateRepository, type EvaluateOptions } from './runner.js';

/**
 * Evaluations off the event loop: a pool of `worker_threads` workers runs file selection, parsing and the checks,
 * while the thread that called `evaluate` keeps the source's I/O (the GitHub API, the blob cache, the disk).
 *
 *   main                                   worker
 *   source.listTree()          ── evaluate (listing, config, check ids) ──▶  selection
 *   source.readFiles(entries)  ◀── read (the entries selection chose) ──
 *                              ── files ──▶                                 snapshot, detection, checks
 *   source.readSettings(keys)  ◀── settings / ── settings ──▶
 *                              ◀── done (the Report, plain JSON) ──
 *
 * Check definitions hold functions and cannot cross threads: the worker imports the registry itself and runs the
 * checks whose ids it was given, in that order.
 *
 * Each evaluation has a time budget counted in the worker's busy time (event-loop active time, which excludes the
 * time it waits for the main thread's reads): past it the worker is terminated and replaced, and the evaluation
 * rejects with an EvaluationTimeoutError naming the check and file it was on.
 */

export type Evaluate = (options: EvaluateOptions) => Promise<Report>;

export const DEFAULT_EVALUATION_TIMEOUT_MS = 60_000;
/** Trees below this many entries are evaluated in-process by the CLI: a worker's start costs more than it saves. */
export const DEFAULT_POOL_MIN_FILES = 5_000;
const MAX_DEFAULT_WORKERS = 8;

/** An evaluation ran past its time budget; the worker running it was terminated. */
export class EvaluationTimeoutError extends Error {
  readonly budgetMs: number;
  /** The check or stage being worked on ('' when unknown). */
  readonly activity: string;
  /** The last file a check or parser asked for ('' when none). */
  readonly file: string;

  constructor(budgetMs: number, progress: { activity: string; file: string }) {
    const where = [
      progress.file ? `on file ${progress.file}` : '',
      progress.activity ? `(${progress.activity})` : '',
    ].filter(Boolean);
    super(
      `the evaluation exceeded its time budget of ${formatSeconds(budgetMs)}${where.length ? ` ${where.join(' ')}` : ''}`,
    );
    this.name = 'EvaluationTimeoutError';
    this.budgetMs = budgetMs;
    this.activity = progress.activity;
    this.file = progress.file;
  }
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

export interface PoolOptions {
  /** Workers at most (default: one per available CPU less one for the main thread, at least 2, at most 8). */
  size?: number;
  /** Busy time per evaluation, in ms (default 60 s). */
  timeoutMs?: number;
  /** The worker script (default: the compiled evaluation-worker.js next to this module, or dist/'s under ts-jest). */
  workerUrl?: URL;
  /** A module exporting `allChecks` for the workers (default: the registry, checks/index.js). Tests pass fixtures. */
  checksModule?: string;
}

/** Pool settings from the environment: SHIPREADY_EVALUATION_WORKERS (0: evaluate in-process) and ..._TIMEOUT_MS. */
export function poolSettingsFromEnv(env: NodeJS.ProcessEnv): { workers: number; timeoutMs: number; minFiles: number } {
  const count = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    const parsed = Number(raw);
    return raw !== undefined && raw !== '' && Number.isInteger(parsed) && parsed >= min ? parsed : fallback;
  };
  return {
    workers: count('SHIPREADY_EVALUATION_WORKERS', defaultPoolSize(), 0),
    timeoutMs: count('SHIPREADY_EVALUATION_TIMEOUT_MS', DEFAULT_EVALUATION_TIMEOUT_MS, 1),
    minFiles: count('SHIPREADY_EVALUATION_POOL_MIN_FILES', DEFAULT_POOL_MIN_FILES, 0),
  };
}

/**
 * One CPU stays with the main thread (webhooks, API I/O); at least two workers, because a worker also waits while
 * the main thread fetches the files it asked for, and another evaluation can use the CPU meanwhile.
 */
export function defaultPoolSize(): number {
  return Math.min(MAX_DEFAULT_WORKERS, Math.max(2, availableParallelism() - 1));
}

function defaultWorkerUrl(): URL {
  const sibling = new URL('./evaluation-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  // Loaded from src/ as TypeScript (ts-jest): Node 20 cannot run the .ts worker by itself. Tests pass
  // test/helpers/ts-worker.mjs; nothing falls back to dist/, whose build may be older than the source.
  throw new Error('no compiled evaluation worker next to worker-pool: run the build (dist/), or pass `workerUrl`');
}

// ── messages ──────────────────────────────────────────────────────────────────────────────────────────────────────

export interface EvaluateMessage {
  type: 'evaluate';
  job: number;
  kind: SnapshotSource['kind'];
  target: Target;
  /** Packed when the source lists in columns (a memcpy to post), else as entries. */
  listing: TreeListing | PackedTreeListing;
  config?: Config;
  checkIds: string[];
  maxFileBytes?: number;
  maxTotalBytes?: number;
}
export type ToWorker =
  | EvaluateMessage
  /** `more`: further parts of the same answer follow (a large read is posted in parts of ~2M characters). */
  | { type: 'files'; job: number; call: number; files: Map<string, FileText>; more?: boolean }
  | { type: 'settings'; job: number; call: number; settings: Settings }
  | { type: 'fault'; job: number; call: number; message: string }
  /** A report part was taken: the worker may post the next. */
  | { type: 'taken'; job: number; call: number };
export type FromWorker =
  | { type: 'read'; job: number; call: number; entries: TreeEntry[]; limits: ReadLimits }
  | { type: 'settings'; job: number; call: number; keys: SettingKey[] }
  | { type: 'ready' }
  | { type: 'stage'; job: number; stage: string }
  /**
   * A large report comes in parts: its projects a few at a time, each part acknowledged (`taken`) after a turn of
   * the event loop, then `done` with the rest. Deserialising a 7 MB report in one message held this thread (the one
   * that answers webhooks) for ~100 ms.
   */
  | { type: 'report-part'; job: number; call: number; projects: NonNullable<Report['projects']> }
  | { type: 'done'; job: number; report: Report; projectsInParts?: boolean }
  | { type: 'failed'; job: number; error: { name: string; message: string; stack?: string } };

// ── the pool ──────────────────────────────────────────────────────────────────────────────────────────────────────

interface Job {
  id: number;
  options: EvaluateOptions;
  resolve: (report: Report) => void;
  reject: (error: unknown) => void;
  /** The error a main-thread read threw: rethrown as is (the flow tells GitHub API and quota errors apart). */
  sourceError?: unknown;
  /** The report's projects received so far in parts. */
  projects?: NonNullable<Report['projects']>;
}

interface Slot {
  worker: Worker;
  progress: SharedArrayBuffer;
  /** Resolves once the worker has imported the registry: its start-up is not part of any job's budget. */
  ready: Promise<void>;
  job?: Job;
  /** The worker's event-loop utilization when the job started: busy time is measured from it. */
  startedAt?: EventLoopUtilization;
  timer?: NodeJS.Timeout;
  /** Set once the worker is being replaced: its late messages are ignored. */
  retired: boolean;
}

export interface PoolStats {
  workers: number;
  busy: number;
  waiting: number;
  completed: number;
  timedOut: number;
  crashed: number;
}

export class EvaluationPool {
  readonly size: number;
  readonly timeoutMs: number;
  private readonly workerUrl?: URL;
  private readonly checksModule?: string;
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextJob = 1;
  private closed = false;
  private readonly counters = { completed: 0, timedOut: 0, crashed: 0 };

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
    this.timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_EVALUATION_TIMEOUT_MS);
    this.workerUrl = options.workerUrl;
    this.checksModule = options.checksModule;
  }

  get stats(): PoolStats {
    return {
      workers: this.slots.length,
      busy: this.slots.filter((slot) => slot.job).length,
      waiting: this.waiting.length,
      ...this.counters,
    };
  }

  /** Same contract as evaluateRepository, for registry checks; `onProgress` receives the worker's stages. */
  readonly evaluate: Evaluate = (options) => {
    if (this.closed) return Promise.reject(new Error('the evaluation pool is closed'));
    return new Promise<Report>((resolve, reject) => {
      this.waiting.push({ id: this.nextJob++, options, resolve, reject });
      this.dispatch();
    });
  };

  /** Starts the workers now instead of on first use (each imports the registry: a few hundred ms). */
  warm(): void {
    while (!this.closed && this.slots.length < this.size) this.spawn();
  }

  /** Terminates every worker; evaluations still running or waiting reject. */
  async close(): Promise<void> {
    this.closed = true;
    const closing = new Error('the evaluation pool was closed');
    for (const job of this.waiting.splice(0)) job.reject(closing);
    await Promise.all(
      this.slots.splice(0).map(async (slot) => {
        slot.retired = true;
        clearTimeout(slot.timer);
        slot.job?.reject(closing);
        slot.job = undefined;
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const progress = createProgressBuffer();
    const worker = new Worker(this.workerUrl ?? defaultWorkerUrl(), {
      workerData: { progress, ...(this.checksModule ? { checksModule: this.checksModule } : {}) },
    });
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const slot: Slot = { worker, progress, ready, retired: false };
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') markReady();
      else this.onMessage(slot, message);
    });
    worker.on('error', (error) => this.onCrash(slot, error));
    worker.on('exit', (code) => {
      if (!slot.retired) this.onCrash(slot, new Error(`the evaluation worker exited with code ${code}`));
    });
    // An idle worker does not keep the process alive (a CLI that forgot close() still exits).
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private dispatch(): void {
    while (this.waiting.length) {
      let slot = this.slots.find((candidate) => !candidate.job && !candidate.retired);
      if (!slot && this.slots.length < this.size) {
        try {
          slot = this.spawn();
        } catch (error) {
          this.waiting.shift()!.reject(error);
          continue;
        }
      }
      if (!slot) return;
      const job = this.waiting.shift()!;
      slot.job = job;
      slot.worker.ref();
      void this.start(slot, job);
    }
  }

  private async start(slot: Slot, job: Job): Promise<void> {
    let listing: TreeListing | PackedTreeListing;
    const { source } = job.options;
    try {
      [listing] = await Promise.all([source.listPackedTree ? source.listPackedTree() : source.listTree(), slot.ready]);
    } catch (error) {
      this.finish(slot, job);
      job.reject(error);
      return;
    }
    if (slot.job !== job) return;
    const message: EvaluateMessage = {
      type: 'evaluate',
      job: job.id,
      kind: job.options.source.kind,
      target: job.options.source.target(),
      listing,
      checkIds: job.options.checks.map((check) => check.id),
      ...(job.options.config ? { config: job.options.config } : {}),
      ...(job.options.maxFileBytes ? { maxFileBytes: job.options.maxFileBytes } : {}),
      ...(job.options.maxTotalBytes ? { maxTotalBytes: job.options.maxTotalBytes } : {}),
    };
    slot.startedAt = slot.worker.performance.eventLoopUtilization();
    slot.worker.postMessage(message satisfies ToWorker);
    this.watch(slot, job);
  }

  /** Checks the job's busy time when it could first have run out, and again until the job ends. */
  private watch(slot: Slot, job: Job): void {
    const used = slot.worker.performance.eventLoopUtilization(slot.startedAt).active;
    if (used >= this.timeoutMs) {
      void this.timeOut(slot, job);
      return;
    }
    // Busy time never runs faster than the clock, so waiting for the remainder never overshoots.
    slot.timer = setTimeout(() => slot.job === job && this.watch(slot, job), Math.max(5, this.timeoutMs - used));
    slot.timer.unref();
  }

  private async timeOut(slot: Slot, job: Job): Promise<void> {
    this.counters.timedOut += 1;
    this.retire(slot);
    await slot.worker.terminate();
    // Read after the worker stopped: the cell then holds its last published values.
    job.reject(new EvaluationTimeoutError(this.timeoutMs, readProgress(slot.progress)));
  }

  private onCrash(slot: Slot, error: Error): void {
    if (slot.retired) return;
    this.counters.crashed += 1;
    const job = slot.job;
    this.retire(slot);
    void slot.worker.terminate();
    job?.reject(new Error(`the evaluation worker stopped: ${error.message}`));
  }

  /** Takes a worker out of the pool and starts its replacement when work is waiting or the pool was warm. */
  private retire(slot: Slot): void {
    slot.retired = true;
    clearTimeout(slot.timer);
    slot.job = undefined;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    if (!this.closed) {
      // The replacement starts now, so that the next evaluation finds a worker that has loaded the registry.
      try {
        this.spawn();
      } catch {
        // dispatch() spawns again and reports the error to the job that needs the worker.
      }
      this.dispatch();
    }
  }

  private finish(slot: Slot, job: Job): void {
    if (slot.job !== job) return;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.worker.unref();
    this.dispatch();
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    const job = slot.job;
    if (slot.retired || !job || !('job' in message) || message.job !== job.id) return;
    switch (message.type) {
      case 'stage':
        job.options.onProgress?.(message.stage);
        return;
      case 'read':
        void this.answer(slot, job, message.call, async () => ({
          type: 'files',
          files: await job.options.source.readFiles(message.entries, message.limits),
        }));
        return;
      case 'settings':
        void this.answer(slot, job, message.call, async () => ({
          type: 'settings',
          settings: await job.options.source.readSettings(message.keys),
        }));
        return;
      case 'report-part':
        (job.projects ??= []).push(...message.projects);
        void nextTurn().then(() => {
          if (slot.job === job && !slot.retired)
            slot.worker.postMessage({ type: 'taken', job: job.id, call: message.call } satisfies ToWorker);
        });
        return;
      case 'done':
        this.counters.completed += 1;
        this.finish(slot, job);
        // The projects' place in the report is kept (an empty list stands in): key order is part of the output.
        if (message.projectsInParts) message.report.projects = job.projects ?? [];
        job.resolve(message.report);
        return;
      case 'failed': {
        this.finish(slot, job);
        if (job.sourceError !== undefined) {
          job.reject(job.sourceError);
          return;
        }
        const error = new Error(message.error.message);
        error.name = message.error.name;
        if (message.error.stack) error.stack = message.error.stack;
        job.reject(error);
        return;
      }
    }
  }

  private async answer(
    slot: Slot,
    job: Job,
    call: number,
    read: () => Promise<{ type: 'files'; files: Map<string, FileText> } | { type: 'settings'; settings: Settings }>,
  ): Promise<void> {
    let reply: ToWorker;
    try {
      reply = { ...(await read()), job: job.id, call };
    } catch (error) {
      job.sourceError ??= error;
      reply = { type: 'fault', job: job.id, call, message: (error as Error).message ?? String(error) };
    }
    if (reply.type !== 'files') {
      if (slot.job === job && !slot.retired) slot.worker.postMessage(reply);
      return;
    }
    // Copying 100 MB of texts into the worker in one postMessage held this thread (the one that answers webhooks)
    // for ~100 ms: the answer goes in parts, with a turn of the event loop between them.
    let previous: Map<string, FileText> | undefined;
    for (const files of partsOf(reply.files, ANSWER_PART_CHARS)) {
      if (previous) {
        if (slot.job !== job || slot.retired) return;
        slot.worker.postMessage({ ...reply, files: previous, more: true } satisfies ToWorker);
        await nextTurn();
      }
      previous = files;
    }
    if (slot.job === job && !slot.retired) slot.worker.postMessage({ ...reply, files: previous!, more: false });
  }
}

/** About 2 MB of UTF-16 per message: copied in a few milliseconds. */
const ANSWER_PART_CHARS = 1_000_000;

/**
 * The files in consecutive parts of at most `maxChars` characters of text (a larger single file is a part alone);
 * always at least one part. A generator: the caller takes a turn of the event loop between parts.
 */
export function* partsOf(files: Map<string, FileText>, maxChars: number): Generator<Map<string, FileText>> {
  let part = new Map<string, FileText>();
  let chars = 0;
  for (const [path, file] of files) {
    const size = (file.text?.length ?? 0) + (file.longLines?.fullText.length ?? 0) + path.length;
    if (part.size > 0 && chars + size > maxChars) {
      yield part;
      part = new Map();
      chars = 0;
    }
    part.set(path, file);
    chars += size;
  }
  yield part;
}

/** A source whose tree is already listed: the listing is not asked for twice. */
function withListing(source: SnapshotSource, listing: TreeListing): SnapshotSource {
  return {
    kind: source.kind,
    target: () => source.target(),
    listTree: async () => listing,
    readFiles: (entries, limits) => source.readFiles(entries, limits),
    readSettings: (keys) => source.readSettings(keys),
  };
}

/**
 * The CLI's evaluation: a tree of fewer than `minFiles` entries is evaluated in-process (a worker's start would
 * make small scans slower); a larger one in a one-worker pool with the time budget, closed afterwards.
 */
export async function evaluateBySize(
  options: EvaluateOptions,
  settings: { workers: number; timeoutMs: number; minFiles: number; pool?: PoolOptions },
): Promise<Report> {
  const listing = await options.source.listTree();
  const source = withListing(options.source, listing);
  if (settings.workers === 0 || listing.entries.length < settings.minFiles)
    return evaluateRepository({ ...options, source });
  const pool = new EvaluationPool({ size: 1, timeoutMs: settings.timeoutMs, ...settings.pool });
  try {
    return await pool.evaluate({ ...options, source });
  } finally {
    await pool.close();
  }
}
