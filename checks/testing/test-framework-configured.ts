import { defineCheck } from '../../src/engine/define-check.js';
import { isRecord } from '../../src/parsers/structured.js';
import { PROJECT_COMMAND_NEEDS } from '../lib/project-commands.js';
import { dotnetTestProjectsFor } from '../lib/dotnet.js';
import { anyOf, followedBy, lineOf, ProjectView } from '../lib/project-view.js';
import { extensionOf, isTestPath } from '../lib/source-files.js';
import {
  byCommand,
  byDependency,
  byFileName,
  byIniSection,
  byPackageJsonKey,
  byPath,
  byPyprojectTool,
  byTextIn,
  configFiles,
  firstOf,
  jsonOf,
  judgeToolCoverage,
  type Detector,
  type Evidence,
} from '../lib/tool-detection.js';

const JVM_BUILD_FILES = /^(pom\.xml|build\.gradle(\.kts)?|libs\.versions\.toml|build\.sbt|plugins\.sbt)$/;
const NPM_DEFAULT_TEST = /no test specified/;

/** A .NET project whose tests live in a separate test project that references it. */
function testedBy(view: ProjectView): Evidence | undefined {
  const [project, ...more] = dotnetTestProjectsFor(view);
  if (!project) return undefined;
  const others = more.length ? ` and ${more.length} more` : '';
  return {
    tool: project.framework,
    path: project.file,
    how: `in the test project ${project.directory}${others}, which references this project`,
  };
}

/** The `test` script of the nearest package.json: a real command, or npm's placeholder. */
function npmTestScript(view: ProjectView): Evidence | undefined {
  for (const entry of configFiles(view, /^package\.json$/)) {
    const document = jsonOf(view, entry.path);
    const script = isRecord(document) && isRecord(document.scripts) ? document.scripts.test : undefined;
    if (typeof script !== 'string') continue;
    const line = lineOf(view.text(entry.path) ?? '', /^\s*"test"\s*:/);
    if (NPM_DEFAULT_TEST.test(script)) {
      return {
        tool: 'npm test',
        path: entry.path,
        ...(line ? { line } : {}),
        how: view.display(entry.path, line),
        weak: 'the "test" script is npm\'s placeholder ("Error: no test specified"), so `npm test` always fails',
      };
    }
    return {
      tool: 'npm test',
      path: entry.path,
      ...(line ? { line } : {}),
      how: `"test": "${script.length > 60 ? `${script.slice(0, 57)}…` : script}" in ${view.display(entry.path)}`,
    };
  }
  return undefined;
}

/**
 * `go test` is built in: in a Go project whose package.json (docs or tooling) keeps npm's placeholder `test` script and
 * has no JavaScript tests, the placeholder says nothing about how the project is tested (issue 9).
 */
function placeholderBesideGoTests(view: ProjectView): boolean {
  if (npmTestScript(view)?.weak === undefined) return false;
  const relative = view.entries.map((entry) => view.relative(entry.path));
  const goTests = relative.some((path) => path.endsWith('_test.go'));
  const jsTests = relative.some(
    (path) => isTestPath(path) && ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'].includes(extensionOf(path)),
  );
  return goTests && !jsTests;
}

/** Python test files that use unittest (read up to the needs bound). */
function unittestFiles(view: ProjectView): Evidence | undefined {
  for (const entry of view.entries) {
    if (extensionOf(entry.path) !== 'py' || !isTestPath(view.relative(entry.path))) continue;
    const text = view.text(entry.path);
    if (!text) continue;
    const line = lineOf(text, /^\s*(import unittest|from unittest\b|from django\.test\b|import django\.test)/);
    if (line) return { tool: 'unittest', path: entry.path, line, how: `imported in ${view.display(entry.path, line)}` };
  }
  return undefined;
}

