import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { getWorkflows, NEEDS, type Permissions } from '../../src/parsers/workflows.js';
import { hasNoWorkflows, listSome, problemFindings } from '../lib/workflow-checks.js';
import { writeScopesOf } from '../lib/token-scopes.js';
import {
  blockEnd,
  indentUnit,
  jobBody,
  permissionsBlock,
  topLevelKeyLine,
  workflowLines,
} from '../lib/workflow-fixes.js';
import { insertBefore } from '../../src/fix/edits.js';
import type { FileEdit, FixOutput } from '../../src/fix/types.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { Workflow } from '../../src/parsers/workflows.js';

/**
 * The edits that leave `workflow` with a read-only top-level block and each write scope in the jobs whose steps
 * need it (token-scopes.ts). A write scope no job is seen to need stays with every job that inherited it, so the
 * fix never takes away access a job may use; the note asks to narrow it.
 */
function restrictWorkflow(repository: RepoSnapshot, workflow: Workflow): FixOutput {
  const edits: FileEdit[] = [];
  const notes: string[] = [];
  const skip = (why: string): FixOutput => ({ edits: [], skipped: [`${workflow.path}: ${why}`] });
  const top = workflow.permissions;
  if (top && top.kind !== 'scopes') {
    if (top.kind === 'read-all' || top.kind === 'none') return { edits: [] };
    return skip(
      top.kind === 'write-all'
        ? '`permissions: write-all` grants every scope; list the ones each job needs by hand'
        : '`permissions:` is not a map of scopes; fix it by hand',
    );
  }
  const topWrites = top ? Object.entries(top.scopes).filter(([, level]) => level.value === 'write') : [];
  if (top && !topWrites.length) return { edits: [] };
  const lines = workflowLines(repository, workflow.path);
  if (!lines) return skip('the file could not be read whole');
  const inheriting = workflow.jobs.filter((job) => !job.permissions);
  const calling = inheriting.find((job) => job.uses);
  if (calling)
    return skip(
      `job \`${calling.id}\` calls a reusable workflow without its own \`permissions\`; shipready cannot tell what it needs`,
    );
  const unit = indentUnit(lines, workflow);
  const needs = new Map(inheriting.map((job) => [job.id, writeScopesOf(job)]));
  for (const job of inheriting) {
    const { unsure } = needs.get(job.id)!;
    if (unsure.length)
      notes.push(
        `${workflow.path}: job \`${job.id}\` hands the token to ${unsure.join(', ')}; check it needs no write scope`,
      );
  }
  // Without a top-level block the jobs got the repository's default token; with one, they got its scopes.
  const inherited = new Map<string, string>(
    top ? Object.entries(top.scopes).map(([scope, level]) => [scope, level.value]) : [],
  );
  const unclaimed = topWrites
    .map(([scope]) => scope)
    .filter((scope) => !inheriting.some((job) => needs.get(job.id)!.scopes.has(scope)));
  for (const scope of unclaimed)
    notes.push(
      `${workflow.path}: no step is seen to need \`${scope}: write\`, so each job keeps it; narrow it to the jobs that use it`,
    );
  for (const job of inheriting) {
    const wanted = new Set([...needs.get(job.id)!.scopes, ...unclaimed]);
    if (!wanted.size) continue;
    const body = jobBody(lines, job);
    if (!body) return skip(`job \`${job.id}\` is not a block mapping; move its write scopes by hand`);
    const scopes = new Map<string, string>(
      top
        ? [...inherited].map(([scope, level]) => [scope, level === 'write' && !wanted.has(scope) ? 'read' : level])
        : [],
    );
    if (!scopes.has('contents')) scopes.set('contents', 'read');
    for (const scope of wanted) scopes.set(scope, 'write');
    edits.push(insertBefore(workflow.path, body.insertAt, permissionsBlock(body.indent, unit, scopes)));
  }
  if (top) {
    const readOnly = new Map([...inherited].map(([scope, level]) => [scope, level === 'write' ? 'read' : level]));
    const end = blockEnd(lines, top.line);
    edits.push({
      kind: 'replace',
      path: workflow.path,
      startLine: top.line,
      endLine: end,
      lines: permissionsBlock('', unit, readOnly),
    });
  } else {
    const jobsLine = topLevelKeyLine(lines, 'jobs');
    if (!jobsLine) return skip('no top-level `jobs:` line to put `permissions` before');
    edits.push(
      insertBefore(workflow.path, jobsLine, [...permissionsBlock('', unit, new Map([['contents', 'read']])), '']),
    );
  }
  return { edits, notes };
}

/** Why a permissions block is too broad, or undefined when it grants no write. */
function topLevelProblem(permissions: Permissions): Array<{ line: number; message: string }> {
  if (permissions.kind === 'write-all')
    return [{ line: permissions.line, message: '`permissions: write-all` gives every job write access to everything' }];
  if (permissions.kind === 'invalid')
    return [
      { line: permissions.line, message: '`permissions:` must be `read-all`, `write-all`, `{}` or a map of scopes' },
    ];
  if (permissions.kind === 'expression')
    return [
      { line: permissions.line, message: '`permissions:` is an expression; shipready cannot tell what it grants' },
    ];
  return Object.entries(permissions.scopes)
    .filter(([, level]) => level.value === 'write')
    .map(([scope, level]) => ({
      line: level.line,
      message: `top-level \`${scope}: write\` applies to every job; grant it only in the job that needs it`,
    }));
}

