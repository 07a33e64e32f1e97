import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { getWorkflows, NEEDS, type Permissions } from '../../src/parsers/workflows.js';
import { hasNoWorkflows, listSome, problemFindings } from '../lib/workflow-checks.js';

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
});
