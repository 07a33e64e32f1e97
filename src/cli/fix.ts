import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Octokit } from '@octokit/rest';
import { allChecks } from '../../checks/index.js';
import { CONFIG_PATH, loadConfigFile } from '../config/load.js';
import { evaluateRepository } from '../engine/runner.js';
import type { AnyCheckDefinition } from '../engine/types.js';
import { renderUnifiedDiff } from '../fix/diff.js';
import { evaluateFixed, planFixes, type FixPlan } from '../fix/plan.js';
import type { FixServices } from '../fix/types.js';
import { createActionRefResolver } from '../github/action-refs.js';
import { escapeTerminal } from '../report/escape.js';
import type { Report } from '../report/types.js';
import { LocalSource } from '../snapshot/local-source.js';

/** What `fix` needs from the CLI's io besides the streams: a yes/no question, only when a person can answer it. */
export interface FixIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Asks a yes/no question on the terminal; absent when standard input is not a terminal. */
  confirm?: (question: string) => Promise<boolean>;
}

export { FIX_USAGE, FixUsageError } from './usage.js';
import { FIX_USAGE, FixUsageError } from './usage.js';

export function parseFixArgs(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        check: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new FixUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new FixUsageError(`fix takes one directory, got ${positionals.length}`);
  if (values['dry-run'] && values.yes) throw new FixUsageError('give either --dry-run or --yes, not both');
  const only = values.check
    ?.flatMap((value) => value.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of only ?? []) {
    const check = allChecks.find((candidate) => candidate.id === id);
    if (!check) throw new FixUsageError(`--check: no check is called "${id}" (shipready checks lists them)`);
    if (!check.fix) throw new FixUsageError(`--check: ${id} has no automatic fix; fixable: ${fixableIds().join(', ')}`);
  }
  return {
    directory: positionals[0] ?? '.',
    only,
    dryRun: values['dry-run'] === true,
    yes: values.yes === true,
    config: values.config,
    help: values.help === true,
  };
}

const fixableIds = () => allChecks.filter((check) => check.fix).map((check) => check.id);

/** Action pinning needs the API; the CLI uses it only with a token, so a plain `fix` never goes on the network. */
export function cliFixServices(env: Record<string, string | undefined>): FixServices {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token)
    return { offlineReason: 'set GITHUB_TOKEN (or GH_TOKEN) so shipready can look the tags up, then run fix again' };
  const octokit = new Octokit({
    auth: token,
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    userAgent: 'shipready-cli',
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { resolveActionRef: createActionRefResolver(octokit) };
}

export async function runFix(args: string[], io: FixIo): Promise<number> {
  const options = parseFixArgs(args);
  if (options.help) {
    io.stdout.write(FIX_USAGE);
    return 0;
  }
  const directory = resolve(io.cwd, options.directory);
  const configPath = options.config ? resolve(io.cwd, options.config) : join(directory, CONFIG_PATH);
  const config = await loadConfigFile(configPath, { explicit: Boolean(options.config), checks: allChecks });
  const checks: readonly AnyCheckDefinition[] = allChecks;
  const planOptions = {
    source: new LocalSource(directory),
    checks,
    config,
    ...(options.only ? { only: options.only } : {}),
    services: cliFixServices(io.env),
  };
  const plan = await planFixes(planOptions);
  const say = (text: string) => io.stderr.write(`${escapeTerminal(text)}\n`);
  reportRuns(plan, say);
  if (!plan.applied.files.length) {
    say(`shipready: nothing to fix${plan.unfixable.length ? ' automatically' : ''}; score ${scoreOf(plan.before)}.`);
    return 0;
  }
  const diff = renderUnifiedDiff(plan.applied.files);
  // Piped, the diff stays byte-exact for `git apply`; on a terminal, escapes from the files are shown, not obeyed.
  io.stdout.write(io.stdout.isTTY ? escapeTerminal(diff) : diff);
  const projected = await evaluateFixed(planOptions, plan);
  const files = plan.applied.files.length;
  say(`shipready: ${files} file(s) to write; score ${scoreLine(plan.before, projected)} once written.`);
  let apply = options.yes;
  if (!apply && !options.dryRun) {
    if (io.confirm) apply = await io.confirm(`Write these ${files} file(s)? [y/N] `);
    else say('shipready: standard input is not a terminal and --yes was not given: nothing written (a dry run).');
  }
  if (!apply) {
    const again = [
      'shipready fix',
      ...(options.directory === '.' ? [] : [options.directory]),
      ...(options.only ?? []).map((id) => `--check ${id}`),
      '--yes',
    ].join(' ');
    say(`shipready: nothing written. Run \`${again}\` to write the fixes.`);
    return 1;
  }
  try {
    for (const file of plan.applied.files) await writeInside(directory, file.path, file.after);
  } catch (error) {
    say(`shipready: could not write the fixes: ${(error as Error).message}`);
    return 2;
  }
  // The score after is measured on the disk as written, not on the projection.
  const after = await evaluateRepository({ source: new LocalSource(directory), checks, config });
  say(`shipready: wrote ${files} file(s): ${plan.applied.files.map((file) => file.path).join(', ')}`);
  say(`shipready: score ${scoreLine(plan.before, after)}.`);
  return 0;
}

function reportRuns(plan: FixPlan, say: (text: string) => void) {
  for (const run of plan.runs) {
    const where = run.projectPath ? ` (${run.projectPath})` : '';
    for (const note of run.notes) say(`  ${run.checkId}${where}: ${note}`);
    for (const skip of run.skipped) say(`  ${run.checkId}${where}: skipped: ${skip}`);
  }
  for (const { edit, reason } of plan.applied.refused) say(`  not applied to ${edit.path}: ${reason}`);
  if (plan.unfixable.length) say(`  no automatic fix for: ${plan.unfixable.join(', ')}`);
}

/** Checks that fail (not warn) anywhere: the repository's and each project's, by id. */
export function failingChecks(report: Report): string[] {
  const ids = new Set<string>();
  for (const check of [...report.checks, ...(report.projects ?? []).flatMap((project) => project.checks)])
    if (check.outcome === 'fail') ids.add(check.id);
  return [...ids].sort();
}

const scoreOf = (report: Report) => (report.score === null ? 'none' : String(report.score));

function scoreLine(before: Report, after: Report): string {
  const failing = (report: Report) => failingChecks(report).length;
  return `${scoreOf(before)} → ${scoreOf(after)} (${before.rating} → ${after.rating}; failing checks ${failing(before)} → ${failing(after)})`;
}

/**
 * Writes a file under the directory, never through a symbolic link: a fixer's path is repository-relative and
 * checked, but a checked-out symlink (`docs -> /etc`) must not carry a write outside the tree.
 */
async function writeInside(root: string, path: string, text: string): Promise<void> {
  const segments = path.split('/');
  let current = root;
  for (const segment of segments.slice(0, -1)) {
    current = join(current, segment);
    const stat = await lstat(current).catch(() => undefined);
    if (!stat) break;
    if (stat.isSymbolicLink() || !stat.isDirectory()) throw new Error(`${path}: ${current} is not a plain directory`);
  }
  const target = join(root, path);
  const stat = await lstat(target).catch(() => undefined);
  if (stat && !stat.isFile()) throw new Error(`${path} is not a regular file`);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, text);
}
