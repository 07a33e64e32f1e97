import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { getWorkflows, NEEDS, type Located } from '../../src/parsers/workflows.js';
import { hasNoWorkflows, problemFindings } from '../lib/workflow-checks.js';

const SHA = /^[0-9a-f]{40}$/i;
const DIGEST = /@sha256:[0-9a-f]{64}$/i;

/** Why a `uses:` reference is not pinned, or undefined when it is pinned or local. */
export function unpinnedReason(uses: string): string | undefined {
  const reference = uses.trim();
  if (reference.startsWith('./') || reference.startsWith('.\\')) return undefined;
  if (reference.startsWith('docker://'))
    return DIGEST.test(reference) ? undefined : `\`${reference}\` is not pinned to an image digest (\`@sha256:…\`)`;
  const at = reference.lastIndexOf('@');
  if (at < 0) return `\`${reference}\` has no version at all`;
  const ref = reference.slice(at + 1);
  if (SHA.test(ref)) return undefined;
  if (/^[0-9a-f]{7,39}$/i.test(ref)) return `\`${reference}\` uses a short SHA; use the full 40-character commit SHA`;
  return `\`${reference}\` is pinned to \`${ref}\`, a movable tag or branch, not a commit SHA`;
}

export default defineCheck({
  id: 'workflow-actions-pinned',
  category: 'workflows',
  severity: 'medium',
  problemTitle: 'GitHub Actions are not pinned to commit SHAs',
  title: 'Actions pinned to commit SHAs',
  description:
    'Every `uses:` of another repository’s action or reusable workflow (in workflows and local composite actions) is pinned to a full 40-character commit SHA, and every `docker://` image to a digest. Local actions (`./…`) are exempt. Each unpinned line is annotated; the score is the pinned share.',
  rationale:
    'A tag like `@v4` can be moved by whoever controls the action’s repository. When an action is compromised (tj-actions/changed-files, 2025), every workflow that follows the tag runs the attacker’s code with its secrets. A commit SHA cannot be moved.',
  remediation: [
    'Replace each tag the findings name with the commit SHA it points to, and keep the tag as a comment so Dependabot can update it:',
    '',
    '```yaml',
    '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    '```',
    '',
    'Tools such as `pinact` or `frizbee` rewrite every workflow at once.',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { files: [...NEEDS] },
  evaluate({ repository }) {
    const model = getWorkflows(repository);
    if (hasNoWorkflows(model) && !model.actions.length)
      return result.notApplicable('no GitHub Actions workflows or local actions');
    const references: Array<{ path: string; uses: Located<string> }> = [];
    for (const workflow of model.workflows) {
      for (const job of workflow.jobs) {
        if (job.uses) references.push({ path: workflow.path, uses: job.uses });
        for (const step of job.steps) if (step.uses) references.push({ path: workflow.path, uses: step.uses });
      }
    }
    for (const action of model.actions) {
      for (const step of action.steps) if (step.uses) references.push({ path: action.path, uses: step.uses });
      if (action.image?.value.startsWith('docker://')) references.push({ path: action.path, uses: action.image });
    }
    const external = references.filter((reference) => !reference.uses.value.startsWith('./'));
    const findings: Finding[] = [];
    for (const reference of external) {
      const reason = unpinnedReason(reference.uses.value);
      if (reason) findings.push({ message: reason, path: reference.path, line: reference.uses.line });
    }
    const problems = problemFindings(model);
    if (!external.length)
      return problems.length
        ? result.warn('no external action found; some files could not be parsed', problems)
        : result.pass('no external actions are used');
    const pinned = external.length - findings.length;
    const summary = `${pinned} of ${external.length} external action reference(s) pinned to a commit SHA or digest`;
    if (!findings.length)
      return problems.length
        ? result.warn(`${summary}; some files could not be parsed`, problems)
        : result.pass(summary);
    return { outcome: 'fail', summary, findings: [...findings, ...problems], score: pinned / external.length };
  },
});
