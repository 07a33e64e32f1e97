import type { ApplicationFunctionOptions, Context, Probot } from 'probot';
import type { Logger } from 'pino';
import { allChecks } from '../../checks/index.js';
import { EvaluationPool, poolSettingsFromEnv } from '../engine/worker-pool.js';
import type { AnyCheckDefinition } from '../engine/types.js';
import { configureKnownLabels } from '../github/issues.js';
import { PublishedMemory } from '../github/published-memory.js';
import { ConfigFileCache } from './config.js';
import { BlobCache, GitHubSource } from '../github/source.js';
import { TreeParserThread, treeParserWorkerUrl, type TreeParser } from '../github/tree-parse.js';
import {
  QuotaTracker,
  ReportCache,
  SettingsCache,
  type EvaluationOutcome,
  type FlowDeps,
  type SourceFactory,
} from './evaluate-flow.js';
import { onCheckRunRequestedAction, onCheckRunRerequested } from './handlers/check-run.js';
import { onCheckSuiteRerequested } from './handlers/check-suite.js';
import { runJob, type AppServices } from './handlers/common.js';
import { onInstallation } from './handlers/installation.js';
import { onPullRequest, PULL_REQUEST_EVENTS } from './handlers/pull-request.js';
import { onPush } from './handlers/push.js';
import { onRepositorySettings, SETTINGS_EVENTS } from './handlers/repository-settings.js';
import { appSettingsFromEnv } from './settings.js';
import { createBackgroundJobs, type BackgroundHooks, type BackgroundJobs } from './background.js';
import type { RunRegistry } from './sweeper.js';
import { useSharedLocks } from '../github/octokit.js';
import { RedisLocks } from './locks.js';
import { createMetrics, observeClient, observeEvaluation, type ShipreadyMetrics } from './metrics.js';
import { createOpsHandler, readinessOf, type Readiness } from './ready.js';
import { createJobQueue, QueueRefusedError, RedisJobQueue, type EvaluationJob, type JobQueue } from './queue.js';

export interface AppDeps {
  checks?: readonly AnyCheckDefinition[];
  /** Runs evaluations (server.ts: the worker pool's); in-process evaluateRepository when absent. */
  evaluate?: FlowDeps['evaluate'];
  /** Blob texts by blob sha, shared across deliveries (immutable, so never stale). */
  blobCache?: BlobCache;
  /** The queue (server.ts: in process, or BullMQ with REDIS_URL); built from the environment when absent. */
  queue?: JobQueue;
  now?: () => Date;
  logger?: Logger;
  /** Tests inject a source; by default the GitHub REST/GraphQL source. */
  createSource?: SourceFactory;
  /** Parses tree listings for the default source (server.ts: a thread, off the event loop); inline when absent. */
  treeParser?: TreeParser;
  reports?: ReportCache;
  settings?: SettingsCache;
  quota?: QuotaTracker;
  serverUrl?: string;
  docsBaseUrl?: string;
  onEvaluated?: (outcome: EvaluationOutcome) => void;
  /** Where started Check Runs are remembered for the sweeper (default: Redis with REDIS_URL, else memory). */
  runs?: RunRegistry;
  /** Told what the periodic jobs do (server.ts: the metrics). */
  hooks?: BackgroundHooks;
  /** Settings read from the environment (default `process.env`) for what is not injected above. */
  env?: NodeJS.ProcessEnv;
  /**
   * The metrics the App feeds (server.ts and the default export each make one registry): the queue's gauges,
   * deliveries, evaluations, the periodic jobs, webhook errors and the GitHub clients it is given.
   */
  metrics?: ShipreadyMetrics;
}

/** A Probot app function that also exposes the queue it fills and the flow's dependencies (server.ts, tests). */
export type ShipreadyApp = ((probot: Probot, options?: ApplicationFunctionOptions) => void) & {
  queue: JobQueue;
  deps: FlowDeps;
  /** The periodic jobs (the sweeper), started when the App is loaded. */
  background: BackgroundJobs;
  /** Whether the App takes work, and why not (`/ready` under `probot run`). */
  readiness(): Readiness;
  /** Stops the periodic jobs (shutdown). */
  stop(): Promise<void>;
};

/** The events shipready answers; every one is registered by `registerHandlers`. */
export const HANDLED_EVENTS = [
  ...PULL_REQUEST_EVENTS,
  'check_suite.rerequested',
  'check_run.rerequested',
  'check_run.requested_action',
  'push',
  'installation.created',
  'installation_repositories.added',
  ...SETTINGS_EVENTS,
] as const;

