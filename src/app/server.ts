import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { pino, stdTimeFunctions, type Logger } from 'pino';
import { createProbot, type Probot } from 'probot';
import { TOOL_VERSION } from '../version.js';
import { createApp, type AppDeps, type ShipreadyApp } from './index.js';
import { appSettingsFromEnv } from './settings.js';
import { createOpsHandler, readinessOf, sendJson, type Readiness } from './ready.js';
import { createMetrics, type ShipreadyMetrics } from './metrics.js';
import { createSharedThrottle, shipreadyOctokit, type SharedThrottle } from './throttling.js';

export { shouldRetryRateLimit } from './throttling.js';
export { createOpsHandler, type Readiness } from './ready.js';
import { useSharedLocks } from '../github/octokit.js';
import { RedisLocks } from './locks.js';
import { createJobQueue, RedisJobQueue, type JobQueue } from './queue.js';
import { EvaluationPool, poolSettingsFromEnv, type PoolOptions } from '../engine/worker-pool.js';
import { TreeParserThread, treeParserWorkerUrl } from '../github/tree-parse.js';

/**
 * `npm start`: the Probot App behind one node:http server of our own, so that the operational routes come
 * first and answer even while the App is busy, the server can listen on port 0 (tests), and shutdown is ours:
 *
 *   GET /health   liveness: the process answers (200 while it runs, also while draining)
 *   GET /ready    readiness: the App is loaded and the queue takes work (503 before, and once shutdown begins)
 *   GET /metrics  Prometheus text format
 *   POST /api/github/webhooks (WEBHOOK_PATH)  GitHub deliveries, verified with WEBHOOK_SECRET
 */

export interface ServerOptions {
  /** Environment to read (default `process.env`); see `.env.example`. */
  env?: NodeJS.ProcessEnv;
  /** Overrides PORT (0 picks a free port). */
  port?: number;
  /** Overrides HOST. */
  host?: string;
  logger?: Logger;
  /** Tests: extra dependencies for `createApp` (e.g. a fake source). The queue and metrics are the server's. */
  appDeps?: Omit<AppDeps, 'queue' | 'logger'>;
  /** Tests: the queue to use instead of the one the environment selects (in process, or BullMQ with REDIS_URL). */
  queue?: JobQueue;
  /** Tests: options for the evaluation worker pool (worker script, checks module); sizes come from the env. */
  pool?: PoolOptions;
  /** How long shutdown waits for running evaluations (default SHIPREADY_SHUTDOWN_TIMEOUT_MS or 25 s). */
  shutdownTimeoutMs?: number;
}

export interface ShipreadyServer {
  readonly http: HttpServer;
  readonly url: string;
  readonly port: number;
  readonly probot: Probot;
  readonly queue: JobQueue;
  /** `web` takes deliveries only, `worker` evaluates only, `all` (default) both. */
  readonly role: InstanceRole;
  readonly metrics: ShipreadyMetrics;
  /** The App loaded into Probot (its queue, flow dependencies and periodic jobs). */
  readonly app: ShipreadyApp;
  /** The evaluation workers; undefined when SHIPREADY_EVALUATION_WORKERS=0 (in-process) or appDeps.evaluate is set. */
  readonly pool?: EvaluationPool;
  /** With REDIS_URL: the Redis connection GitHub requests are throttled through (closed by `close`). */
  readonly throttle?: SharedThrottle;
  readiness(): Readiness;
  /** Stops taking work, waits for the queue (bounded), closes the server. Safe to call twice. */
  close(reason?: string): Promise<{ drained: boolean }>;
}

export class ConfigurationError extends Error {}

const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;
/** GitHub caps webhook payloads at 25 MB (docs: "Webhook payload object... capped at 25 MB"); anything larger is not GitHub. */
export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;

/**
 * Reads a webhook body, counting bytes as they stream in: a declared Content-Length above `maxBytes` is refused
 * before a byte is read, and a body that grows past it (chunked, or lying about its length) is dropped at that
 * point. Returns the text, or null when the body is too large — never more than `maxBytes` buffered.
 */
