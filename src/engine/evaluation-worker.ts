import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import { unpackListing } from '../snapshot/packed-listing.js';
import type { Report } from '../report/types.js';
import type { FileText, ReadLimits, SettingKey, Settings, SnapshotSource, TreeEntry } from '../snapshot/types.js';
import { progressWriter } from './evaluation-progress.js';
import { evaluateRepository } from './runner.js';
import type { AnyCheckDefinition, CheckContext } from './types.js';
import type { EvaluateMessage, FromWorker, ToWorker } from './worker-pool.js';

/**
 * One pool worker (see worker-pool.ts): evaluates one repository at a time with the engine's own
 * evaluateRepository, over a source whose reads are answered by the main thread.
 */

const port = parentPort;
if (!port) throw new Error('evaluation-worker.ts runs as a worker thread (see worker-pool.ts)');
const data = workerData as { progress: SharedArrayBuffer; checksModule?: string };
const write = progressWriter(data.progress);

const registry: readonly AnyCheckDefinition[] = (
  (await import(data.checksModule ?? new URL('../../checks/index.js', import.meta.url).href)) as {
    allChecks: readonly AnyCheckDefinition[];
  }
).allChecks;

/**
 * Every file a check or parser asks the snapshot for is noted, so a budget overrun names the file being worked on.
 * The patch lives in this thread only: the worker's engine is the only user of this copy of RepoSnapshot.
 */
for (const method of ['file', 'fileIfRead', 'textIfRead'] as const) {
  const original = RepoSnapshot.prototype[method] as (this: RepoSnapshot, path: string) => unknown;
  Object.defineProperty(RepoSnapshot.prototype, method, {
    configurable: true,
    writable: true,
    value(this: RepoSnapshot, path: string) {
      write('file', this.root ? `${this.root}/${path}` : path);
      return original.call(this, path);
    },
  });
}

/** The registry's checks, each noting itself (and the project) before it runs. */
const tracked = new Map<string, AnyCheckDefinition>(
  registry.map((check) => [
    check.id,
    {
      ...check,
      evaluate: (context: CheckContext<unknown>) => {
        write('activity', context.projectPath ? `check ${check.id} in ${context.projectPath}` : `check ${check.id}`);
        return (check.evaluate as (context: CheckContext<unknown>) => ReturnType<typeof check.evaluate>)(context);
      },
    } as AnyCheckDefinition,
  ]),
);

let nextCall = 1;
/** Answers posted in parts (`more`), gathered by call. */
const partial = new Map<number, Map<string, FileText>>();
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

function ask<T>(
  message:
    | { type: 'read'; entries: TreeEntry[]; limits: ReadLimits }
    | { type: 'settings'; keys: SettingKey[] }
    | { type: 'report-part'; projects: NonNullable<Report['projects']> },
  job: number,
): Promise<T> {
  const call = nextCall++;
  return new Promise<T>((resolve, reject) => {
    pending.set(call, { resolve: resolve as (value: unknown) => void, reject });
    port!.postMessage({ ...message, job, call } satisfies FromWorker);
  });
}

async function evaluate(message: EvaluateMessage): Promise<void> {
  const { job } = message;
  const checks = message.checkIds.map((id) => {
    const check = tracked.get(id);
    if (!check)
      throw new Error(
        `check "${id}" is not in the evaluation workers' registry (only registry checks run in the pool)`,
      );
    return check;
  });
  const source: SnapshotSource = {
    kind: message.kind,
    target: () => message.target,
    listTree: async () => ('entries' in message.listing ? message.listing : unpackListing(message.listing)),
    readFiles: (entries, limits) => ask<Map<string, FileText>>({ type: 'read', entries, limits }, job),
    readSettings: (keys) => ask<Settings>({ type: 'settings', keys }, job),
  };
  const report = await evaluateRepository({
    source,
    checks,
    ...(message.config ? { config: message.config as Config } : {}),
    ...(message.maxFileBytes ? { maxFileBytes: message.maxFileBytes } : {}),
    ...(message.maxTotalBytes ? { maxTotalBytes: message.maxTotalBytes } : {}),
    onProgress: (stage) => {
      write('activity', stage);
      port!.postMessage({ type: 'stage', job, stage } satisfies FromWorker);
    },
  });
  await postReport(report, job);
}

/** About 1 MB of JSON a part: deserialised on the main thread in a few milliseconds. */
const REPORT_PART_CHARS = 500_000;

/** A report with projects goes in parts, each taken by the main thread before the next is posted. */
async function postReport(report: Report, job: number): Promise<void> {
  const projects = report.projects;
  if (!projects?.length) {
    port!.postMessage({ type: 'done', job, report } satisfies FromWorker);
    return;
  }
  let part: typeof projects = [];
  let chars = 0;
  for (const project of projects) {
    const size = JSON.stringify(project).length;
    if (part.length && chars + size > REPORT_PART_CHARS) {
      await ask({ type: 'report-part', projects: part }, job);
      part = [];
      chars = 0;
    }
    part.push(project);
    chars += size;
  }
  await ask({ type: 'report-part', projects: part }, job);
  // An empty list in the projects' place keeps the report's key order (the JSON output is compared byte for byte).
  port!.postMessage({
    type: 'done',
    job,
    report: { ...report, projects: [] },
    projectsInParts: true,
  } satisfies FromWorker);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'evaluate') {
    write('activity', 'starting');
    write('file', '');
    evaluate(message).catch((error: unknown) => {
      const { name, message: text, stack } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({
        type: 'failed',
        job: message.job,
        error: { name, message: text, stack },
      } satisfies FromWorker);
    });
    return;
  }
  const waiter = pending.get(message.call);
  if (!waiter) return;
  if (message.type === 'files' && message.more) {
    // One part of a large answer: gathered until the last part comes.
    const gathered = partial.get(message.call);
    if (gathered) for (const [path, file] of message.files) gathered.set(path, file);
    else partial.set(message.call, message.files);
    return;
  }
  pending.delete(message.call);
  if (message.type === 'files') {
    const gathered = partial.get(message.call);
    partial.delete(message.call);
    if (gathered) for (const [path, file] of message.files) gathered.set(path, file);
    waiter.resolve(gathered ?? message.files);
  } else if (message.type === 'settings') waiter.resolve(message.settings);
  else if (message.type === 'taken') waiter.resolve(undefined);
  else waiter.reject(new Error(message.message));
});

port.postMessage({ type: 'ready' } satisfies FromWorker);
