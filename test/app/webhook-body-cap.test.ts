import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { request } from 'node:http';
import { pino } from 'pino';
import { MAX_WEBHOOK_BODY_BYTES, startServer, type ShipreadyServer } from '../../src/app/server.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const SECRET = ['test', 'webhook', 'secret'].join('-');
const ENV = { APP_ID: '12345', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, SHIPREADY_QUEUE_CONCURRENCY: '1' };
const MB = 1024 * 1024;

/**
 * POSTs `totalBytes` to the webhook route from a generator of 64 KB chunks (never allocated whole), with a declared
 * Content-Length or chunked. Resolves with the status the server answered (or 'reset' when it only closed).
 */
function streamBody(server: ShipreadyServer, totalBytes: number, declareLength: boolean): Promise<number | 'reset'> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: number | 'reset') => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    const req = request(`${server.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': `oversized-${Math.random()}`,
        'x-hub-signature-256': 'sha256=00',
        ...(declareLength ? { 'content-length': String(totalBytes) } : {}),
      },
    });
    req.on('response', (res) => {
      res.resume();
      settle(res.statusCode ?? 0);
      req.destroy();
    });
    // The server closes the connection once it has answered: writes still in flight then fail with EPIPE or
    // ECONNRESET, on the request or on its socket. That is the refusal working, not an error of the test.
    req.on('error', () => settle('reset'));
    req.on('socket', (socket) => socket.on('error', () => settle('reset')));
    let sent = 0;
    const pump = () => {
      while (sent < totalBytes && !settled) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!settled) req.end();
    };
    pump();
  });
}

describe('webhook body cap', () => {
  let server: ShipreadyServer;

  beforeAll(async () => {
    server = await startServer({ env: ENV, port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }) });
  });

  afterAll(async () => {
    await server.close('test over');
  });

  it("is GitHub's documented maximum payload, 25 MB", () => {
    expect(MAX_WEBHOOK_BODY_BYTES).toBe(25 * MB);
  });

  it('refuses a declared Content-Length above the cap with 413, before reading it', async () => {
    expect(await streamBody(server, 100 * MB, true)).toBe(413);
  });

  it('refuses a chunked body once it grows past the cap', async () => {
    expect(await streamBody(server, 100 * MB, false)).toBe(413);
  });

  it('still verifies bodies under the cap (a bad signature is a 400, not a 413)', async () => {
    const body = JSON.stringify({ zen: 'x'.repeat(MB) });
    const response = await fetch(`${server.url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'small-bad-signature',
        'x-hub-signature-256': `sha256=${createHmac('sha256', 'wrong').update(body).digest('hex')}`,
      },
      body,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.status).not.toBe(413);
  });

  it('keeps RSS within 100 MB of its start over 20 oversized (100 MB) bodies', async () => {
    global.gc?.();
    const start = process.memoryUsage().rss;
    let peak = start;
    const statuses: Array<number | 'reset'> = [];
    for (let index = 0; index < 20; index += 1) {
      // Half declare their length, half stream chunked: both paths must stay flat.
      statuses.push(await streamBody(server, 100 * MB, index % 2 === 0));
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(statuses.every((status) => status === 413)).toBe(true);
    expect(peak - start).toBeLessThan(100 * MB);
  }, 60_000);
});
