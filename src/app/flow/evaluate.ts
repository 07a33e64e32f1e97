import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import { evaluateRepository } from '../../engine/runner.js';
import { SupersededError } from '../../github/octokit.js';
import type { Report } from '../../report/types.js';
import { isQuotaExhausted } from './faults.js';
import { hashOf, noBaseNote, reportKey } from './helpers.js';
import type { Sources } from './sources.js';
import { configBlobOf, type Trees } from './trees.js';
import type { FlowDeps, Target } from './types.js';

// Steps 5 and 6: the head evaluated, then the base (reused when the tree is the same or the report is cached).

export async function evaluateHead({
  sources,
  config,
  checks,
  evaluate = evaluateRepository,
}: {
  sources: Sources;
  config: Config;
  checks: FlowDeps['checks'];
  evaluate?: FlowDeps['evaluate'];
}): Promise<Report> {
  return evaluate({ source: sources.head, checks, config });
}

export async function evaluateBase(input: {
  sources: Sources;
  target: Target;
  trees: Trees;
  head: Report;
  config: Config;
  deps: FlowDeps;
  log: Logger;
}): Promise<{ report?: Report; note?: string; read?: boolean }> {
  const { sources, target, trees, head, config, deps, log } = input;
  if (!target.base || !trees.base) return trees.baseNote ? { note: trees.baseNote } : {};
  const key = reportKey(target, target.base.sha);
  const configKey = hashOf(config);
  if (trees.base.signature === trees.headSignature) return { report: head };
  const cached = deps.reports.get(key)?.reports.get(configKey);
  if (cached) return { report: cached };
  try {
    const report = await (deps.evaluate ?? evaluateRepository)({ source: sources.base!, checks: deps.checks, config });
    deps.reports.set(key, { signature: trees.base.signature, configBlob: trees.base.configBlob, configKey, report });
    return { report, read: true };
  } catch (error) {
    if (isQuotaExhausted(error) || error instanceof SupersededError) throw error;
    log.warn({ err: error, baseSha: target.base.sha }, 'base commit could not be evaluated; reporting the head alone');
    return { note: noBaseNote(target, error) };
  }
}

/**
 * A default-branch head, kept as the next push's base (its `before`) and as the base of PRs on it, and
 * remembered as the branch's last evaluation.
 */
export function rememberDefaultBranch(input: {
  target: Target;
  trees: Trees;
  config: Config;
  head: Report;
  /** Whether the head was compared with the base (false when the previous commit could not be evaluated). */
  compared: boolean;
  deps: FlowDeps;
}) {
  const { target, trees, config, head, compared, deps } = input;
  if (!target.isDefaultBranch) return;
  deps.reports.set(reportKey(target, target.headSha), {
    signature: trees.headSignature,
    configBlob: configBlobOf(trees.head),
    configKey: hashOf(config),
    report: head,
  });
  const baseSha = target.base && compared ? target.base.sha : undefined;
  deps.reports.rememberEvaluated(`${target.owner}/${target.repo}`, target.headSha, baseSha);
}
