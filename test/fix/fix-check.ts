import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import type { AnyCheckDefinition } from '../../src/engine/types.js';
import { planFixes, type FixPlan } from '../../src/fix/plan.js';
import type { FixServices } from '../../src/fix/types.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';
import type { CheckReport } from '../../src/report/types.js';
import { runCheck, type RepoFiles } from '../helpers/run-check.js';

export interface FixedTree {
  plan: FixPlan;
  /** The check's report before the fix. */
  before: CheckReport;
  /** The check's report on the fixed tree: the real check on the real engine. */
  after: CheckReport;
  /** The tree after the fix. */
  files: RepoFiles;
  /** Text of each changed or created file. */
  changed: Record<string, string>;
}

/**
 * Runs a check's fixer through the planner on an in-memory tree, applies the edits, and evaluates the same check
 * on the result: every fixer test asserts `after.outcome` is `pass`, so a fix that does not satisfy its own check
 * cannot land.
 */
export async function fixCheck(
  check: AnyCheckDefinition,
  files: RepoFiles,
  options: { config?: ConfigInput; services?: FixServices; checks?: AnyCheckDefinition[] } = {},
): Promise<FixedTree> {
  const checks = options.checks ?? [check];
  const plan = await planFixes({
    source: new MemorySource(files),
    checks,
    config: configSchema.parse(options.config ?? {}),
    ...(options.services ? { services: options.services } : {}),
  });
  const changed = Object.fromEntries(plan.applied.files.map((file) => [file.path, file.after]));
  const fixed: RepoFiles = { ...files, ...changed };
  const before = plan.before.checks.find((report) => report.id === check.id)!;
  const after = await runCheck(check, fixed, options.config ? { config: options.config } : {});
  return { plan, before, after, files: fixed, changed };
}
