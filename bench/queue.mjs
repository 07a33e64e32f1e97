#!/usr/bin/env node
/* global fetch, setTimeout, AbortSignal -- Node 20 globals */
/**
 * The queue, measured in one run (issue 10): the App as `npm start` runs it (`node dist/src/app/server.js`), the
 * GitHub simulator in its own process, a real redis-server started here on a free port.
 *
 *  1. Evaluations per minute with 1 and 2 workers: a web instance takes N `pull_request.opened` deliveries (N PRs,
 *     one job each, nothing coalesces); 1 then 2 worker instances evaluate them; the time from the first delivery to
 *     the last completed Check Run.
 *  2. Webhook ack p50/p99 at 200 deliveries/s, Redis (a web instance, a worker beside it) vs in memory (one process):
 *     signed `pull_request.synchronize` deliveries on 20 PRs (newer heads each time: real enqueues that coalesce),
 *     open loop for BENCH_SECONDS.
 *  3. RSS of the instance taking the deliveries over 1,000 deliveries, sampled every 100.
 * Writes bench/queue-results.md.
 *
 *   npm run build && node bench/queue.mjs       (BENCH_PRS, BENCH_FILES, BENCH_SECONDS to change the sizes)
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateFiles } from './tree.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PRS = Number(process.env.BENCH_PRS ?? 30);
const FILES = Number(process.env.BENCH_FILES ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RATE = 200;
const REPO = 'acme/svc';
const SECRET = 'bench-webhook-secret';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function compileSimulator() {
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

function freePort() {
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

async function startRedis() {
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

function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

let deliveryCounter = 0;
async function deliver(url, event, payload) {
  const body = JSON.stringify(payload);
  const started = performance.now();
  deliveryCounter += 1;
  try {
    const response = await fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': `bench-${deliveryCounter}-${Math.random()}`,
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
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

async function main() {
  const simulatorModule = compileSimulator();
  const sim = fork(fileURLToPath(import.meta.url), ['--simulator', simulatorModule], { stdio: 'inherit' });
  const ready = await new Promise((resolve) => sim.once('message', resolve));
  let nextId = 0;
  const ask = (message) =>
    new Promise((resolve) => {
      const id = (nextId += 1);
      const listener = (reply) => {
        if (reply.id !== id) return;
        sim.off('message', listener);
        resolve(reply);
      };
      sim.on('message', listener);
      sim.send({ ...message, id });
    });
  const redis = await startRedis();
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const template = JSON.parse(readFileSync(join(root, 'test/fixtures/webhooks/pull_request.opened.json'), 'utf8'));
  const repository = {
    ...template.repository,
    name: 'svc',
    full_name: REPO,
    default_branch: 'main',
    owner: { ...template.repository.owner, login: 'acme', name: 'acme' },
  };
  const pullPayload = (action, pull, updatedAt) => ({
    ...template,
    action,
    number: pull.number,
    installation: { id: 1 },
    repository,
    pull_request: {
      ...template.pull_request,
      number: pull.number,
      state: 'open',
      draft: false,
      updated_at: updatedAt,
      head: { ...template.pull_request.head, ref: pull.branch, sha: pull.head, repo: repository },
      base: { ...template.pull_request.base, ref: 'main', sha: pull.base, repo: repository },
    },
  });

  const instances = [];
  async function start(name, env) {
    const port = await freePort();
    const child = spawn(process.execPath, [join(root, 'dist', 'src', 'app', 'server.js')], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        APP_ID: '1',
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: new URL(ready.url).host,
        GHE_PROTOCOL: 'http',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
        SHIPREADY_EVALUATION_WORKERS: '1',
        SHIPREADY_QUEUE_CONCURRENCY: '2',
        ...env,
      },
      stdio: 'inherit',
    });
    const url = `http://127.0.0.1:${port}`;
    for (let tries = 0; tries < 300; tries += 1) {
      const up = await fetch(`${url}/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (up) break;
      await sleep(100);
    }
    const instance = { name, child, url };
    instances.push(instance);
    return instance;
  }
  async function stop(instance) {
    instance.child.kill('SIGTERM');
    await new Promise((resolve) => instance.child.once('exit', resolve));
    instances.splice(instances.indexOf(instance), 1);
  }
  const rssOf = async (instance) => {
    const text = await (await fetch(`${instance.url}/metrics`)).text();
    const match = /^shipready_process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(text);
    return match ? Number(match[1]) / 2 ** 20 : NaN;
  };

  // 1. Evaluations per minute, 1 and 2 workers.
  const throughput = [];
  let round = 0;
  for (const workers of [1, 2]) {
    round += 1;
    const prefix = `bench-throughput-${round}`;
    const shared = { REDIS_URL: redis.url, SHIPREADY_REDIS_PREFIX: prefix };
    const web = await start('web', { ...shared, SHIPREADY_ROLE: 'web' });
    const { pulls } = await ask({ type: 'pulls', count: PRS, round });
    const started = Date.now();
    for (const pull of pulls)
      await deliver(web.url, 'pull_request', pullPayload('opened', pull, '2026-03-01T00:00:00Z'));
    const workerInstances = [];
    for (let index = 0; index < workers; index += 1)
      workerInstances.push(await start(`worker-${index + 1}`, { ...shared, SHIPREADY_ROLE: 'worker' }));
    const heads = new Set(pulls.map((pull) => pull.head));
    let completed = 0;
    for (let tries = 0; tries < 6000; tries += 1) {
      const { runs } = await ask({ type: 'runs' });
      completed = runs.filter((run) => heads.has(run.head_sha) && run.status === 'completed').length;
      if (completed === pulls.length) break;
      await sleep(200);
    }
    const seconds = (Date.now() - started) / 1000;
    throughput.push({ workers, evaluations: completed, seconds, perMinute: (completed / seconds) * 60 });
    console.error(JSON.stringify(throughput[throughput.length - 1]));
    for (const instance of [...workerInstances, web]) await stop(instance);
  }

  // 2 and 3. Ack latency at 200/s and RSS over the deliveries, Redis vs in memory.
  const acks = [];
  const memory = [];
  for (const mode of ['in memory (one process, SHIPREADY_ROLE=all)', 'Redis (web instance; a worker beside it)']) {
    const redisMode = mode.startsWith('Redis');
    round += 1;
    const shared = redisMode ? { REDIS_URL: redis.url, SHIPREADY_REDIS_PREFIX: `bench-ack-${round}` } : {};
    const front = await start('front', { ...shared, SHIPREADY_ROLE: redisMode ? 'web' : 'all' });
    const worker = redisMode ? await start('worker', { ...shared, SHIPREADY_ROLE: 'worker' }) : undefined;
    const { pulls } = await ask({ type: 'pulls', count: 20, round });
    const total = RATE * SECONDS;
    const pending = [];
    const rss = [{ deliveries: 0, mib: await rssOf(front) }];
    const interval = 1000 / RATE;
    const started = performance.now();
    for (let index = 0; index < total; index += 1) {
      const due = started + index * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const pull = pulls[index % pulls.length];
      const updatedAt = new Date(Date.UTC(2026, 3, 1) + index * 1000).toISOString();
      pending.push(deliver(front.url, 'pull_request', pullPayload('synchronize', pull, updatedAt)));
      if ((index + 1) % 100 === 0) rss.push({ deliveries: index + 1, mib: await rssOf(front) });
    }
    const results = await Promise.all(pending);
    const times = results.map((result) => result.ms).sort((a, b) => a - b);
    acks.push({
      mode,
      sent: results.length,
      failed: results.filter((result) => !result.ok).length,
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      max: times[times.length - 1],
    });
    memory.push({ mode, rss });
    console.error(JSON.stringify(acks[acks.length - 1]));
    if (worker) await stop(worker);
    await stop(front);
  }
  sim.kill();
  await redis.stop();

  const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');
  const lines = [
    '## The queue: throughput, webhook acknowledgement, memory (issue 10)',
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, shared with other work while it ran. One run of \`node bench/queue.mjs\`: the App as \`npm start\` runs it (each instance one evaluation worker thread, SHIPREADY_QUEUE_CONCURRENCY=2), the simulator in its own process, a real redis-server.`,
    '',
    `### Evaluations per minute (${PRS} PRs of a ${FILES.toLocaleString('en')}-file repository, one web instance, BullMQ)`,
    '',
    '| Workers | Evaluations | Took | Per minute |',
    '|---:|---:|---:|---:|',
    ...throughput.map(
      (row) => `| ${row.workers} | ${row.evaluations} | ${row.seconds.toFixed(1)} s | ${row.perMinute.toFixed(1)} |`,
    ),
    '',
    `### Webhook acknowledgement at ${RATE} deliveries/s (${RATE * SECONDS} signed \`pull_request.synchronize\` on 20 PRs, open loop)`,
    '',
    '| Queue | Sent | Failed | p50 | p99 | max |',
    '|---|---:|---:|---:|---:|---:|',
    ...acks.map(
      (row) => `| ${row.mode} | ${row.sent} | ${row.failed} | ${ms(row.p50)} | ${ms(row.p99)} | ${ms(row.max)} |`,
    ),
    '',
    '### RSS of the instance taking the deliveries (MiB, every 100 deliveries)',
    '',
    `| Queue | ${memory[0].rss.map((sample) => sample.deliveries).join(' | ')} |`,
    `|---|${memory[0].rss.map(() => '---:').join('|')}|`,
    ...memory.map((row) => `| ${row.mode} | ${row.rss.map((sample) => sample.mib.toFixed(0)).join(' | ')} |`),
    '',
  ];
  const output = lines.join('\n');
  writeFileSync(join(root, 'bench', 'queue-results.md'), output);
  console.log(output);
}

// The simulator's process: holds the repository, opens PRs on request, reports Check Runs.
if (process.argv[2] === '--simulator') {
  const { startSimulator } = await import(pathToFileURL(process.argv[3]).href);
  const sim = await startSimulator({ repos: [{ owner: 'acme', name: 'svc', files: generateFiles(FILES) }] });
  process.on('message', (message) => {
    if (message.type === 'pulls') {
      const pulls = [];
      for (let index = 1; index <= message.count; index += 1) {
        const branch = `bench-${message.round}-${index}`;
        sim.commit(REPO, { branch, changes: { [`notes/${branch}.md`]: `${branch}\n` } });
        const pull = sim.openPull(REPO, { head: branch });
        pulls.push({ number: pull.number, branch, head: pull.head.sha, base: pull.base.sha });
      }
      process.send({ id: message.id, pulls });
    } else if (message.type === 'runs') {
      process.send({
        id: message.id,
        runs: sim.repo(REPO).checkRuns.map((run) => ({ head_sha: run.head_sha, status: run.status })),
      });
    }
  });
  process.send({ type: 'ready', url: sim.url });
} else {
  await main();
}
