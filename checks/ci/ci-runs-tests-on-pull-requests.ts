import { defineCheck } from '../../src/engine/define-check.js';
import { CI_NEEDS, evaluatePullRequestCommands } from '../lib/workflow-checks.js';

const LOOKED_FOR =
  'npm/pnpm/yarn/bun test scripts, jest, vitest, mocha, node --test, pytest, tox, nox, make test, go test, cargo test/nextest, mvn verify, gradle check/test, rspec, rake, dotnet test, mix test, swift test, phpunit, ctest, and test actions such as cypress-io/github-action';

export default defineCheck({
  id: 'ci-runs-tests-on-pull-requests',
  category: 'ci',
  severity: 'high',
  problemTitle: 'CI does not run the tests on pull requests',
  title: 'CI runs tests on pull requests',
  description:
    'A workflow triggered by `pull_request` runs the test command (in a `run:` step, through a local reusable workflow or composite action, or a well-known test action). It warns when every such step cannot fail the build (`continue-on-error: true` on the step or job, or a trailing `|| true`) and when tests run only on push.',
  rationale:
    'Tests protect the default branch only if they run before a change merges and a failure blocks it. Tests that run after the merge, or whose failure is ignored, find regressions when users already have them.',
  remediation: [
    'Run the tests in a workflow triggered by `pull_request`, e.g. `.github/workflows/ci.yml`, and let a failure fail the job:',
    '',
    '```yaml',
    'on:',
    '  pull_request:',
    '  push:',
    '    branches: [main]',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 15',
    '    steps:',
    '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    '      - run: npm ci',
    '      - run: npm test   # no `|| true`, no `continue-on-error: true`',
    '```',
  ].join('\n'),
  effort: 'hours',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'repository',
  needs: { files: CI_NEEDS },
  evaluate({ repository }) {
    return evaluatePullRequestCommands(repository, 'test', { what: 'tests', lookedFor: LOOKED_FOR });
  },
});
