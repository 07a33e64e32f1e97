#!/usr/bin/env node
/* global fetch, setTimeout -- Node 20 globals */
/**
 * Where webhook acknowledgement time goes with Redis (issue 10): one server in this process (`startServer`, no
 * evaluation: the queue takes no jobs), 600 signed `pull_request.synchronize` deliveries at 200/s on 20 PRs, three
 * ways: the in-process queue; the BullMQ queue (REDIS_URL given to the queue only); BullMQ plus Probot's
 * Redis-clustered throttling (REDIS_URL in Probot's environment too, as `npm start` does).
 *
 *   npm run build && REDIS_URL=redis://127.0.0.1:6379 node bench/queue-ack-split.mjs
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startServer } = await import(pathToFileURL(join(root, 'dist/src/app/server.js')).href);
const { RedisJobQueue, MemoryJobQueue } = await import(pathToFileURL(join(root, 'dist/src/app/queue.js')).href);
const { pino } = await import('pino');
const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) throw new Error('set REDIS_URL to a redis-server this script may write to');
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const template = JSON.parse(readFileSync(join(root, 'test/fixtures/webhooks/pull_request.opened.json'), 'utf8'));

for (const mode of ['in-process queue', 'BullMQ queue', 'BullMQ queue + Probot throttling on Redis']) {
  const env = { APP_ID: '1', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: 's', SHIPREADY_EVALUATION_WORKERS: '0' };
  if (mode.includes('Probot')) env.REDIS_URL = REDIS_URL;
  const queue = mode.startsWith('in-process')
    ? new MemoryJobQueue({})
    : new RedisJobQueue({ url: REDIS_URL, prefix: `bench-split-${Date.now()}` });
  queue.process = () => {};
  const server = await startServer({ env, port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }), queue });
  const times = [];
  const pending = [];
  const start = performance.now();
  for (let index = 0; index < 600; index += 1) {
    const wait = start + index * 5 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const payload = {
      ...template,
      action: 'synchronize',
      pull_request: {
        ...template.pull_request,
        number: index % 20,
        updated_at: new Date(1e12 + index * 1000).toISOString(),
      },
    };
    const body = JSON.stringify(payload);
    const sent = performance.now();
    pending.push(
      fetch(`${server.url}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': `split-${Date.now()}-${index}`,
          'x-hub-signature-256': `sha256=${createHmac('sha256', 's').update(body).digest('hex')}`,
        },
        body,
      }).then(async (response) => {
        await response.text();
        times.push(performance.now() - sent);
      }),
    );
  }
  await Promise.all(pending);
  times.sort((a, b) => a - b);
  console.log(`| ${mode} | ${times[299].toFixed(1)} ms | ${times[593].toFixed(1)} ms |`);
  await server.close();
}
process.exit(0);
