#!/usr/bin/env node
/**
 * The files one scan reads: runs the built engine in-process on DIR with a LocalSource that records what it is asked
 * to read, and writes those paths NUL-separated to OUT (the input of bench/bound.mjs). Prints how many files and
 * bytes. The bound of a scan is listing the tree plus reading exactly these files once.
 *
 *   node bench/read-list.mjs DIR OUT
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const load = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
const [{ evaluateRepository }, { LocalSource }, { allChecks }, { loadConfigFile, CONFIG_PATH }] = await Promise.all([
  load('src/engine/runner.js'),
  load('src/snapshot/local-source.js'),
  load('checks/index.js'),
  load('src/config/load.js'),
]);

const [directoryArgument, out] = process.argv.slice(2);
if (!directoryArgument || !out) {
  process.stderr.write('usage: node bench/read-list.mjs DIR OUT\n');
  process.exit(2);
}
const directory = resolve(directoryArgument);
const source = new LocalSource(directory);
const asked = [];
const readFiles = source.readFiles.bind(source);
source.readFiles = async (entries, limits) => {
  const texts = await readFiles(entries, limits);
  for (const entry of entries) asked.push(entry.path);
  return texts;
};
const config = await loadConfigFile(join(directory, CONFIG_PATH), { explicit: false, checks: allChecks });
await evaluateRepository({ source, checks: allChecks, config });
const unique = [...new Set(asked)];
writeFileSync(out, unique.join('\0'));
console.log(JSON.stringify({ files: unique.length }));
