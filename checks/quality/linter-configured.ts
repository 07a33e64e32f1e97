import { defineCheck, result } from '../../src/engine/define-check.js';
import { PROJECT_COMMAND_NEEDS } from '../lib/project-commands.js';
import { readJsonc } from '../../src/parsers/jsonc.js';
import { ProjectView } from '../lib/project-view.js';
import { splitCommands } from '../../src/parsers/shell.js';
import { matchWords, star, words } from '../lib/word-pattern.js';
import { isRecord } from '../../src/parsers/structured.js';
import {
  byCommand,
  byDependency,
  byDependencyOnly,
  byFileName,
  byIniSection,
  byPackageJsonKey,
  byPath,
  byPyprojectTool,
  byTextIn,
  configFiles,
  firstOf,
  judgeToolCoverage,
  type Detector,
  type Evidence,
} from '../lib/tool-detection.js';

/** `eslint` run on files or folders (`eslint --cache .`), not `eslint --version`. */
const ESLINT_ON_FILES = words(['eslint', star('--\\S+'), '[.\\w/{*]\\S*']);

const JVM_BUILD_FILES =
  /^(pom\.xml|build\.gradle(\.kts)?|settings\.gradle(\.kts)?|libs\.versions\.toml|build\.sbt|plugins\.sbt)$/;

/**
 * Whether a command line runs ESLint on files, kept per line for the repository: every project inherits the root's
 * CI and scripts, so the same lines are asked about once per project.
 */
function runsEslintOnFiles(view: ProjectView, text: string): boolean {
  const known = view.repository.memo('linter-configured:eslint-lines', () => new Map<string, boolean>());
  let runs = known.get(text);
  if (runs === undefined) {
    runs = splitCommands(text).some((commandWords) => matchWords(ESLINT_ON_FILES, commandWords));
    known.set(text, runs);
  }
  return runs;
}

/** Biome lints unless `linter.enabled` is false. */
function biome(view: ProjectView, part: 'linter' | 'formatter'): Evidence | undefined {
  for (const entry of configFiles(view, /^biome\.jsonc?$/)) {
    const parsed = readJsonc(view.repository, entry.path);
    if (parsed?.ok && isRecord(parsed.value) && isRecord(parsed.value[part]) && parsed.value[part].enabled === false)
      continue;
    return { tool: 'Biome', path: entry.path, how: view.display(entry.path) };
  }
  return byDependency(view, 'Biome', ['@biomejs/biome']);
}
export { biome as detectBiome };

