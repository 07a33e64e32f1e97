import { defineCheck } from '../../src/engine/define-check.js';
import { PROJECT_COMMAND_NEEDS } from '../lib/project-commands.js';
import { ProjectView } from '../lib/project-view.js';
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
  firstOf,
  judgeToolCoverage,
  type Detector,
} from '../lib/tool-detection.js';
import { detectBiome } from './linter-configured.js';

const JVM_BUILD_FILES =
  /^(pom\.xml|build\.gradle(\.kts)?|settings\.gradle(\.kts)?|libs\.versions\.toml|build\.sbt|plugins\.sbt)$/;

/** Formatters that ship with the toolchain: they pass with a note, configured or not. */
const builtIn = (tool: string, how: string) => ({ tool, how, builtIn: true });

export const FORMATTER_DETECTORS: Detector[] = [
  {
    ecosystems: ['node'],
    detect: (view) =>
      firstOf(
        () =>
          byFileName(
            view,
            'Prettier',
            /^\.prettierrc(\.(json5?|ya?ml|toml|[cm]?[jt]s))?$|^prettier\.config\.[cm]?[jt]s$/,
          ),
        () => byPackageJsonKey(view, 'Prettier', 'prettier'),
        () => detectBiome(view, 'formatter'),
        () => byFileName(view, 'dprint', /^\.?dprint\.jsonc?$/),
        () => byFileName(view, 'oxfmt', /^\.oxfmtrc\.jsonc?$/),
        () => byFileName(view, 'deno fmt', /^deno\.jsonc?$/, 'deno.json (deno fmt is built in)'),
        () => byDependency(view, 'standard', ['standard', 'semistandard', 'ts-standard']),
        () =>
          byDependency(view, 'ESLint Stylistic', [
            '@stylistic/eslint-plugin',
            '@stylistic/eslint-plugin-js',
            '@stylistic/eslint-plugin-ts',
            'eslint-plugin-prettier',
          ]),
        () => byCommand(view, 'Prettier', /\bprettier\s|\bbiome\s+(format|check|ci)\b|\bdprint\s+(fmt|check)\b/),
        () => byCommand(view, 'oxfmt', /\boxfmt\b/),
        () => byDependencyOnly(view, 'Prettier', ['prettier']),
        () => byDependencyOnly(view, 'oxfmt', ['oxfmt']),
      ),
  },
  {
    ecosystems: ['python'],
    detect: (view) =>
      firstOf(
        () => byPyprojectTool(view, 'Black', 'black'),
        () => byCommand(view, 'Black', /\bblack\b/),
        () => byPyprojectTool(view, 'Ruff format', 'ruff.format'),
        () => byTextIn(view, 'Ruff format', /^\.?ruff\.toml$/, /^\s*\[format\]/),
        () => byCommand(view, 'Ruff format', /\bruff\s+format\b|\bid:\s*ruff-format\b/),
        () => byPyprojectTool(view, 'YAPF', 'yapf'),
        () => byFileName(view, 'YAPF', /^\.style\.yapf$/),
        () => byIniSection(view, 'YAPF', /^(setup\.cfg|tox\.ini)$/, /^\s*\[yapf\]/),
        () => byPyprojectTool(view, 'autopep8', 'autopep8'),
        () => byCommand(view, 'YAPF', /\byapf\b|\bautopep8\b/),
        () => byDependencyOnly(view, 'Black', ['black']),
        () => byDependencyOnly(view, 'YAPF', ['yapf', 'autopep8']),
      ),
  },
  {
    ecosystems: ['python'],
    detect: (view) => {
      const ruff = firstOf(
        () => byFileName(view, 'Ruff', /^\.?ruff\.toml$/),
        () => byPyprojectTool(view, 'Ruff', 'ruff'),
        () => byDependency(view, 'Ruff', ['ruff']),
      );
      return ruff
        ? {
            ...ruff,
            weak: 'Ruff is configured but nothing runs `ruff format` (no [tool.ruff.format], no ruff-format hook or CI step)',
          }
        : undefined;
    },
  },
  {
    ecosystems: ['go'],
    detect: (view) => {
      const run = byCommand(view, 'gofmt', /\bgofmt\b|\bgo\s+fmt\b|\bgofumpt\b|\bgoimports\b/);
      return run
        ? { ...run, builtIn: true }
        : builtIn('gofmt', 'gofmt ships with Go; run `gofmt -l .` in CI to enforce it');
    },
  },
  {
    ecosystems: ['rust'],
    detect: (view) => {
      const configured =
        byFileName(view, 'rustfmt', /^\.?rustfmt\.toml$/) ??
        byCommand(view, 'rustfmt', /cargo\s+(\+\S+\s+)?fmt\b|\brustfmt\b/);
      return configured
        ? { ...configured, builtIn: true }
        : builtIn('rustfmt', 'rustfmt ships with Rust; run `cargo fmt --check` in CI to enforce it');
    },
  },
  {
    ecosystems: ['java'],
    detect: (view) =>
      firstOf(
        () => byTextIn(view, 'Spotless', JVM_BUILD_FILES, /spotless/i),
        () =>
          byTextIn(
            view,
            'google-java-format',
            JVM_BUILD_FILES,
            /google-java-format|googleJavaFormat|palantir-java-format|fmt-maven-plugin|prettier-maven-plugin/,
          ),
        () => byTextIn(view, 'Spring Java Format', JVM_BUILD_FILES, /spring-javaformat|io\.spring\.javaformat/),
        () => byTextIn(view, 'ktlint', JVM_BUILD_FILES, /ktlint|ktfmt/),
        () => byTextIn(view, 'ktlint', /^\.editorconfig$/, /^\s*ktlint_/),
      ),
  },
  {
    ecosystems: ['scala'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'scalafmt', /^\.scalafmt\.conf$/),
        () => byTextIn(view, 'scalafmt', JVM_BUILD_FILES, /scalafmt/),
      ),
  },
  {
    ecosystems: ['ruby'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'RuboCop (Layout cops)', /^\.rubocop\.ya?ml$/),
        () => byFileName(view, 'Standard', /^\.standard\.ya?ml$/),
        () =>
          byCommand(view, 'RuboCop (Layout cops)', /\brubocop\b|\bstandardrb\b|\bstree\s+(check|format)\b|\brufo\b/),
        () =>
          byDependencyOnly(view, 'RuboCop (Layout cops)', [
            'rubocop',
            'standard',
            'rubocop-rails-omakase',
            'syntax_tree',
            'rufo',
          ]),
      ),
  },
  {
    ecosystems: ['php'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'PHP-CS-Fixer', /^\.php[-_]cs(\.dist)?(\.php)?$|^\.php-cs-fixer(\.dist)?\.php$/),
        () => byFileName(view, 'Laravel Pint', /^pint\.json$/),
        () => byFileName(view, 'PHP_CodeSniffer', /^\.?phpcs\.xml(\.dist)?$/),
        () => byFileName(view, 'Easy Coding Standard', /^ecs\.php$/),
        () => byCommand(view, 'Laravel Pint', /\bpint\b/),
        () => byCommand(view, 'PHP-CS-Fixer', /php-cs-fixer|\bphpcbf\b|\becs\s+check\b/),
        () => byDependencyOnly(view, 'Laravel Pint', ['laravel/pint']),
        () =>
          byDependencyOnly(view, 'PHP-CS-Fixer', [
            'friendsofphp/php-cs-fixer',
            'squizlabs/php_codesniffer',
            'symplify/easy-coding-standard',
          ]),
      ),
  },
  {
    ecosystems: ['dotnet'],
    detect: (view) =>
      byCommand(view, 'dotnet format', /\bdotnet\s+format\b|\bcsharpier\b/) ??
      byFileName(view, 'CSharpier', /^\.csharpierrc(\.json|\.ya?ml)?$/) ??
      // CATALOG: `dotnet format` run, or an .editorconfig with C# formatting rules (which `dotnet format` applies).
      byTextIn(view, 'dotnet format', /^\.editorconfig$/, /^\s*csharp_[a-z_]+\s*=/),
  },
  {
    ecosystems: ['elixir'],
    detect: (view) => {
      const config = byFileName(view, 'mix format', /^\.formatter\.exs$/);
      return config
        ? { ...config, builtIn: true }
        : builtIn('mix format', 'mix format ships with Elixir; add .formatter.exs');
    },
  },
  { ecosystems: ['dart'], detect: () => builtIn('dart format', 'dart format ships with the Dart SDK') },
  {
    ecosystems: ['swift'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'SwiftFormat', /^\.swiftformat$/),
        () => byFileName(view, 'swift-format', /^\.swift-format$/),
        () => byCommand(view, 'swift-format', /\bswift(-|\s+)format\b|\bswiftformat\b/),
      ),
  },
  {
    ecosystems: ['haskell'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'Fourmolu', /^fourmolu\.ya?ml$/),
        () => byFileName(view, 'stylish-haskell', /^\.stylish-haskell\.ya?ml$/),
        () => byCommand(view, 'Ormolu', /\b(ormolu|fourmolu|stylish-haskell)\b/),
      ),
  },
  {
    ecosystems: ['c-cpp'],
    detect: (view) =>
      firstOf(
        () => byFileName(view, 'clang-format', /^[._]clang-format$/),
        () => byCommand(view, 'clang-format', /\bclang-format\b/),
      ),
  },
  {
    ecosystems: 'any',
    detect: (view) =>
      firstOf(
        () => byPath(view, 'Trunk', /(^|\/)\.trunk\/trunk\.yaml$/),
        () => byFileName(view, 'MegaLinter', /^\.mega-linter\.ya?ml$/),
        () => byPath(view, 'Qlty', /(^|\/)\.qlty\/qlty\.toml$/),
      ),
  },
];

