import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { getWorkflows, NEEDS } from '../../src/parsers/workflows.js';
import { hasNoWorkflows, problemFindings } from '../lib/workflow-checks.js';
import { jobBody, workflowLines } from '../lib/workflow-fixes.js';
import { insertBefore } from '../../src/fix/edits.js';
import type { FileEdit } from '../../src/fix/types.js';

/** The timeout the fixer sets: well above a typical CI job, far below GitHub's six hours. */
const FIX_TIMEOUT_MINUTES = 30;

export default defineCheck({
  id: 'workflow-jobs-have-timeouts',
  category: 'workflows',
  severity: 'low',
  problemTitle: 'Workflow jobs can run for six hours: no timeout is set',
  title: 'Workflow jobs have timeouts',
  description:
    'Every job that runs steps sets `timeout-minutes` (GitHub’s default is 6 hours). Jobs that call a reusable workflow (`uses:`) cannot set one and are exempt. The score is the share of jobs with a timeout; each job without one is annotated on its line.',
  rationale:
    'A hung test or a stuck deploy holds a runner for six hours: it blocks the merge queue, burns paid minutes and hides the hang until someone notices. A timeout a little above the usual run time fails fast instead.',
  remediation: [
    'Set `timeout-minutes` on each job the findings name, e.g. in `.github/workflows/ci.yml`:',
    '',
    '```yaml',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 15',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { files: [...NEEDS] },
  evaluate({ repository }) {
    const model = getWorkflows(repository);
    if (hasNoWorkflows(model)) return result.notApplicable('no GitHub Actions workflows');
    const findings: Finding[] = [];
    let total = 0;
    for (const workflow of model.workflows) {
      for (const job of workflow.jobs) {
        if (job.uses) continue;
        total += 1;
        if (!job.timeoutMinutes)
          findings.push({
            message: `job \`${job.id}\` has no \`timeout-minutes\` (default 6 hours)`,
            path: workflow.path,
            line: job.line,
          });
      }
    }
    const problems = problemFindings(model);
    if (!total)
      return problems.length
        ? result.warn('no job could be checked', problems)
        : result.pass('no job runs steps of its own');
    const summary = `${total - findings.length} of ${total} job(s) set timeout-minutes`;
    if (!findings.length)
      return problems.length
        ? result.warn(`${summary}; some files could not be parsed`, problems)
        : result.pass(summary);
    return { outcome: 'fail', summary, findings: [...findings, ...problems], score: (total - findings.length) / total };
  },
  fixable: `sets \`timeout-minutes: ${FIX_TIMEOUT_MINUTES}\` on every job that runs steps without a timeout`,
  fix({ repository }) {
    const edits: FileEdit[] = [];
    const skipped: string[] = [];
    const fixed: string[] = [];
    for (const workflow of getWorkflows(repository).workflows) {
      const jobs = workflow.jobs.filter((job) => !job.uses && !job.timeoutMinutes);
      if (!jobs.length) continue;
      const lines = workflowLines(repository, workflow.path);
      for (const job of jobs) {
        const body = lines && jobBody(lines, job);
        if (!body) {
          skipped.push(`${workflow.path}: job \`${job.id}\` is not a block mapping; set its timeout by hand`);
          continue;
        }
        edits.push(
          insertBefore(workflow.path, body.insertAt, [`${body.indent}timeout-minutes: ${FIX_TIMEOUT_MINUTES}`]),
        );
        fixed.push(`${workflow.path}:${job.id}`);
      }
    }
    return {
      edits,
      skipped,
      ...(fixed.length
        ? {
            notes: [
              `timeout-minutes: ${FIX_TIMEOUT_MINUTES} set on ${fixed.length} job(s): lower it to a little above each job's usual run time`,
            ],
          }
        : {}),
    };
  },
});