export const LINTER_DETECTORS: Detector[] = [
  {
    ecosystems: ['node'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'ESLint', /^eslint\.config\.[cm]?[jt]s$/),
        () => byFileName(view, 'ESLint', /^\.eslintrc(\.(js|cjs|mjs|json|ya?ml))?$/),
        () => byPackageJsonKey(view, 'ESLint', 'eslintConfig'),
        () => biome(view, 'linter'),
        () => byFileName(view, 'oxlint', /^\.?oxlintrc\.json$/),
        () => byDependency(view, 'oxlint', ['oxlint']),
        () => byDependency(view, 'standard', ['standard', 'semistandard', 'ts-standard', 'xo']),
        () => byFileName(view, 'Deno lint', /^deno\.jsonc?$/, 'deno.json (deno lint is built in)'),
        () =>
          byCommand(
            view,
            'ESLint',
            (text: string) =>
              /\bnext\s+lint\b|\boxlint\b|\bbiome\s+(?:lint|check|ci)\b/.test(text) || runsEslintOnFiles(view, text),
          ),
      ),
  },
  {
    ecosystems: ['node'],
    detect: (view) => {
      const eslint = byDependency(view, 'ESLint', ['eslint']);
      if (eslint)
        return {
          ...eslint,
          weak: 'the eslint package is installed but no ESLint configuration was found (eslint.config.js, .eslintrc.*, "eslintConfig")',
        };
      const tslint = byFileName(view, 'TSLint', /^tslint\.json$/);
      return tslint
        ? { ...tslint, weak: 'TSLint has been deprecated since 2019; migrate to ESLint with typescript-eslint' }
        : undefined;
    },
  },
  {
    ecosystems: ['python'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'Ruff', /^\.?ruff\.toml$/),
        () => byPyprojectTool(view, 'Ruff', 'ruff'),
        () => byFileName(view, 'Flake8', /^\.flake8$/),
        () => byIniSection(view, 'Flake8', /^(setup\.cfg|tox\.ini)$/, /^\s*\[flake8\]/),
        () => byFileName(view, 'Pylint', /^\.?pylintrc$/),
        () => byPyprojectTool(view, 'Pylint', 'pylint'),
        () => byIniSection(view, 'Pylint', /^(setup\.cfg|tox\.ini)$/, /^\s*\[pylint[.\]]/),
        () => byIniSection(view, 'pycodestyle', /^(setup\.cfg|tox\.ini)$/, /^\s*\[(pycodestyle|pep8)\]/),
        () => byFileName(view, 'Prospector', /^\.?prospector\.ya?ml$/),
        () => byIniSection(view, 'pylama', /^(setup\.cfg|tox\.ini|pylama\.ini)$/, /^\s*\[pylama/),
        () => byCommand(view, 'Ruff', /\bruff\s+check\b|\bid:\s*ruff(-check)?\s*$|astral-sh\/ruff-action/),
        () => byCommand(view, 'Flake8', /\bflake8\b/),
        () => byCommand(view, 'Pylint', /\bpylint\b/),
        () => byDependencyOnly(view, 'Ruff', ['ruff']),
        () => byDependencyOnly(view, 'Flake8', ['flake8', 'pyflakes', 'pycodestyle', 'wemake-python-styleguide']),
        () => byDependencyOnly(view, 'Pylint', ['pylint', 'prospector']),
      ),
  },
  {
    ecosystems: ['go'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'golangci-lint', /^\.?golangci\.(ya?ml|toml|json)$/),
        () => byFileName(view, 'staticcheck', /^staticcheck\.conf$/),
        () => byFileName(view, 'revive', /^revive\.toml$/),
        () => byCommand(view, 'golangci-lint', /golangci-lint|golangci\/golangci-lint-action/),
        () => byCommand(view, 'staticcheck', /\bstaticcheck\b/),
        () => byCommand(view, 'go vet', /\bgo\s+vet\b/),
        () => byCommand(view, 'revive', /\brevive\s/),
      ),
  },
  {
    ecosystems: ['rust'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'Clippy', /^\.?clippy\.toml$/),
        () => byTextIn(view, 'Clippy', /^Cargo\.toml$/, /^\s*\[(workspace\.)?lints\.clippy\]|^\s*clippy\s*=\s*\{/),
        () =>
          byCommand(view, 'Clippy', /cargo\s+(\+\S+\s+)?clippy|clippy-check|clippy-action|cargo-clippy|\bclippy\s+--/),
      ),
  },
  {
    ecosystems: ['java'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'Checkstyle', /^checkstyle[\w.-]*\.xml$/),
        () => byPath(view, 'Checkstyle', /(^|\/)config\/checkstyle\//),
        // The plugin line first: a `<checkstyle.version>` property is weaker evidence and a worse annotation.
        () =>
          byTextIn(
            view,
            'Checkstyle',
            JVM_BUILD_FILES,
            /maven-checkstyle-plugin|id\s*(?:\(\s*)?['"]checkstyle['"]|apply plugin:\s*['"]checkstyle/,
          ),
        () => byTextIn(view, 'Checkstyle', JVM_BUILD_FILES, /\bcheckstyle\b/),
        () => byTextIn(view, 'SpotBugs', JVM_BUILD_FILES, /spotbugs/i),
        () => byTextIn(view, 'PMD', JVM_BUILD_FILES, /maven-pmd-plugin|\bpmd\b/),
        () => byTextIn(view, 'Error Prone', JVM_BUILD_FILES, /error_?prone/i),
        () => byFileName(view, 'detekt', /^detekt[\w.-]*\.ya?ml$/),
        () => byTextIn(view, 'detekt', JVM_BUILD_FILES, /detekt/),
        () => byTextIn(view, 'ktlint', JVM_BUILD_FILES, /ktlint/),
        () => byTextIn(view, 'Android Lint', JVM_BUILD_FILES, /^\s*(lint|lintOptions)\s*\{/),
      ),
  },
  {
    ecosystems: ['scala'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'Scalafix', /^\.scalafix\.conf$/),
        () => byFileName(view, 'Scalastyle', /^scalastyle[\w-]*\.xml$/),
        () => byTextIn(view, 'WartRemover', JVM_BUILD_FILES, /wartremover/i),
        () => byTextIn(view, 'Scalafix', JVM_BUILD_FILES, /scalafix/i),
      ),
  },
  {
    ecosystems: ['ruby'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'RuboCop', /^\.rubocop(_todo)?\.ya?ml$/),
        () => byFileName(view, 'Standard', /^\.standard\.ya?ml$/),
        () => byFileName(view, 'Reek', /^\.?reek\.ya?ml$/),
        () => byCommand(view, 'RuboCop', /\brubocop\b|\bstandardrb\b/),
        () => byDependencyOnly(view, 'RuboCop', ['rubocop', 'rubocop-*', 'standard', 'rubocop-rails-omakase']),
      ),
  },
  {
    ecosystems: ['php'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'PHPStan', /^phpstan(\.dist)?\.neon(\.dist)?$/),
        () => byFileName(view, 'Psalm', /^psalm\.xml(\.dist)?$/),
        () => byFileName(view, 'PHP_CodeSniffer', /^\.?phpcs\.xml(\.dist)?$|^ruleset\.xml$/),
        () => byFileName(view, 'PHPMD', /^phpmd\.xml(\.dist)?$/),
        () => byFileName(view, 'PHP-CS-Fixer', /^\.php[-_]cs(\.dist)?(\.php)?$|^\.php-cs-fixer(\.dist)?\.php$/),
        () => byPath(view, 'Phan', /(^|\/)\.phan\/config\.php$/),
        () => byCommand(view, 'PHPStan', /\bphpstan\b|\blarastan\b/),
        () => byCommand(view, 'Psalm', /\bpsalm\b/),
        () => byCommand(view, 'PHP_CodeSniffer', /\bphpcs\b|\bphpmd\b|php-cs-fixer|\bpint\b|\becs\s+check\b/),
        () => byDependencyOnly(view, 'PHPStan', ['phpstan/phpstan', 'larastan/larastan', 'nunomaduro/larastan']),
        () => byDependencyOnly(view, 'Psalm', ['vimeo/psalm']),
        () =>
          byDependencyOnly(view, 'PHP_CodeSniffer', [
            'squizlabs/php_codesniffer',
            'phpmd/phpmd',
            'friendsofphp/php-cs-fixer',
            'laravel/pint',
            'symplify/easy-coding-standard',
          ]),
      ),
  },
  {
    ecosystems: ['dotnet'],
    detect: (view) =>
      firstOf(
        () =>
          byTextIn(
            view,
            '.NET analyzers',
            /^(\.editorconfig|[^/]*\.globalconfig)$/,
            /^\s*(dotnet_diagnostic|dotnet_analyzer_diagnostic|dotnet_code_quality)\./,
          ),
        () =>
          byTextIn(
            view,
            '.NET analyzers',
            /^(Directory\.Build\.props|[^/]+\.(cs|fs|vb)proj)$/,
            /<(AnalysisLevel|AnalysisMode|EnableNETAnalyzers|EnforceCodeStyleInBuild|CodeAnalysisRuleSet)>|<TreatWarningsAsErrors>\s*true/,
          ),
        () =>
          byDependency(view, '.NET analyzers', [
            'stylecop.analyzers',
            'roslynator.analyzers',
            'sonaranalyzer.csharp',
            'meziantou.analyzer',
            'microsoft.codeanalysis.netanalyzers',
            'microsoft.codeanalysis.fxcopanalyzers',
            'microsoft.visualstudio.threading.analyzers',
          ]),
        () =>
          byTextIn(
            view,
            '.NET analyzers',
            /^Directory\.Packages\.props$/,
            /(StyleCop|Roslynator|SonarAnalyzer|Meziantou|NetAnalyzers)/,
          ),
      ),
  },
  {
    ecosystems: ['elixir'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'Credo', /^\.credo\.exs$/),
        () => byDependency(view, 'Credo', ['credo']),
      ),
  },
  {
    ecosystems: ['swift'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'SwiftLint', /^\.swiftlint\.ya?ml$/),
        () => byCommand(view, 'SwiftLint', /\bswiftlint\b/),
      ),
  },
  {
    ecosystems: ['dart'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'Dart analyzer', /^analysis_options\.ya?ml$/),
        () => byDependency(view, 'Dart analyzer', ['lints', 'flutter_lints', 'very_good_analysis', 'pedantic']),
        () => byCommand(view, 'Dart analyzer', /\b(dart|flutter)\s+analyze\b/),
      ),
  },
  {
    ecosystems: ['haskell'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'HLint', /^\.hlint\.ya?ml$/),
        () => byCommand(view, 'HLint', /\bhlint\b/),
      ),
  },
  {
    ecosystems: ['c-cpp'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'clang-tidy', /^\.clang-tidy$/),
        () => byTextIn(view, 'clang-tidy', /^CMakeLists\.txt$/, /CMAKE_(C|CXX)_CLANG_TIDY|CMAKE_CXX_CPPCHECK/),
        () => byCommand(view, 'cppcheck', /\b(cppcheck|clang-tidy|cpplint)\b/),
      ),
  },
  {
    ecosystems: 'any',
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'MegaLinter', /^\.mega-linter\.ya?ml$/),
        () => byPath(view, 'Trunk', /(^|\/)\.trunk\/trunk\.yaml$/),
        () => byPath(view, 'Qlty', /(^|\/)\.qlty\/qlty\.toml$/),
        () => byCommand(view, 'Super-Linter', /(github|super-linter)\/super-linter|oxsecurity\/megalinter/),
      ),
  },
];

