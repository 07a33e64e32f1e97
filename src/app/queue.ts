import { MemoryJobQueue } from './queue/memory.js';
import { RedisJobQueue } from './queue/redis.js';
import type { JobQueue, QueueLogger } from './queue/types.js';
import { DEFAULT_QUEUE_CONCURRENCY, DEFAULT_QUEUE_MAX_PENDING, positiveInt } from './settings.js';

export * from './queue/types.js';
export { MemoryJobQueue, type MemoryQueueOptions } from './queue/memory.js';
export { RedisJobQueue, type RedisQueueOptions } from './queue/redis.js';

/** The default queue (in process); the name the App and its tests have always used. */
export const EvaluationQueue = MemoryJobQueue;
export type EvaluationQueue = JobQueue;

/**
 * REDIS_URL set: the BullMQ queue shared by every instance; unset: the in-process queue (`npm start` needs no Redis).
 * Every setting is one environment variable, listed in `.env.example`.
 */
export function createJobQueue(env: NodeJS.ProcessEnv, logger?: QueueLogger): JobQueue {
  const concurrency = positiveInt(env.SHIPREADY_QUEUE_CONCURRENCY, DEFAULT_QUEUE_CONCURRENCY);
  const deliveryTtlMs = positiveInt(env.SHIPREADY_DELIVERY_TTL_MS, 24 * 60 * 60 * 1000);
  const maxAttempts = positiveInt(env.SHIPREADY_QUEUE_ATTEMPTS, 6);
  const backoffMs = positiveInt(env.SHIPREADY_QUEUE_BACKOFF_MS, 2000);
  if (env.REDIS_URL) {
    return new RedisJobQueue({
      url: env.REDIS_URL,
      prefix: env.SHIPREADY_REDIS_PREFIX || 'shipready',
      concurrency,
      // Shared by every instance and on disk, so large; its depth and bound are in the metrics.
      maxPending: positiveInt(env.SHIPREADY_REDIS_QUEUE_MAX_PENDING, 100_000),
      deliveryTtlMs,
      maxAttempts,
      backoffMs,
      lockDurationMs: positiveInt(env.SHIPREADY_QUEUE_LOCK_MS, 30_000),
      ...(logger ? { logger } : {}),
    });
  }
  return new MemoryJobQueue({
    concurrency,
    maxPending: positiveInt(env.SHIPREADY_QUEUE_MAX_PENDING, DEFAULT_QUEUE_MAX_PENDING),
    deliveryTtlMs,
    maxAttempts,
    backoffMs,
    ...(logger ? { logger } : {}),
  });
}
