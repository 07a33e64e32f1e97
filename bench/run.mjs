#!/usr/bin/env node
// Scan benchmark. Every figure is measured side by side in one run, the commands alternating, medians of
// BENCH_RUNS (3) runs, each a whole process under /usr/bin/time -v:
//   1. the generated 100,000-file monorepo (bench/tree.mjs) as a git checkout: shipready, the bound (bench/bound.mjs:
//      `git ls-files` plus one read of exactly the files the scan reads) and Repolinter (a peer that lints
//      repository files); shipready as a plain directory walk;
//   2. real trees named in BENCH_REAL_TREES (colon-separated git checkouts; see BENCHMARKS.md for the ones used):
//      shipready, its bound and Repolinter;
//   3. scaling: generated trees of BENCH_SCALE files (1k, 10k, 100k, 300k): shipready and its bound;
//   4. this repository and a hostile repository (ReDoS attack lines in every file a check reads).
// Writes bench/scan-results.md and prints it. Compare the ratios, not the seconds: they are for this machine and run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateFiles } from './tree.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCALE = (process.env.BENCH_SCALE ?? '1000,10000,100000,300000').split(',').filter(Boolean).map(Number);
const REAL_TREES = (process.env.BENCH_REAL_TREES ?? '').split(':').filter(Boolean);
const peerDirectory = join(root, 'bench', 'out', 'peer');

/** A generated tree of `count` files, committed in a git repository of its own (reused when already there). */
function generatedTree(count) {
  const work = join(tmpdir(), `shipready-bench-${count}`);
  if (existsSync(join(work, '.git', 'shipready-bench-done'))) return work;
  console.error(`generating ${count} files in ${work}…`);
  rmSync(work, { recursive: true, force: true });
  for (const [path, content] of Object.entries(generateFiles(count))) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), content);
  }
  execFileSync('git', ['init', '-q'], { cwd: work });
  execFileSync('git', ['add', '-A'], { cwd: work, maxBuffer: 1 << 26 });
  execFileSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'commit', '-qm', 'bench'], {
    cwd: work,
  });
  writeFileSync(join(work, '.git', 'shipready-bench-done'), '');
  return work;
}

function timed(command, args, options = {}) {
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    ...options,
  });
  const stderr = result.stderr ?? '';
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  return { status: result.status, seconds, peakMiB: rss ? Number(rss[1]) / 1024 : NaN, stdout: result.stdout, stderr };
}

function installPeer() {
  if (existsSync(join(peerDirectory, 'node_modules', 'repolinter'))) return true;
  mkdirSync(peerDirectory, { recursive: true });
  const install = spawnSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', peerDirectory, 'repolinter@0.12.0'],
    { encoding: 'utf8' },
  );
  return install.status === 0;
}

const reportPath = join(tmpdir(), 'bench-report.json');
const scanArgs = (directory) => [
  join(root, 'bin', 'shipready.js'),
  'scan',
  directory,
  '--format',
  'json',
  '--output',
  reportPath,
  '--fail-on',
  'none',
  '--min-score',
  '0',
];
const scan = (directory, options) => () => timed('node', scanArgs(directory), options);
const peerRun = (directory) => () =>
  timed('node', [join(peerDirectory, 'node_modules', 'repolinter', 'bin', 'repolinter.js'), 'lint', directory]);

/** The bound's command for a tree: the list of files a scan reads is taken once, untimed, by bench/read-list.mjs. */
function boundOf(directory) {
  const list = join(tmpdir(), `shipready-bench-reads-${basename(directory)}-${process.pid}`);
  const listed = JSON.parse(execFileSync('node', [join(root, 'bench', 'read-list.mjs'), directory, list]));
  const run = () => timed('node', [join(root, 'bench', 'bound.mjs'), directory, list]);
  return { run, files: listed.files };
}

function median(runs) {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)];
  return { ...middle, min: sorted[0].seconds, max: sorted[sorted.length - 1].seconds };
}
/** Commands run in turn RUNS times each, so that the machine's load falls on all of them alike; medians. */
function alternating(...commands) {
  const runs = commands.map(() => []);
  for (let run = 0; run < RUNS; run += 1) commands.forEach((command, index) => runs[index].push(command()));
  return runs.map(median);
}
const trackedFiles = (directory) =>
  execFileSync('git', ['ls-files', '-z'], { cwd: directory, maxBuffer: 1 << 30 })
    .toString()
    .split('\0')
    .filter(Boolean).length;

const fmt = (run) => `${run.seconds.toFixed(2)} s | ${run.peakMiB.toFixed(0)} MiB`;
const cell = (run) => `${run.seconds.toFixed(2)} s, ${run.peakMiB.toFixed(0)} MiB`;
const ratio = (a, b) => `${(a.seconds / b.seconds).toFixed(2)}×`;
const load = () => loadavg()[0].toFixed(2);
const lines = [];
const startLoad = load();
const peerInstalled = installPeer();

// 1. The generated 100,000-file tree.
const work = generatedTree(FILES);
const count = trackedFiles(work);
const bound = boundOf(work);
console.error(`100k: shipready, bound${peerInstalled ? ', Repolinter' : ''}, ${RUNS} runs each, alternating…`);
const [gitRun, boundRun, peer] = alternating(scan(work), bound.run, ...(peerInstalled ? [peerRun(work)] : []));
const gitReport = JSON.parse(readFileSync(reportPath, 'utf8'));
const [gitInProcess] = alternating(scan(work, { env: { ...process.env, SHIPREADY_EVALUATION_WORKERS: '0' } }));
renameSync(join(work, '.git'), join(tmpdir(), `shipready-bench-git-${process.pid}`));
console.error('100k: plain directory walk…');
const [walkRun] = alternating(scan(work));
renameSync(join(tmpdir(), `shipready-bench-git-${process.pid}`), join(work, '.git'));

