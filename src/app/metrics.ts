import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What `/metrics` needs to know about the queue (the EvaluationQueue's `stats` fits). */
export interface QueueStatsSource {
  readonly stats: {
    waiting: number;
    running: number;
    retried?: number;
    stalled?: number;
    bound?: number;
    delayed?: number;
    rejected?: number;
  };
}

/** What one evaluation reports when it ends (EvaluationOutcome of evaluate-flow fits). */
export interface EvaluationObservation {
  status: string;
  conclusion?: string;
  durationMs: number;
  requests?: { rest: number; graphql: number };
  /** From the delivery's enqueue to the start of this evaluation (absent for evaluations not from the queue). */
  waitMs?: number;
}

export interface ShipreadyMetrics {
  readonly registry: Registry;
  readonly deliveries: Counter<'event'>;
  readonly evaluations: Counter<'status' | 'conclusion'>;
  readonly evaluationDuration: Histogram<'status'>;
  readonly apiRequestsPerEvaluation: Histogram<'api'>;
  readonly apiRequests: Counter<'status'>;
  readonly rateLimitRemaining: Gauge<'installation' | 'resource'>;
  readonly errors: Counter<'kind'>;
  readonly queueDepth: Gauge<'state'>;
  readonly jobWait: Histogram;
  readonly redeliveries: Counter;
  readonly sweeperActions: Counter<'action'>;
  /** Points the queue gauges (depth, bound, delayed, refused, retried, stalled) at a queue (read at scrape time). */
  watchQueue(queue: QueueStatsSource): void;
}

export interface MetricsOptions {
  /** Node.js process metrics (heap, event loop lag, GC…) with the `shipready_` prefix; on by default. */
  defaultMetrics?: boolean;
}

/**
 * A registry of its own (not prom-client's global one), so tests and several servers in one process do not
 * collide. Label values are low-cardinality by design: event names, outcome words, API kinds; installation ids
 * only on the rate-limit gauge, which an org admin wants per installation.
 */
export function createMetrics(options: MetricsOptions = {}): ShipreadyMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'shipready_' });
  let queue: QueueStatsSource | undefined;
  const metrics: ShipreadyMetrics = {
    registry,
    deliveries: new Counter({
      name: 'shipready_webhook_deliveries_total',
      help: 'Webhook deliveries received, by event (e.g. pull_request.synchronize).',
      labelNames: ['event'],
      registers: [registry],
    }),
    evaluations: new Counter({
      name: 'shipready_evaluations_total',
      help: 'Evaluations finished, by status (completed, superseded, config-error, quota-exhausted, failed) and Check Run conclusion.',
      labelNames: ['status', 'conclusion'],
      registers: [registry],
    }),
    evaluationDuration: new Histogram({
      name: 'shipready_evaluation_duration_seconds',
      help: 'Time from the start of an evaluation to its Check Run being completed.',
      labelNames: ['status'],
      buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
      registers: [registry],
    }),
    apiRequestsPerEvaluation: new Histogram({
      name: 'shipready_api_requests_per_evaluation',
      help: 'GitHub API requests one evaluation made to build its snapshots (head and base), by API (rest, graphql).',
      labelNames: ['api'],
      buckets: [1, 2, 3, 5, 8, 13, 21, 34, 55, 100, 200],
      registers: [registry],
    }),
    apiRequests: new Counter({
      name: 'shipready_github_api_requests_total',
      help: 'GitHub API responses seen by the App, by HTTP status.',
      labelNames: ['status'],
      registers: [registry],
    }),
    rateLimitRemaining: new Gauge({
      name: 'shipready_github_rate_limit_remaining',
      help: 'x-ratelimit-remaining of the latest GitHub API response, by installation and rate-limit resource (core, graphql, …).',
      labelNames: ['installation', 'resource'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'shipready_errors_total',
      help: 'Errors, by kind (webhook: a handler threw; evaluation: an evaluation failed; api: a GitHub API call failed; quota: out of rate limit).',
      labelNames: ['kind'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'shipready_queue_depth',
      help: 'Evaluations in the queue, by state (waiting, running).',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        if (!queue) return;
        const stats = queue.stats;
        this.set({ state: 'waiting' }, stats.waiting);
        this.set({ state: 'running' }, stats.running);
      },
    }),
    jobWait: new Histogram({
      name: 'shipready_job_wait_seconds',
      help: 'Time a job waited from its delivery being queued to its evaluation starting (retries included).',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    }),
    redeliveries: new Counter({
      name: 'shipready_webhook_redeliveries_total',
      help: 'Failed webhook deliveries this instance asked GitHub to redeliver.',
      registers: [registry],
    }),
    sweeperActions: new Counter({
      name: 'shipready_sweeper_actions_total',
      help: 'Check Runs left in progress that the sweeper handled, by action (requeued, completed, already-completed, failed).',
      labelNames: ['action'],
      registers: [registry],
    }),
    watchQueue(source) {
      queue = source;
    },
  };
  new Gauge({
    name: 'shipready_queue_retried',
    help: 'Jobs this instance ran again after a retryable fault (5xx, secondary limit, a quota reset), since start.',
    registers: [registry],
    collect() {
      if (queue) this.set(queue.stats.retried ?? 0);
    },
  });
  new Gauge({
    name: 'shipready_queue_stalled',
    help: 'Jobs this instance took over after the instance running them stopped (stalled-job recovery), since start.',
    registers: [registry],
    collect() {
      if (queue) this.set(queue.stats.stalled ?? 0);
    },
  });
  // The queue's bound and its delayed jobs beside its depth: a queue nearing its bound is visible before it refuses.
  new Gauge({
    name: 'shipready_queue_bound',
    help: 'Jobs that may wait before deliveries are refused (503); with Redis, shared by every instance.',
    registers: [registry],
    collect() {
      if (queue) this.set(queue.stats.bound ?? 0);
    },
  });
  new Gauge({
    name: 'shipready_queue_delayed',
    help: 'Jobs waiting for a retry (backoff) or a quota reset.',
    registers: [registry],
    collect() {
      if (queue) this.set(queue.stats.delayed ?? 0);
    },
  });
  new Gauge({
    name: 'shipready_queue_refused',
    help: 'Deliveries this instance refused (503) because the queue was full or shutting down, since start.',
    registers: [registry],
    collect() {
      if (queue) this.set(queue.stats.rejected ?? 0);
    },
  });
  return metrics;
}