const LOOKED_FOR = {
  node: '.prettierrc*, prettier.config.*, "prettier" in package.json, biome.json, dprint.json, .oxfmtrc.json, deno.json, standard',
  python: '[tool.black], black, [tool.ruff.format] or `ruff format` in CI/pre-commit, YAPF, autopep8',
  java: 'Spotless, google-java-format, palantir-java-format, Spring Java Format, ktlint, ktfmt in pom.xml/build.gradle',
  scala: '.scalafmt.conf',
  ruby: '.rubocop.yml, .standard.yml, rubocop/standard/syntax_tree/rufo gems',
  php: '.php-cs-fixer.php, pint.json, phpcs.xml, ecs.php',
  swift: '.swiftformat, .swift-format',
  haskell: 'fourmolu.yaml, .stylish-haskell.yaml, ormolu in CI',
  'c-cpp': '.clang-format',
} as const;

export default defineCheck({
  id: 'formatter-configured',
  category: 'quality',
  severity: 'low',
  problemTitle: 'No code formatter is configured',
  title: 'Code formatter configured',
  description:
    'Every ecosystem of the project with source code has a formatter: Prettier, Biome, dprint, oxfmt, deno fmt or standard; Black, Ruff format (`[tool.ruff.format]` or `ruff format` in CI/pre-commit), YAPF or autopep8; Spotless, google-java-format, Spring Java Format, ktlint/ktfmt; scalafmt; RuboCop/Standard; PHP-CS-Fixer, Pint, PHPCS; SwiftFormat; Fourmolu/Ormolu; clang-format. C#: `dotnet format` or CSharpier run, or an `.editorconfig` with C# formatting rules (`csharp_*`). gofmt, rustfmt, `mix format` and `dart format` are built into their toolchains and pass with a note. It warns when Ruff is configured but nothing runs `ruff format`, and when a formatter is only a dependency that nothing configures or runs.',
  rationale:
    'An agreed formatter ends style debates in review and keeps diffs to real changes; running it in CI or a pre-commit hook makes the agreement stick.',
  remediation: [
    'Add a formatter configuration at the project root and check it in CI. For JavaScript/TypeScript, `.prettierrc.json`:',
    '',
    '```json',
    '{ "singleQuote": true }',
    '```',
    '',
    'and `npx prettier --check .` in CI. For Python, in `pyproject.toml`:',
    '',
    '```toml',
    '[tool.ruff.format]',
    'quote-style = "double"',
    '```',
    '',
    'and `ruff format --check .` in CI.',
  ].join('\n'),
  effort: 'minutes',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'project',
  needs: {
    files: [
      // Package manifests (package.json, pyproject.toml, setup.cfg, Cargo.toml, pom.xml, build.gradle, *.csproj, go.mod…)
      // are always read by the engine (MANIFEST_GLOBS): repeating them here would cost a tree scan per project root.
      {
        glob: '**/{tox.ini,biome.json,biome.jsonc,.ruff.toml,ruff.toml,settings.gradle,settings.gradle.kts,libs.versions.toml,plugins.sbt,.editorconfig}',
        max: 60,
      },
      ...PROJECT_COMMAND_NEEDS,
    ],
  },
  evaluate(context) {
    return judgeToolCoverage({
      view: new ProjectView(context),
      detectors: FORMATTER_DETECTORS,
      noun: 'formatter',
      lookedFor: LOOKED_FOR,
    });
  },
});
