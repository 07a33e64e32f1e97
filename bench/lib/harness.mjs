/* global fetch, setTimeout, AbortSignal -- Node 20 globals */
/**
 * What the App benchmarks share: the simulator compiled and run in a process of its own, answering the benchmark
 * over IPC; App instances started as `npm start` runs them; a real redis-server on a free port; signed webhook
 * deliveries; quantiles.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEBHOOK_SECRET = 'bench-webhook-secret';
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The simulator (test/simulator) compiled to bench/out; the path of its entry module. */
export function compileSimulator() {
  const out = join(root, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const tsconfig = join(out, 'tsconfig.simulator.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: false, outDir: './simulator-build', rootDir: '../..', sourceMap: false },
      files: ['../../test/simulator/index.ts'],
      include: [],
    }),
  );
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    process.stderr.write(`tsc reported problems (output still used):\n${String(error.stdout ?? '').slice(0, 2000)}\n`);
  }
  return join(out, 'simulator-build', 'test', 'simulator', 'index.js');
}

/**
 * Forks `script --simulator SIMULATOR_MODULE` (the benchmark's own file, which serves the simulator in that branch)
 * and waits for its first message, `{ type: 'ready', url, … }`. `ask(message)` sends a request and resolves with the
 * reply carrying the same id.
 */
export async function forkSimulator(script) {
  const child = fork(fileURLToPath(script), ['--simulator', compileSimulator()], { stdio: 'inherit' });
  const ready = await new Promise((resolve) => child.once('message', resolve));
  let nextId = 0;
  const ask = (message) =>
    new Promise((resolve) => {
      const id = (nextId += 1);
      const listener = (reply) => {
        if (reply.id !== id) return;
        child.off('message', listener);
        resolve(reply);
      };
      child.on('message', listener);
      child.send({ ...message, id });
    });
  return { ready, ask, kill: () => child.kill() };
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const pong = (port) =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });

/** A redis-server of Debian's package on a free port, in a temporary directory, without persistence. */
export async function startRedis() {
  const binary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(existsSync) ?? 'redis-server';
  const dir = mkdtempSync(join(tmpdir(), 'shipready-bench-redis-'));
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''], {
    stdio: 'ignore',
  });
  while (!(await pong(port))) await sleep(50);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An RSA key for the App, made once per benchmark run. */
export function appPrivateKey() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

/**
 * One App instance as `npm start` runs it (`node dist/src/app/server.js`) against the simulator at `simulatorUrl`,
 * on a free port, ready once `readyPath` answers 2xx. `stop()` sends SIGTERM and waits for the exit.
 */
export async function startApp({ simulatorUrl, privateKey, env = {}, nodeArgs = [], readyPath = '/ready' }) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist', 'src', 'app', 'server.js')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET,
      GHE_HOST: new URL(simulatorUrl).host,
      GHE_PROTOCOL: 'http',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
      ...env,
    },
    stdio: 'inherit',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 300; tries += 1) {
    const up = await fetch(`${url}${readyPath}`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    await sleep(100);
  }
  return {
    url,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

let deliveries = 0;
/** A signed delivery; its time to a complete response. GitHub gives up on a delivery after 10 s, so does this. */
export async function deliver(url, event, payload) {
  const body = JSON.stringify(payload);
  const started = performance.now();
  deliveries += 1;
  try {
    const response = await fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': `bench-${process.pid}-${deliveries}`,
        'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return { ok: response.status < 300, ms: performance.now() - started };
  } catch {
    return { ok: false, ms: performance.now() - started };
  }
}

export function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export const formatMs = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');
