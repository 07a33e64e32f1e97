import { describe, expect, it } from '@jest/globals';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { startServer } from '../../src/app/server.js';
import type { AnyCheckDefinition } from '../../src/engine/types.js';
import { startSimulator } from '../simulator/index.js';

// The App with its evaluation pool, against the GitHub simulator: while one repository's evaluation keeps a
// worker busy, deliveries for others are acknowledged at once, and the slow Check Run still completes.
const workerUrl = new URL('../helpers/ts-worker.mjs', import.meta.url);
const checksModule = new URL('../helpers/pool-checks.mjs', import.meta.url).href;
const { allChecks: poolChecks } = (await import(checksModule)) as { allChecks: AnyCheckDefinition[] };
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const SECRET = ['pool', 'webhook', 'secret'].join('-');

async function deliver(url: string, event: string, payload: unknown): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const response = await fetch(`${url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': `delivery-${Math.random()}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

describe('the App with its evaluation pool', () => {
  it('acknowledges other deliveries fast while a slow evaluation runs, and completes the slow Check Run', async () => {
    const sim = await startSimulator({
      repos: [{ owner: 'acme', name: 'slow', files: { 'README.md': '# slow\n', SLOW: '3000' } }],
    });
    const server = await startServer({
      env: {
        APP_ID: '1',
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: new URL(sim.url).host,
        GHE_PROTOCOL: 'http',
        SHIPREADY_EVALUATION_WORKERS: '1',
      },
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
      pool: { workerUrl, checksModule },
      appDeps: { checks: poolChecks },
    });
    try {
      // Workers load first, so the timing below is of the evaluation, not of a worker's start.
      server.pool!.warm();
      const push = JSON.parse(readFileSync(new URL('../fixtures/webhooks/push.json', import.meta.url), 'utf8'));
      const sha = sim.head('acme/slow');
      push.ref = 'refs/heads/main';
      push.after = sha;
      push.repository = {
        ...push.repository,
        name: 'slow',
        full_name: 'acme/slow',
        default_branch: 'main',
        owner: { ...push.repository.owner, login: 'acme', name: 'acme' },
      };
      expect((await deliver(server.url, 'push', push)).status).toBe(200);
      // Wait until the worker is inside the slow check.
      const deadline = Date.now() + 60_000;
      while (!(server.pool!.stats.busy > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const acks = [];
      for (let index = 0; index < 5; index += 1) {
        acks.push(await deliver(server.url, 'ping', { zen: 'Keep it logically awesome.', hook_id: index }));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(server.pool!.stats.busy).toBe(1);
      expect(acks.map((ack) => ack.status)).toEqual([200, 200, 200, 200, 200]);
      // In-process, each of these would wait for the 3 s check.
      expect(Math.max(...acks.map((ack) => ack.ms))).toBeLessThan(1000);
      while (!sim.repo('acme/slow').checkRuns.some((run) => run.status === 'completed') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const run = sim.repo('acme/slow').checkRuns.find((candidate) => candidate.status === 'completed');
      expect(run).toBeDefined();
      expect(run!.conclusion).toBe('success');
      // The slow check really ran (in the worker) while the pings above were answered.
      expect(Date.parse(run!.completed_at!) - Date.parse(run!.started_at!)).toBeGreaterThanOrEqual(3000);
    } finally {
      await server.close('test over');
      await sim.close();
    }
  }, 120_000);
});
