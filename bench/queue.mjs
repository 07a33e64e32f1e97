#!/usr/bin/env node
/* global fetch -- a Node 20 global */
/**
 * The queue, measured in one run (issue 10): the App as `npm start` runs it (`node dist/src/app/server.js`), the
 * GitHub simulator in its own process, a real redis-server started here on a free port.
 *
 *  1. Evaluations per minute with 1 and 2 workers: a web instance takes BENCH_PRS `pull_request.opened` deliveries
 *     (one job each, nothing coalesces) spread over BENCH_INSTALLATIONS installations (one repository each: GitHub
 *     asks for writes one second apart per installation, and Probot spaces them so across instances through Redis,
 *     so one installation's writes bound its throughput whatever the number of workers); then 1 or 2 worker instances
 *     evaluate them; the time from starting the workers to the last completed Check Run.
 *  2. Webhook ack p50/p99 at 200 deliveries/s: in memory (one process), Redis with the web instance alone (no worker
 *     running, so the figure is the web instance's own), and Redis with a worker evaluating beside it on the same
 *     cores. Signed `pull_request.synchronize` deliveries on 20 PRs (newer heads each time: real enqueues that
 *     coalesce), open loop for BENCH_SECONDS.
 *  3. RSS of the instance taking the deliveries, sampled ten times (every 100 deliveries at least).
 * Writes bench/queue-results.md.
 *
 *   npm run build && node bench/queue.mjs     (BENCH_PRS, BENCH_FILES, BENCH_INSTALLATIONS, BENCH_SECONDS)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  appPrivateKey,
  deliver,
  forkSimulator,
  formatMs,
  quantile,
  root,
  sleep,
  startApp,
  startRedis,
} from './lib/harness.mjs';
import { generateFiles } from './tree.mjs';

const PRS = Number(process.env.BENCH_PRS ?? 20);
const FILES = Number(process.env.BENCH_FILES ?? 5000);
const INSTALLATIONS = Number(process.env.BENCH_INSTALLATIONS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// BENCH_ONLY=ack skips the throughput part (e.g. for a longer RSS series); such a run writes queue-results-ack.md.
const ONLY_ACK = process.env.BENCH_ONLY === 'ack';
const RATE = 200;
const SAMPLE_EVERY = Math.max(100, Math.round((RATE * SECONDS) / 10));
const owners = Array.from({ length: INSTALLATIONS }, (_, index) => ({ login: `acme-${index + 1}`, id: index + 1 }));

async function main() {
  const sim = await forkSimulator(import.meta.url);
  const redis = await startRedis();
  const privateKey = appPrivateKey();
  const template = JSON.parse(readFileSync(join(root, 'test/fixtures/webhooks/pull_request.opened.json'), 'utf8'));
  const pullPayload = (action, pull, updatedAt) => {
    const repository = {
      ...template.repository,
      name: 'svc',
      full_name: `${pull.owner}/svc`,
      default_branch: 'main',
      owner: { ...template.repository.owner, login: pull.owner, name: pull.owner },
    };
    return {
      ...template,
      action,
      number: pull.number,
      installation: { id: pull.installation },
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
    };
  };
  const start = (env) =>
    startApp({
      simulatorUrl: sim.ready.url,
      privateKey,
      env: { SHIPREADY_EVALUATION_WORKERS: '1', SHIPREADY_QUEUE_CONCURRENCY: '2', ...env },
    });
  const rssOf = async (instance) => {
    const text = await (await fetch(`${instance.url}/metrics`)).text();
    const match = /^shipready_process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(text);
    return match ? Number(match[1]) / 2 ** 20 : NaN;
  };
  const startLoad = loadavg()[0].toFixed(2);

  // 1. Evaluations per minute, 1 and 2 workers.
  const throughput = [];
  let round = 0;
  for (const workers of ONLY_ACK ? [] : [1, 2]) {
    round += 1;
    const shared = { REDIS_URL: redis.url, SHIPREADY_REDIS_PREFIX: `bench-throughput-${round}` };
    const web = await start({ ...shared, SHIPREADY_ROLE: 'web' });
    const { pulls } = await sim.ask({ type: 'pulls', count: PRS, round });
    for (const pull of pulls)
      await deliver(web.url, 'pull_request', pullPayload('opened', pull, '2026-03-01T00:00:00Z'));
    const started = Date.now();
    const workerInstances = [];
    for (let index = 0; index < workers; index += 1)
      workerInstances.push(start({ ...shared, SHIPREADY_ROLE: 'worker' }));
    await Promise.all(workerInstances);
    const heads = new Set(pulls.map((pull) => pull.head));
    let completed = 0;
    for (let tries = 0; tries < 6000; tries += 1) {
      const { runs } = await sim.ask({ type: 'runs' });
      completed = runs.filter((run) => heads.has(run.head_sha) && run.status === 'completed').length;
      if (completed === pulls.length) break;
      await sleep(200);
    }
    const seconds = (Date.now() - started) / 1000;
    throughput.push({ workers, evaluations: completed, seconds, perMinute: (completed / seconds) * 60 });
    console.error(JSON.stringify(throughput[throughput.length - 1]));
    for (const instance of [...(await Promise.all(workerInstances)), web]) await instance.stop();
  }

  // 2 and 3. Ack latency at 200/s and RSS over the deliveries.
  const acks = [];
  const memory = [];
  const modes = [
    { name: 'in memory (one process, SHIPREADY_ROLE=all)', redis: false, worker: false },
    { name: 'Redis, the web instance alone', redis: true, worker: false },
    { name: 'Redis, a worker evaluating beside the web instance', redis: true, worker: true },
  ];
  for (const mode of modes) {
    round += 1;
    const shared = mode.redis ? { REDIS_URL: redis.url, SHIPREADY_REDIS_PREFIX: `bench-ack-${round}` } : {};
    const front = await start({ ...shared, SHIPREADY_ROLE: mode.redis ? 'web' : 'all' });
    const worker = mode.worker ? await start({ ...shared, SHIPREADY_ROLE: 'worker' }) : undefined;
    const { pulls } = await sim.ask({ type: 'pulls', count: 20, round });
    const pending = [];
    const rss = [{ deliveries: 0, mib: await rssOf(front) }];
    const interval = 1000 / RATE;
    const started = performance.now();
    for (let index = 0; index < RATE * SECONDS; index += 1) {
      const wait = started + index * interval - performance.now();
      if (wait > 0) await sleep(wait);
      const pull = pulls[index % pulls.length];
      const updatedAt = new Date(Date.UTC(2026, 3, 1) + index * 1000).toISOString();
      pending.push(deliver(front.url, 'pull_request', pullPayload('synchronize', pull, updatedAt)));
      if ((index + 1) % SAMPLE_EVERY === 0) rss.push({ deliveries: index + 1, mib: await rssOf(front) });
    }
    const results = await Promise.all(pending);
    const times = results.map((result) => result.ms).sort((a, b) => a - b);
    acks.push({
      mode: mode.name,
      sent: results.length,
      failed: results.filter((result) => !result.ok).length,
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      max: times[times.length - 1],
    });
    memory.push({ mode: mode.name, rss });
    console.error(JSON.stringify(acks[acks.length - 1]));
    if (worker) await worker.stop();
    await front.stop();
  }
  sim.kill();
  await redis.stop();

  const [one, two] = throughput;
  const lines = [
    '## The queue: throughput, webhook acknowledgement, memory (issue 10)',
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${startLoad} at the start, ${loadavg()[0].toFixed(2)} at the end. One run of \`node bench/queue.mjs\`: the App as \`npm start\` runs it (each instance one evaluation worker thread, SHIPREADY_QUEUE_CONCURRENCY=2), the simulator in its own process, a real redis-server.`,
    '',
    `### Evaluations per minute (${PRS} PRs over ${INSTALLATIONS} installations, one ${FILES.toLocaleString('en')}-file repository each; one web instance, BullMQ)`,
    '',
    '| Workers | Evaluations | Took | Per minute |',
    '|---:|---:|---:|---:|',
    ...throughput.map(
      (row) => `| ${row.workers} | ${row.evaluations} | ${row.seconds.toFixed(1)} s | ${row.perMinute.toFixed(1)} |`,
    ),
    '',
    one && two
      ? `Two workers evaluated ${(two.perMinute / one.perMinute).toFixed(2)}× as many per minute as one.`
      : '(not measured in this run)',
    '',
    `### Webhook acknowledgement at ${RATE} deliveries/s (${RATE * SECONDS} signed \`pull_request.synchronize\` on 20 PRs, open loop)`,
    '',
    '| Queue | Sent | Failed | p50 | p99 | max |',
    '|---|---:|---:|---:|---:|---:|',
    ...acks.map(
      (row) =>
        `| ${row.mode} | ${row.sent} | ${row.failed} | ${formatMs(row.p50)} | ${formatMs(row.p99)} | ${formatMs(row.max)} |`,
    ),
    '',
    `### RSS of the instance taking the deliveries (MiB, every ${SAMPLE_EVERY} deliveries)`,
    '',
    `| Queue | ${memory[0].rss.map((sample) => sample.deliveries).join(' | ')} |`,
    `|---|${memory[0].rss.map(() => '---:').join('|')}|`,
    ...memory.map((row) => `| ${row.mode} | ${row.rss.map((sample) => sample.mib.toFixed(0)).join(' | ')} |`),
    '',
  ];
  const output = lines.join('\n');
  writeFileSync(join(root, 'bench', ONLY_ACK ? 'queue-results-ack.md' : 'queue-results.md'), output);
  console.log(output);
}

// The simulator's process: one repository per installation, opens PRs on request, reports Check Runs.
if (process.argv[2] === '--simulator') {
  const { startSimulator } = await import(pathToFileURL(process.argv[3]).href);
  const files = generateFiles(FILES);
  const sim = await startSimulator({
    repos: owners.map((owner) => ({ owner: owner.login, name: 'svc', installationId: owner.id, files })),
  });
  process.on('message', (message) => {
    if (message.type === 'pulls') {
      const pulls = [];
      for (let index = 1; index <= message.count; index += 1) {
        const owner = owners[(index - 1) % owners.length];
        const repo = `${owner.login}/svc`;
        const branch = `bench-${message.round}-${index}`;
        sim.commit(repo, { branch, changes: { [`notes/${branch}.md`]: `${branch}\n` } });
        const pull = sim.openPull(repo, { head: branch });
        pulls.push({
          owner: owner.login,
          installation: owner.id,
          number: pull.number,
          branch,
          head: pull.head.sha,
          base: pull.base.sha,
        });
      }
      process.send({ id: message.id, pulls });
    } else if (message.type === 'runs') {
      const runs = owners.flatMap((owner) =>
        sim.repo(`${owner.login}/svc`).checkRuns.map((run) => ({ head_sha: run.head_sha, status: run.status })),
      );
      process.send({ id: message.id, runs });
    }
  });
  process.send({ type: 'ready', url: sim.url });
} else {
  await main();
}