export function readCappedBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let received = 0;
    const finish = (value: string | null) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        chunks = [];
        req.pause();
        finish(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, received).toString('utf8'));
    const onError = (error: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** How long a refused connection may linger half-closed so the client can read the 413 before the socket goes. */
const REFUSED_LINGER_MS = 10_000;

/**
 * 413, then the connection is closed: the rest of an oversized body is never read. The close is a half-close (FIN)
 * first: destroying a socket with unread data in its receive buffer sends a reset, which can discard the 413 before
 * the client reads it. Reading stays paused, so the lingering socket buffers nothing beyond the kernel's window.
 */
function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): void {
  const text = `${JSON.stringify({ error: `webhook body larger than ${maxBytes} bytes (GitHub's maximum payload)` })}\n`;
  res.writeHead(413, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    connection: 'close',
  });
  res.end(text, () => {
    const socket = req.socket;
    socket.end();
    setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
  });
}

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** A pino JSON logger that never writes credentials, whatever a caller passes it. */
export function createLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  return pino({
    name: 'shipready',
    level: env.LOG_LEVEL ?? 'info',
    base: { service: 'shipready', version: TOOL_VERSION },
    // "level":"info" rather than 30: readable in any log store without pino's numbering.
    formatters: { level: (label) => ({ level: label }) },
    timestamp: stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'privateKey',
        'secret',
        'token',
        '*.token',
        '*.privateKey',
        '*.secret',
        'headers.authorization',
        '*.headers.authorization',
        'req.headers.authorization',
        'request.headers.authorization',
        'err.request.headers.authorization',
        'err.response.headers.authorization',
      ],
      censor: '[redacted]',
    },
  });
}

/** What the App cannot run without; the message names every missing variable at once. */
export function checkEnvironment(env: NodeJS.ProcessEnv): void {
  const missing: string[] = [];
  if (!env.APP_ID) missing.push('APP_ID (the App ID from the App settings page)');
  if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH)
    missing.push('PRIVATE_KEY or PRIVATE_KEY_PATH (the .pem key generated on the App settings page)');
  if (!env.WEBHOOK_SECRET) missing.push('WEBHOOK_SECRET (the webhook secret set on the App settings page)');
  if (missing.length)
    throw new ConfigurationError(
      `shipready cannot start: set ${missing.join('; ')}. See .env.example and docs/APP.md.`,
    );
  // Probot swallows a bad key and fails later, on the first API call; say it now instead.
  if (env.PRIVATE_KEY) {
    let key = env.PRIVATE_KEY;
    if (!key.includes('-----')) key = Buffer.from(key, 'base64').toString('utf8');
    if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key)) {
      throw new ConfigurationError(
        'PRIVATE_KEY is not a PEM private key (nor one encoded in base64): paste the whole .pem file, newlines as \\n.',
      );
    }
  } else if (env.PRIVATE_KEY_PATH && !existsSync(env.PRIVATE_KEY_PATH)) {
    throw new ConfigurationError(`PRIVATE_KEY_PATH points at ${env.PRIVATE_KEY_PATH}, which does not exist.`);
  }
  if (env.APP_ID && !/^\d+$/.test(env.APP_ID))
    throw new ConfigurationError(`APP_ID must be the numeric App ID, not "${env.APP_ID}".`);
}

export type InstanceRole = 'web' | 'worker' | 'all';

/**
 * SHIPREADY_ROLE: `all` (default) takes deliveries and evaluates them; with REDIS_URL, `web` instances only verify
 * and enqueue, `worker` instances only evaluate. Without Redis there is nothing to share jobs through.
 */
export function roleFromEnv(env: NodeJS.ProcessEnv): InstanceRole {
  const role = (env.SHIPREADY_ROLE ?? '').trim().toLowerCase() || 'all';
  if (role !== 'web' && role !== 'worker' && role !== 'all')
    throw new ConfigurationError(`SHIPREADY_ROLE must be web, worker or all, not "${env.SHIPREADY_ROLE}".`);
  if (role !== 'all' && !env.REDIS_URL)
    throw new ConfigurationError(
      `SHIPREADY_ROLE=${role} needs REDIS_URL: without Redis one process takes the deliveries and evaluates them (SHIPREADY_ROLE=all).`,
    );
  return role;
}

/** A web instance's view of the shared queue: it enqueues, and never takes a job. */
export class EnqueueOnlyQueue implements JobQueue {
  constructor(readonly inner: JobQueue) {}
  get kind() {
    return this.inner.kind;
  }
  get accepting() {
    return this.inner.accepting;
  }
  get problem() {
    return this.inner.problem;
  }
  get stats() {
    return this.inner.stats;
  }
  enqueue(job: Parameters<JobQueue['enqueue']>[0]) {
    return this.inner.enqueue(job);
  }
  process(): void {}
  onIdle() {
    return this.inner.onIdle();
  }
  drain(timeoutMs: number) {
    return this.inner.drain(timeoutMs);
  }
  close() {
    return this.inner.close();
  }
}

