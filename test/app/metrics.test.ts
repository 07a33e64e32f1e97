/**
 * The per-instance metrics of the queue and the periodic jobs, scraped from `/metrics` of the real server running
 * against the simulator: job wait time and evaluation duration after a delivery, the sweeper's and the
 * redelivery's actions after their timers fire; and `/ready` false, with the reason, when Redis is unreachable.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { ShipreadyServer } from '../../src/app/server.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { startServerOn } from '../helpers/in-process-app.js';
import { deliver, pushPayload, REPO } from '../helpers/webhooks.js';
import { startRedisServer, type RedisServer } from './queue-redis-server.js';

const SECRET = 'metrics-secret';

let sim: Simulator | undefined;
let server: ShipreadyServer | undefined;
afterEach(async () => {
  await server?.close('test over');
  await sim?.close();
  server = undefined;
  sim = undefined;
});

async function start(env: Record<string, string> = {}) {
  sim = await startSimulator({ repos: [{ owner: 'acme', name: 'api', files: { 'README.md': '# api\n' } }] });
  server = await startServerOn(sim, { secret: SECRET, env });
  return { sim, server };
}

async function scrape(server: ShipreadyServer): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text();
}

/** The value of one sample (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('metrics per instance', () => {
  it('a delivery: job wait and evaluation duration observed; queue depth, retries and stalled jobs exported', async () => {
    const { sim, server } = await start();
    const response = await deliver(server.url, {
      event: 'push',
      payload: pushPayload(sim.head(REPO)),
      id: 'metrics-1',
      secret: SECRET,
    });
    expect(response.status).toBe(200);
    await server.queue.onIdle();
    const text = await until('the evaluation in the metrics', async () => {
      const scraped = await scrape(server);
      return sample(scraped, 'shipready_job_wait_seconds_count') === 1 ? scraped : undefined;
    });
    expect(sample(text, 'shipready_evaluation_duration_seconds_count{status="completed"}')).toBe(1);
    expect(sample(text, 'shipready_queue_depth{state="waiting"}')).toBe(0);
    expect(sample(text, 'shipready_queue_retried')).toBe(0);
    expect(sample(text, 'shipready_queue_stalled')).toBe(0);
    expect(sample(text, 'shipready_webhook_redeliveries_total')).toBe(0);
  }, 60_000);

  it('the sweeper and the redelivery, on their timers, count what they did', async () => {
    const { sim, server } = await start({
      SHIPREADY_SWEEPER_INTERVAL_MS: '200',
      SHIPREADY_SWEEPER_STALE_MS: '1',
      SHIPREADY_SWEEPER_REQUEUES: '0',
      SHIPREADY_REDELIVERY_INTERVAL_MS: '200',
    });
    const sha = sim.head(REPO);
    // A run left in progress by an instance that stopped, as the flow would have remembered it.
    const run = await fetch(`${sim.url}/repos/${REPO}/check-runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'token t' },
      body: JSON.stringify({ name: 'Production readiness', head_sha: sha, status: 'in_progress' }),
    }).then((answer) => answer.json() as Promise<{ id: number }>);
    await server.app.background.runs.started({
      checkRunId: run.id,
      installationId: 1,
      owner: 'acme',
      repo: 'api',
      headSha: sha,
      startedAt: Date.now() - 60_000,
      request: { owner: 'acme', repo: 'api', installationId: 1, headSha: sha, reason: 'push' },
    });
    sim.recordDelivery({ event: 'push', statusCode: 503 });
    const text = await until('the periodic jobs in the metrics', async () => {
      const scraped = await scrape(server);
      return sample(scraped, 'shipready_sweeper_actions_total{action="completed"}') === 1 &&
        sample(scraped, 'shipready_webhook_redeliveries_total') === 1
        ? scraped
        : undefined;
    });
    expect(text).toContain('shipready_sweeper_actions_total');
    expect(sim.repo(REPO).checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(sim.redelivered).toHaveLength(1);
  }, 60_000);
});

describe('/ready', () => {
  it('is false, with the reason, while Redis is unreachable, and true again once it is back', async () => {
    const redis = await startRedisServer();
    let again: RedisServer | undefined;
    try {
      const { server } = await start({ REDIS_URL: redis.url, SHIPREADY_REDIS_PREFIX: 'ready-test' });
      const status = async () => {
        const response = await fetch(`${server.url}/ready`);
        return { code: response.status, ...((await response.json()) as { status: string; reasons: string[] }) };
      };
      await until('/ready to answer 200', async () => ((await status()).code === 200 ? true : undefined));
      await redis.stop();
      const down = await until('/ready to answer 503', async () => {
        const answer = await status();
        return answer.code === 503 ? answer : undefined;
      });
      expect(down.status).toBe('not-ready');
      expect(down.reasons.join(' ')).toMatch(/Redis is unreachable/);
      // The same port again: the instance reconnects and is ready (and can shut down cleanly).
      again = await startRedisServer({ port: redis.port });
      await until('/ready to answer 200 again', async () => ((await status()).code === 200 ? true : undefined));
    } finally {
      await server?.close('test over');
      server = undefined;
      await again?.stop();
    }
  }, 60_000);

  it('shuts down while Redis is unreachable (the connections are dropped, not waited for)', async () => {
    const redis = await startRedisServer();
    const { server: running } = await start({ REDIS_URL: redis.url, SHIPREADY_REDIS_PREFIX: 'down-test' });
    server = undefined; // closed here, not by afterEach
    await until('/ready to answer 200', async () =>
      (await fetch(`${running.url}/ready`)).status === 200 ? true : undefined,
    );
    await redis.stop();
    const started = Date.now();
    await running.close('test over');
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
