#!/usr/bin/env node
// Scan benchmark: a generated 100,000-file repository, scanned by the built CLI under /usr/bin/time -v, in a git
// checkout and as a plain directory, next to Repolinter (a peer that lints repository files) on the same tree in
// the same run. Writes bench/scan-results.md and prints it. Timings are for this machine and this run only:
// compare the ratios, not the seconds.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const work = join(tmpdir(), `shipready-bench-${FILES}`);
const peerDirectory = join(root, 'bench', 'out', 'peer');

function generateTree() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, '.github', 'workflows'), { recursive: true });
  writeFileSync(
    join(work, 'README.md'),
    `# bench\n\n${'A generated monorepo for the scan benchmark. '.repeat(30)}\n\n## Install\n\n\`\`\`sh\nnpm ci\n\`\`\`\n`,
  );
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify(
      { name: 'bench', private: true, workspaces: ['packages/*'], devDependencies: { jest: '^30', eslint: '^9' } },
      null,
      2,
    ),
  );
  writeFileSync(join(work, 'package-lock.json'), '{}');
  writeFileSync(
    join(work, 'Dockerfile'),
    'FROM node:20-slim AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\nFROM node:20-slim\nUSER node\nHEALTHCHECK CMD node -e "1"\nCMD ["node", "index.js"]\n',
  );
  writeFileSync(
    join(work, '.github', 'workflows', 'ci.yml'),
    'on: [pull_request]\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n',
  );
  const packages = 200;
  const perPackage = Math.ceil((FILES - 6) / packages) + 1;
  let written = 6;
  for (let p = 0; p < packages; p += 1) {
    const base = join(work, 'packages', `pkg-${p}`);
    mkdirSync(join(base, 'src', 'lib'), { recursive: true });
    mkdirSync(join(base, 'test'), { recursive: true });
    writeFileSync(
      join(base, 'package.json'),
      JSON.stringify({ name: `pkg-${p}`, version: '1.0.0', dependencies: { pino: '^9' } }),
    );
    written += 1;
    for (let f = 1; f < perPackage && written < FILES; f += 1, written += 1) {
      const isTest = f % 5 === 0;
      const path = isTest ? join(base, 'test', `m${f}.test.js`) : join(base, 'src', f % 2 ? 'lib' : '', `m${f}.js`);
      writeFileSync(path, isTest ? `test('m${f}', () => {});\n` : `export const m${f} = process.env.M${f} ?? ${f};\n`);
    }
  }
  return written;
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

console.error('scanning (git checkout)…');
const gitRun = timed('node', scanArgs(work));
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
const selfRun = timed('node', scanArgs(root));

const fmt = (run) => `${run.seconds.toFixed(2)} s | ${run.peakMiB.toFixed(0)} MiB | ${run.status}`;
const lines = [
  `## Scan of a ${count.toLocaleString('en')}-file repository`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. One run each, measured with \`/usr/bin/time -v\` by \`npm run bench\` (bench/run.mjs).`,
  '',
  '| What | Wall time | Peak RSS | Exit |',
  '|---|---|---|---|',
  `| shipready scan, git checkout (\`git ls-files\`) | ${fmt(gitRun)} |`,
  `| shipready scan, plain directory walk | ${fmt(walkRun)} |`,
  peer
    ? `| Repolinter 0.12.0 (peer, default ruleset) | ${fmt(peer)} |`
    : '| Repolinter 0.12.0 (peer) | could not be installed in this run | — | — |',
  `| shipready scan of this repository | ${fmt(selfRun)} |`,
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
