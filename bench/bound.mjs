#!/usr/bin/env node
/**
 * The physical bound of a scan, as a process of its own: list the tree with `git ls-files -z` and read once each
 * file a scan reads (the NUL-separated list bench/read-list.mjs writes), synchronously, doing nothing with them.
 * A scan cannot take less than this on the same machine: it must list the tree and read these files.
 *
 *   node bench/bound.mjs DIR LIST
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [directory, list] = process.argv.slice(2);
if (!directory || !list) {
  process.stderr.write('usage: node bench/bound.mjs DIR LIST\n');
  process.exit(2);
}
const listed = execFileSync('git', ['ls-files', '-z'], { cwd: directory, maxBuffer: 1 << 30 });
let bytes = 0;
const paths = readFileSync(list, 'utf8').split('\0').filter(Boolean);
for (const path of paths) bytes += readFileSync(join(directory, path)).length;
console.log(JSON.stringify({ listedBytes: listed.length, read: paths.length, bytes }));
