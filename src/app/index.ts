import type { ApplicationFunction, Context, Probot } from 'probot';
import type { Logger } from 'pino';
import { allChecks } from '../../checks/index.js';
import type { AnyCheckDefinition } from '../engine/types.js';
import { BlobCache, GitHubSource } from '../github/source.js';
import type { TreeParser } from '../github/tree-parse.js';
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
import type { AppServices } from './handlers/common.js';
import { onInstallation } from './handlers/installation.js';
import { onPullRequest, PULL_REQUEST_EVENTS } from './handlers/pull-request.js';
import { onPush } from './handlers/push.js';
import { onRepositorySettings, SETTINGS_EVENTS } from './handlers/repository-settings.js';
import { EvaluationQueue } from './queue.js';

export interface AppDeps {
  checks?: readonly AnyCheckDefinition[];
  /** Runs evaluations (server.ts: the worker pool's); in-process evaluateRepository when absent. */
  evaluate?: FlowDeps['evaluate'];
  /** Blob texts by blob sha, shared across deliveries (immutable, so never stale). */
  blobCache?: BlobCache;
  queue?: EvaluationQueue;
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
}

export type ShipreadyApp = ApplicationFunction & { queue: EvaluationQueue; deps: FlowDeps };

/**
 * The Probot App: one thin handler per event; each answers the delivery at once and queues the evaluation.
 * `server.ts` (or a test) passes the queue it drains on shutdown; `queue` is also exposed on the function.
 */
export function createApp(deps: AppDeps = {}): ShipreadyApp {
  const queue =
    deps.queue ??
    new EvaluationQueue({
      concurrency: Number(process.env.QUEUE_CONCURRENCY ?? 8) || 8,
      maxPending: Number(process.env.QUEUE_MAX_PENDING ?? 500) || 500,
      logger: deps.logger,
    });
  const blobCache = deps.blobCache ?? new BlobCache();
  const flow: FlowDeps = {
    checks: deps.checks ?? allChecks,
    ...(deps.evaluate ? { evaluate: deps.evaluate } : {}),
    createSource:
      deps.createSource ??
      ((options) =>
        new GitHubSource({
          ...options,
          cache: blobCache,
          ...(deps.treeParser ? { treeParser: deps.treeParser } : {}),
        })),
    reports: deps.reports ?? new ReportCache(),
    settings: deps.settings ?? new SettingsCache(),
    quota: deps.quota ?? new QuotaTracker(),
    now: deps.now ?? (() => new Date()),
    ...(deps.serverUrl ? { serverUrl: deps.serverUrl } : {}),
    ...(deps.docsBaseUrl ? { docsBaseUrl: deps.docsBaseUrl } : {}),
    ...(deps.onEvaluated ? { onEvaluated: deps.onEvaluated } : {}),
  };
  const services: AppServices = { queue, deps: flow };
  const app = (probot: Probot) => {
    const safely =
      <C extends Context>(handler: (context: C, services: AppServices) => Promise<void>) =>
      async (context: C) => {
        try {
          await handler(context, services);
        } catch (error) {
          // A handler only reads the payload and maybe looks up a PR; a failure there is logged, never a crash.
          context.log.error(
            { err: error, deliveryId: context.id },
            `${context.name}: could not schedule an evaluation`,
          );
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
  };
  return Object.assign(app, { queue, deps: flow });
}

export default createApp;
