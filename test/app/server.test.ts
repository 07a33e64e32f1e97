import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { MemoryJobQueue, type EvaluationJob, type JobProcessor } from '../../src/app/queue.js';
import { checkEnvironment, ConfigurationError, startServer, type ShipreadyServer } from '../../src/app/server.js';

// A throwaway key made at test time: no key material is committed.
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const SECRET = ['test', 'webhook', 'secret'].join('-');
const ENV = { APP_ID: '12345', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, SHIPREADY_QUEUE_CONCURRENCY: '2' };
const silent = pino({ level: 'silent' });

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function deliver(server: ShipreadyServer, event: string, payload: unknown, secret = SECRET): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${server.url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': `delivery-${Math.random()}`,
      'x-hub-signature-256': sign(body, secret),
    },
    body,
  });
}

describe('server', () => {
  let server: ShipreadyServer;

  beforeAll(async () => {
    server = await startServer({ env: ENV, port: 0, host: '127.0.0.1', logger: silent });
  });

  afterAll(async () => {
    await server.close('test over');
  });

  it('listens on a free port', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('answers /health (liveness)', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as { status: string; version: string };
    expect(body.status).toBe('ok');
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers /ready when the App is loaded and the queue takes work', async () => {
    const response = await fetch(`${server.url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', reasons: [] });
  });

  it('serves Prometheus metrics', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    for (const name of [
      'shipready_webhook_deliveries_total',
      'shipready_evaluation_duration_seconds',
      'shipready_api_requests_per_evaluation',
      'shipready_github_rate_limit_remaining',
      'shipready_errors_total',
      'shipready_queue_depth',
      'shipready_process_cpu_user_seconds_total',
    ]) {
      expect(text).toContain(`# HELP ${name}`);
    }
    expect(text).toContain('shipready_queue_depth{state="waiting"} 0');
  });

  it('receives a signed delivery and counts it by event', async () => {
    const response = await deliver(server, 'ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    expect(response.status).toBe(200);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('shipready_webhook_deliveries_total{event="ping"} 1');
  });

  it('rejects a delivery with a bad signature, and counts it', async () => {
    const response = await deliver(server, 'ping', { zen: 'x', hook_id: 1 }, 'wrong-secret');
    expect(response.status).toBe(400);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('shipready_errors_total{kind="webhook-rejected"} 1');
    expect(text).toContain('shipready_webhook_deliveries_total{event="ping"} 1');
  });

  it('answers 405 for other methods on the operational routes and 404 elsewhere', async () => {
    expect((await fetch(`${server.url}/health`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/health`, { method: 'HEAD' })).status).toBe(200);
  });

  it('records finished evaluations', async () => {
    server.metrics.evaluationDuration.observe({ status: 'completed' }, 1.5);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/shipready_evaluation_duration_seconds_count\{status="completed"\} 1/);
  });
});

/** A memory queue that runs `work` instead of the App's evaluation (which would call GitHub). */
function withProcessor(work: JobProcessor): MemoryJobQueue {
  return new (class extends MemoryJobQueue {
    override process(): void {
      super.process(work);
    }
  })({ logger: silent });
}

const job = (key: string): EvaluationJob => ({
  key,
  label: key,
  request: { owner: 'octo', repo: 'app', reason: 'test' },
});

describe('graceful shutdown', () => {
  it('stops taking work, finishes what runs, and reports not ready meanwhile', async () => {
    let finished = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = await startServer({
      env: ENV,
      port: 0,
      host: '127.0.0.1',
      logger: silent,
      shutdownTimeoutMs: 5_000,
      queue: withProcessor(async () => {
        await gate;
        finished = true;
      }),
    });
    expect(await server.queue.enqueue(job('octo/app#1'))).toBe('queued');
    const closing = server.close('SIGTERM');
    expect(server.readiness()).toEqual({ ready: false, reasons: ['shutting down: not taking new work'] });
    expect(await server.queue.enqueue(job('octo/app#2'))).toBe('rejected');
    release();
    expect(await closing).toEqual({ drained: true });
    expect(finished).toBe(true);
    expect(server.http.listening).toBe(false);
    // A second close is the same shutdown.
    expect(await server.close()).toEqual({ drained: true });
  });

  it('gives up waiting after the timeout', async () => {
    const server = await startServer({
      env: ENV,
      port: 0,
      host: '127.0.0.1',
      logger: silent,
      shutdownTimeoutMs: 50,
      queue: withProcessor(() => new Promise<void>(() => {})),
    });
    await server.queue.enqueue(job('octo/app#3'));
    expect(await server.close()).toEqual({ drained: false });
    expect(server.http.listening).toBe(false);
  });
});

describe('checkEnvironment', () => {
  it('names every missing variable at once', () => {
    expect(() => checkEnvironment({})).toThrow(ConfigurationError);
    expect(() => checkEnvironment({})).toThrow(/APP_ID .*; PRIVATE_KEY or PRIVATE_KEY_PATH .*; WEBHOOK_SECRET/);
    expect(() => checkEnvironment({ ...ENV, APP_ID: 'my-app' })).toThrow(/numeric App ID/);
    expect(() =>
      checkEnvironment({ APP_ID: '1', PRIVATE_KEY_PATH: '/nonexistent/key.pem', WEBHOOK_SECRET: 'x' }),
    ).toThrow(/does not exist/);
    expect(() => checkEnvironment({ ...ENV, PRIVATE_KEY: 'not a key' })).toThrow(/not a PEM private key/);
    expect(() => checkEnvironment({ ...ENV, PRIVATE_KEY: Buffer.from(privateKey).toString('base64') })).not.toThrow();
    expect(() => checkEnvironment(ENV)).not.toThrow();
  });

  it('refuses to start without them', async () => {
    await expect(startServer({ env: {}, port: 0, logger: silent })).rejects.toThrow(/cannot start/);
  });
});

describe('metrics', () => {
  it('reads rate limits and statuses from every API response, and rethrows errors', async () => {
    const { Octokit } = await import('@octokit/rest');
    const { createMetrics, metricsPlugin } = await import('../../src/app/metrics.js');
    const metrics = createMetrics({ defaultMetrics: false });
    const Instrumented = Octokit.plugin(metricsPlugin(metrics) as never);
    const responses = [
      new Response('{}', {
        status: 200,
        headers: {
          'content-type': 'application/json',
          'x-ratelimit-remaining': '4321',
          'x-ratelimit-resource': 'core',
        },
      }),
      new Response('{"message":"Not Found"}', {
        status: 404,
        headers: {
          'content-type': 'application/json',
          'x-ratelimit-remaining': '4320',
          'x-ratelimit-resource': 'core',
        },
      }),
    ];
    const octokit = new Instrumented({ request: { fetch: async () => responses.shift()! } });
    await octokit.request('GET /rate_limit');
    await expect(octokit.request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' })).rejects.toMatchObject({
      status: 404,
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('shipready_github_rate_limit_remaining{installation="app",resource="core"} 4320');
    expect(text).toContain('shipready_github_api_requests_total{status="200"} 1');
    expect(text).toContain('shipready_github_api_requests_total{status="404"} 1');
  });

  it('records an evaluation outcome: duration, API requests, and failures as errors', async () => {
    const { createMetrics, observeEvaluation } = await import('../../src/app/metrics.js');
    const metrics = createMetrics({ defaultMetrics: false });
    observeEvaluation(metrics, {
      status: 'completed',
      conclusion: 'success',
      durationMs: 2500,
      requests: { rest: 3, graphql: 1 },
    });
    observeEvaluation(metrics, { status: 'failed', durationMs: 100 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('shipready_evaluations_total{status="completed",conclusion="success"} 1');
    expect(text).toContain('shipready_api_requests_per_evaluation_sum{api="rest"} 3');
    expect(text).toContain('shipready_api_requests_per_evaluation_sum{api="graphql"} 1');
    expect(text).toContain('shipready_errors_total{kind="evaluation"} 1');
    expect(text).toContain('shipready_evaluation_duration_seconds_sum{status="completed"} 2.5');
  });
});

describe('rate limits', () => {
  it('fails fast, instead of waiting up to an hour, when an installation is out of quota', async () => {
    const { startSimulator } = await import('../simulator/index.js');
    const sim = await startSimulator({ repos: [{ owner: 'acme', name: 'api', files: { 'README.md': '# api\n' } }] });
    const server = await startServer({
      env: { ...ENV, GHE_HOST: new URL(sim.url).host, GHE_PROTOCOL: 'http' },
      port: 0,
      host: '127.0.0.1',
      logger: silent,
    });
    try {
      const octokit = await server.probot.auth(1);
      sim.exhaustQuota(new Date(Date.now() + 3600_000));
      const started = Date.now();
      const failure = await octokit
        .request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'api' })
        .catch((error: unknown) => error);
      expect((failure as { status?: number }).status).toBe(403);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await server.close('test over');
      await sim.close();
    }
  });
});