/**
 * The App with its services built: one thin handler per event; each answers the delivery at once and queues the
 * evaluation. `server.ts` (`npm start`) and tests pass the queue, pool and metrics they own; what is not passed is
 * built from the environment, as the default export does for `probot run`.
 */
export function createApp(deps: AppDeps = {}): ShipreadyApp {
  const settings = appSettingsFromEnv(deps.env ?? process.env);
  const queue = deps.queue ?? createJobQueue(deps.env ?? process.env, deps.logger);
  const { metrics } = deps;
  metrics?.watchQueue(queue);
  const onEvaluated = metrics
    ? (outcome: EvaluationOutcome) => {
        observeEvaluation(metrics, outcome);
        deps.onEvaluated?.(outcome);
      }
    : deps.onEvaluated;
  const hooks: BackgroundHooks | undefined = metrics
    ? {
        onSweep: (action) => {
          metrics.sweeperActions.inc({ action });
          deps.hooks?.onSweep?.(action);
        },
        onRedelivered: (delivery) => {
          metrics.redeliveries.inc();
          deps.hooks?.onRedelivered?.(delivery);
        },
      }
    : deps.hooks;
  const { caches } = settings;
  const blobCache = deps.blobCache ?? new BlobCache({ maxBytes: caches.blobBytes });
  configureKnownLabels({ ttlMs: caches.labelTtlMs });
  const orgConfigs = new ConfigFileCache({ maxEntries: caches.orgConfigEntries, ttlMs: caches.orgConfigTtlMs });
  const flow: FlowDeps = {
    checks: deps.checks ?? allChecks,
    ...(deps.evaluate ? { evaluate: deps.evaluate } : {}),
    createSource:
      deps.createSource ??
      ((options) =>
        new GitHubSource({
          ...options,
          cache: blobCache,
          // The config's query just found the org has no `.github` repository (kept as long as that answer).
          knownMissingRepository: (owner, repo) =>
            repo.toLowerCase() === '.github' && orgConfigs.knowsNoRepository(owner),
          ...(deps.treeParser ? { treeParser: deps.treeParser } : {}),
        })),
    reports: deps.reports ?? new ReportCache({ maxEntries: caches.reportEntries, ttlMs: caches.reportTtlMs }),
    settings: deps.settings ?? new SettingsCache({ maxEntries: caches.settingsEntries, ttlMs: caches.settingsTtlMs }),
    quota: deps.quota ?? new QuotaTracker(),
    // With the shared (Redis) queue other instances publish too: then only what was written is remembered.
    orgConfigs,
    ownConfigs: new ConfigFileCache({ maxEntries: caches.repoConfigEntries, ttlMs: caches.repoConfigTtlMs }),
    published: new PublishedMemory({ rememberAbsence: queue.kind === 'memory' }),
    now: deps.now ?? (() => new Date()),
    checkRunGraceMs: settings.checkRunGraceMs,
    ...((deps.serverUrl ?? settings.serverUrl) ? { serverUrl: deps.serverUrl ?? settings.serverUrl } : {}),
    ...((deps.docsBaseUrl ?? settings.docsBaseUrl) ? { docsBaseUrl: deps.docsBaseUrl ?? settings.docsBaseUrl } : {}),
    ...(onEvaluated ? { onEvaluated } : {}),
  };
  const services: AppServices = { queue: stampingQueuedAt(queue), deps: flow };
  const background = createBackgroundJobs({
    settings,
    queue: services.queue,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.runs ? { runs: deps.runs } : {}),
    ...(hooks ? { hooks } : {}),
  });
  flow.runs = background.runs;
  let processing = false;
  let stopping = false;
  const app = (probot: Probot) => {
    registerHandlers(probot, services, metrics);
    if (metrics) {
      probot.onAny(async (event) => {
        const action = (event.payload as { action?: unknown }).action;
        metrics.deliveries.inc({ event: typeof action === 'string' ? `${event.name}.${action}` : event.name });
      });
      probot.onError(async (error) => {
        metrics.errors.inc({ kind: 'webhook' });
        probot.log.error({ err: error }, 'webhook handler failed');
      });
    }
    // The first Probot this App is loaded into runs the queue's jobs (a `web` instance's queue ignores this).
    if (!processing) {
      processing = true;
      const clients = metrics ? observedAuth(probot, metrics) : probot;
      queue.process((job, control) => runJob(clients, services, job, control));
      background.start(clients);
    }
  };
  return Object.assign(app, {
    queue,
    deps: flow,
    background,
    readiness: () => readinessOf({ queue, loaded: processing, shuttingDown: stopping }),
    stop: () => {
      stopping = true;
      return background.stop();
    },
  });
}

