#!/usr/bin/env node
// Scan benchmark: a generated 100,000-file repository, scanned by the built CLI under /usr/bin/time -v, in a git
// checkout and as a plain directory, next to Repolinter (a peer that lints repository files) on the same tree in
// the same run. Writes bench/scan-results.md and prints it. Timings are for this machine and this run only:
// compare the ratios, not the seconds.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateFiles } from './tree.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const work = join(tmpdir(), `shipready-bench-${FILES}`);
const peerDirectory = join(root, 'bench', 'out', 'peer');

function generateTree() {
  rmSync(work, { recursive: true, force: true });
  const files = generateFiles(FILES);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), content);
  }
  return Object.keys(files).length;
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

const scanArgs = (directory) => [
  join(root, 'bin', 'shipready.js'),
  'scan',
  directory,
  '--format',
  'json',
  '--output',
  join(tmpdir(), 'bench-report.json'),
  '--fail-on',
  'none',
  '--min-score',
  '0',
];

console.error(`generating ${FILES} files in ${work}…`);
const count = generateTree();
execFileSync('git', ['init', '-q'], { cwd: work });
execFileSync('git', ['add', '-A'], { cwd: work, maxBuffer: 1 << 26 });
execFileSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'commit', '-qm', 'bench'], {
  cwd: work,
});

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** The run with the median wall time of `RUNS` runs, taken in alternation with its peer's (see `paired`). */
function median(runs) {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
}
/** Two commands run alternately RUNS times each, so that the machine's load falls on both alike. */
function paired(a, b) {
  const first = [];
  const second = [];
  for (let run = 0; run < RUNS; run += 1) {
    first.push(a());
    second.push(b());
  }
  return [median(first), median(second)];
}
const inProcess = { env: { ...process.env, SHIPREADY_EVALUATION_WORKERS: '0' } };

console.error(`scanning (git checkout), worker pool vs in-process, ${RUNS} runs each…`);
const [gitRun, gitInProcess] = paired(
  () => timed('node', scanArgs(work)),
  () => timed('node', scanArgs(work), inProcess),
);
renameSync(join(work, '.git'), join(tmpdir(), `shipready-bench-git-${process.pid}`));
console.error('scanning (plain directory walk)…');
const walkRun = timed('node', scanArgs(work));
renameSync(join(tmpdir(), `shipready-bench-git-${process.pid}`), join(work, '.git'));

let peer;
console.error('installing the peer (repolinter)…');
if (installPeer()) {
  console.error('running the peer…');
  peer = timed('node', [
    join(peerDirectory, 'node_modules', 'repolinter', 'bin', 'repolinter.js'),
    'lint',
    work,
    '--format',
    'json',
  ]);
}
const [selfRun, selfInProcess] = paired(
  () => timed('node', scanArgs(root)),
  () => timed('node', scanArgs(root), inProcess),
);

// A hostile repository (test/security/attack-repo.ts): 30-byte and 100 KB ReDoS attack lines in every file a check
// reads line by line.
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
const hostileRun = median(Array.from({ length: RUNS }, () => timed('node', scanArgs(attackDirectory))));
rmSync(attackDirectory, { recursive: true, force: true });

const fmt = (run) => `${run.seconds.toFixed(2)} s | ${run.peakMiB.toFixed(0)} MiB | ${run.status}`;
const lines = [
  `## Scan of a ${count.toLocaleString('en')}-file repository`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Medians of ${RUNS} runs for shipready, one run of the peer, measured with \`/usr/bin/time -v\` by \`npm run bench\` (bench/run.mjs).`,
  '',
  '| What | Wall time | Peak RSS | Exit |',
  '|---|---|---|---|',
  `| shipready scan, git checkout (\`git ls-files\`) | ${fmt(gitRun)} |`,
  `| shipready scan, plain directory walk | ${fmt(walkRun)} |`,
  peer
    ? `| Repolinter 0.12.0 (peer, default ruleset) | ${fmt(peer)} |`
    : '| Repolinter 0.12.0 (peer) | could not be installed in this run | — | — |',
  `| shipready scan of this repository | ${fmt(selfRun)} |`,
  `| shipready scan of a hostile repository (30-byte and 100 KB ReDoS attack lines in every file a check reads) | ${fmt(hostileRun)} |`,
  '',
  `### The evaluation worker pool in the CLI (medians of ${RUNS} alternating runs)`,
  '',
  'The CLI evaluates trees of 5,000 entries or more in the worker pool (`SHIPREADY_EVALUATION_WORKERS=0` keeps it in-process).',
  '',
  '| Tree | In-process (before) | Worker pool (after) | After / before |',
  '|---|---|---|---:|',
  `| ${count.toLocaleString('en')} files (git checkout) | ${gitInProcess.seconds.toFixed(2)} s, ${gitInProcess.peakMiB.toFixed(0)} MiB | ${gitRun.seconds.toFixed(2)} s, ${gitRun.peakMiB.toFixed(0)} MiB | ${(gitRun.seconds / gitInProcess.seconds).toFixed(2)}× |`,
  `| this repository | ${selfInProcess.seconds.toFixed(2)} s, ${selfInProcess.peakMiB.toFixed(0)} MiB | ${selfRun.seconds.toFixed(2)} s, ${selfRun.peakMiB.toFixed(0)} MiB | ${(selfRun.seconds / selfInProcess.seconds).toFixed(2)}× |`,
  '',
];
if (peer && Number.isFinite(peer.seconds)) {
  const checks = JSON.parse(readFileSync(join(tmpdir(), 'bench-report.json'), 'utf8')).checks.length;
  lines.push(
    `Ratios in this run: shipready (git checkout) took ${(gitRun.seconds / peer.seconds).toFixed(2)}× Repolinter's wall time and ${(gitRun.peakMiB / peer.peakMiB).toFixed(2)}× its peak memory, while evaluating ${checks} checks (Repolinter's default ruleset checks file existence and contents of a handful of files).`,
    '',
  );
}
const output = lines.join('\n');
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench', 'scan-results.md'), output);
console.log(output);
if (gitRun.status !== 0 || walkRun.status !== 0) {
  console.error(gitRun.stderr.slice(-2000), walkRun.stderr.slice(-2000));
  process.exit(1);
}