/**
 * Markdown, prose, link and spelling linters: what `linter-configured` counts in a docs repository (CATALOG, docs
 * profile). Not evidence for a code ecosystem: markdownlint does not lint Python.
 */
const DOCS_LINTER_FILES =
  /^(\.markdownlint(-cli2)?\.(jsonc?|ya?ml|cjs|mjs)|\.markdownlintrc|\.remarkrc(\.(jsonc?|ya?ml|[cm]?js))?|_?\.?vale\.ini|\.textlintrc(\.(jsonc?|ya?ml|[cm]?js))?|lychee\.toml|\.lycheeignore|\.mlc_config\.json|\.markdown-link-check\.json|\.?cspell\.json|cspell\.config\.(jsonc?|ya?ml|[cm]?js)|\.codespellrc|_?typos\.toml|\.typos\.toml|\.spellcheck\.ya?ml)$/;
const DOCS_LINTER_COMMAND =
  /\b(markdownlint(-cli2)?|remark|vale|textlint|lychee|markdown-link-check|cspell|codespell|typos)\b|markdownlint-cli2-action|vale-action|lychee-action/;
const DOCS_LOOKED_FOR =
  '.markdownlint*, .remarkrc*, .vale.ini, .textlintrc*, lychee.toml, .mlc_config.json, cspell.json, .codespellrc, typos.toml, or markdownlint/remark/Vale/textlint/lychee/cspell/codespell/typos run in CI, pre-commit or a script';

