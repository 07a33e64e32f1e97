import type { IncomingMessage, ServerResponse } from 'node:http';
import { TOOL_VERSION } from '../version.js';
import type { ShipreadyMetrics } from './metrics.js';
import type { JobQueue } from './queue.js';

/**
 * The operational routes, the same under `npm start` (server.ts, before Probot sees the request) and under
 * `probot run` (the app function adds them with Probot's `addHandler`):
 *
 *   GET /health   liveness: the process answers (200 while it runs, also while draining)
 *   GET /ready    readiness: the App is loaded and the queue takes work (503 with the reasons otherwise)
 *   GET /metrics  Prometheus text format
 */

export interface Readiness {
  ready: boolean;
  reasons: string[];
}

/** Whether this instance should get work, and every reason it should not (Redis unreachable, shutting down…). */
export function readinessOf(input: {
  queue: Pick<JobQueue, 'problem' | 'accepting'>;
  loaded: boolean;
  shuttingDown: boolean;
}): Readiness {
  const reasons: string[] = [];
  if (!input.loaded) reasons.push('the App is still loading');
  if (input.shuttingDown) reasons.push('shutting down: not taking new work');
  else if (input.queue.problem) reasons.push(input.queue.problem);
  else if (!input.queue.accepting) reasons.push('the queue does not accept work');
  return { ready: reasons.length === 0, reasons };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, method: string | undefined): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(method === 'HEAD' ? undefined : text);
}

/** The operational routes; true when the request was one of them. */
export function createOpsHandler(input: { metrics: ShipreadyMetrics; readiness: () => Readiness; startedAt?: number }) {
  const startedAt = input.startedAt ?? Date.now();
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0].replace(/(?<!\/)\/+$/, '') || '/';
    if (path !== '/health' && path !== '/ready' && path !== '/metrics') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    if (path === '/health') {
      sendJson(
        res,
        200,
        { status: 'ok', version: TOOL_VERSION, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) },
        req.method,
      );
      return true;
    }
    if (path === '/ready') {
      const state = input.readiness();
      sendJson(
        res,
        state.ready ? 200 : 503,
        { status: state.ready ? 'ready' : 'not-ready', reasons: state.reasons },
        req.method,
      );
      return true;
    }
    try {
      const text = await input.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': input.metrics.registry.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${(error as Error).message}\n`);
    }
    return true;
  };
}
