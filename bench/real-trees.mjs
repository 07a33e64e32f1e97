#!/usr/bin/env node
/**
 * Builds the real trees of the scan benchmark (BENCHMARKS.md, "Real trees") as git checkouts of their own under
 * OUT (default $TMPDIR/shipready-real-trees): eslint/eslint, biomejs/biome, and `combined`, seven large JavaScript
 * and Rust repositories side by side (~101,000 files). Each repository is read at the commit below from
 * BENCH_MIRROR (a directory holding `owner+name/repo` bare clones) or, without it, cloned from github.com. A blob
 * the clone does not hold (a partial clone's largest files) is left out and counted. Then run
 *   BENCH_REAL_TREES=OUT/eslint:OUT/biome:OUT/combined npm run bench
 */
import { Buffer } from 'node:buffer';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REPOSITORIES = [
  { name: 'eslint/eslint', commit: 'c27bc926e496985eb7911c09eb60914b2e4b5d0f' },
  { name: 'biomejs/biome', commit: '18883b7dafb8f9581534508fdd5b1e34632f2724' },
  { name: 'rust-lang/rust-analyzer', commit: 'd2e55da49132fa70a13dfbdc99122432b02cf464' },
  { name: 'babel/babel', commit: '1da3cfa1a25503c7ecba7304f8738933e6d16dca' },
  { name: 'denoland/deno', commit: '98f9507affc905f088124891add3a8dd63b91f77' },
  { name: 'webpack/webpack', commit: 'bc3e930f75e3f6ecbdf193a0dedf6067ea3a286b' },
  { name: 'prettier/prettier', commit: '4f84a934201322ca87750e2b9b25baf296da6560' },
];
const out = process.argv[2] ?? join(tmpdir(), 'shipready-real-trees');
const mirror = process.env.BENCH_MIRROR;

function gitDirectoryOf({ name }) {
  if (mirror) return join(mirror, name.replace('/', '+'), 'repo');
  const clone = join(out, '.clones', name.replace('/', '+'));
  if (!existsSync(clone))
    execFileSync('git', ['clone', '-q', '--bare', `https://github.com/${name}.git`, clone], { stdio: 'inherit' });
  return clone;
}

/** Writes the commit's files under `destination` from one `git cat-file --batch`; returns [written, missing]. */
async function exportCommit(gitDirectory, commit, destination) {
  const listing = execFileSync('git', ['--git-dir', gitDirectory, 'ls-tree', '-r', '-z', commit], {
    maxBuffer: 1 << 30,
  });
  const entries = [];
  for (const record of listing.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, id] = record.slice(0, tab).split(' ');
    if (type === 'blob') entries.push({ mode, id, path: record.slice(tab + 1) });
  }
  const batch = spawn('git', ['--git-dir', gitDirectory, 'cat-file', '--batch'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  batch.stdin.end(entries.map((entry) => `${entry.id}\n`).join(''));
  const chunks = [];
  for await (const chunk of batch.stdout) chunks.push(chunk);
  const answer = Buffer.concat(chunks);
  let offset = 0;
  let missing = 0;
  for (const entry of entries) {
    const newline = answer.indexOf(10, offset);
    const header = answer.toString('utf8', offset, newline).split(' ');
    offset = newline + 1;
    if (header[1] === 'missing') {
      missing += 1;
      continue;
    }
    const size = Number(header[2]);
    const data = answer.subarray(offset, offset + size);
    offset += size + 1;
    const path = join(destination, entry.path);
    mkdirSync(dirname(path), { recursive: true });
    if (entry.mode === '120000') symlinkSync(data.toString('utf8'), path);
    else {
      writeFileSync(path, data);
      if (entry.mode === '100755') chmodSync(path, 0o755);
    }
  }
  return [entries.length - missing, missing];
}

function commitAll(directory) {
  execFileSync('git', ['init', '-q'], { cwd: directory });
  execFileSync('git', ['add', '-A'], { cwd: directory, maxBuffer: 1 << 30 });
  execFileSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'commit', '-qm', 'snapshot'], {
    cwd: directory,
  });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const repository of REPOSITORIES) {
  const gitDirectory = gitDirectoryOf(repository);
  const short = repository.name.split('/')[1];
  const targets = [join(out, 'combined', short)];
  if (short === 'eslint' || short === 'biome') targets.push(join(out, short));
  for (const target of targets) {
    const [written, missing] = await exportCommit(gitDirectory, repository.commit, target);
    console.error(
      `${repository.name}@${repository.commit.slice(0, 8)} → ${target}: ${written} files, ${missing} missing`,
    );
  }
}
for (const tree of ['eslint', 'biome', 'combined']) commitAll(join(out, tree));
console.log(['eslint', 'biome', 'combined'].map((tree) => join(out, tree)).join(':'));
