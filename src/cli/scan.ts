import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { allChecks } from '../../checks/index.js';
import { CONFIG_PATH, loadConfigFile, parseConfigText } from '../config/load.js';
import { defaultConfig, type Config } from '../config/schema.js';
import { GitHubApiError, QuotaExhaustedError } from '../github/errors.js';
import type { SnapshotSource } from '../snapshot/types.js';
import { parseRepositoryName, resolveRemoteTarget } from './remote.js';
import { EvaluationTimeoutError, evaluateBySize, poolSettingsFromEnv } from '../engine/worker-pool.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import { renderJson } from '../report/render-json.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { renderSarif } from '../report/render-sarif.js';
import { escapeTerminal } from '../report/escape.js';
import { renderText } from '../report/render-text.js';
import type { Report } from '../report/types.js';
import { LocalSource, type LocalProgress } from '../snapshot/local-source.js';
import { decideCliGate } from './gate.js';

import type { CliIo } from './main.js';
import { USAGE, UsageError } from './usage.js';

// `shipready scan` and `shipready checks`: imported by the CLI only when one of them runs.

const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export function listChecks(io: CliIo): number {
  const idWidth = Math.max(...allChecks.map((check) => check.id.length));
  for (const check of allChecks) {
    const profiles = check.profiles ? ` [${check.profiles.join(', ')}]` : '';
    io.stdout.write(
      `${check.id.padEnd(idWidth)}  ${check.category.padEnd(13)} ${check.severity.padEnd(8)} ${check.title}${profiles}\n`,
    );
  }
  io.stdout.write(
    `\n${allChecks.length} checks. Turn one off or change its severity in ${CONFIG_PATH}: checks: { <id>: off | <severity> }\n`,
  );
  return 0;
}

