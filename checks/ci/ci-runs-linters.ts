import { defineCheck } from '../../src/engine/define-check.js';
import { CI_NEEDS, evaluatePullRequestCommands } from '../lib/workflow-checks.js';

const LOOKED_FOR =
  'lint/format/typecheck package scripts, eslint, biome, oxlint, prettier --check, tsc, ruff, flake8, pylint, black --check, mypy, pyright, pre-commit run, golangci-lint, go vet, staticcheck, cargo clippy/fmt --check, rubocop, checkstyle/spotless, phpstan/phpcs, dotnet format, mix credo, swiftlint, make lint, and lint actions such as golangci-lint-action, pre-commit/action, ruff-action, super-linter';

export default defineCheck({
  id: 'ci-runs-linters',
  category: 'ci',
  severity: 'medium',
  problemTitle: 'CI does not run linters on pull requests',
  title: 'CI runs linters on pull requests',
  description:
    'A workflow triggered by `pull_request` runs a lint, format or type check (a `run:` command, a local reusable workflow or composite action, or a well-known lint action); in a docs repository, Markdown, prose, link and spelling linters (markdownlint, Vale, remark, textlint, lychee…) count. It warns when every such step cannot fail the build (`continue-on-error: true` or `|| true`).',
  rationale:
    'A linter configured but never enforced drifts: warnings pile up until nobody reads them. Running it on every pull request keeps the code base consistent and catches bugs (unused variables, wrong types) before review.',
  remediation: [
    'Run the linters in the pull-request workflow, e.g. a job in `.github/workflows/ci.yml`:',
    '',
    '```yaml',
    'jobs:',
    '  lint:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 10',
    '    steps:',
    '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    '      - run: npm ci',
    '      - run: npm run lint   # eslint . && prettier --check . && tsc --noEmit',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { files: CI_NEEDS },
  evaluate({ repository }) {
    return evaluatePullRequestCommands(repository, 'lint', { what: 'linters', lookedFor: LOOKED_FOR });
  },
});
