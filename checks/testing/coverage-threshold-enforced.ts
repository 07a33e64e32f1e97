import { z } from 'zod';
import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { COVERAGE_NEEDS, findCoverageEvidence, findThresholds } from '../lib/coverage.js';
import { ProjectView } from '../lib/project-view.js';
import { listCodeFiles } from '../lib/source-files.js';

const optionsSchema = z.strictObject({
  min: z
    .number()
    .min(0)
    .max(100)
    .default(80)
    .describe('Lowest enforced coverage percentage that passes; a lower enforced minimum warns.'),
});

export default defineCheck({
  id: 'coverage-threshold-enforced',
  category: 'testing',
  severity: 'medium',
  problemTitle: 'No minimum test coverage is enforced',
  title: 'Coverage minimum enforced',
  description:
    'A minimum coverage is enforced so that a drop fails the build: `--cov-fail-under` or coverage.py `fail_under`; Jest `coverageThreshold`; Vitest `coverage.thresholds`; c8/nyc `check-coverage` (default 90% lines); `node --test-coverage-lines`; cargo-tarpaulin `--fail-under`, cargo-llvm-cov `--fail-under-lines`; JaCoCo/Kover rules; scoverage; SimpleCov `minimum_coverage`; coverlet `Threshold`; ExCoveralls; go-test-coverage; a Codecov project `target`. It reports the number (lines, else statements, else the highest metric) and warns when the highest enforced minimum is below the `min` option (default 80). A relative Codecov target (`auto`) passes with a note; an `informational` status does not count.',
  rationale:
    'Collected coverage that nothing enforces erodes quietly: a threshold turns "we should add tests" into a failing check on the pull request that removes them.',
  remediation: [
    'Make the test run fail under a minimum. For pytest-cov, in `pyproject.toml`:',
    '',
    '```toml',
    '[tool.coverage.report]',
    'fail_under = 80',
    '```',
    '',
    'For Jest, in `jest.config.js`:',
    '',
    '```js',
    'export default { coverageThreshold: { global: { lines: 80, branches: 70 } } };',
    '```',
  ].join('\n'),
  effort: 'minutes',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'project',
  options: optionsSchema,
  needs: { files: COVERAGE_NEEDS },
  evaluate(context) {
    const view = new ProjectView(context);
    const code = listCodeFiles(view);
    if (!code.sources.length && !code.tests.length)
      return result.notApplicable('no source files of a recognised language');
    const { min } = context.options;
    const thresholds = findThresholds(view);
    const numeric = thresholds.filter(
      (threshold) => threshold.value !== undefined && !threshold.note?.startsWith('informational'),
    );
    const relative = thresholds.filter(
      (threshold) => threshold.value === undefined && !threshold.note?.startsWith('informational'),
    );
    const informational = thresholds.filter((threshold) => threshold.note?.startsWith('informational'));
    const where = (threshold: { path: string; line?: number }) => view.display(threshold.path, threshold.line);
    if (numeric.length) {
      const best = numeric.reduce((top, threshold) => (threshold.value! > top.value! ? threshold : top));
      const others = numeric
        .filter((threshold) => threshold !== best)
        .map((threshold) => `${threshold.tool} ${threshold.value}%`);
      const also = others.length ? `; also ${others.slice(0, 3).join(', ')}` : '';
      const text = `${best.value}% enforced by ${best.tool} (${where(best)}${best.note ? `, ${best.note}` : ''})${also}`;
      if (best.value! >= min) return result.pass(text);
      return result.warn(
        `${text}: below the minimum of ${min}%`,
        [
          view.finding(
            best.path,
            `${best.tool} enforces ${best.value}%, below the minimum of ${min}% (option checks.coverage-threshold-enforced.min)`,
            best.line,
          ),
        ],
        best.value! / min,
      );
    }
    if (relative.length) {
      const first = relative[0];
      return result.pass(`${first.tool} (${where(first)}): ${first.note ?? 'no percentage'}`);
    }
    const findings: Finding[] = informational.map((threshold) =>
      view.finding(threshold.path, `${threshold.tool} is ${threshold.note}`, threshold.line),
    );
    const collected = findCoverageEvidence(view);
    findings.push({
      message: `${collected ? `coverage is collected (${collected.tool}, ${collected.how}) but no minimum is enforced` : 'coverage is not collected, so no minimum can be enforced'} (looked for --cov-fail-under, fail_under, coverageThreshold, coverage.thresholds, check-coverage, --fail-under, JaCoCo/Kover rules, minimum_coverage, a Codecov project target)`,
    });
    return result.fail('No coverage minimum is enforced', findings);
  },
});