/** Builds the Probot App, the queue, the metrics and the HTTP server, and starts listening. */
export async function startServer(options: ServerOptions = {}): Promise<ShipreadyServer> {
  const env = options.env ?? process.env;
  checkEnvironment(env);
  const log = options.logger ?? createLogger(env);
  const metrics = createMetrics();
  const settings = appSettingsFromEnv(env);
  const role = roleFromEnv(env);
  const queue = options.queue ?? createJobQueue(env, log.child({ component: 'queue' }));
  // Several instances on one Redis: the sticky comment and the issues are written under a lock they all see.
  if (queue instanceof RedisJobQueue)
    useSharedLocks(new RedisLocks(queue.client, { prefix: env.SHIPREADY_REDIS_PREFIX || 'shipready' }));
  const webhookPath = env.WEBHOOK_PATH || DEFAULT_WEBHOOK_PATH;

  // Every installation client Probot makes reports its responses to the metrics; with REDIS_URL its requests are
  // throttled through Redis on a connection of ours (throttling.ts), so Probot is not given REDIS_URL: its own
  // throttling would open a client through npx-import-light and never close it.
  const throttle = settings.redisUrl
    ? createSharedThrottle({ redisUrl: settings.redisUrl, log: log.child({ component: 'throttle' }) })
    : undefined;
  const Octokit = shipreadyOctokit({ metrics, ...(throttle ? { throttle } : {}) });
  const probot = createProbot({
    env: { ...env, WEBHOOK_PATH: webhookPath },
    overrides: { log, Octokit, redisConfig: undefined },
  });

  let loaded = false;
  let shuttingDown = false;
  const readiness = (): Readiness => readinessOf({ queue, loaded, shuttingDown });

  // Selection, parsing and checks run in worker threads: this thread keeps answering webhooks while they run.
  const poolSettings = poolSettingsFromEnv(env);
  const pool =
    options.appDeps?.evaluate || poolSettings.workers === 0 || role === 'web'
      ? undefined
      : new EvaluationPool({ size: poolSettings.workers, timeoutMs: poolSettings.timeoutMs, ...options.pool });
  // With evaluations in the pool, the one big parse left on this thread would be a tree listing (10 MB of JSON for
  // 100,000 files): a thread of its own parses listings, when its compiled script is there (not under ts-jest).
  const treeParserUrl = pool ? treeParserWorkerUrl() : undefined;
  const treeParser = treeParserUrl ? new TreeParserThread(treeParserUrl) : undefined;
  const app = createApp({
    ...(pool ? { evaluate: pool.evaluate } : {}),
    ...(treeParser ? { treeParser } : {}),
    ...options.appDeps,
    // A web instance stores jobs for the workers and never runs one.
    queue: role === 'web' ? new EnqueueOnlyQueue(queue) : queue,
    logger: log,
    env,
    metrics,
  });
  await probot.load(app);
  const webhooks = await probot.getNodeMiddleware({ path: webhookPath, log });
  loaded = true;

  const ops = createOpsHandler({ metrics, readiness });
  const maxWebhookBodyBytes = positiveInt(env.SHIPREADY_MAX_WEBHOOK_BODY_BYTES, MAX_WEBHOOK_BODY_BYTES);
  const http = createServer(async (req, res) => {
    try {
      if (await ops(req, res)) return;
      if (req.method === 'POST' && (req.url ?? '').split('?')[0] === webhookPath) {
        const body = await readCappedBody(req, maxWebhookBodyBytes);
        if (body === null) {
          metrics.errors.inc({ kind: 'webhook-too-large' });
          log.warn({ url: req.url, contentLength: req.headers['content-length'] }, 'webhook body too large: refused');
          refuseOversizedBody(req, res, maxWebhookBodyBytes);
          return;
        }
        // Octokit's middleware takes a string body as the payload instead of reading the stream again.
        (req as IncomingMessage & { body?: string }).body = body;
      }
      if (role === 'worker' && req.method === 'POST' && (req.url ?? '').split('?')[0] === webhookPath) {
        sendJson(
          res,
          404,
          { error: 'this instance is a worker (SHIPREADY_ROLE=worker): send deliveries to a web instance' },
          req.method,
        );
        return;
      }
      if (await webhooks(req, res)) {
        // 4xx here: a bad signature, missing headers or a wrong content type. Counted, never a crash.
        if (res.statusCode >= 400) metrics.errors.inc({ kind: 'webhook-rejected' });
        return;
      }
      if (req.method === 'GET' && (req.url === '/' || req.url === '')) {
        sendJson(
          res,
          200,
          {
            name: 'shipready',
            version: TOOL_VERSION,
            webhooks: webhookPath,
            health: '/health',
            ready: '/ready',
            metrics: '/metrics',
          },
          req.method,
        );
        return;
      }
      sendJson(res, 404, { error: `no route for ${req.method} ${(req.url ?? '').split('?')[0]}` }, req.method);
    } catch (error) {
      metrics.errors.inc({ kind: 'http' });
      log.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    }
  });
  // Slow clients must not hold sockets forever; GitHub delivers in well under this.
  http.requestTimeout = 30_000;
  http.headersTimeout = 15_000;

  const port = options.port ?? positiveIntOrZero(env.PORT, 3000);
  const host = options.host ?? env.HOST ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigurationError(`port ${port} is already in use: set PORT to another one`)
          : error,
      );
    };
    http.once('error', onError);
    http.listen(port, host, () => {
      http.off('error', onError);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const printableHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${printableHost === '0.0.0.0' || printableHost === '[::]' ? 'localhost' : printableHost}:${address.port}`;
  log.info(
    { url, webhookPath, role, queue: queue.kind, queueConcurrency: settings.queue.concurrency },
    `shipready ${TOOL_VERSION} listening on ${url}`,
  );
  const stopProxy = env.WEBHOOK_PROXY_URL
    ? await startWebhookProxy(env.WEBHOOK_PROXY_URL, `${url}${webhookPath}`, log)
    : undefined;

  let closing: Promise<{ drained: boolean }> | undefined;
  const shutdownTimeoutMs =
    options.shutdownTimeoutMs ?? positiveInt(env.SHIPREADY_SHUTDOWN_TIMEOUT_MS, DEFAULT_SHUTDOWN_TIMEOUT_MS);
  const close = (reason = 'shutdown') => {
    closing ??= (async () => {
      shuttingDown = true;
      log.info({ reason, queue: queue.stats }, 'shutting down: no new work; waiting for running evaluations');
      stopProxy?.();
      // Stop accepting connections first, so that a load balancer sends deliveries to another instance.
      const serverClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      const drained = await queue.drain(shutdownTimeoutMs);
      if (drained) log.info('shutdown: every evaluation finished');
      else {
        log.warn(
          { queue: queue.stats, timeoutMs: shutdownTimeoutMs },
          'shutdown: evaluations still running after the timeout; their Check Runs stay in progress until the next push or a "Re-run" evaluates them again',
        );
      }
      http.closeAllConnections();
      await app.stop();
      await pool?.close();
      await treeParser?.close();
      await queue.close();
      await throttle?.close();
      await serverClosed;
      return { drained };
    })();
    return closing;
  };

  return { http, url, port: address.port, probot, queue, role, metrics, app, pool, throttle, readiness, close };
}

function positiveIntOrZero(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(parsed) && parsed >= 0 ? parsed : fallback;
}

/**
 * Development only: forwards deliveries from a smee.io channel to the local server when `smee-client` is
 * installed (`npm install --no-save smee-client`); otherwise says how to run it beside the App.
 */
async function startWebhookProxy(source: string, target: string, log: Logger): Promise<(() => void) | undefined> {
  const moduleName = 'smee-client';
  try {
    const { default: SmeeClient } = (await import(moduleName)) as {
      default: new (options: { source: string; target: string; logger: unknown }) => { start(): { close(): void } };
    };
    const events = new SmeeClient({ source, target, logger: log }).start();
    log.info({ source, target }, 'forwarding webhook deliveries from the proxy');
    return () => events.close();
  } catch {
    log.warn(
      `WEBHOOK_PROXY_URL is set but smee-client is not installed: run \`npx smee-client --url ${source} --target ${target}\` in another terminal.`,
    );
    return undefined;
  }
}

/** The process entry: start, and shut down cleanly on SIGTERM/SIGINT (a second signal exits at once). */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = createLogger(env);
  let server: ShipreadyServer;
  try {
    server = await startServer({ env, logger: log });
  } catch (error) {
    log.fatal({ err: error }, error instanceof ConfigurationError ? error.message : 'shipready could not start');
    process.exitCode = 1;
    return;
  }
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    void server.close(signal).then(({ drained }) => {
      log.info({ drained }, 'stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('unhandledRejection', (reason) => {
    server.metrics.errors.inc({ kind: 'unhandled' });
    log.error({ err: reason }, 'unhandled promise rejection (kept running)');
  });
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) void main();
