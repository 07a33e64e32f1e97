import { defineCheck, result } from '../../src/engine/define-check.js';
import { getWorkflows, hasTrigger, NEEDS } from '../../src/parsers/workflows.js';
import { findOtherCi, listSome, OTHER_CI_GLOBS, OTHER_CI_NAMES, problemFindings } from '../lib/workflow-checks.js';

const CI_EVENTS = ['push', 'pull_request', 'pull_request_target', 'merge_group'];

export default defineCheck({
  id: 'ci-workflow-present',
  category: 'ci',
  severity: 'high',
  problemTitle: 'No CI runs on pushes or pull requests',
  title: 'CI workflow present',
  description: `A GitHub Actions workflow runs on \`pull_request\` or \`push\`, or another CI system is configured (${OTHER_CI_NAMES}).`,
  rationale:
    'Without continuous integration nothing checks a change before it merges: broken builds and failing tests reach the default branch and, from there, production.',
  remediation: [
    'Add `.github/workflows/ci.yml` that builds and tests every push and pull request:',
    '',
    '```yaml',
    'name: CI',
    'on:',
    '  push:',
    '    branches: [main]',
    '  pull_request:',
    'permissions:',
    '  contents: read',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 15',
    '    steps:',
    '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    '      - run: npm ci',
    '      - run: npm test',
    '```',
  ].join('\n'),
  effort: 'hours',
  scope: 'repository',
  needs: { files: [...NEEDS] },
  evaluate({ repository }) {
    const model = getWorkflows(repository);
    const problems = problemFindings(model).filter((finding) => finding.path?.startsWith('.github/workflows/'));
    const running = model.workflows.filter((workflow) => hasTrigger(workflow, ...CI_EVENTS));
    if (running.length) {
      const summary = `${running.length} GitHub Actions workflow(s) run on push or pull requests: ${listSome(running.map((workflow) => workflow.path))}`;
      return problems.length
        ? result.warn(`${summary}; ${problems.length} workflow file(s) could not be parsed`, problems)
        : result.pass(summary);
    }
    const others = findOtherCi(repository);
    if (others.length)
      return result.pass(`${listSome(others.map((ci) => `${ci.name} (${ci.path})`))} configured`, problems);
    if (model.workflows.length) {
      return result.fail(`${model.workflows.length} workflow(s) exist but none runs on push or pull_request`, [
        ...model.workflows.map((workflow) => ({
          message: `${workflow.path} runs only on ${listSome(workflow.triggers.map((trigger) => trigger.event)) || 'no event'}; add \`push\` and \`pull_request\` triggers`,
          path: workflow.path,
          line: workflow.triggersLine,
        })),
        ...problems,
      ]);
    }
    if (problems.length)
      return result.fail('The only workflow files could not be parsed, so GitHub cannot run them', problems);
    return result.fail('No CI found', [
      {
        message: `looked for .github/workflows/*.yml and other CI configurations (${OTHER_CI_NAMES}: ${OTHER_CI_GLOBS.slice(0, 6).join(', ')}, …)`,
      },
    ]);
  },
});