/** Records one finished evaluation: its duration, its outcome and how many API requests it cost. */
export function observeEvaluation(metrics: ShipreadyMetrics, outcome: EvaluationObservation): void {
  metrics.evaluations.inc({ status: outcome.status, conclusion: outcome.conclusion ?? 'none' });
  metrics.evaluationDuration.observe({ status: outcome.status }, Math.max(0, outcome.durationMs) / 1000);
  if (outcome.waitMs !== undefined) metrics.jobWait.observe(Math.max(0, outcome.waitMs) / 1000);
  if (outcome.requests) {
    metrics.apiRequestsPerEvaluation.observe({ api: 'rest' }, outcome.requests.rest);
    metrics.apiRequestsPerEvaluation.observe({ api: 'graphql' }, outcome.requests.graphql);
  }
  if (outcome.status === 'failed') metrics.errors.inc({ kind: 'evaluation' });
  if (outcome.status === 'quota-exhausted') metrics.errors.inc({ kind: 'quota' });
}

type Headers = Record<string, string | number | undefined>;

/** Reads the rate-limit headers of one GitHub API response. */
export function observeRateLimit(
  metrics: ShipreadyMetrics,
  headers: Headers | undefined,
  installation: string | number | undefined,
): void {
  const remaining = Number(headers?.['x-ratelimit-remaining']);
  if (!Number.isFinite(remaining)) return;
  const resource = String(headers?.['x-ratelimit-resource'] ?? 'core');
  metrics.rateLimitRemaining.set(
    { installation: installation === undefined ? 'app' : String(installation), resource },
    remaining,
  );
}

interface HookableOctokit {
  hook: {
    after(name: 'request', hook: (response: { status: number; headers: Headers }, options: unknown) => void): void;
    error(
      name: 'request',
      hook: (error: Error & { status?: number; response?: { headers: Headers } }, options: unknown) => unknown,
    ): void;
  };
}

/** The clients each registry already hears from: a client is counted once, however it was instrumented. */
const observedClients = new WeakMap<ShipreadyMetrics, WeakSet<object>>();

/**
 * An Octokit plugin that feeds the metrics from every response of every installation client Probot makes:
 * `ProbotOctokit.plugin(metricsPlugin(metrics))` (npm start). Errors are rethrown untouched (retry and throttling
 * still see them).
 */
export function metricsPlugin(metrics: ShipreadyMetrics) {
  return (octokit: HookableOctokit, options: { auth?: unknown } & Record<string, unknown>): void => {
    observeClient(metrics, octokit, installationOf(options));
  };
}

/**
 * Feeds the metrics from one client's responses, once per client: under `probot run` the clients are of Probot's
 * own class, so the App instruments the ones it is given (`auth`, a delivery's `context.octokit`).
 */
export function observeClient<T extends object>(
  metrics: ShipreadyMetrics,
  client: T,
  installation: string | number | undefined,
): T {
  let observed = observedClients.get(metrics);
  if (!observed) observedClients.set(metrics, (observed = new WeakSet()));
  const octokit = client as unknown as HookableOctokit;
  if (observed.has(client) || typeof octokit.hook?.after !== 'function') return client;
  observed.add(client);
  octokit.hook.after('request', (response) => {
    metrics.apiRequests.inc({ status: String(response.status) });
    observeRateLimit(metrics, response.headers, installation);
  });
  octokit.hook.error('request', (error) => {
    const status = error.status ?? 0;
    metrics.apiRequests.inc({ status: String(status) });
    if (status >= 500 || status === 0) metrics.errors.inc({ kind: 'api' });
    observeRateLimit(metrics, error.response?.headers, installation);
    throw error;
  });
  return client;
}

function installationOf(options: { auth?: unknown }): string | undefined {
  const auth = options.auth as { installationId?: number | string } | undefined;
  return auth && typeof auth === 'object' && auth.installationId !== undefined
    ? String(auth.installationId)
    : undefined;
}
