import { nextTurn } from '../../snapshot/turns.js';
import type { Config } from '../../config/schema.js';
import { compareReports, decideGate, type Comparison, type GateDecision } from '../../engine/compare.js';
import { diffConfigs } from '../../engine/config-diff.js';
import { evaluateRepository } from '../../engine/runner.js';
import type { ConfigChangePreview } from '../../report/config-changes.js';
import type { Report } from '../../report/types.js';
import type { Rules } from './configuration.js';
import { hashOf } from './helpers.js';
import type { Sources } from './sources.js';
import type { FlowDeps, Target } from './types.js';

// Step 7: head compared with base, the gate's verdict, and what the PR's own config would change.

export async function compareAndGate({
  head,
  base,
  config,
  target,
}: {
  head: Report;
  base?: Report;
  config: Config;
  target: Target;
}): Promise<{ comparison: Comparison; gate: GateDecision }> {
  const comparison = compareReports(head, base);
  const gate = decideGate({ head, comparison, gate: config.gate, draft: target.pull?.draft ?? false });
  // Comparing two 100,000-file reports is tens of milliseconds: webhooks waiting meanwhile are answered before the
  // rendering steps that follow.
  await nextTurn();
  return { comparison, gate };
}

/**
 * The PR's own config, previewed: the head evaluated again with it (from the same snapshot: the texts already read
 * are reused, so a config that only turns things off or ignores paths reads nothing more) and compared change by
 * change with the rules that gate it.
 */
export async function previewConfigChanges(input: {
  sources: Sources;
  rules: Rules;
  head: Report;
  base: { report?: Report; read?: boolean };
  sameTree: boolean;
  comparison: Comparison;
  gate: GateDecision;
  target: Target;
  checks: FlowDeps['checks'];
}): Promise<ConfigChangePreview | undefined> {
  const { sources, rules, head, target, checks } = input;
  if (!rules.pull) return undefined;
  const pull = rules.pull.config;
  const same = hashOf(pull) === hashOf(rules.config);
  const headWithPullRules = same ? head : await evaluateRepository({ source: sources.head, checks, config: pull });
  // The verdict the PR's rules would give, when the base can be judged by them without reading more: the same tree,
  // or a base read in this run (its texts are kept). A base from the cache would cost reads: left out.
  const baseWithPullRules = !input.base.report
    ? undefined
    : same
      ? input.base.report
      : input.sameTree
        ? headWithPullRules
        : input.base.read
          ? await evaluateRepository({ source: sources.base!, checks, config: pull })
          : undefined;
  const conclusionWithPullRules = baseWithPullRules
    ? decideGate({
        head: headWithPullRules,
        comparison: compareReports(headWithPullRules, baseWithPullRules),
        gate: pull.gate,
        draft: target.pull?.draft ?? false,
      }).conclusion
    : undefined;
  const preview = diffConfigs({
    checks,
    base: rules.config,
    pull: rules.pull.config,
    headWithBaseRules: head,
    headWithPullRules,
    ...(input.base.report ? { baseReport: input.base.report } : {}),
    comparison: input.comparison,
    draft: target.pull?.draft ?? false,
    path: rules.pull.path,
  });
  if (conclusionWithPullRules && conclusionWithPullRules !== input.gate.conclusion)
    preview.conclusionWithPullRules = conclusionWithPullRules;
  return preview.changes.length ? preview : undefined;
}