export const TEST_FRAMEWORK_DETECTORS: Detector[] = [
  {
    ecosystems: ['node'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'Jest', /^jest\.config\.([cm]?[jt]s|json)$/),
        () => byPackageJsonKey(view, 'Jest', 'jest'),
        () => byFileName(view, 'Vitest', /^vitest\.(config|workspace|projects)\.[cm]?[jt]s$/),
        () => byFileName(view, 'Mocha', /^\.mocharc(\.(c?js|jsonc?|ya?ml))?$/),
        () => byFileName(view, 'AVA', /^ava\.config\.[cm]?js$/),
        () => byFileName(view, 'Playwright', /^playwright(-ct)?\.config\.[cm]?[jt]s$/),
        () => byFileName(view, 'Cypress', /^cypress\.config\.[cm]?[jt]s$|^cypress\.json$/),
        () => byFileName(view, 'Karma', /^karma\.conf\.[cm]?[jt]s$/),
        () => byFileName(view, 'WebdriverIO', /^wdio\.conf\.[cm]?[jt]s$/),
        () => byFileName(view, 'Web Test Runner', /^web-test-runner\.config\.[cm]?[jt]s$/),
        () =>
          byDependency(view, 'test runner', [
            'jest',
            'vitest',
            'mocha',
            'ava',
            '@playwright/test',
            'cypress',
            'tap',
            'tape',
            'uvu',
            'jasmine',
            'karma',
            '@web/test-runner',
            'qunit',
            'node-tap',
            'borp',
            'brittle',
            'zora',
            'japa',
            '@japa/runner',
          ]),
        () =>
          byCommand(
            view,
            'node:test',
            anyOf(followedBy(/\bnode\s/, /(?:^|\s)--test\b/), /\bbun\s+test\b|\bdeno\s+test\b|\btsx\s+--test\b/),
          ),
        () => npmTestScript(view),
      ),
  },
  {
    ecosystems: ['python'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'pytest', /^pytest\.ini$/),
        () => byPyprojectTool(view, 'pytest', 'pytest'),
        () => byIniSection(view, 'pytest', /^(setup\.cfg|tox\.ini)$/, /^\s*\[(tool:pytest|pytest)\]/),
        () => byFileName(view, 'pytest', /^conftest\.py$/),
        () => byDependency(view, 'pytest', ['pytest', 'pytest-*']),
        () => byFileName(view, 'tox', /^tox\.(ini|toml)$/),
        () => byPyprojectTool(view, 'tox', 'tox'),
        () => byFileName(view, 'nox', /^noxfile\.py$/),
        () =>
          byCommand(
            view,
            'pytest/unittest',
            /\bpython[\d.]*\s+-m\s+(unittest|pytest)\b|\bmanage\.py\s+test\b|\bpytest\b/,
          ),
        () => byFileName(view, 'nose2', /^(unittest|nose2)\.cfg$/),
        () => byDependency(view, 'test runner', ['nose2', 'ward', 'behave', 'hypothesis']),
        () => unittestFiles(view),
      ),
  },
  {
    ecosystems: ['go'],
    detect: (view) => ({
      ...(byDependency(view, 'go test', [
        'github.com/stretchr/testify',
        'github.com/onsi/ginkgo*',
        'gotest.tools*',
      ]) ?? { tool: 'go test', how: '`go test` ships with Go' }),
      builtIn: true,
    }),
  },
  {
    ecosystems: ['rust'],
    detect: (view) => ({
      ...(byPath(view, 'cargo test (nextest)', /(^|\/)\.config\/nextest\.toml$/) ?? {
        tool: 'cargo test',
        how: '`cargo test` ships with Rust',
      }),
      builtIn: true,
    }),
  },
  {
    ecosystems: ['java'],
    detect: (view) =>
      firstOf(
        () =>
          byDependency(view, 'JUnit', [
            'junit',
            'junit-jupiter',
            'junit-jupiter-api',
            'junit-jupiter-engine',
            'org.junit.jupiter:*',
            'junit:junit',
            'spring-boot-starter-test',
            'org.springframework.boot:spring-boot-starter-test',
          ]),
        () => byDependency(view, 'TestNG', ['testng', 'org.testng:testng']),
        () => byDependency(view, 'Spock', ['spock-core', 'org.spockframework:spock-core']),
        () => byDependency(view, 'Kotest', ['kotest-*', 'io.kotest:*']),
        () => byTextIn(view, 'JUnit', JVM_BUILD_FILES, /junit|useJUnitPlatform|spring-boot-starter-test/i),
        () => byTextIn(view, 'TestNG', JVM_BUILD_FILES, /testng|spock|kotest/i),
      ),
  },
  {
    ecosystems: ['scala'],
    detect: (view) => byTextIn(view, 'ScalaTest', JVM_BUILD_FILES, /scalatest|munit|specs2|utest|weaver|zio-test/i),
  },
  {
    ecosystems: ['ruby'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'RSpec', /^\.rspec$/),
        () => byPath(view, 'RSpec', /(^|\/)spec\/spec_helper\.rb$/),
        () => byDependency(view, 'RSpec', ['rspec', 'rspec-*']),
        () => byPath(view, 'Minitest', /(^|\/)test\/test_helper\.rb$/),
        () => byDependency(view, 'Minitest', ['minitest', 'test-unit', 'rails', 'cucumber']),
      ),
  },
  {
    ecosystems: ['php'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'PHPUnit', /^phpunit(\.dist)?\.xml(\.dist)?$/),
        () => byPath(view, 'Pest', /(^|\/)tests\/Pest\.php$/),
        () => byFileName(view, 'Codeception', /^codeception\.ya?ml$/),
        () =>
          byDependency(view, 'PHPUnit', ['phpunit/phpunit', 'pestphp/pest', 'codeception/codeception', 'behat/behat']),
      ),
  },
  {
    ecosystems: ['dotnet'],
    detect: (view) =>
      byDependency(view, 'xUnit/NUnit/MSTest', [
        'xunit',
        'xunit.v3',
        'xunit.core',
        'nunit',
        'mstest.testframework',
        'mstest',
        'microsoft.net.test.sdk',
        'tunit',
        'fsunit',
        'expecto',
      ]) ??
      byTextIn(view, 'MSTest', /^[^/]+\.(cs|fs|vb)proj$/, /Sdk="MSTest\.Sdk|<IsTestProject>true/) ??
      testedBy(view),
  },
  {
    ecosystems: ['elixir'],
    detect: (view) => ({
      ...(byPath(view, 'ExUnit', /(^|\/)test\/test_helper\.exs$/) ?? {
        tool: 'ExUnit',
        how: 'ExUnit ships with Elixir',
      }),
      builtIn: true,
    }),
  },
  {
    ecosystems: ['swift'],
    detect: (view) =>
      byTextIn(view, 'XCTest', /^Package\.swift$/, /\.testTarget\s*\(/) ??
      byPath(view, 'XCTest', /.\.swift$/, undefined, (path) => /(?:^|\/)Tests\/./.test(path)) ?? {
        tool: 'XCTest',
        how: 'XCTest ships with Swift',
        builtIn: true,
      },
  },
  {
    ecosystems: ['dart'],
    detect: (view) => byDependency(view, 'package:test', ['test', 'flutter_test', 'integration_test']),
  },
  {
    ecosystems: ['haskell'],
    detect: (view) =>
      byTextIn(view, 'Cabal test-suite', /\.cabal$|^package\.yaml$/, /^\s*test-suite\s|^tests:/) ??
      byTextIn(view, 'Hspec', /\.cabal$|^package\.yaml$/, /\b(hspec|tasty|HUnit|QuickCheck)\b/),
  },
  {
    ecosystems: ['c-cpp'],
    detect: (view) =>
      firstOf(
        () =>
          byTextIn(
            view,
            'CTest',
            /^CMakeLists\.txt$/,
            /enable_testing\s*\(|add_test\s*\(|gtest_discover_tests|catch_discover_tests|doctest_discover_tests/i,
          ),
        () => byTextIn(view, 'Meson test', /^meson\.build$/, /^\s*test\s*\(/),
        () => byCommand(view, 'CTest', /\bctest\b|\bmake\s+(check|test)\b/),
      ),
  },
  { ecosystems: 'any', detect: (view) => firstOf(() => byFileName(view, 'Bats', /\.bats$/)) },
];

const LOOKED_FOR = {
  node: 'jest.config.*, "jest" in package.json, vitest.config.*, .mocharc.*, ava.config.*, playwright.config.*, cypress.config.*, karma.conf.*, test-runner dependencies, `node --test`, a "test" script',
  python:
    'pytest.ini, [tool.pytest.ini_options], [tool:pytest] in setup.cfg, [pytest] in tox.ini, conftest.py, pytest, tox, nox, unittest imports in test files',
  java: 'JUnit, TestNG, Spock or Kotest in pom.xml/build.gradle',
  scala: 'ScalaTest, MUnit, specs2, uTest, weaver in build.sbt',
  ruby: '.rspec, spec/spec_helper.rb, test/test_helper.rb, rspec/minitest gems',
  php: 'phpunit.xml(.dist), tests/Pest.php, codeception.yml, phpunit/pest dependencies',
  dotnet: 'xUnit, NUnit, MSTest or TUnit package references',
  dart: 'test or flutter_test dev dependency',
  haskell: 'a test-suite stanza, hspec/tasty',
  'c-cpp': 'enable_testing()/add_test() in CMakeLists.txt, meson test(), ctest in CI',
} as const;

export default defineCheck({
  id: 'test-framework-configured',
  category: 'testing',
  severity: 'high',
  problemTitle: 'There is no configured way to run the tests',
  title: 'Test framework configured',
  description:
    'Every ecosystem of the project with source code has a way to run tests: Jest, Vitest, Mocha, AVA, Playwright, Cypress, Karma, tap, node:test/bun test/deno test or a real `npm test` script; pytest, unittest, tox, nox, nose2; `go test` and `cargo test` (built in, pass with a note); JUnit, TestNG, Spock, Kotest; ScalaTest, MUnit; RSpec, Minitest; PHPUnit, Pest, Codeception; xUnit, NUnit, MSTest (also through a separate test project that references the project); ExUnit; XCTest; package:test; Cabal test suites; CTest/Meson; Bats. It warns when the only test script is npm\'s "no test specified" placeholder.',
  rationale:
    'Without a configured test runner there is no single command that CI and contributors agree on, and tests that exist are not run.',
  remediation: [
    "Install the ecosystem's test runner and make the standard command run it. For Node, in `package.json`:",
    '',
    '```json',
    '{ "scripts": { "test": "vitest run" }, "devDependencies": { "vitest": "^3.0.0" } }',
    '```',
    '',
    'For Python, in `pyproject.toml`:',
    '',
    '```toml',
    '[tool.pytest.ini_options]',
    'testpaths = ["tests"]',
    '```',
  ].join('\n'),
  effort: 'hours',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'project',
  needs: {
    files: [
      // Package manifests (package.json, pyproject.toml, setup.cfg, Cargo.toml, pom.xml, build.gradle, *.csproj, go.mod…)
      // are always read by the engine (MANIFEST_GLOBS): repeating them here would cost a tree scan per project root.
      {
        glob: '**/{tox.ini,settings.gradle,settings.gradle.kts,libs.versions.toml,plugins.sbt,*.vbproj,*.cabal,package.yaml,CMakeLists.txt,meson.build}',
        max: 60,
      },
      // Python test files, to see whether they use unittest.
      { glob: '**/test{_*,s,}{.py,/**/*.py}', max: 30 },
      ...PROJECT_COMMAND_NEEDS,
    ],
  },
  evaluate(context) {
    const view = new ProjectView(context);
    return judgeToolCoverage({
      view,
      detectors: TEST_FRAMEWORK_DETECTORS,
      noun: 'test framework',
      lookedFor: LOOKED_FOR,
      ...(placeholderBesideGoTests(view) ? { notApplicableFor: ['node'] as const } : {}),
    });
  },
});
