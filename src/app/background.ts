import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { OctokitLike } from '../github/octokit.js';
import type { JobQueue } from './queue/types.js';
import {
  MemoryRedeliveredStore,
  RedisRedeliveredStore,
  WebhookRedelivery,
  type HookDelivery,
  type RedeliveredStore,
} from './redelivery.js';
import type { AppSettings } from './settings.js';
import { FileRunRegistry } from './journal.js';
import {
  CheckRunSweeper,
  LocalSweepLock,
  MemoryRunRegistry,
  RedisRunRegistry,
  RedisSweepLock,
  type RunRegistry,
  type SweepAction,
  type SweepLock,
} from './sweeper.js';

/** The App's periodic jobs (sweeper, redelivery) and the state they share across instances (Redis) or keep here (memory). */
export interface BackgroundJobs {
  runs: RunRegistry;
  lock: SweepLock;
  sweeper?: CheckRunSweeper;
  redelivery?: WebhookRedelivery;
  /** Starts the periodic jobs for the Probot the App is loaded into (its `auth` makes installation clients). */
  start(probot: { auth(installationId?: number): Promise<unknown> }): void;
  stop(): Promise<void>;
}

export interface BackgroundHooks {
  onSweep?: (action: SweepAction) => void;
  onRedelivered?: (delivery: HookDelivery) => void;
}

/** With REDIS_URL, one connection of its own (the queue's are BullMQ's) for the runs and the periodic-job lock. */
export function createBackgroundJobs(input: {
  settings: AppSettings;
  queue: JobQueue;
  logger?: Logger;
  runs?: RunRegistry;
  hooks?: BackgroundHooks;
}): BackgroundJobs {
  const { settings, queue, logger } = input;
  const redis = settings.redisUrl
    ? new Redis(settings.redisUrl, {
        lazyConnect: true,
        maxRetriesPerRequest: 2,
        enableOfflineQueue: true,
        connectionName: 'shipready-background',
      })
    : undefined;
  redis?.on('error', (error: Error) => logger?.warn({ err: error }, 'background jobs: Redis connection error'));
  // Without Redis, a restart must not strand the runs this process leaves in progress: a file journal, if it can.
  const journal =
    !redis && !input.runs && settings.journal
      ? FileRunRegistry.open({
          ...settings.journal,
          ...(logger ? { log: logger.child({ component: 'journal' }) } : {}),
        })
      : undefined;
  const runs: RunRegistry =
    input.runs ?? (redis ? new RedisRunRegistry(redis, settings.redisPrefix) : (journal ?? new MemoryRunRegistry()));
  const lock: SweepLock = redis ? new RedisSweepLock(redis, settings.redisPrefix) : new LocalSweepLock();
  let sweeper: CheckRunSweeper | undefined;
  let redelivery: WebhookRedelivery | undefined;
  // Each GUID is remembered a little longer than it can be listed, so it is never redelivered twice.
  const redelivered: RedeliveredStore = redis
    ? new RedisRedeliveredStore(redis, settings.redelivery.lookbackMs * 2, settings.redisPrefix)
    : new MemoryRedeliveredStore(settings.redelivery.lookbackMs * 2);
  const jobs: BackgroundJobs = {
    runs,
    lock,
    get sweeper() {
      return sweeper;
    },
    get redelivery() {
      return redelivery;
    },
    start(probot) {
      if (sweeper) return;
      const log = logger?.child({ component: 'sweeper' });
      sweeper = new CheckRunSweeper({
        registry: runs,
        lock,
        auth: async (installationId) => (await probot.auth(installationId)) as OctokitLike,
        enqueue: (job) => queue.enqueue(job),
        intervalMs: settings.sweeper.intervalMs || 1,
        staleAfterMs: settings.sweeper.staleAfterMs,
        maxRequeues: settings.sweeper.maxRequeues,
        ...(log ? { log } : {}),
        ...(input.hooks?.onSweep ? { onAction: input.hooks.onSweep } : {}),
      });
      if (settings.sweeper.intervalMs > 0) sweeper.start();
      // The runs a previous process left (file journal): taken at once, once the App is loaded and its queue runs.
      if (runs.takeOrphans) {
        const recovering = setTimeout(() => void sweeper?.recoverOrphans().catch(() => undefined), 500);
        recovering.unref();
      }
      const redeliveryLog = logger?.child({ component: 'redelivery' });
      redelivery = new WebhookRedelivery({
        appOctokit: async () => (await probot.auth()) as OctokitLike,
        lock,
        store: redelivered,
        intervalMs: settings.redelivery.intervalMs || 1,
        lookbackMs: settings.redelivery.lookbackMs,
        ...(redeliveryLog ? { log: redeliveryLog } : {}),
        ...(input.hooks?.onRedelivered ? { onRedelivered: input.hooks.onRedelivered } : {}),
      });
      if (settings.redelivery.intervalMs > 0) redelivery.start();
    },
    async stop() {
      await sweeper?.stop();
      await redelivery?.stop();
      await runs.close?.();
      redis?.disconnect();
    },
  };
  return jobs;
}