function judgeDocsLinter(view: ProjectView) {
  const evidence = firstOf(
    () => byFileName(view, 'a Markdown/prose linter', DOCS_LINTER_FILES),
    () => byPackageJsonKey(view, 'remark-lint', 'remarkConfig'),
    () => byCommand(view, 'a Markdown/prose linter', DOCS_LINTER_COMMAND),
  );
  if (evidence) return result.pass(`documentation: ${evidence.how}`);
  return result.fail('No Markdown or prose linter configured for the documentation', [
    { message: `documentation: no Markdown, prose, link or spelling linter found (looked for ${DOCS_LOOKED_FOR})` },
  ]);
}

const LOOKED_FOR = {
  node: 'eslint.config.*, .eslintrc.*, "eslintConfig" in package.json, biome.json, .oxlintrc.json, standard/xo, deno.json',
  python:
    'ruff.toml, [tool.ruff], .flake8, [flake8] in setup.cfg/tox.ini, .pylintrc, [tool.pylint], ruff/flake8/pylint in CI or pre-commit',
  go: '.golangci.yml, staticcheck.conf, golangci-lint/staticcheck/go vet in CI or a Makefile',
  rust: 'clippy.toml, [lints.clippy] in Cargo.toml, `cargo clippy` in CI',
  java: 'Checkstyle, SpotBugs, PMD, Error Prone, detekt or ktlint in pom.xml/build.gradle',
  scala: '.scalafix.conf, scalastyle-config.xml, WartRemover',
  ruby: '.rubocop.yml, .standard.yml, the rubocop/standard gem',
  php: 'phpstan.neon, psalm.xml, phpcs.xml, .php-cs-fixer.php',
  dotnet: 'dotnet_diagnostic rules in .editorconfig, <AnalysisLevel> in Directory.Build.props, analyzer packages',
  elixir: '.credo.exs, the credo dependency',
  swift: '.swiftlint.yml, swiftlint in CI',
  dart: 'analysis_options.yaml, lints/flutter_lints',
  haskell: '.hlint.yaml, hlint in CI',
  'c-cpp': '.clang-tidy, cppcheck/clang-tidy in CI',
} as const;

