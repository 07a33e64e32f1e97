import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import type { AnyCheckDefinition } from '../../src/engine/types.js';
import { MemorySource, type MemoryFile } from '../../src/snapshot/memory-source.js';
import type { Settings } from '../../src/snapshot/types.js';
import type { CheckReport, Report } from '../../src/report/types.js';

export type RepoFiles = Record<string, string | Uint8Array | MemoryFile>;

export interface RunOptions {
  /** Repository settings as the GitHub source would give them; when set, the source reports itself as 'github'. */
  settings?: Settings;
  config?: ConfigInput;
}

/** Evaluates checks through the real engine (needs, one fetch, suppression, scoring) on an in-memory repository. */
export async function runChecks(
  checks: readonly AnyCheckDefinition[],
  files: RepoFiles,
  options: RunOptions = {},
): Promise<Report> {
  const report = await evaluateRepository({
    source: new MemorySource(files, options.settings ? { settings: options.settings } : {}),
    checks,
    config: configSchema.parse(options.config ?? {}),
  });
  return withoutLineKeys(report);
}

/**
 * Check tests assert what a check says; `lineKey` is the engine's identity of a finding's line (a hash, tested in
 * test/engine), so it is left out here rather than repeated in every check's expected findings.
 */
function withoutLineKeys(report: Report): Report {
  const strip = (checks: CheckReport[]) =>
    checks.map((check) => ({
      ...check,
      findings: check.findings.map(({ lineKey: _lineKey, ...finding }) => finding),
    }));
  return {
    ...report,
    checks: strip(report.checks),
    ...(report.projects
      ? { projects: report.projects.map((project) => ({ ...project, checks: strip(project.checks) })) }
      : {}),
  };
}

/** Evaluates one check and returns its report entry (fails the test if the check erred unexpectedly). */
export async function runCheck(
  check: AnyCheckDefinition,
  files: RepoFiles,
  options: RunOptions = {},
): Promise<CheckReport> {
  const report = await runChecks([check], files, options);
  return report.checks[0];
}
