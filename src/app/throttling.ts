import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ProbotOctokit } from 'probot';
import { metricsPlugin, type ShipreadyMetrics } from './metrics.js';

/**
 * GitHub's limits are per App installation, not per process: with REDIS_URL every instance throttles its GitHub
 * requests through one Bottleneck store in Redis (what Probot does with REDIS_URL), on a connection shipready opens
 * from the installed ioredis and closes at shutdown.
 *
 * Probot's own clustered throttling is not used: it loads ioredis through npx-import-light (which may run `npx` to
 * fetch a package at run time) and never closes the client, which then reconnects forever once Redis goes away and
 * keeps the process alive.
 */
export interface SharedThrottle {
  /** Octokit `throttle` options: the Redis-backed Bottleneck groups of @octokit/plugin-throttling. */
  readonly options: SharedThrottleOptions;
  /** The ioredis client the Bottleneck store runs on (Bottleneck duplicates it for its subscriptions). */
  readonly client: Redis;
  /** Stops the limiters' heartbeats and closes both connections; a connection that is not ready is dropped. */
  close(): Promise<void>;
}

export interface SharedThrottleOptions {
  Bottleneck: typeof Bottleneck;
  connection: Bottleneck.IORedisConnection;
  global: Bottleneck.Group;
  auth: Bottleneck.Group;
  search: Bottleneck.Group;
  write: Bottleneck.Group;
  notifications: Bottleneck.Group;
}

/** Redis keys of the limiters expire 2 minutes after their last use (@octokit/plugin-throttling's default). */
const LIMITER_TTL_MS = 2 * 60 * 1000;

export function createSharedThrottle(input: { redisUrl: string; log?: Logger }): SharedThrottle {
  const client = new Redis(input.redisUrl, { connectionName: 'shipready-throttle' });
  const connection = new Bottleneck.IORedisConnection({ client, Redis });
  connection.on('error', (error: Error) =>
    input.log?.warn({ err: error }, 'GitHub request throttling: Redis connection error'),
  );
  // The plugin keeps the groups it builds in module state, bound to the first connection it sees: groups of this
  // connection, with the plugin's ids and limits (so instances share one limiter per installation), keep each
  // throttle on its own connection, also with several servers in one process.
  const group = (id: string, limits: Bottleneck.ConstructorOptions) =>
    new Bottleneck.Group({ id, ...limits, timeout: LIMITER_TTL_MS, connection });
  const options: SharedThrottleOptions = {
    Bottleneck,
    connection,
    global: group('octokit-global', { maxConcurrent: 10 }),
    auth: group('octokit-auth', { maxConcurrent: 1 }),
    search: group('octokit-search', { maxConcurrent: 1, minTime: 2000 }),
    write: group('octokit-write', { maxConcurrent: 1, minTime: 1000 }),
    notifications: group('octokit-notifications', { maxConcurrent: 1, minTime: 3000 }),
  };
  let closing: Promise<void> | undefined;
  return {
    options,
    client,
    close() {
      closing ??= (async () => {
        // `quit()` waits for a connection that may never come back (Redis down at shutdown): only when both are
        // ready are they quit politely; otherwise they are dropped, and neither reconnects.
        const subscriber = (connection as unknown as { subscriber?: Redis }).subscriber;
        const ready = client.status === 'ready' && subscriber?.status === 'ready';
        await Promise.resolve(connection.disconnect(ready)).catch(() => {
          client.disconnect();
          subscriber?.disconnect();
        });
      })();
      return closing;
    },
  };
}

/** Retry a primary rate-limit hit once, and only when the quota resets within a minute. */
export function shouldRetryRateLimit(
  retryAfterSeconds: number,
  _options: unknown,
  _octokit: unknown,
  retryCount: number,
): boolean {
  return retryAfterSeconds < 60 && retryCount < 1;
}

/**
 * The Octokit class `npm start` gives Probot: every client reports its responses (status, rate limit) to the
 * metrics, and throttles through `throttle` (Redis) when given.
 * Probot's default waits out an exhausted primary quota (up to an hour) before retrying; this waits only for a reset
 * that is under a minute away, otherwise the request fails so the evaluation stops and says so in the Check Run.
 * A function default runs after Probot's own options are merged, so these win over its throttle settings.
 */
export function shipreadyOctokit(input: {
  metrics: ShipreadyMetrics;
  throttle?: SharedThrottle;
}): typeof ProbotOctokit {
  return ProbotOctokit.plugin(
    metricsPlugin(input.metrics) as unknown as Parameters<typeof ProbotOctokit.plugin>[0],
  ).defaults((options: { throttle?: Record<string, unknown> }) => ({
    ...options,
    throttle: { ...options.throttle, onRateLimit: shouldRetryRateLimit, ...input.throttle?.options },
  }));
}