export default defineCheck({
  id: 'linter-configured',
  category: 'quality',
  severity: 'medium',
  problemTitle: 'No linter is configured',
  title: 'Linter configured',
  description:
    'Every ecosystem of the project with source code has a linter: ESLint (flat, legacy or `eslintConfig` in package.json), Biome, oxlint, standard/xo or deno lint; Ruff, Flake8, Pylint (own files or sections of pyproject.toml, setup.cfg, tox.ini), or run in CI/pre-commit; golangci-lint, staticcheck or `go vet`; Clippy (clippy.toml, `[lints.clippy]` or `cargo clippy` in CI); Checkstyle, SpotBugs, PMD, Error Prone, detekt, ktlint; RuboCop/Standard; PHPStan, Psalm, PHPCS; .NET analyzers (`dotnet_diagnostic` rules, `<AnalysisLevel>`, `<TreatWarningsAsErrors>`, analyzer packages); Credo, SwiftLint, the Dart analyzer, HLint, clang-tidy; MegaLinter, Trunk or Super-Linter for all. Configuration at the repository root counts for every project. It warns when only some ecosystems are covered, when ESLint is installed without a configuration, or when a linter is only a dependency that nothing configures or runs. In a docs repository (profile docs) it counts Markdown, prose, link and spelling linters: markdownlint, remark-lint, Vale, textlint, lychee, markdown-link-check, cspell, codespell, typos.',
  rationale:
    'A linter catches whole classes of bugs (unused results, shadowed variables, unsafe calls) before review, and keeps review time for design instead of style.',
  remediation: [
    "Add the ecosystem's linter configuration at the project root and run it in CI. For JavaScript/TypeScript, `eslint.config.js`:",
    '',
    '```js',
    "import js from '@eslint/js';",
    'export default [js.configs.recommended];',
    '```',
    '',
    'For Python, in `pyproject.toml`:',
    '',
    '```toml',
    '[tool.ruff.lint]',
    'select = ["E", "F", "B"]',
    '```',
    '',
    'For Go, `.golangci.yml` with `version: "2"`; for Rust, run `cargo clippy -- -D warnings` in CI.',
  ].join('\n'),
  effort: 'hours',
  scope: 'project',
  needs: {
    files: [
      // Package manifests (package.json, pyproject.toml, setup.cfg, Cargo.toml, pom.xml, build.gradle, *.csproj, go.mod…)
      // are always read by the engine (MANIFEST_GLOBS): repeating them here would cost a tree scan per project root.
      {
        glob: '**/{tox.ini,biome.json,biome.jsonc,.ruff.toml,ruff.toml,settings.gradle,settings.gradle.kts,libs.versions.toml,plugins.sbt,.editorconfig,Directory.Build.props,Directory.Packages.props,*.globalconfig,*.vbproj,CMakeLists.txt}',
        max: 80,
      },
      ...PROJECT_COMMAND_NEEDS,
    ],
  },
  evaluate(context) {
    if (context.profile === 'docs') return judgeDocsLinter(new ProjectView(context));
    return judgeToolCoverage({
      view: new ProjectView(context),
      detectors: LINTER_DETECTORS,
      noun: 'linter',
      lookedFor: LOOKED_FOR,
    });
  },
});