export default defineCheck({
  id: 'workflow-permissions-restricted',
  category: 'workflows',
  severity: 'high',
  problemTitle: 'Workflows give the GITHUB_TOKEN write access',
  title: 'Workflow token permissions restricted',
  description:
    'Every workflow declares top-level `permissions` that grant no write access (`contents: read`, `read-all` or `{}`), or every one of its jobs declares its own. `write-all`, top-level write scopes shared by several jobs and a missing block fail; top-level writes in a single-job workflow `warn` (the same effect today, but the next job added inherits them); top-level writes that every job overrides with its own block reach no job and pass; each is annotated on its line (a missing block on each job that lacks one). Workflows only called by others (`workflow_call`) inherit the caller’s token and are exempt.',
  rationale:
    'Without a `permissions` block the GITHUB_TOKEN gets the repository default, often read/write on contents, packages and pull requests. A compromised dependency or an injected command in any step can then push code or publish releases.',
  remediation: [
    'Add a read-only top-level block to each workflow, e.g. at the top of `.github/workflows/ci.yml`, and grant writes per job:',
    '',
    '```yaml',
    'permissions:',
    '  contents: read',
    'jobs:',
    '  release:',
    '    permissions:',
    '      contents: write   # only this job can push tags',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { files: [...NEEDS] },
  evaluate({ repository }) {
    const model = getWorkflows(repository);
    if (hasNoWorkflows(model)) return result.notApplicable('no GitHub Actions workflows');
    const findings: Finding[] = [];
    /** Top-level writes in single-job workflows: same effect as job-level today, so `warn`, not `fail`. */
    const narrowable: Finding[] = [];
    let compliant = 0;
    let counted = 0;
    for (const workflow of model.workflows) {
      if (workflow.triggers.length && workflow.triggers.every((trigger) => trigger.event === 'workflow_call')) continue;
      counted += 1;
      const own: Finding[] = [];
      const narrowableBefore = narrowable.length;
      const everyJobDeclares = workflow.jobs.length > 0 && workflow.jobs.every((job) => job.permissions);
      if (workflow.permissions?.kind === 'scopes' && workflow.jobs.length === 1 && !everyJobDeclares) {
        // One job: top-level writes reach only that job today, but the next job added inherits them.
        for (const problem of topLevelProblem(workflow.permissions))
          narrowable.push({
            message: `${problem.message.replace('applies to every job; grant it only in the job that needs it', `is only used by the one job \`${workflow.jobs[0].id}\` today, but every job added later inherits it; move it into that job`)}`,
            path: workflow.path,
            line: problem.line,
          });
      } else if (workflow.permissions && !(workflow.permissions.kind === 'scopes' && everyJobDeclares)) {
        // Jobs that all declare their own permissions replace the top-level block: its writes reach no job.
        for (const problem of topLevelProblem(workflow.permissions))
          own.push({ message: problem.message, path: workflow.path, line: problem.line });
      } else if (!workflow.permissions) {
        for (const job of workflow.jobs.filter((candidate) => !candidate.permissions)) {
          own.push({
            message: `job \`${job.id}\` has no \`permissions\` and the workflow has no top-level block, so it gets the default token permissions`,
            path: workflow.path,
            line: job.line,
          });
        }
      }
      for (const job of workflow.jobs) {
        if (job.permissions?.kind === 'write-all')
          own.push({
            message: `job \`${job.id}\` asks for \`write-all\`; list only the scopes it needs`,
            path: workflow.path,
            line: job.permissions.line,
          });
      }
      if (!own.length && narrowable.length === narrowableBefore) compliant += 1;
      findings.push(...own);
    }
    const problems = problemFindings(model);
    if (!counted)
      return problems.length
        ? result.warn('no workflow could be checked', problems)
        : result.pass('every workflow is a reusable workflow that inherits its caller’s token');
    const summary = `${compliant} of ${counted} workflow(s) restrict the GITHUB_TOKEN`;
    if (!findings.length && narrowable.length)
      return result.warn(
        `${summary}; top-level write scopes in single-job workflow(s) ${listSome([...new Set(narrowable.map((finding) => finding.path!))])}`,
        [...narrowable, ...problems],
        compliant / counted,
      );
    if (!findings.length)
      return problems.length
        ? result.warn(`${summary}; some files could not be parsed`, problems)
        : result.pass(summary);
    const failing = [...new Set(findings.map((finding) => finding.path!))];
    return {
      outcome: 'fail',
      summary: `${summary}; too broad or missing in ${listSome(failing)}`,
      findings: [...findings, ...narrowable, ...problems],
      score: compliant / counted,
    };
  },
  fixable:
    'adds a top-level `permissions: contents: read` and moves write scopes into the jobs whose steps need them (a release job)',
  fix({ repository }) {
    const output: Required<FixOutput> = { edits: [], notes: [], skipped: [] };
    for (const workflow of getWorkflows(repository).workflows) {
      if (workflow.triggers.length && workflow.triggers.every((trigger) => trigger.event === 'workflow_call')) continue;
      const one = restrictWorkflow(repository, workflow);
      output.edits.push(...one.edits);
      output.notes.push(...(one.notes ?? []));
      output.skipped.push(...(one.skipped ?? []));
      for (const job of workflow.jobs)
        if (job.permissions?.kind === 'write-all')
          output.skipped.push(
            `${workflow.path}: job \`${job.id}\` asks for \`write-all\`; list the scopes it needs by hand`,
          );
    }
    return output;
  },
});
