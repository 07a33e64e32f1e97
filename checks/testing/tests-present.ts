import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Ecosystem } from '../../src/engine/types.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { dotnetTestFiles, dotnetTestProjectsFor } from '../lib/dotnet.js';
import { listWords, plural, ProjectView } from '../lib/project-view.js';
import { ECOSYSTEM_NAMES, extensionOf, listCodeFiles } from '../lib/source-files.js';
import { skeletonEcosystems } from '../lib/tool-detection.js';

/**
 * Test files per source file under which the suite is "very thin". Projects with a real suite sit between 1:1 and
 * 1:5 (one test module per one to five source modules); under 1:20 there is usually one smoke test for a whole code
 * base. Small projects (under MIN_SOURCES_FOR_RATIO source files) are not judged on the ratio.
 */
export const LOW_RATIO = 0.05;
export const MIN_SOURCES_FOR_RATIO = 20;

/** Rust puts unit tests inside source files (`#[cfg(test)] mod tests`): those files count as test files too. */
const IN_FILE_TESTS: Partial<Record<string, RegExp>> = {
  rs: /#\[(cfg\(test\)|test\]|tokio::test|async_std::test|rstest|test_case)/,
};

export default defineCheck({
  id: 'tests-present',
  category: 'testing',
  severity: 'high',
  problemTitle: 'The project has no tests',
  title: 'Tests present',
  description: `Test files exist by the conventions of each ecosystem: \`*.test.*\`, \`*.spec.*\`, \`__tests__/\`, \`test/\`, \`tests/\`, \`spec/\`, \`e2e/\`, \`*_test.go\`, \`test_*.py\`, \`*_test.py\`, \`*_spec.rb\`, \`src/test/\`, \`FooTest.java\`, \`*Tests.cs\` and \`*.Tests/\` projects, \`*.bats\`, and Rust source files with \`#[cfg(test)]\`/\`#[test]\`; a .NET project is credited with the separate test projects that reference it. It reports the count and the ratio of test files to source files (generated code, build output, config scripts, fixtures and examples excluded), and warns when there is fewer than one test file per ${Math.round(1 / LOW_RATIO)} source files in a project of at least ${MIN_SOURCES_FOR_RATIO} source files.`,
  rationale:
    'Tests are what lets a team change production code with confidence; a project without them ships every change untested.',
  remediation: [
    "Add tests beside the code, by the ecosystem's convention, and run them in CI. For example `src/price.test.ts`:",
    '',
    '```ts',
    "import { test, expect } from 'vitest';",
    "import { price } from './price.js';",
    '',
    "test('adds VAT', () => expect(price(100)).toBe(120));",
    '```',
    '',
    'or `tests/test_price.py` with `def test_adds_vat(): assert price(100) == 120`.',
  ].join('\n'),
  effort: 'days',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'project',
  needs: { files: [{ glob: '**/*.rs', max: 300 }] },
  evaluate(context) {
    const view = new ProjectView(context);
    const code = listCodeFiles(view);
    const tests: TreeEntry[] = [...code.tests];
    const sources: TreeEntry[] = [];
    let unread = 0;
    for (const entry of code.sources) {
      const pattern = IN_FILE_TESTS[extensionOf(entry.path)];
      if (pattern) {
        const file = view.file(entry.path);
        const text = file?.text ?? undefined;
        if (!file) unread += 1; // not fetched: beyond the read bound (binary files are read, just not searchable)
        if (text !== undefined && pattern.test(text)) {
          tests.push(entry);
          continue;
        }
      }
      sources.push(entry);
    }
    if (!sources.length && !tests.length) {
      // A skeleton (a manifest, tool configuration, no code yet) has no tests: that is a finding, not "nothing to test".
      const skeleton = skeletonEcosystems(view);
      if (skeleton.length)
        return result.fail(
          `No test files: the ${listWords(skeleton.map((ecosystem) => ECOSYSTEM_NAMES[ecosystem]))} project has a manifest but no source or test files yet`,
        );
      return result.notApplicable('no source files of a recognised language');
    }
    const perEcosystem = [...code.byEcosystem.entries()]
      .filter(([, counts]) => counts.sources + counts.tests > 0)
      .map(([ecosystem]) => ecosystem as Ecosystem);
    const ratio = sources.length ? tests.length / sources.length : Infinity;
    const ratioText = sources.length ? `ratio ${ratio.toFixed(2)}` : 'no non-test source files';
    const unreadNote = unread ? ` (${plural(unread, 'Rust file')} beyond the read limit not searched for #[test])` : '';
    // .NET: tests live in separate projects that reference this one (tests/App.UnitTests → src/App).
    const testProjects = tests.length ? [] : dotnetTestProjectsFor(view);
    if (testProjects.length) {
      const external = dotnetTestFiles(view, testProjects);
      if (external.length) {
        return result.pass(
          `${plural(external.length, 'test file')} for ${plural(sources.length, 'source file')} in ${plural(testProjects.length, 'test project')} referencing this project (${testProjects
            .slice(0, 3)
            .map((project) => project.directory)
            .join(', ')})`,
        );
      }
    }
    if (!tests.length) {
      return result.fail(`No test files for ${plural(sources.length, 'source file')}${unreadNote}`, [
        {
          message: `no test files found among ${plural(sources.length, `${perEcosystem.map((ecosystem) => ECOSYSTEM_NAMES[ecosystem]).join('/')} source file`)} (looked for *.test.*, *.spec.*, __tests__/, test/, tests/, spec/, *_test.go, test_*.py, *_spec.rb, src/test/, *Test.java, *Tests.cs, #[test] in Rust)`,
        },
      ]);
    }
    const summary = `${plural(tests.length, 'test file')} for ${plural(sources.length, 'source file')} (${ratioText})${unreadNote}`;
    if (sources.length >= MIN_SOURCES_FOR_RATIO && ratio < LOW_RATIO) {
      return result.warn(
        `${summary}: fewer than one test file per ${Math.round(1 / LOW_RATIO)} source files`,
        [
          {
            message: `only ${plural(tests.length, 'test file')} for ${plural(sources.length, 'source file')} (ratio ${ratio.toFixed(3)}, below ${LOW_RATIO}); e.g. ${tests
              .slice(0, 3)
              .map((entry) => view.display(entry.path))
              .join(', ')}`,
          },
        ],
        Math.min(1, ratio / LOW_RATIO),
      );
    }
    return result.pass(summary);
  },
});
