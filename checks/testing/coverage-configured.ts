import { defineCheck, result } from '../../src/engine/define-check.js';
import { COVERAGE_NEEDS, findCoverageEvidence } from '../lib/coverage.js';
import { ProjectView } from '../lib/project-view.js';
import { listCodeFiles } from '../lib/source-files.js';

export default defineCheck({
  id: 'coverage-configured',
  category: 'testing',
  severity: 'medium',
  problemTitle: 'Test coverage is not collected',
  title: 'Test coverage collected',
  description:
    'Test coverage is collected: Jest/Vitest coverage settings or `--coverage`, c8/nyc, `node --experimental-test-coverage`; pytest-cov (`--cov`), coverage.py configuration (`.coveragerc`, `[tool.coverage]`, `[coverage:*]`); `go test -cover`/`-coverprofile`; cargo-tarpaulin, cargo-llvm-cov, grcov; JaCoCo, Kover, scoverage; SimpleCov; PHPUnit coverage; coverlet; ExCoveralls or `mix test --cover`; or a coverage service (Codecov, Coveralls, Code Climate, Qlty, Sonar) configured or uploaded to in CI. Configuration at the repository root and CI workflows count for every project.',
  rationale:
    'Coverage shows which code no test executes; without it, untested paths (error handling, edge cases) stay invisible until they fail in production.',
  remediation: [
    'Collect coverage where the tests run. For pytest, in `pyproject.toml`:',
    '',
    '```toml',
    '[tool.pytest.ini_options]',
    'addopts = "--cov=my_package --cov-report=term-missing"',
    '```',
    '',
    'For Jest, `"test": "jest --coverage"` in package.json; for Vitest, `test: { coverage: { provider: "v8" } }` in `vitest.config.ts`; for Go, `go test -coverprofile=coverage.out ./...` in CI.',
  ].join('\n'),
  effort: 'minutes',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'project',
  needs: { files: COVERAGE_NEEDS },
  evaluate(context) {
    const view = new ProjectView(context);
    const code = listCodeFiles(view);
    if (!code.sources.length && !code.tests.length)
      return result.notApplicable('no source files of a recognised language');
    const evidence = findCoverageEvidence(view);
    if (evidence) return result.pass(`${evidence.tool} (${evidence.how})`);
    return result.fail('Test coverage is not collected', [
      {
        message:
          'no coverage collection found (looked for Jest/Vitest coverage settings, c8/nyc, --coverage, pytest-cov/--cov, .coveragerc/[tool.coverage], go test -cover, tarpaulin/llvm-cov, JaCoCo/Kover, SimpleCov, coverlet, ExCoveralls, codecov.yml/.coveralls.yml and coverage uploads in CI)',
      },
    ]);
  },
});
