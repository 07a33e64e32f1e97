import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { getWorkflows, NEEDS, type Located } from '../../src/parsers/workflows.js';
import { hasNoWorkflows, problemFindings } from '../lib/workflow-checks.js';
import { workflowLines } from '../lib/workflow-fixes.js';
import type { FileEdit, ResolvedRef } from '../../src/fix/types.js';

/** `owner/repo[/path]@ref` of another repository's action or reusable workflow; undefined for anything else. */
function parseActionReference(uses: string): { owner: string; repo: string; name: string; ref: string } | undefined {
  const at = uses.lastIndexOf('@');
  if (at < 0 || uses.startsWith('./') || uses.startsWith('docker://')) return undefined;
  const name = uses.slice(0, at);
  const ref = uses.slice(at + 1);
  const [owner, repo] = name.split('/');
  if (!owner || !repo || !/^[\w.-]+$/.test(owner) || !/^[\w.-]+$/.test(repo) || !ref || /\s/.test(ref))
    return undefined;
  return { owner, repo, name, ref };
}

/** The `uses:` references of workflows and local actions, with the file and line each is on. */
function listReferences(model: ReturnType<typeof getWorkflows>): Array<{ path: string; uses: Located<string> }> {
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
  return references;
}

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
    const references = listReferences(model);
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
  fixable:
    'replaces each tag or branch with the commit SHA it points at (resolved through the GitHub API), keeping the tag as a `# vX.Y.Z` comment',
  async fix({ repository, services }) {
    const unpinned = listReferences(getWorkflows(repository)).filter(
      (reference) => !reference.uses.value.startsWith('./') && unpinnedReason(reference.uses.value),
    );
    const resolve = services.resolveActionRef;
    if (!resolve)
      return {
        edits: [],
        skipped: [
          `${unpinned.length} action reference(s) need the GitHub API to resolve tags to commit SHAs: ${services.offlineReason ?? 'set GITHUB_TOKEN (or GH_TOKEN)'}`,
        ],
      };
    const edits: FileEdit[] = [];
    const skipped: string[] = [];
    // One lookup per action and ref, however many workflows use it.
    const lookups = new Map<string, Promise<ResolvedRef | undefined>>();
    for (const { path, uses } of unpinned) {
      const where = `${path}:${uses.line}`;
      const reference = parseActionReference(uses.value.trim());
      if (!reference) {
        skipped.push(
          `${where}: \`${uses.value}\` is not an owner/repo@ref reference (docker images need a digest by hand)`,
        );
        continue;
      }
      const lines = workflowLines(repository, path);
      const line = lines?.[uses.line - 1];
      const written = `${reference.name}@${reference.ref}`;
      const column = line?.indexOf(written) ?? -1;
      if (!line || column < 0 || line.indexOf(written, column + 1) >= 0) {
        skipped.push(`${where}: \`${uses.value}\` is not written on one line as shipready read it`);
        continue;
      }
      const after = line.slice(column + written.length);
      const comment = after.indexOf('#');
      if (comment >= 0) {
        skipped.push(`${where}: the line already has a comment; pin \`${written}\` by hand`);
        continue;
      }
      const key = `${reference.owner}/${reference.repo}@${reference.ref}`.toLowerCase();
      if (!lookups.has(key))
        lookups.set(
          key,
          resolve(reference.owner, reference.repo, reference.ref).catch(() => undefined),
        );
      const resolved = await lookups.get(key)!;
      if (!resolved) {
        skipped.push(
          `${where}: \`${written}\` could not be resolved to a commit (no such tag or branch, or the API refused)`,
        );
        continue;
      }
      const label = resolved.tag ?? reference.ref;
      edits.push({
        kind: 'replace',
        path,
        startLine: uses.line,
        endLine: uses.line,
        lines: [`${line.slice(0, column)}${reference.name}@${resolved.sha}${after.trimEnd()} # ${label}`],
      });
    }
    return { edits, skipped };
  },
});
