import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

/** A real collection between bodies, so RSS shows what is retained, not garbage the collector has not reached yet. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * POSTs `totalBytes` to the webhook route from a generator of 64 KB chunks (never allocated whole), with a declared
 * Content-Length or chunked. Resolves with the status the server answered (or 'reset' when it only closed).
 * HTTP/1.1 is written by hand on a raw socket: nock patches node:http for the whole worker process, and a test file
 * that ran before this one in the same worker can leave its pass-through active, which buffers a body whole.
 */
function streamBody(server: ShipreadyServer, totalBytes: number, declareLength: boolean): Promise<number | 'reset'> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve) => {
    let settled = false;
    let answer = '';
    const socket = connect({ host: hostname, port: Number(port) });
    const settle = (value: number | 'reset') => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(value);
    };
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(answer);
      if (status) settle(Number(status[1]));
    });
    // The server closes the connection once it has answered: writes still in flight then fail with EPIPE or
    // ECONNRESET. That is the refusal working, not an error of the test.
    socket.on('error', () => settle('reset'));
    socket.on('close', () => settle('reset'));
    const head = [
      'POST /api/github/webhooks HTTP/1.1',
      `host: ${hostname}:${port}`,
      'content-type: application/json',
      'x-github-event: push',
      `x-github-delivery: oversized-${Math.random()}`,
      'x-hub-signature-256: sha256=00',
      declareLength ? `content-length: ${totalBytes}` : 'transfer-encoding: chunked',
      '',
      '',
    ].join('\r\n');
    const frame = declareLength
      ? chunk
      : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let sent = 0;
    const pump = () => {
      while (sent < totalBytes && !settled) {
        sent += chunk.length;
        if (!socket.write(frame)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!settled) socket.write(declareLength ? '' : '0\r\n\r\n');
    };
    socket.once('connect', () => {
      socket.write(head);
      pump();
    });
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
    // A 413, or a reset when the server closes with the client's bytes still unread (Node's HTTP server does after a
    // `connection: close` answer; on a loaded machine the client may not have read the 413 yet): refused either way,
    // long before 100 MB were sent.
    const started = Date.now();
    expect([413, 'reset']).toContain(await streamBody(server, 100 * MB, false));
    expect(Date.now() - started).toBeLessThan(20_000);
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
    collectGarbage();
    const start = process.memoryUsage().rss;
    let peak = start;
    const statuses: Array<number | 'reset'> = [];
    for (let index = 0; index < 20; index += 1) {
      // Half declare their length, half stream chunked: both paths must stay flat.
      statuses.push(await streamBody(server, 100 * MB, index % 2 === 0));
      collectGarbage();
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    // Each body is refused: a 413, or — when the server closes with the client's bytes still unread, as Node's HTTP
    // server does after a `connection: close` answer — a reset that discards the 413 before the client reads it.
    expect(statuses.filter((status) => status !== 413 && status !== 'reset')).toEqual([]);
    expect(statuses.filter((status) => status === 413).length).toBeGreaterThan(0);
    expect(peak - start).toBeLessThan(100 * MB);
  }, 180_000);
});
