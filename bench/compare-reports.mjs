#!/usr/bin/env node
/**
 * Byte-identical reports before and after an optimisation: runs two builds of the CLI (`bin/shipready.js` of two
 * checkouts) on each directory with `--format json` and compares the reports, leaving out only the fields that
 * measure time. Exit 0 when every report is identical, 1 otherwise (the first differing lines are printed).
 *
 *   node bench/compare-reports.mjs BEFORE_CHECKOUT AFTER_CHECKOUT DIR [DIR ...]
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const [before, after, ...directories] = process.argv.slice(2);
if (!before || !after || directories.length === 0) {
  process.stderr.write('usage: node bench/compare-reports.mjs BEFORE_CHECKOUT AFTER_CHECKOUT DIR [DIR ...]\n');
  process.exit(2);
}
const TIMING = new Set(['durationMs', 'generatedAt', 'elapsedMs']);

function report(checkout, directory) {
  const run = spawnSync(
    process.execPath,
    [join(resolve(checkout), 'bin', 'shipready.js'), 'scan', directory, '--format', 'json'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  );
  if (run.status === 2) throw new Error(`${checkout} on ${directory}: ${run.stderr}`);
  return JSON.stringify(JSON.parse(run.stdout), (key, value) => (TIMING.has(key) ? undefined : value), 1).split('\n');
}

let different = 0;
for (const directory of directories) {
  const [a, b] = [report(before, directory), report(after, directory)];
  const at = a.findIndex((line, index) => line !== b[index]);
  if (at === -1 && a.length === b.length) {
    process.stdout.write(`identical  ${directory} (${a.length} lines)\n`);
    continue;
  }
  different += 1;
  const line = at === -1 ? Math.min(a.length, b.length) : at;
  process.stdout.write(`DIFFERENT  ${directory} at line ${line + 1}\n  before: ${a[line]}\n  after:  ${b[line]}\n`);
}
process.exit(different ? 1 : 0);