/** Probot's `auth` and `log`, the clients it makes feeding the metrics (under `probot run` they are Probot's class). */
function observedAuth(probot: Probot, metrics: ShipreadyMetrics) {
  return {
    log: probot.log,
    auth: async (installationId?: number) => observeClient(metrics, await probot.auth(installationId), installationId),
  };
}

/**
 * The queue as handlers and the sweeper see it: every job is stamped with the time it was queued, so the job's
 * wait (to the start of its evaluation, on whichever instance) is measured (`shipready_job_wait_seconds`).
 */
function stampingQueuedAt(queue: JobQueue): JobQueue {
  return new Proxy(queue, {
    get(target, property) {
      if (property === 'enqueue')
        return (job: EvaluationJob) =>
          target.enqueue({ ...job, request: { ...job.request, queuedAt: job.request.queuedAt ?? Date.now() } });
      // The queue's own getters and methods read its private fields: they run on the queue, not on the proxy.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Every handler on `probot`; a handler that throws is logged, never a crash of the delivery. */
export function registerHandlers(probot: Probot, services: AppServices, metrics?: ShipreadyMetrics): void {
  const safely =
    <C extends Context>(handler: (context: C, services: AppServices) => Promise<void>) =>
    async (context: C) => {
      if (metrics) {
        const installation = (context.payload as { installation?: { id?: number } }).installation?.id;
        observeClient(metrics, context.octokit, installation);
      }
      try {
        await handler(context, services);
      } catch (error) {
        // Refused by the queue: answered 503 (Octokit's middleware uses the error's status) to be redelivered.
        if (error instanceof QueueRefusedError) throw error;
        // A handler only reads the payload and maybe looks up a PR; a failure there is logged, never a crash.
        context.log.error({ err: error, deliveryId: context.id }, `${context.name}: could not schedule an evaluation`);
      }
    };
  probot.on([...PULL_REQUEST_EVENTS], safely(onPullRequest));
  probot.on('check_suite.rerequested', safely(onCheckSuiteRerequested));
  probot.on('check_run.rerequested', safely(onCheckRunRerequested));
  probot.on('check_run.requested_action', safely(onCheckRunRequestedAction));
  probot.on('push', safely(onPush));
  probot.on(['installation.created', 'installation_repositories.added'], safely(onInstallation));
  probot.on(
    [...SETTINGS_EVENTS],
    safely(onRepositorySettings as (context: Context, services: AppServices) => Promise<void>),
  );
}

/**
 * The Probot app function: `probot run ./dist/src/app/index.js`, the manifest flow (`probot run` without
 * credentials) and Probot's adapters (serverless, `createNodeMiddleware`) load it. It builds the services from
 * the environment (see `.env.example`): the queue, the caches, the evaluation worker pool and the metrics, and
 * serves `/health`, `/ready` and `/metrics` through Probot's `addHandler` (ready.ts, as `npm start` does).
 * `npm start` (server.ts) builds the same App with `createApp`, adding its own HTTP server and shutdown.
 *
 * With REDIS_URL, Probot's own clients throttle through a Redis connection Probot opened before loading this
 * function (server.ts gives Probot an Octokit on a connection shipready owns instead).
 */
export default function shipready(probot: Probot, options?: ApplicationFunctionOptions): void {
  const poolSettings = poolSettingsFromEnv(process.env);
  const pool =
    poolSettings.workers === 0
      ? undefined
      : new EvaluationPool({ size: poolSettings.workers, timeoutMs: poolSettings.timeoutMs });
  // As in server.ts: with evaluations in the pool, tree listings are parsed in a thread of their own too.
  const treeParserUrl = pool ? treeParserWorkerUrl() : undefined;
  const metrics = createMetrics();
  const app = createApp({
    logger: probot.log,
    metrics,
    ...(pool ? { evaluate: pool.evaluate } : {}),
    ...(treeParserUrl ? { treeParser: new TreeParserThread(treeParserUrl) } : {}),
  });
  // As in server.ts: with REDIS_URL several instances share the queue, so the comment and issue locks too.
  if (app.queue instanceof RedisJobQueue)
    useSharedLocks(new RedisLocks(app.queue.client, { prefix: process.env.SHIPREADY_REDIS_PREFIX || 'shipready' }));
  app(probot, options);
  options?.addHandler?.(createOpsHandler({ metrics, readiness: app.readiness }));
}