function parseScanArgs(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        'fail-on': { type: 'string' },
        'min-score': { type: 'string' },
        repo: { type: 'string' },
        ref: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`scan takes one directory, got ${positionals.length}`);
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);
  const failOn = values['fail-on'] as Severity | 'none' | undefined;
  if (failOn !== undefined && !([...SEVERITIES, 'none'] as string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${[...SEVERITIES, 'none'].join(', ')}, got "${failOn}"`);
  }
  let minScore: number | undefined;
  if (values['min-score'] !== undefined) {
    minScore = Number(values['min-score']);
    if (!Number.isInteger(minScore) || minScore < 0 || minScore > 100)
      throw new UsageError(`--min-score must be a whole number from 0 to 100, got "${values['min-score']}"`);
  }
  if (values.repo !== undefined && positionals.length)
    throw new UsageError('give either a directory or --repo, not both');
  if (values.ref !== undefined && values.repo === undefined) throw new UsageError('--ref goes with --repo');
  const repository = values.repo === undefined ? undefined : parseRepositoryName(values.repo);
  if (values.repo !== undefined && !repository) throw new UsageError(`--repo takes owner/name, got "${values.repo}"`);
  return {
    directory: positionals[0] ?? '.',
    repository,
    ref: values.ref,
    format,
    output: values.output,
    config: values.config,
    failOn,
    minScore,
    help: values.help === true,
  };
}

export async function scan(args: string[], io: CliIo): Promise<number> {
  const options = parseScanArgs(args);
  if (options.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  let source: SnapshotSource;
  let config: Config;
  const progress = createProgress(io);
  if (options.repository) {
    const { owner, repo } = options.repository;
    let remote;
    try {
      remote = await resolveRemoteTarget({ owner, repo, ref: options.ref, env: io.env });
    } catch (error) {
      const status = (error as { status?: number }).status;
      const hint =
        status === 401
          ? ' (check GITHUB_TOKEN)'
          : status === 404
            ? ' (no such repository or ref, or the token cannot see it)'
            : '';
      io.stderr.write(`shipready: cannot read ${owner}/${repo}: ${(error as Error).message}${hint}\n`);
      return 2;
    }
    source = remote.source;
    if (options.config)
      config = await loadConfigFile(resolve(io.cwd, options.config), { explicit: true, checks: allChecks });
    else if (remote.configText !== undefined)
      config = parseConfigText(remote.configText, { file: `${owner}/${repo}:${CONFIG_PATH}`, checks: allChecks });
    else config = defaultConfig();
  } else {
    const directory = resolve(io.cwd, options.directory);
    const configPath = options.config ? resolve(io.cwd, options.config) : join(directory, CONFIG_PATH);
    config = await loadConfigFile(configPath, { explicit: Boolean(options.config), checks: allChecks });
    source = new LocalSource(directory, { onProgress: progress.counts });
  }
  let report: Report;
  try {
    // Large trees are evaluated in a worker with a time budget; small ones in-process (a worker start costs more).
    report = await evaluateBySize(
      { source, checks: allChecks, config, onProgress: progress.update },
      poolSettingsFromEnv(io.env),
    );
  } catch (error) {
    if (error instanceof EvaluationTimeoutError) {
      io.stderr.write(`shipready: ${escapeTerminal(error.message)}\n`);
      return 2;
    }
    if (!(error instanceof QuotaExhaustedError) && !(error instanceof GitHubApiError)) throw error;
    io.stderr.write(`shipready: the GitHub API stopped the scan: ${error.message}\n`);
    return 2;
  } finally {
    progress.done();
  }
  const rendered = render(report, options.format, useColor(io), terminalWidth(io));
  if (options.output) {
    await writeFile(resolve(io.cwd, options.output), rendered);
    io.stderr.write(
      `shipready: wrote the ${options.format} report to ${options.output} (score ${report.score ?? 'none'}, ${report.verdict})\n`,
    );
  } else {
    io.stdout.write(rendered);
  }
  const gate = decideCliGate(report, options.failOn ?? config.gate.failOn, options.minScore ?? config.gate.minScore);
  if (!gate.passed) io.stderr.write(`shipready: gate failed: ${gate.reasons.join('; ')}\n`);
  return gate.passed ? 0 : 1;
}

function render(report: Report, format: Format, color: boolean, width: number): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report, { generatedAt: new Date() });
    case 'sarif':
      return renderSarif(report);
    default:
      return renderText(report, { color, width });
  }
}

function useColor(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return Boolean(io.stdout.isTTY);
}

/** The terminal's width for wrapping the text report; 100 columns when standard output is not a terminal. */
function terminalWidth(io: CliIo): number {
  const columns = (io.stdout as { columns?: number }).columns;
  return io.stdout.isTTY && columns && columns >= 40 ? columns : 100;
}

/**
 * A one-line progress indicator on an interactive stderr, with counts (files listed, files read of those to read)
 * so it visibly moves on a 100,000-file tree; silent otherwise (CI logs and piped output stay clean). Standard
 * output is untouched, so `--format json > report.json` on a terminal still gets only the report.
 */
function createProgress(io: CliIo): {
  update: (stage: string) => void;
  counts: (progress: LocalProgress) => void;
  done: () => void;
} {
  if (!io.stderr.isTTY || io.env.CI) return { update: () => {}, counts: () => {}, done: () => {} };
  const started = Date.now();
  let shown = false;
  let stage = 'starting';
  let detail = '';
  let lastWrite = 0;
  const write = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastWrite < 100) return;
    lastWrite = now;
    shown = true;
    io.stderr.write(
      `\r\u001b[2Kshipready: ${stage}${detail ? ` (${detail})` : ''}… ${((now - started) / 1000).toFixed(1)}s`,
    );
  };
  return {
    update(next) {
      stage = next;
      write(true);
    },
    counts({ listed, read, toRead }) {
      detail = toRead ? `${listed} files listed, ${read} of ${toRead} read` : `${listed} files listed`;
      write(read === toRead && toRead > 0);
    },
    done() {
      if (shown) io.stderr.write('\r\u001b[2K');
    },
  };
}
