#!/usr/bin/env node
/**
 * Webhook acknowledgement while a 100,000-file evaluation runs: the App (`node dist/src/app/server.js`, as
 * `npm start` runs it) against the GitHub simulator (its own process), once with evaluations in-process
 * (SHIPREADY_EVALUATION_WORKERS=0, the old behaviour) and once in the worker pool (the default), in one run.
 * For each rate (50, 100, 200 deliveries/s) a push to the 100,000-file repository starts an evaluation; once its
 * Check Run is in progress, signed `ping` deliveries are sent open-loop at that rate for 10 s and each one's time
 * to a complete response is recorded. Writes bench/webhook-results.md.
 *
 *   npm run build && node bench/webhook-load.mjs        (BENCH_FILES, BENCH_SECONDS to change the size)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { appPrivateKey, deliver, forkSimulator, formatMs, quantile, root, sleep, startApp } from './lib/harness.mjs';
import { generateFiles } from './tree.mjs';

const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATES = process.env.BENCH_RATES ? process.env.BENCH_RATES.split(',').map(Number) : [50, 100, 200];
const REPO = 'acme/big';

async function runBench() {
  const sim = await forkSimulator(import.meta.url);
  const { ready, ask } = sim;
  const privateKey = appPrivateKey();
  const pushTemplate = JSON.parse(readFileSync(join(root, 'test/fixtures/webhooks/push.json'), 'utf8'));
  const pushPayload = (sha) => ({
    ...pushTemplate,
    ref: 'refs/heads/main',
    before: '0000000000000000000000000000000000000000',
    after: sha,
    installation: { id: 1 },
    repository: {
      ...pushTemplate.repository,
      name: 'big',
      full_name: REPO,
      default_branch: 'main',
      owner: { ...pushTemplate.repository.owner, login: 'acme', name: 'acme' },
    },
  });

  const modes = [
    { name: 'in-process (SHIPREADY_EVALUATION_WORKERS=0, before)', workers: '0' },
    { name: 'worker pool (default size, after)', workers: undefined },
  ];
  const rows = [];
  for (const mode of modes.filter((m) => !process.env.BENCH_ONLY || m.name.startsWith(process.env.BENCH_ONLY))) {
    const env = {
      ...process.env,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      SHIPREADY_EVALUATION_TIMEOUT_MS: '600000',
    };
    if (mode.workers === undefined) delete env.SHIPREADY_EVALUATION_WORKERS;
    else env.SHIPREADY_EVALUATION_WORKERS = mode.workers;
    const nodeArgs = process.env.BENCH_APP_NODE_ARGS ? process.env.BENCH_APP_NODE_ARGS.split(' ') : [];
    const app = await startApp({ simulatorUrl: ready.url, privateKey, env, nodeArgs, readyPath: '/health' });
    const { url } = app;
    for (const rate of RATES) {
      const { sha } = await ask({ type: 'commit' });
      await deliver(url, 'push', pushPayload(sha));
      // The evaluation is under way once its Check Run is in progress.
      const runOf = async () => (await ask({ type: 'runs' })).runs.find((run) => run.head_sha === sha);
      for (let tries = 0; tries < 600 && !(await runOf()); tries += 1) await sleep(100);
      const pending = [];
      const windowStart = Date.now();
      const interval = 1000 / rate;
      const started = performance.now();
      for (let index = 0; index < rate * SECONDS; index += 1) {
        const due = started + index * interval;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        pending.push(deliver(url, 'ping', { zen: 'Design for failure.', hook_id: index }));
      }
      const acks = await Promise.all(pending);
      const windowEnd = Date.now();
      let run;
      for (let tries = 0; tries < 6000; tries += 1) {
        run = await runOf();
        if (run?.status === 'completed') break;
        await sleep(100);
      }
      const times = acks.map((ack) => ack.ms).sort((a, b) => a - b);
      const evaluation = run?.completed_at ? (Date.parse(run.completed_at) - Date.parse(run.started_at)) / 1000 : NaN;
      rows.push({
        mode: mode.name,
        rate,
        sent: acks.length,
        failed: acks.filter((ack) => !ack.ok).length,
        p50: quantile(times, 0.5),
        p99: quantile(times, 0.99),
        max: times[times.length - 1],
        evaluation,
        overlapped: run?.completed_at ? Date.parse(run.completed_at) >= windowEnd : false,
        windowStart,
        conclusion: run?.conclusion,
      });
      console.error(JSON.stringify(rows[rows.length - 1]));
    }
    await app.stop();
  }
  sim.kill();

  const ms = formatMs;
  const lines = [
    `## Webhook acknowledgement during a ${FILES.toLocaleString('en')}-file evaluation`,
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. One run of \`node bench/webhook-load.mjs\`: the App as \`npm start\` runs it, the simulator in its own process, signed \`ping\` deliveries sent open-loop for ${SECONDS} s per rate while a push's evaluation of the ${FILES.toLocaleString('en')}-file repository runs. "Failed" counts non-2xx answers, resets and deliveries unanswered after 10 s (GitHub's timeout).`,
    '',
    '| Evaluations | Rate | Sent | Failed | p50 | p99 | max | Evaluation took | Still running at the window end |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.mode} | ${row.rate}/s | ${row.sent} | ${row.failed} | ${ms(row.p50)} | ${ms(row.p99)} | ${ms(row.max)} | ${Number.isFinite(row.evaluation) ? `${row.evaluation.toFixed(1)} s` : 'did not complete'} (${row.conclusion ?? '—'}) | ${row.overlapped ? 'yes' : 'no'} |`,
    ),
    '',
  ];
  const output = lines.join('\n');
  writeFileSync(join(root, 'bench', 'webhook-results.md'), output);
  console.log(output);
}

// ---------------------------------------------------------------------------------------------------------------
// The simulator's process: holds the repository, makes commits on request, reports Check Runs.
if (process.argv[2] === '--simulator') {
  const { startSimulator } = await import(pathToFileURL(process.argv[3]).href);
  const sim = await startSimulator({ repos: [{ owner: 'acme', name: 'big', files: generateFiles(FILES) }] });
  let counter = 0;
  process.on('message', (message) => {
    if (message.type === 'commit') {
      counter += 1;
      const sha = sim.commit(REPO, { branch: 'main', changes: { 'CHANGELOG.md': `# ${counter}\n` } });
      process.send({ id: message.id, sha });
    } else if (message.type === 'runs') {
      process.send({
        id: message.id,
        runs: sim.repo(REPO).checkRuns.map((run) => ({
          head_sha: run.head_sha,
          status: run.status,
          started_at: run.started_at,
          completed_at: run.completed_at,
          conclusion: run.conclusion,
          title: run.output?.title,
        })),
      });
    }
  });
  process.send({ type: 'ready', url: sim.url, sha: sim.head(REPO) });
} else {
  await runBench();
}