lines.push(
  `## Scan of a ${count.toLocaleString('en')}-file generated repository`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${startLoad} at the start. Medians of ${RUNS} alternating runs (min–max in brackets), each a whole process under \`/usr/bin/time -v\`, by \`npm run bench\` (bench/run.mjs).`,
  '',
  '| What | Wall time | Peak RSS | Runs (min–max) |',
  '|---|---|---|---|',
  `| shipready scan, git checkout | ${fmt(gitRun)} | ${gitRun.min.toFixed(2)}–${gitRun.max.toFixed(2)} s |`,
  `| the bound: \`git ls-files\` + one read of the ${bound.files.toLocaleString('en')} files the scan reads | ${fmt(boundRun)} | ${boundRun.min.toFixed(2)}–${boundRun.max.toFixed(2)} s |`,
  peer
    ? `| Repolinter 0.12.0 (peer, default ruleset) | ${fmt(peer)} | ${peer.min.toFixed(2)}–${peer.max.toFixed(2)} s |`
    : '| Repolinter 0.12.0 (peer) | could not be installed in this run | — | — |',
  `| shipready scan, evaluated in-process (\`SHIPREADY_EVALUATION_WORKERS=0\`) | ${fmt(gitInProcess)} | ${gitInProcess.min.toFixed(2)}–${gitInProcess.max.toFixed(2)} s |`,
  `| shipready scan, plain directory walk (no \`.git\`) | ${fmt(walkRun)} | ${walkRun.min.toFixed(2)}–${walkRun.max.toFixed(2)} s |`,
  '',
  `Ratios in this run: shipready took **${ratio(gitRun, boundRun)} the bound**${peer ? ` and Repolinter took **${ratio(peer, gitRun)} shipready's time** (${(peer.peakMiB / gitRun.peakMiB).toFixed(1)}× its peak memory)` : ''}, while shipready evaluated ${gitReport.checks.length} checks over ${(gitReport.projects ?? []).length} projects.`,
  '',
);

// 2. Real trees.
if (REAL_TREES.length) {
  lines.push(
    '## Real trees',
    '',
    `Git checkouts named in \`BENCH_REAL_TREES\`; medians of ${RUNS} alternating runs.`,
    '',
    '| Tree | Files | shipready (wall, peak RSS) | Bound | Repolinter | shipready / bound | Repolinter / shipready |',
    '|---|---:|---|---|---|---:|---:|',
  );
  for (const directory of REAL_TREES) {
    console.error(`real tree ${directory}…`);
    const realBound = boundOf(directory);
    const [ship, realBoundRun, realPeer] = alternating(
      scan(directory),
      realBound.run,
      ...(peerInstalled ? [peerRun(directory)] : []),
    );
    lines.push(
      `| ${basename(directory)} | ${trackedFiles(directory).toLocaleString('en')} | ${cell(ship)} | ${cell(realBoundRun)} | ${realPeer ? cell(realPeer) : '—'} | ${ratio(ship, realBoundRun)} | ${realPeer ? ratio(realPeer, ship) : '—'} |`,
    );
  }
  lines.push('');
}

// 3. Scaling.
if (SCALE.length) {
  lines.push(
    '## Scaling with the size of the tree',
    '',
    `Generated trees (bench/tree.mjs: 200 workspaces, the same file mix at every size); medians of ${RUNS} alternating runs.`,
    '',
    '| Files | shipready (wall, peak RSS) | Bound | shipready / bound | µs per file |',
    '|---:|---|---|---:|---:|',
  );
  for (const size of SCALE) {
    const directory = generatedTree(size);
    console.error(`scaling ${size}…`);
    const sizeBound = boundOf(directory);
    const [ship, sizeBoundRun] = alternating(scan(directory), sizeBound.run);
    const files = trackedFiles(directory);
    lines.push(
      `| ${files.toLocaleString('en')} | ${cell(ship)} | ${cell(sizeBoundRun)} | ${ratio(ship, sizeBoundRun)} | ${((ship.seconds * 1e6) / files).toFixed(1)} |`,
    );
  }
  lines.push('');
}

// 4. This repository and a hostile one (test/security/attack-repo.ts: 30-byte and 100 KB ReDoS attack lines in every
// file a check reads line by line).
const attackBuild = join(root, 'bench', 'out', 'attack-build');
execFileSync(
  join(root, 'node_modules', '.bin', 'tsc'),
  [
    '--outDir',
    attackBuild,
    '--module',
    'nodenext',
    '--target',
    'es2022',
    '--skipLibCheck',
    join(root, 'test', 'security', 'attack-repo.ts'),
  ],
  { cwd: root, stdio: 'pipe' },
);
const { buildAttackRepository } = await import(pathToFileURL(join(attackBuild, 'attack-repo.js')).href);
const attackDirectory = buildAttackRepository();
const [selfRun, hostileRun] = alternating(scan(root), scan(attackDirectory));
rmSync(attackDirectory, { recursive: true, force: true });
lines.push(
  '## Small and hostile repositories',
  '',
  '| What | Wall time | Peak RSS |',
  '|---|---|---|',
  `| shipready scan of this repository | ${fmt(selfRun)} |`,
  `| shipready scan of a hostile repository (30-byte and 100 KB ReDoS attack lines in every file a check reads) | ${fmt(hostileRun)} |`,
  '',
  `Load average at the end: ${load()}.`,
  '',
);

const output = lines.join('\n');
writeFileSync(join(root, 'bench', 'scan-results.md'), output);
console.log(output);
if (gitRun.status !== 0 || walkRun.status !== 0) {
  console.error(gitRun.stderr.slice(-2000), walkRun.stderr.slice(-2000));
  process.exit(1);
}
