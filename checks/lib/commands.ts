/**
 * What CI steps do: recognises test, lint, audit, SAST, SBOM, deploy and image-scan commands in `run:` lines and
 * well-known actions, across local reusable workflows and composite actions (see walkJobSteps).
 */
import { isRecord, readJson } from '../../src/parsers/structured.js';
import {
  expandMatrix,
  walkJobSteps,
  type Job,
  type ScalarText,
  type SourceLine,
  type Step,
  type StepVisit,
  type Workflow,
  type WorkflowModel,
} from '../../src/parsers/workflows.js';
import { parseMakefile, recipeOf } from '../../src/parsers/makefile.js';
import { justRecipeLines, parseJustfile } from '../../src/parsers/justfile.js';
import { parseTaskfile, taskCommandLines } from '../../src/parsers/taskfile.js';
import { splitCommands, withoutComment } from '../../src/parsers/shell.js';
import { parsePom } from '../../src/parsers/xml.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import {
  alt,
  ANY_WORD,
  ANY_WORDS,
  END_OF_COMMAND,
  matchWords,
  prepareWords,
  type PreparedWords,
  opt,
  star,
  words,
  type WordPattern,
  type WordStep,
} from './word-pattern.js';

export type CommandKind = 'test' | 'lint' | 'audit' | 'sast' | 'sbom' | 'deploy' | 'image-scan';

interface Segment {
  words: PreparedWords;
  /** The words joined by single spaces. */
  text: string;
}

/** What a rule recognises in one simple command: a word pattern, or a linear test of the command's text. */
type Matcher = WordPattern | RegExp | ((text: string) => boolean);

interface Rule {
  kind: CommandKind;
  tool: string;
  pattern: Matcher;
  /** When this also matches the command, the rule does not apply (e.g. `-DskipTests`). */
  unless?: Matcher;
}

function matches(matcher: Matcher, segment: Segment): boolean {
  if (matcher instanceof RegExp) return matcher.test(segment.text);
  if (typeof matcher === 'function') return matcher(segment.text);
  return matchWords(matcher, segment.words);
}

/**
 * `first`, then later in the text `then`. The first occurrence of `first` decides: any later one leaves less text
 * after it. (As one regex, `first.*then` retries at every occurrence of `first`, each retry scanning to the end.)
 */
const followedBy =
  (first: RegExp, then: RegExp) =>
  (text: string): boolean => {
    const match = first.exec(text);
    return match !== null && then.test(text.slice(match.index + match[0].length));
  };

/** A command as words (see word-pattern.ts): it may start at any word of the simple command. */
const cmd = (...steps: WordStep[]) => words(steps);

const SCRIPT_NAME = /^[\w:.-]+$/;
const TARGET_NAME = /^[+:]?[\w:-]+$/;
/** `test`, `test:unit`, `ci-test`, `e2e`, … — a package script that runs tests. */
const isTestScript = (word: string) =>
  SCRIPT_NAME.test(word) &&
  (word.includes('test') || /^(?:spec|coverage|e2e|unit|integration)/.test(word) || /^(?:t|tst|cover)$/.test(word));
/** `lint`, `lint:fix`, `format:check`, `typecheck`, … — a package script that lints or type-checks. */
const isLintScript = (word: string) =>
  (SCRIPT_NAME.test(word) && word.includes('lint')) ||
  /^(?:format:check|fmt:check|check[-:]format|format[-:]check|prettier(?::check)?|typecheck|type-check|types|check-types|tsc|check(?::[\w:-]+)?|style(?::check)?|stylelint|eslint|ruff|mypy|pyright|vet|static-analysis|analy[sz]e)$/.test(
    word,
  );
/** A make/just/task target that runs tests (`test`, `test-unit`, `+test`, `check`, `ci`, …). */
const isTestTarget = (word: string) =>
  TARGET_NAME.test(word) && (word.includes('test') || /^[+:]?(?:check|ci|unit|spec|e2e)$/.test(word));
/** A make/just/task target that lints. */
const isLintTarget = (word: string) =>
  TARGET_NAME.test(word) &&
  (word.includes('lint') ||
    /^[+:]?(?:check-format|format-check|fmt-check|vet|typecheck|type-check|style|static-analysis)$/.test(word));
/** A Rake task that runs tests or specs. */
const isRakeTestTask = (word: string) => /^[\w:]+$/.test(word) && (word.includes('test') || word.includes('spec'));
/** A word whose last `publish` is followed by word characters only (`publish`, `publishToMavenLocal`, `+publishSigned`). */
const endsWithPublish = (word: string) => {
  const at = word.lastIndexOf('publish');
  return at >= 0 && /^\w*$/.test(word.slice(at + 'publish'.length));
};

/** `npm`/`pnpm`/`yarn`/`bun` with their flags and workspace selectors, before a script name. */
const JS_RUNNER: WordStep[] = [
  'npm|pnpm|yarn|bun',
  star(
    alt(
      '-{1,2}[\\w-]+=\\S+',
      ['-{1,2}[\\w-]+', opt('(?!(?:run|run-script|test|t|tst|lint)\\b)[^-]\\S*')],
      ['workspaces?', '(?!foreach\\b)\\S+'],
      ['workspaces', 'foreach', star('-\\S+')],
    ),
  ),
  opt('run(?:-script)?'),
];
/** `npx`, `pnpm exec`, `yarn dlx`, … before a tool. */
const PACKAGE_EXEC = opt(alt('npx', ['pnpm', opt('exec|dlx')], ['yarn', opt('dlx')], 'bunx'));
/** A task runner, then any words before the target. */
const TASK_RUNNER: WordStep[] = [
  alt('make|gmake|just|task|mage|invoke|inv|earthly|nx|rush|poe', ['turbo', opt('run')], ['lerna|moon', 'run']),
  ANY_WORDS,
];
const MAVEN = '\\S*mvnw?(?:\\.cmd)?';
const GRADLE = '\\S*gradlew?(?:\\.bat)?';
/** A scanner run from its own image (`aquasec/trivy:0.58.1`), or installed. */
const SCANNER_IMAGE = (name: string) => `(?:[\\w.-]+/)*${name}(?::[\\w.-]+)?(?:@sha256:[0-9a-f]+)?`;

const RULES: Rule[] = [
  // Tests
  { kind: 'test', tool: 'package script', pattern: cmd(...JS_RUNNER, isTestScript) },
  { kind: 'test', tool: 'npm install-test', pattern: cmd('npm', 'cit|it|install-test|install-ci-test') },
  {
    kind: 'test',
    tool: 'JavaScript test runner',
    pattern: cmd(
      PACKAGE_EXEC,
      alt(
        'jest|vitest|mocha|ava|tap|c8|nyc|wdio|testcafe|uvu|tape',
        ['karma', 'start'],
        ['playwright', 'test'],
        ['cypress', 'run'],
      ),
    ),
  },
  { kind: 'test', tool: 'node:test', pattern: cmd('node', ANY_WORDS, '--test') },
  {
    kind: 'test',
    tool: 'test runner',
    pattern: cmd(
      alt(
        'deno|bun|ng|react-scripts|swift|mix|dotnet|stack|cabal|flutter|dart|meson|bazel|bazelisk|pants|buck2?|lein|richgo|cross',
        ['vue-cli-service', 'test:unit'],
        ['zig', 'build'],
      ),
      star('-\\S+'),
      'test',
    ),
  },
  { kind: 'test', tool: 'pytest', pattern: cmd(opt('python[\\d.]*', '-m'), 'pytest|py\\.test') },
  {
    kind: 'test',
    tool: 'Python test runner',
    pattern: cmd(
      'python[\\d.]*',
      star('-\\S+'),
      alt(
        ['-m', alt('unittest|nose2?|tox|nox|green|trial', ['coverage', 'run'])],
        ['setup\\.py|\\S*manage\\.py', 'test'],
        'runtests\\.py|\\S*run_?tests?\\.py',
      ),
    ),
  },
  {
    kind: 'test',
    tool: 'tox/nox',
    pattern: cmd('tox|nox'),
    unless:
      /\b(?:tox|nox)\s+(?:-e|-s|--sessions?|--env)\s*(?:=\s*)?["']?(?:lint|flake8|mypy|type|typing|style|docs?|pre-commit|format|fmt|pylint|ruff|check|build|release|publish)\b/,
  },
  {
    kind: 'test',
    tool: 'Python project tool',
    pattern: cmd(
      alt(
        ['hatch', alt('test', ['run', (word: string) => word.includes('test')])],
        ['pdm', opt('run'), (word: string) => word.includes('test')],
        ['coverage', 'run'],
        ['django-admin', 'test'],
        ['uv', 'run', star('--\\S+'), alt('pytest', ['python', '-m', 'pytest'])],
      ),
    ),
  },
  {
    kind: 'test',
    tool: 'task runner',
    pattern: cmd(...TASK_RUNNER, isTestTarget),
    unless: followedBy(/\bmake\s/, /\b(?:lint|fmt|format)-check\b/),
  },
  { kind: 'test', tool: 'go test', pattern: cmd(alt(['go', 'test'], 'gotestsum|ginkgo')) },
  {
    kind: 'test',
    tool: 'cargo test',
    pattern: cmd(
      'cargo',
      opt('\\+\\S+'),
      star('-\\S+'),
      alt('test|nextest|tarpaulin|llvm-cov', ['hack', ANY_WORDS, 'test'], ['make|miri', 'test']),
    ),
  },
  {
    kind: 'test',
    tool: 'Maven',
    pattern: cmd(MAVEN, ANY_WORDS, 'test|verify|install|package|integration-test|surefire:test'),
    unless: /-DskipTests(?!=false)|-Dmaven\.test\.skip=true/,
  },
  {
    kind: 'test',
    tool: 'Gradle',
    pattern: cmd(GRADLE, ANY_WORDS, '(?:[^:]*:)*(?:test|check|build|\\w*Test|connectedCheck|allTests)'),
    unless: /\s-x\s+:?test\b/,
  },
  { kind: 'test', tool: 'sbt', pattern: cmd('sbt', ANY_WORDS, '[+]?(?:test|testOnly|coverage|it:test)') },
  {
    kind: 'test',
    tool: 'Ruby test runner',
    pattern: cmd(
      opt('bundle', 'exec'),
      alt(
        'rspec|bin/rspec',
        ['(?:bin/)?rails', 'test(?::\\w+)?'],
        ['ruby', alt('-Itest', ['-I', 'test'])],
        ['rake', opt(alt(isRakeTestTask, 'spec[\\w:]*|default|ci')), END_OF_COMMAND],
      ),
    ),
  },
  { kind: 'test', tool: 'rake', pattern: cmd(opt('bundle', 'exec'), 'rake', isRakeTestTask) },
  {
    kind: 'test',
    tool: 'PHP test runner',
    pattern: cmd(
      alt(
        '(?:\\S*/)?(?:phpunit|pest|paratest)',
        ['(?:\\S*/)?codecept', 'run'],
        ['php', 'artisan', 'test'],
        ['composer', opt('run(?:-script)?'), (word: string) => /^[\w:-]+$/.test(word) && word.includes('test')],
      ),
    ),
  },
  { kind: 'test', tool: 'xcodebuild', pattern: cmd('xcodebuild', ANY_WORDS, 'test') },
  { kind: 'test', tool: 'ctest', pattern: cmd('ctest') },
  {
    kind: 'test',
    tool: 'test script',
    pattern: cmd('(?:[\\w./-]*/)?(?:run[_-]?tests?|tests?|ci[_-]test|unit[_-]tests?)\\.(?:sh|bash|py|ps1|cmd|bat)'),
  },
  { kind: 'test', tool: 'test script', pattern: cmd('(?:\\.?/)?(?:bin|script|scripts)/(?:test|run-tests|ci-test)') },

  // Lint, format and type checks
  { kind: 'lint', tool: 'package script', pattern: cmd(...JS_RUNNER, isLintScript) },
  {
    kind: 'lint',
    tool: 'JavaScript linter',
    pattern: cmd(
      PACKAGE_EXEC,
      alt(
        'eslint|oxlint|standard|xo|stylelint|tslint|jshint|markdownlint(?:-cli2)?|vue-tsc|svelte-check|tsc',
        ['biome', 'check|lint|ci|format'],
        ['dprint', 'check'],
        ['prettier', ANY_WORDS, '--check|-c|--list-different|-l'],
      ),
    ),
  },
  { kind: 'lint', tool: 'deno', pattern: cmd('deno', alt('lint|check', ['fmt', ANY_WORDS, '--check'])) },
  {
    kind: 'lint',
    tool: 'Python linter',
    pattern: cmd(
      opt('python[\\d.]*', '-m'),
      alt(
        'ruff|flake8|pylint|mypy|pyright|basedpyright|pytype|pycodestyle|pydocstyle|pyflakes',
        ['pyre', 'check'],
        ['black', ANY_WORDS, '--check|--diff'],
        ['isort', ANY_WORDS, '--check(?:-only)?|-c|--diff'],
      ),
    ),
  },
  { kind: 'lint', tool: 'pre-commit', pattern: cmd('pre-commit|prek', 'run') },
  {
    kind: 'lint',
    tool: 'tox/nox lint session',
    pattern:
      /\b(?:tox|nox)\s+(?:-e|-s|--sessions?|--env)\s*(?:=\s*)?["']?(?:lint|flake8|mypy|type|typing|style|pre-commit|format|fmt|pylint|ruff|check)\b/,
  },
  {
    kind: 'lint',
    tool: 'Python project tool',
    pattern: cmd(
      alt(
        ['hatch', alt('fmt', ['run', (word: string) => /lint|type|style|check/.test(word)])],
        ['pdm', opt('run'), (word: string) => word.includes('lint')],
        ['uv', 'run', star('--\\S+'), 'ruff|mypy|pyright|flake8|pylint'],
      ),
    ),
  },
  {
    kind: 'lint',
    tool: 'Go linter',
    pattern: cmd(
      alt(
        'golangci-lint|staticcheck|revive|errcheck|gosimple',
        ['go', 'vet'],
        ['gofmt', star('-\\w'), '-[ld]'],
        ['gofumpt|goimports', '-[ld]'],
      ),
    ),
  },
  {
    kind: 'lint',
    tool: 'Rust linter',
    pattern: cmd(
      alt(
        ['cargo', opt('\\+\\S+'), alt('clippy|check|machete|udeps', ['fmt', ANY_WORDS, '--check'])],
        ['rustfmt', ANY_WORDS, '--check'],
      ),
    ),
  },
  {
    kind: 'lint',
    tool: 'Ruby linter',
    pattern: cmd(
      opt('bundle', 'exec'),
      alt('rubocop|standardrb|reek|erb_lint|erblint', ['srb', 'tc'], ['steep', 'check']),
    ),
  },
  {
    kind: 'lint',
    tool: 'JVM linter',
    pattern:
      /^(?=.*\b(?:mvnw?|gradlew?)\b).*\b(?:checkstyle|spotless(?::check|Check)|spring-javaformat:validate|checkFormat|pmd|spotbugs|ktlint|detekt|lint\b|errorprone|ktfmtCheck)/,
  },
  {
    kind: 'lint',
    tool: 'JVM linter',
    pattern: cmd(alt('ktlint|detekt', ['scalafmt', '--test'], ['scalafix', '--check'])),
  },
  {
    kind: 'lint',
    tool: 'PHP linter',
    pattern: cmd(
      alt(
        '(?:\\S*/)?(?:phpstan|phpcs|psalm|phpmd)',
        ['(?:\\S*/)?pint', '--test'],
        ['(?:\\S*/)?(?:php-cs-fixer|rector)', ANY_WORDS, '--dry-run'],
        ['composer', opt('run(?:-script)?'), '(?:lint|cs|phpstan|analyse|stan|psalm)[\\w:-]*'],
      ),
    ),
  },
  {
    kind: 'lint',
    tool: 'dotnet format',
    pattern: cmd('dotnet', 'format', ANY_WORDS, '--verify-no-changes|--check'),
  },
  {
    kind: 'lint',
    tool: 'mix',
    pattern: cmd('mix', alt(['format', '--check-formatted'], 'credo|dialyzer', ['compile', '--warnings-as-errors'])),
  },
  {
    kind: 'lint',
    tool: 'Swift/Dart linter',
    pattern: cmd(
      alt(
        'swiftlint',
        ['swift-format', 'lint'],
        ['swiftformat', '--lint'],
        ['dart|flutter', 'analyze'],
        ['dart', 'format', ANY_WORDS, '--set-exit-if-changed'],
      ),
    ),
  },
  {
    kind: 'lint',
    tool: 'linter',
    pattern: cmd(
      alt(
        'shellcheck|hadolint|actionlint|yamllint|editorconfig-checker|ec|clang-tidy|cpplint|cppcheck|zizmor|cspell|codespell|typos|vale|remark|textlint|lychee|markdown-link-check|tflint|htmlhint',
        ['ct|buf|helm', 'lint'],
        ['sqlfluff', 'lint'],
        ['clang-format', '--dry-run|-n'],
        ['terraform', 'fmt', '-check'],
      ),
    ),
  },
  { kind: 'lint', tool: 'task runner', pattern: cmd(...TASK_RUNNER, isLintTarget) },

  // Dependency audit
  {
    kind: 'audit',
    tool: 'package manager audit',
    pattern: cmd(
      alt(
        ['npm|pnpm|yarn|bun', opt('npm'), 'audit'],
        'audit-ci|better-npm-audit|improved-yarn-audit|retire|npm-audit-resolver',
      ),
    ),
  },
  {
    kind: 'audit',
    tool: 'Python audit',
    pattern: cmd(alt('pip-audit', ['safety', 'check|scan'], ['uv', 'audit'], ['pipenv', 'check'])),
  },
  { kind: 'audit', tool: 'osv-scanner', pattern: cmd('osv-scanner') },
  { kind: 'audit', tool: 'govulncheck', pattern: cmd(alt('govulncheck', ['nancy', 'sleuth'])) },
  { kind: 'audit', tool: 'cargo audit', pattern: cmd('cargo', alt('audit|vet', ['deny', ANY_WORDS, 'check'])) },
  {
    kind: 'audit',
    tool: 'trivy fs',
    pattern: cmd('trivy', star('--\\S+'), 'fs|filesystem|repo|repository|rootfs'),
  },
  { kind: 'audit', tool: 'grype', pattern: cmd('grype', star('--\\S+'), 'dir:|\\.|sbom:|file:') },
  { kind: 'audit', tool: 'snyk', pattern: cmd('snyk', 'test|monitor') },
  {
    kind: 'audit',
    tool: 'Ruby/PHP/.NET/Elixir audit',
    pattern: cmd(
      alt(
        'bundler?-audit',
        ['bundler?', 'audit'],
        ['bundle', 'exec', 'bundler?-audit'],
        ['composer', 'audit'],
        ['dotnet', 'list', ANY_WORDS, 'package', ANY_WORDS, '--vulnerable'],
        ['mix', 'deps\\.audit|hex\\.audit'],
      ),
    ),
  },
  {
    kind: 'audit',
    tool: 'OWASP dependency-check',
    pattern: /dependency-check(?:\.sh|:check|:aggregate)?\b|dependencyCheck(?:Analyze|Aggregate)/,
  },

  // SAST
  { kind: 'sast', tool: 'Semgrep', pattern: cmd('semgrep') },
  { kind: 'sast', tool: 'Bandit', pattern: cmd(opt('python[\\d.]*', '-m'), 'bandit') },
  { kind: 'sast', tool: 'gosec', pattern: cmd('gosec') },
  {
    kind: 'sast',
    tool: 'Sonar',
    pattern: (text) =>
      /\bsonar-scanner\b|\bsonar:sonar\b|\bdotnet[- ]sonarscanner\b/.test(text) ||
      followedBy(/\b(?:gradlew?|mvnw?)\b/, /\bsonar(?:qube)?\b/)(text),
  },
  { kind: 'sast', tool: 'Snyk Code', pattern: cmd('snyk', 'code', 'test') },
  { kind: 'sast', tool: 'CodeQL CLI', pattern: cmd('codeql', 'database', 'analyze') },
  {
    kind: 'sast',
    tool: 'SAST tool',
    pattern: cmd(
      alt(
        'brakeman|njsscan|flawfinder|devskim',
        ['horusec', 'start'],
        ['psalm', ANY_WORDS, '--taint-analysis'],
        'spotbugs\\S*findsec',
        ['spotbugs\\S*', ANY_WORDS, '\\S*findsec'],
        ['kics', 'scan'],
      ),
    ),
  },

  // SBOM
  { kind: 'sbom', tool: 'Syft', pattern: cmd('syft') },
  {
    kind: 'sbom',
    tool: 'CycloneDX',
    pattern: /cyclonedx[\w-]*|makeAggregateBom|makeBom|cyclonedxBom|cargo\s+cyclonedx/i,
  },
  {
    kind: 'sbom',
    tool: 'docker buildx --sbom',
    pattern: followedBy(/docker\s+(?:buildx\s+)?build\b/, /--sbom(?:=true)?(?:\s|$)/),
  },
  {
    kind: 'sbom',
    tool: 'SBOM generator',
    pattern: cmd(
      alt(['npm', 'sbom'], ['sbom-tool|bom', 'generate'], 'spdx-sbom-generator|cdxgen', [
        'trivy',
        ANY_WORDS,
        alt('--format=(?:cyclonedx|spdx(?:-json)?)', ['--format', 'cyclonedx|spdx(?:-json)?']),
      ]),
    ),
  },

  // Release and deploy
  {
    kind: 'deploy',
    tool: 'package publish',
    pattern: cmd(
      alt(
        ['npm|pnpm|bun', star('-\\S+'), 'publish'],
        ['yarn', opt('npm'), star('-\\S+'), 'publish'],
        ['changeset|lerna', 'publish'],
        'np|release-it',
      ),
    ),
  },
  {
    kind: 'deploy',
    tool: 'PyPI publish',
    pattern: cmd(alt(['twine', 'upload'], ['poetry|flit|hatch|uv|pdm', 'publish'], ['maturin', 'publish|upload'])),
  },
  {
    kind: 'deploy',
    tool: 'crates/Maven/NuGet/gem publish',
    pattern: cmd(
      alt(
        ['cargo', 'publish'],
        ['\\S*mvnw?', ANY_WORDS, 'deploy'],
        ['\\S*gradlew?', ANY_WORDS, 'publish\\w*'],
        ['sbt', ANY_WORDS, endsWithPublish],
        ['dotnet', 'nuget', 'push'],
        ['nuget|gem', 'push'],
        ['mix', 'hex\\.publish'],
        ['dart|flutter', 'pub', 'publish'],
        ['pod', 'trunk', 'push'],
      ),
    ),
  },
  {
    kind: 'deploy',
    tool: 'container push',
    pattern: cmd(
      alt(
        ['docker|podman|buildah', opt('image'), 'push'],
        ['docker', opt('buildx'), 'build|bake', ANY_WORDS, '\\S*--push'],
        ['ko', 'build|publish|resolve|apply'],
        ['skopeo', 'copy'],
        ['crane', 'push'],
        'jib',
        ['\\S*gradlew?', ANY_WORDS, '(?:\\S*\\W)?jib'],
      ),
    ),
  },
  {
    kind: 'deploy',
    tool: 'release tool',
    pattern: cmd(opt('npx'), alt('semantic-release|goreleaser|release-please|jreleaser', ['gh', 'release', 'create'])),
  },
  {
    kind: 'deploy',
    tool: 'deploy command',
    pattern: cmd(
      alt(
        ['helm', 'upgrade|install|push'],
        ['kubectl', alt('apply|replace', ['set', 'image'], ['rollout', 'restart'])],
        ['kustomize', 'build', ANY_WORDS, '\\S*kubectl'],
        ['argocd', 'app', 'sync'],
        ['flux', 'reconcile'],
        ['terraform|tofu', 'apply'],
        ['pulumi', 'up'],
        [opt('npx'), 'cdk', 'deploy'],
        ['sam|serverless|sls', 'deploy'],
        [
          'aws',
          alt(
            ['ecs', 'update-service'],
            ['cloudformation', 'deploy'],
            ['lambda', 'update-function-code'],
            ['s3', 'sync'],
            ['deploy', ANY_WORD],
          ),
        ],
        ['gcloud', 'run|app|functions', 'deploy'],
        ['az', 'webapp|containerapp|functionapp', 'up|deploy|update'],
        ['flyctl|fly|netlify|firebase|mike|kamal', 'deploy'],
        ['vercel', ANY_WORDS, '\\S*(?:--prod|deploy)'],
        ['wrangler', alt('deploy|publish', ['pages', 'deploy'])],
        ['mkdocs', 'gh-deploy'],
        ['railway', 'up'],
        ['heroku', 'container:release|deploy'],
        ['git', 'push', 'heroku'],
        'ansible-playbook|dokku',
        ['cap', '\\w+', 'deploy'],
      ),
    ),
  },

  // Container image scanning, also run from the scanners' own images (`docker run aquasec/trivy:0.58.1 image …`).
  // `trivy fs`/`grype dir:` scan a source tree instead and are audits above.
  {
    kind: 'image-scan',
    tool: 'trivy image',
    pattern: cmd(SCANNER_IMAGE('trivy'), star('--?\\S+'), 'image|i'),
  },
  {
    kind: 'image-scan',
    tool: 'grype',
    pattern: cmd(
      SCANNER_IMAGE('grype'),
      star('--?\\S+'),
      '(?!dir:|file:|sbom:|db\\b|version\\b|\\.$|-)(?:docker:|registry:|docker-archive:|oci-[\\w-]+:|podman:)?[\\w./@:${}-]+',
    ),
  },
  {
    kind: 'image-scan',
    tool: 'docker scout',
    pattern: cmd('docker', 'scout', 'cves|quickview|recommendations|compare'),
  },
  { kind: 'image-scan', tool: 'snyk container', pattern: cmd('snyk', 'container', 'test|monitor') },
  {
    kind: 'image-scan',
    tool: 'image scanner',
    pattern: cmd(
      alt(
        'clair-scanner|clairctl|anchore-cli|prisma-cloud-scan|neuvector|dockle',
        ['xray', 'scan'],
        ['jf', 'docker', 'scan'],
        ['twistcli', 'images', 'scan'],
        ['wiz\\S*', 'docker', 'scan'],
      ),
    ),
  },
];

interface ActionRule {
  kind: CommandKind;
  tool: string;
  /** Lower-case action names without `@ref` (a trailing `/` matches any sub-action). */
  names: string[];
  /** Input conditions: all must hold when given. */
  when?: (inputs: Record<string, ScalarText>) => boolean;
}

const input = (inputs: Record<string, ScalarText>, key: string) => inputs[key]?.value.trim().toLowerCase() ?? '';
const truthy = (value: string) => value === 'true' || value.includes('${{');

const ACTION_RULES: ActionRule[] = [
  {
    kind: 'test',
    tool: 'Cypress',
    names: ['cypress-io/github-action'],
    when: (inputs) => input(inputs, 'runtests') !== 'false',
  },
  {
    kind: 'test',
    tool: 'test action',
    names: [
      'mattallty/jest-github-action',
      'artiomtr/jest-coverage-report-action',
      'php-actions/phpunit',
      'microsoft/vstest-action',
      'dart-lang/test',
      'paambaati/codeclimate-action',
      'rrainn/jest-coverage-report-action',
      'anuraag016/jest-coverage-diff',
    ],
  },
  {
    kind: 'lint',
    tool: 'lint action',
    names: [
      'golangci/golangci-lint-action',
      'pre-commit/action',
      'pre-commit-ci/lite-action',
      'astral-sh/ruff-action',
      'chartboost/ruff-action',
      'jpetrucciani/ruff-check',
      'reviewdog/',
      'github/super-linter',
      'super-linter/super-linter',
      'oxsecurity/megalinter',
      'wearerequired/lint-action',
      'psf/black',
      'py-actions/flake8',
      'rhysd/actionlint',
      'raven-actions/actionlint',
      'ludeeus/action-shellcheck',
      'hadolint/hadolint-action',
      'davidanson/markdownlint-cli2-action',
      'errata-ai/vale-action',
      'lycheeverse/lychee-action',
      'gaurav-nelson/github-action-markdown-link-check',
      'tcort/github-action-markdown-link-check',
      'actions-rs/clippy-check',
      'giraffate/clippy-action',
      'auguwu/clippy-action',
      'jakebailey/pyright-action',
      'ricardochaves/python-lint',
      'sibiraj-s/action-eslint',
      'stefanzweifel/git-auto-commit-action-lint',
      'biomejs/setup-biome-lint',
      'dominikh/staticcheck-action',
      'golang/govet-action',
      'tsuyoshicho/action-mypy',
      'actionsx/prettier',
      'creyd/prettier_action',
      'ibiqlik/action-yamllint',
      'zizmorcore/zizmor-action',
      'crate-ci/typos',
      'codespell-project/actions-codespell',
      'mbogh/swiftlint-action',
      'norio-nomura/action-swiftlint',
      'ataylorme/eslint-annotate-action',
      'stylelint/action',
      'tj-actions/eslint-changed-files',
      'bufbuild/buf-lint-action',
      'terraform-linters/setup-tflint-lint',
      'jidicula/clang-format-action',
      'cpp-linter/cpp-linter-action',
      'ricardochaves/python-lint',
    ],
  },
  {
    kind: 'audit',
    tool: 'dependency audit action',
    names: [
      'actions/dependency-review-action',
      'google/osv-scanner-action/',
      'google/osv-scanner-action',
      'pypa/gh-action-pip-audit',
      'golang/govulncheck-action',
      'rustsec/audit-check',
      'actions-rs/audit-check',
      'embarkstudios/cargo-deny-action',
      'sonatype-nexus-community/nancy-github-action',
      'dependency-check/dependency-check_action',
      'pyupio/safety-action',
      'snyk/actions/node',
      'snyk/actions/python',
      'snyk/actions/golang',
      'snyk/actions/maven',
      'snyk/actions/gradle',
      'snyk/actions/ruby',
      'snyk/actions/php',
      'snyk/actions/dotnet',
      'snyk/actions/scala',
      'snyk/actions/setup-test',
      'aquasecurity/trivy-action-fs',
      'anchore/scan-action-dir',
      'ossf/osv-scanner-action',
    ],
  },
  {
    kind: 'audit',
    tool: 'Trivy filesystem scan',
    names: ['aquasecurity/trivy-action'],
    when: (inputs) => /^(fs|filesystem|repo|rootfs)$/.test(input(inputs, 'scan-type')),
  },
  {
    kind: 'audit',
    tool: 'Grype directory scan',
    names: ['anchore/scan-action'],
    when: (inputs) => Boolean(inputs.path || inputs.sbom),
  },
  { kind: 'sast', tool: 'CodeQL', names: ['github/codeql-action/analyze', 'github/codeql-action/init'] },
  {
    kind: 'sast',
    tool: 'SAST action',
    names: [
      'returntocorp/semgrep-action',
      'semgrep/semgrep-action',
      'pycqa/bandit-action',
      'mdegis/bandit-action',
      'jpetrucciani/bandit-check',
      'tj-actions/bandit',
      'securego/gosec',
      'sonarsource/sonarcloud-github-action',
      'sonarsource/sonarqube-scan-action',
      'sonarsource/sonarqube-quality-gate-action',
      'snyk/actions/',
      'shiftleftsecurity/scan-action',
      'microsoft/security-devops-action',
      'checkmarx/ast-github-action',
      'checkmarx/kics-github-action',
      'bearer/bearer-action',
      'devcontainers-contrib/semgrep',
      'ajinabraham/njsscan-action',
      'fortify/github-action',
      'veracode/veracode-uploadandscan-action',
      'github/ossar-action',
      'mobsf/mobsfscan',
      'zricethezav/gitleaks-action-sast',
    ],
    when: (inputs) => input(inputs, 'command') !== 'test' || true,
  },
  {
    kind: 'sbom',
    tool: 'SBOM action',
    names: [
      'anchore/sbom-action',
      'anchore/sbom-action/',
      'cyclonedx/gh-node-module-generatebom',
      'cyclonedx/gh-python-generate-sbom',
      'cyclonedx/gh-gomod-generate-sbom',
      'cyclonedx/gh-dotnet-generate-sbom',
      'cyclonedx/gh-php-composer-generate-sbom',
      'advanced-security/sbom-generator-action',
      'advanced-security/generate-sbom-action',
      'actions/attest-sbom',
      'microsoft/sbom-action',
      'aquasecurity/trivy-action-sbom',
      'cyclonedx/cdxgen-action',
    ],
  },
  {
    kind: 'sbom',
    tool: 'BuildKit SBOM attestation',
    names: ['docker/build-push-action', 'docker/bake-action'],
    when: (inputs) => truthy(input(inputs, 'sbom')) || /type=sbom/.test(input(inputs, 'attests')),
  },
  {
    kind: 'sbom',
    tool: 'Trivy SBOM output',
    names: ['aquasecurity/trivy-action'],
    when: (inputs) => /cyclonedx|spdx/.test(input(inputs, 'format')),
  },
  {
    kind: 'deploy',
    tool: 'publish action',
    names: [
      'pypa/gh-action-pypi-publish',
      'js-devtools/npm-publish',
      'changesets/action',
      'katyo/publish-crates',
      'rubygems/release-gem',
      'softprops/action-gh-release',
      'ncipollo/release-action',
      'goreleaser/goreleaser-action',
      'googleapis/release-please-action',
      'google-github-actions/release-please-action',
      'cycjimmy/semantic-release-action',
      'codfish/semantic-release-action',
      'rymndhng/release-on-push-action',
      'marvinpinto/action-automatic-releases',
      'release-drafter/release-drafter-publish',
      'jreleaser/release-action',
      'gradle/publish-plugin',
      'actions/create-release',
      'taiki-e/upload-rust-binary-action',
      'mikepenz/action-gh-release',
    ],
  },
  {
    kind: 'deploy',
    tool: 'container push',
    names: [
      'docker/build-push-action',
      'docker/bake-action',
      'redhat-actions/push-to-registry',
      'mr-smithers-excellent/docker-build-push',
      'elgohr/publish-docker-github-action',
      'aws-actions/amazon-ecr-push',
    ],
    when: (inputs) => !('push' in inputs) || truthy(input(inputs, 'push')),
  },
  {
    kind: 'deploy',
    tool: 'deploy action',
    names: [
      'azure/k8s-deploy',
      'azure/webapps-deploy',
      'azure/functions-action',
      'azure/container-apps-deploy-action',
      'azure/static-web-apps-deploy',
      'azure/arm-deploy',
      'aws-actions/amazon-ecs-deploy-task-definition',
      'aws-actions/aws-cloudformation-github-deploy',
      'aws-actions/aws-lambda-deploy',
      'google-github-actions/deploy-cloudrun',
      'google-github-actions/deploy-appengine',
      'google-github-actions/deploy-cloud-functions',
      'google-github-actions/get-gke-credentials',
      'superfly/flyctl-actions',
      'superfly/flyctl-actions/setup-flyctl-deploy',
      'amondnet/vercel-action',
      'nwtgck/actions-netlify',
      'netlify/actions/cli',
      'cloudflare/wrangler-action',
      'cloudflare/pages-action',
      'peaceiris/actions-gh-pages',
      'jamesives/github-pages-deploy-action',
      'actions/deploy-pages',
      'firebaseextended/action-hosting-deploy',
      'w9jds/firebase-action',
      'akhileshns/heroku-deploy',
      'appleboy/ssh-action',
      'appleboy/scp-action',
      'easingthemes/ssh-deploy',
      'pulumi/actions',
      'hashicorp/tfc-workflows-github/actions/apply-run',
      'deliverybot/helm',
      'wahyd4/kubectl-helm-action',
      'bitovi/github-actions-deploy-docker-to-ec2',
      'railwayapp/cli',
      'digitalocean/app_action',
      'dokku/github-action',
      'einaregilsson/beanstalk-deploy',
      'burnett01/rsync-deployments',
      'samkirkland/ftp-deploy-action',
      'sebastianpopp/ftp-action',
    ],
  },
  {
    kind: 'image-scan',
    tool: 'image scan action',
    names: [
      'anchore/scan-action',
      'docker/scout-action',
      'snyk/actions/docker',
      'crazy-max/ghaction-container-scan',
      'azure/container-scan',
      'lacework/lw-scanner-action',
      'sysdiglabs/scan-action',
      'aquasecurity/trivy-action',
    ],
    when: (inputs) => Boolean(inputs.image || inputs['image-ref'] || inputs['image-name'] || inputs.command),
  },
];

/** Inputs of wrapper actions that hold a shell command (`nick-fields/retry` `command:`, xvfb `run:`…), with a prefix. */
const COMMAND_INPUTS: Array<{ names?: string[]; key: string; prefix: string }> = [
  { key: 'run', prefix: '' },
  { key: 'script', prefix: '' },
  { key: 'command', prefix: '' },
  { key: 'commands', prefix: '' },
  { key: 'coverageCommand', prefix: '' },
  { key: 'test-script', prefix: '' },
  { names: ['actions-rs/cargo'], key: 'command', prefix: 'cargo ' },
  {
    names: ['gradle/gradle-build-action', 'gradle/actions/setup-gradle', 'eskatos/gradle-command-action'],
    key: 'arguments',
    prefix: 'gradle ',
  },
  { names: ['borales/actions-yarn'], key: 'cmd', prefix: 'yarn ' },
  { names: ['goreleaser/goreleaser-action'], key: 'args', prefix: 'goreleaser ' },
];

/** The name of an action reference without its ref, lower-cased (`actions/checkout@v4` → `actions/checkout`). */
export function actionName(uses: string): string {
  const at = uses.indexOf('@');
  return (at < 0 ? uses : uses.slice(0, at)).toLowerCase();
}

function matchesName(name: string, names: string[]): boolean {
  return names.some((candidate) => (candidate.endsWith('/') ? name.startsWith(candidate) : name === candidate));
}

export interface Classified {
  kind: CommandKind;
  tool: string;
}

/** The kinds of command one shell line holds (after matrix expansion). */
export function classifyShellLine(text: string): Classified[] {
  const found: Classified[] = [];
  const segments = splitCommands(text)
    .map((commandWords): Segment => ({ words: prepareWords(commandWords), text: commandWords.join(' ') }))
    .filter((segment) => segment.text && !matchWords(INSTALL, segment.words) && !PRINT.test(segment.text));
  for (const rule of RULES) {
    if (!segments.some((segment) => matches(rule.pattern, segment) && !(rule.unless && matches(rule.unless, segment))))
      continue;
    if (!found.some((item) => item.kind === rule.kind)) found.push({ kind: rule.kind, tool: rule.tool });
  }
  return found;
}

/** Printing a tool's name is not running it: `echo "eslint: $(npx eslint --version)"`. */
const PRINT = /^(?:echo|printf|cat|tee)\b/;

/** Installing a tool is not running it: `pip install bandit`, `npm i -D jest`, `go install …/gosec`. */
const INSTALL = words(
  [
    opt('sudo'),
    star('[^=]+=.*'),
    opt('python[\\d.]*', '-m'),
    alt(
      'pip[\\d.]*|pipx|npm|pnpm|yarn|bun|go|cargo|gem|brew|apt(?:-get)?|apk|yum|dnf|choco|poetry|uv|composer',
      ['uv', 'pip|tool'],
      ['dotnet', 'tool'],
      ['composer', 'global'],
      ['mix', 'archive|escript'],
    ),
    star('-\\S+'),
    '(?:install|add|i|get|require)(?:[^\\w-].*)?',
  ],
  { anchored: true },
);

/** The kinds a step's `uses:` action stands for, given its `with:` inputs. */
export function classifyAction(uses: string, inputs: Record<string, ScalarText>): Classified[] {
  const name = actionName(uses);
  const found: Classified[] = [];
  for (const rule of ACTION_RULES) {
    if (
      matchesName(name, rule.names) &&
      (!rule.when || rule.when(inputs)) &&
      !found.some((item) => item.kind === rule.kind)
    )
      found.push({ kind: rule.kind, tool: rule.tool });
  }
  return found;
}

/** Lines that cannot fail the step: `cmd || true`, `|| :`, `|| exit 0`, `|| echo …`. */
export const IGNORES_FAILURE = /\|\|\s*(?:true|:|exit\s+0|echo\b)(?=\s*(?:$|[;)#]))/;

/** Shell lines of a script with `\` continuations joined; each keeps the line it starts on. Comments dropped. */
export function logicalLines(lines: readonly SourceLine[]): SourceLine[] {
  const result: SourceLine[] = [];
  let current: SourceLine | undefined;
  for (const { text, line } of lines) {
    const trimmed = text.trim();
    if (!current && (!trimmed || trimmed.startsWith('#'))) continue;
    // The shell tokenizer finds the comment: in `curl -H "X-Tag: #1"` the `#` is inside quotes.
    const body = withoutComment(trimmed);
    if (current) current.text += ` ${body.replace(/\\$/, '').trim()}`;
    else current = { text: body.replace(/\\$/, '').trim(), line };
    if (!body.endsWith('\\')) {
      result.push(current);
      current = undefined;
    }
  }
  if (current) result.push(current);
  return result;
}

/** One place a step does something of a kind. */
export interface CommandHit extends Classified {
  /** The file the line is in (a workflow, a called workflow or a composite action). */
  path: string;
  line: number;
  /** The shell line, or `uses: <action>`. */
  text: string;
  workflow: Workflow;
  job: Job;
  step: Step;
  via: StepVisit['via'];
  /** True when the hit cannot fail the build (`continue-on-error: true` above it, or `|| true`). */
  nonBlocking: boolean;
  /** Why it is non-blocking, for the finding. */
  nonBlockingReason?: string;
}

const SCRIPT_RUN =
  /(?:^|[\s;&|(])(npm|pnpm|yarn|bun)(?:\s+(?:-{1,2}[\w-]+(?:=\S+)?))*\s+(?:run(?:-script)?\s+)?([\w:.-]+)/;
const RESERVED_RUNNER_WORDS = new Set([
  'install',
  'ci',
  'i',
  'add',
  'exec',
  'dlx',
  'x',
  'publish',
  'version',
  'config',
  'cache',
  'audit',
  'pack',
]);

/** The package.json scripts of `directory` (then of the repository root), as read through the snapshot. */
function packageScripts(snapshot: RepoSnapshot, directory: string): Record<string, unknown> | undefined {
  for (const path of [directory ? `${directory}/package.json` : '', 'package.json'].filter(Boolean)) {
    let parsed;
    try {
      parsed = readJson(snapshot, path);
    } catch {
      continue;
    }
    if (parsed?.ok && isRecord(parsed.value) && isRecord(parsed.value.scripts)) return parsed.value.scripts;
  }
  return undefined;
}

/** The npm script a line runs (`npm run ci`, `yarn ci`), resolved from package.json. */
function scriptBody(snapshot: RepoSnapshot | undefined, text: string, directory: string): string | undefined {
  if (!snapshot) return undefined;
  const match = SCRIPT_RUN.exec(text);
  if (!match) return undefined;
  const name = match[2];
  if (RESERVED_RUNNER_WORDS.has(name) && !/\srun(?:-script)?\s/.test(match[0])) return undefined;
  const body = packageScripts(snapshot, cleanDirectory(directory))?.[name];
  return typeof body === 'string' ? body : undefined;
}

function cleanDirectory(directory: string): string {
  let clean = directory.replace(/^\.\//, '');
  while (clean.endsWith('/')) clean = clean.slice(0, -1);
  return clean;
}

/** Normalises `a/./b/../c` (repository-relative); undefined when it leaves the repository. */
function normalize(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Scripts and Makefiles that steps run, read so that their commands can be followed one level (CATALOG ci rows). */
export const FOLLOWED_COMMAND_NEEDS = [
  {
    glob: '{*,script/*,scripts/*,build/*,ci/*,tools/*,eng/*,hack/*,bin/*,.github/*,.github/scripts/*,.ci/*}.{sh,bash,ps1}',
    max: 40,
  },
  { glob: '{,*/}{Makefile,makefile,GNUmakefile}', max: 10 },
  { glob: '{,*/}{justfile,Justfile,.justfile}', max: 10 },
  { glob: '{,*/}{Taskfile,taskfile}{,.dist}.{yml,yaml}', max: 10 },
  // Gradle convention plugins (precompiled script plugins) that build scripts apply by id.
  { glob: '{buildSrc,build-logic,build-logic/*,gradle/plugins}/src/main/{kotlin,groovy}/**/*.gradle{,.kts}', max: 30 },
];

/** One command line reached by following what a step runs. */
export interface FollowedLine {
  text: string;
  /** Where it comes from: ``package.json script `test` ``, `./build.sh:12`, `Makefile:8 (make test)`. */
  origin: string;
}

const SCRIPT_EXTENSION = /\.(?:sh|bash|ps1)$/;
const INTERPRETERS = new Set(['bash', 'sh', 'zsh', 'dash', 'pwsh', 'powershell', 'source', '.']);

/**
 * What a shell line runs one level down (CATALOG ci rows): the package.json script it names with its `pre`/`post`
 * scripts (npm, yarn and bun run them; pnpm does not by default), the repository script it executes (`./build.sh`,
 * `pwsh ./Build.ps1`, `bash scripts/test.sh`) and the Makefile target it makes. Files are read only if the check's
 * needs fetched them (FOLLOWED_COMMAND_NEEDS); nothing is followed further.
 */
export function followCommands(
  snapshot: RepoSnapshot | undefined,
  text: string,
  workingDirectory: string,
): FollowedLine[] {
  if (!snapshot) return [];
  const directory = cleanDirectory(workingDirectory);
  const followed: FollowedLine[] = [];
  for (const words of splitCommands(text)) {
    const start = words.findIndex((word) => !/^[A-Za-z_]\w*=/.test(word) && word !== 'sudo' && word !== 'time');
    if (start < 0) continue;
    const command = words.slice(start);
    const line = command.join(' ');
    // package.json scripts
    const runner = /^(npm|pnpm|yarn|bun)$/.exec(command[0]);
    if (runner) {
      const match = SCRIPT_RUN.exec(line);
      const name = match?.[2];
      if (name && !(RESERVED_RUNNER_WORDS.has(name) && !/\srun(?:-script)?\s/.test(match[0]))) {
        const scripts = packageScripts(snapshot, directory);
        const names = runner[1] === 'pnpm' ? [name] : [`pre${name}`, name, `post${name}`];
        for (const script of names) {
          const body = scripts?.[script];
          if (typeof body === 'string' && !PLACEHOLDER_TEST_SCRIPT.test(body))
            followed.push({ text: body, origin: `package.json script \`${script}\`` });
        }
      }
      continue;
    }
    // Makefile targets
    if (/^(?:g?make)$/.test(command[0])) {
      let makeDirectory = directory;
      let makefile: string | undefined;
      const targets: string[] = [];
      for (let index = 1; index < command.length; index += 1) {
        const word = command[index];
        if (word === '-C' || word === '--directory')
          makeDirectory = normalize(`${directory}/${command[++index] ?? ''}`) ?? '';
        else if (word === '-f' || word === '--file') makefile = command[++index];
        else if (!word.startsWith('-') && !word.includes('=')) targets.push(word);
      }
      const candidates = makefile
        ? [normalize(`${makeDirectory}/${makefile}`) ?? '']
        : ['GNUmakefile', 'makefile', 'Makefile'].map((name) => (makeDirectory ? `${makeDirectory}/${name}` : name));
      const path = candidates.find((candidate) => snapshot.textIfRead(candidate) !== undefined);
      if (!path) continue;
      const rules = parseMakefile(snapshot.textIfRead(path)!);
      const wanted = targets.length
        ? targets
        : (rules.find((rule) => rule.targets.some((target) => !target.startsWith('.')))?.targets.slice(0, 1) ?? []);
      for (const target of wanted)
        for (const recipe of logicalLines(recipeOf(rules, target)))
          followed.push({ text: recipe.text, origin: `${path}:${recipe.line} (make ${target})` });
      continue;
    }
    if (command[0] === 'just' || command[0] === 'task') {
      followed.push(...followTaskRunner(snapshot, command, directory));
      continue;
    }
    // Repository scripts: `./build.sh`, `scripts/test.sh`, `pwsh ./Build.ps1`, `bash -e ci/test.sh`
    let scriptWord: string | undefined;
    if (INTERPRETERS.has(command[0]))
      scriptWord = command.slice(1).find((word) => !word.startsWith('-') && SCRIPT_EXTENSION.test(word));
    else if (SCRIPT_EXTENSION.test(command[0]) || command[0].startsWith('./')) scriptWord = command[0];
    if (!scriptWord) continue;
    const path = normalize(scriptWord.startsWith('/') ? scriptWord : `${directory}/${scriptWord}`);
    const script = path ? snapshot.textIfRead(path) : undefined;
    if (!path || script === undefined) continue;
    const lines = script.split(/\r?\n/).map((text, index) => ({ text, line: index + 1 }));
    for (const logical of logicalLines(lines)) followed.push({ text: logical.text, origin: `${path}:${logical.line}` });
  }
  return followed;
}

/**
 * `just <recipe>` (justfile) and `task <name>` (Taskfile.yml): the recipe's or task's commands and those of its
 * direct dependencies, one level like a make target. A bare command runs just's first recipe or Task's `default`.
 */
function followTaskRunner(snapshot: RepoSnapshot, command: readonly string[], directory: string): FollowedLine[] {
  const just = command[0] === 'just';
  let runDirectory = directory;
  let file: string | undefined;
  const names: string[] = [];
  for (let index = 1; index < command.length; index += 1) {
    const word = command[index];
    if (word === '--') break; // arguments for the recipe or task
    if (['-d', '--working-directory', '--dir'].includes(word))
      runDirectory = normalize(`${directory}/${command[++index] ?? ''}`) ?? '';
    else if ((just ? ['-f', '--justfile'] : ['-t', '--taskfile']).includes(word)) file = command[++index];
    else if (!word.startsWith('-') && !word.includes('=')) names.push(word);
  }
  const at = (name: string) => (runDirectory ? `${runDirectory}/${name}` : name);
  const candidates = file
    ? [normalize(`${runDirectory}/${file}`) ?? '']
    : just
      ? ['justfile', 'Justfile', '.justfile'].map(at)
      : [
          'Taskfile.yml',
          'taskfile.yml',
          'Taskfile.yaml',
          'taskfile.yaml',
          'Taskfile.dist.yml',
          'Taskfile.dist.yaml',
        ].map(at);
  const path = candidates.find((candidate) => snapshot.textIfRead(candidate) !== undefined);
  if (!path) return [];
  const text = snapshot.textIfRead(path)!;
  const followed: FollowedLine[] = [];
  if (just) {
    const justfile = parseJustfile(text);
    // `just test x`: only words that name recipes are recipes (the rest are the first recipe's arguments).
    const recipes = names.filter(
      (name, index) =>
        index === 0 || justfile.recipes.some((recipe) => recipe.name === name) || name in justfile.aliases,
    );
    for (const recipe of recipes.length ? recipes : [undefined])
      for (const line of logicalLines(justRecipeLines(justfile, recipe)))
        followed.push({ text: line.text, origin: `${path}:${line.line} (just ${recipe ?? '(default)'})` });
  } else {
    const tasks = parseTaskfile(text);
    for (const name of names.length ? names : [undefined])
      for (const line of logicalLines(taskCommandLines(tasks, name)))
        followed.push({ text: line.text, origin: `${path}:${line.line} (task ${name ?? 'default'})` });
  }
  return followed;
}

const MAVEN_PHASES = [
  'validate',
  'initialize',
  'generate-sources',
  'process-sources',
  'generate-resources',
  'process-resources',
  'compile',
  'process-classes',
  'generate-test-sources',
  'process-test-sources',
  'generate-test-resources',
  'process-test-resources',
  'test-compile',
  'process-test-classes',
  'test',
  'prepare-package',
  'package',
  'pre-integration-test',
  'integration-test',
  'post-integration-test',
  'verify',
  'install',
  'deploy',
];

/** Maven lint plugins: the goals that check (not fix) and the phase those goals bind to by default. */
const MAVEN_LINT_PLUGINS: Array<{ artifactId: string; tool: string; goals: string[]; phase: string }> = [
  { artifactId: 'maven-checkstyle-plugin', tool: 'Checkstyle', goals: ['check'], phase: 'verify' },
  { artifactId: 'spotless-maven-plugin', tool: 'Spotless', goals: ['check'], phase: 'verify' },
  { artifactId: 'spring-javaformat-maven-plugin', tool: 'spring-javaformat', goals: ['validate'], phase: 'validate' },
  { artifactId: 'maven-pmd-plugin', tool: 'PMD', goals: ['check', 'cpd-check'], phase: 'verify' },
  { artifactId: 'spotbugs-maven-plugin', tool: 'SpotBugs', goals: ['check'], phase: 'verify' },
  { artifactId: 'fmt-maven-plugin', tool: 'fmt-maven-plugin', goals: ['check'], phase: 'verify' },
  { artifactId: 'ktlint-maven-plugin', tool: 'ktlint', goals: ['check'], phase: 'verify' },
];

/** Gradle plugins whose tasks the `check` task (and so `build`) depends on. */
const GRADLE_LINT_PLUGINS: Array<{ id: string; tool: string }> = [
  { id: 'checkstyle', tool: 'Checkstyle' },
  { id: 'pmd', tool: 'PMD' },
  { id: 'codenarc', tool: 'CodeNarc' },
  { id: 'com.diffplug.spotless', tool: 'Spotless' },
  { id: 'io.spring.javaformat', tool: 'spring-javaformat' },
  { id: 'org.jlleitschuh.gradle.ktlint', tool: 'ktlint' },
  { id: 'io.gitlab.arturbosch.detekt', tool: 'detekt' },
  { id: 'com.github.spotbugs', tool: 'SpotBugs' },
];

function appliesGradlePlugin(text: string, id: string): boolean {
  const quoted = [`'${id}'`, `"${id}"`];
  return text.split('\n').some((raw) => {
    const line = raw.trim();
    if (line === id || line === `\`${id}\``) return true; // plugins { checkstyle } in Kotlin or Groovy
    if (!line.startsWith('id') && !line.startsWith('apply')) return false;
    return quoted.some((name) => line.includes(name));
  });
}

/**
 * Lint plugins a build runs as part of the phase or task a line invokes: `mvn verify` with maven-checkstyle-plugin's
 * `check` goal bound in the pom, `gradle check`/`build` with the checkstyle or Spotless plugin applied (CATALOG ci rows).
 */
export function buildPluginLint(
  snapshot: RepoSnapshot | undefined,
  text: string,
  workingDirectory: string,
): Classified[] {
  if (!snapshot) return [];
  const directory = cleanDirectory(workingDirectory);
  const at = (name: string) => (directory ? `${directory}/${name}` : name);
  const found: Classified[] = [];
  for (const words of splitCommands(text)) {
    const command = words.find((word) => !/^[A-Za-z_]\w*=/.test(word));
    if (!command) continue;
    const base = command.replace(/^.*\//, '').replace(/\.(?:cmd|bat)$/, '');
    if (base === 'mvn' || base === 'mvnw') {
      const invoked = Math.max(...words.map((word) => MAVEN_PHASES.indexOf(word)));
      if (invoked < 0) continue;
      const pom = snapshot.textIfRead(at('pom.xml'));
      const project = pom ? parsePom(pom) : undefined;
      for (const plugin of project?.plugins ?? []) {
        const rule = MAVEN_LINT_PLUGINS.find((item) => item.artifactId === plugin.artifactId);
        if (!rule) continue;
        const bound = plugin.executions.some((execution) => {
          if (!execution.goals.some((goal) => rule.goals.includes(goal))) return false;
          return MAVEN_PHASES.indexOf(execution.phase ?? rule.phase) <= invoked;
        });
        if (bound)
          found.push({ kind: 'lint', tool: `${rule.tool} (bound to the Maven lifecycle in ${at('pom.xml')})` });
      }
    } else if (base === 'gradle' || base === 'gradlew') {
      if (!words.some((word) => /^(?:\S*:)?(?:check|build)$/.test(word))) continue;
      if (words.some((word, index) => word === '-x' && /(?:^|:)check$/.test(words[index + 1] ?? ''))) continue;
      for (const name of ['build.gradle', 'build.gradle.kts']) {
        const script = snapshot.textIfRead(at(name));
        if (!script) continue;
        for (const plugin of GRADLE_LINT_PLUGINS)
          if (appliesGradlePlugin(script, plugin.id))
            found.push({ kind: 'lint', tool: `${plugin.tool} (run by the Gradle check task, ${at(name)})` });
      }
      found.push(...conventionPluginLint(snapshot, directory));
    }
  }
  return found;
}

/**
 * Lint plugins applied through Gradle convention plugins: a precompiled script plugin in `buildSrc/` or an included
 * `build-logic/` build (`java-conventions.gradle.kts` applying checkstyle or Spotless) counts when a build script
 * under the directory `gradle check` runs in applies it by id (`id("java-conventions")`).
 */
function conventionPluginLint(snapshot: RepoSnapshot, directory: string): Classified[] {
  const conventionRoots = ['buildSrc/', 'build-logic/', 'gradle/plugins/'];
  const conventions = snapshot.entries.flatMap((entry) => {
    if (entry.kind !== 'file' || !conventionRoots.some((root) => entry.path.startsWith(root))) return [];
    const name = baseName(entry.path);
    const id = name.endsWith('.gradle.kts')
      ? name.slice(0, -'.gradle.kts'.length)
      : name.endsWith('.gradle')
        ? name.slice(0, -'.gradle'.length)
        : undefined;
    if (!id || id === 'build' || id === 'settings' || !/\/src\/main\/(?:kotlin|groovy)\//.test(entry.path)) return [];
    const text = snapshot.textIfRead(entry.path);
    const plugins = text ? GRADLE_LINT_PLUGINS.filter((plugin) => appliesGradlePlugin(text, plugin.id)) : [];
    return plugins.length ? [{ id, path: entry.path, plugins }] : [];
  });
  if (!conventions.length) return [];
  const prefix = directory ? `${directory}/` : '';
  const buildScripts = snapshot.entries.filter(
    (entry) =>
      entry.kind === 'file' &&
      entry.path.startsWith(prefix) &&
      !conventionRoots.some((root) => entry.path.startsWith(root)) &&
      ['build.gradle', 'build.gradle.kts'].includes(baseName(entry.path)),
  );
  const found: Classified[] = [];
  for (const convention of conventions) {
    const applying = buildScripts.find((entry) => {
      const text = snapshot.textIfRead(entry.path);
      return text !== undefined && appliesGradlePlugin(text, convention.id);
    });
    if (!applying) continue;
    for (const plugin of convention.plugins)
      found.push({
        kind: 'lint',
        tool: `${plugin.tool} (run by the Gradle check task through the convention plugin ${convention.id}, ${convention.path}, applied in ${applying.path})`,
      });
  }
  return found;
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The npm default placeholder test script, which always fails and tests nothing. */
export const PLACEHOLDER_TEST_SCRIPT = /no test specified/;

export interface FindOptions {
  /** Only these workflows (e.g. those triggered by pull requests). */
  workflows?: (workflow: Workflow) => boolean;
  /** Resolves `npm run <script>` through package.json scripts (package.json files are always fetched). */
  snapshot?: RepoSnapshot;
  /** Only steps that run on pull requests: a job or step whose `if:` excludes them does not count. */
  onPullRequests?: boolean;
}

const EVENT_TEST = /^github\.event_name\s*(==|!=)\s*'([\w-]+)'$|^'([\w-]+)'\s*(==|!=)\s*github\.event_name$/;
const PULL_REQUEST_EVENT_NAMES = new Set(['pull_request', 'pull_request_target', 'merge_group']);

/** One `&&`-operand of an `if:` that is false on every pull-request run. */
function atomExcludesPullRequests(atom: string): boolean {
  const text = atom
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  const event = EVENT_TEST.exec(text);
  if (event) {
    const operator = event[1] ?? event[4];
    const name = event[2] ?? event[3];
    return operator === '!=' ? PULL_REQUEST_EVENT_NAMES.has(name) : !PULL_REQUEST_EVENT_NAMES.has(name);
  }
  // On pull requests github.ref is refs/pull/<n>/merge: a branch or tag ref test is false there.
  if (/^github\.ref\s*==\s*'refs\/(?:heads|tags)\/[^']*'$/.test(text)) return true;
  if (/^startsWith\(\s*github\.ref\s*,\s*'refs\/(?:tags|heads)\/[^']*'\s*\)$/.test(text)) return true;
  if (/^github\.ref_type\s*==\s*'tag'$/.test(text)) return true;
  return false;
}

/** True when an `if:` condition is false for every pull-request event (`github.event_name != 'pull_request'`, …). */
export function excludesPullRequests(condition: string | undefined): boolean {
  if (!condition) return false;
  let text = condition.trim();
  if (text.startsWith('${{') && text.endsWith('}}')) text = text.slice(3, -2).trim();
  // Disjunction: every branch must exclude pull requests; a conjunction: one operand suffices.
  return text.split('||').every((branch) => branch.split('&&').some((operand) => atomExcludesPullRequests(operand)));
}

/**
 * Every place the repository's workflows run a command of `kinds`: shell lines (multi-line blocks line by line,
 * matrix values substituted, npm scripts resolved), well-known actions and wrapper-action command inputs.
 */
/**
 * Replaces `${{ env.NAME }}`, `$NAME` and `${NAME}` with the value the workflow gives NAME (step env over job env over
 * workflow env), so `${{ env.CARGO }} test` with `CARGO: cargo` reads as `cargo test` (BurntSushi/ripgrep). Values
 * that are themselves expressions are left alone.
 */
export function substituteEnv(
  text: string,
  scopes: ReadonlyArray<Record<string, { value: string }> | undefined>,
): string {
  const valueOf = (name: string): string | undefined => {
    for (const scope of scopes) {
      const value = scope?.[name]?.value;
      if (value !== undefined) return /\$\{\{/.test(value) ? undefined : value;
    }
    return undefined;
  };
  return text
    .replace(/\$\{\{\s*env\.([A-Za-z_][\w-]*)\s*\}\}/g, (whole, name: string) => valueOf(name) ?? whole)
    .replace(
      /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g,
      (whole, braced: string | undefined, bare: string | undefined) => valueOf(braced ?? bare!) ?? whole,
    );
}

export function findCommands(
  model: WorkflowModel,
  kinds: readonly CommandKind[],
  options: FindOptions = {},
): CommandHit[] {
  const hits: CommandHit[] = [];
  const seen = new Set<string>();
  const wanted = new Set(kinds);
  for (const workflow of model.workflows) {
    if (options.workflows && !options.workflows(workflow)) continue;
    for (const job of workflow.jobs) {
      walkJobSteps(model, workflow, job, (visit) => {
        if (
          options.onPullRequests &&
          [job.if, visit.ownerJob.if, visit.step.if].some((condition) => excludesPullRequests(condition?.value))
        )
          return;
        const base = { workflow, job, step: visit.step, via: visit.via };
        const blockReason = visit.nonBlockingAt
          ? `\`continue-on-error: true\` at ${visit.nonBlockingAt.path}:${visit.nonBlockingAt.line}`
          : undefined;
        const record = (classified: Classified, line: number, text: string, ignoresFailure: boolean) => {
          if (!wanted.has(classified.kind)) return;
          const key = `${classified.kind}:${visit.path}:${line}:${workflow.path}:${job.id}`;
          if (seen.has(key)) return;
          seen.add(key);
          const reason = blockReason ?? (ignoresFailure ? `\`|| true\` on ${visit.path}:${line}` : undefined);
          hits.push({
            ...classified,
            ...base,
            path: visit.path,
            line,
            text,
            nonBlocking: reason !== undefined,
            ...(reason ? { nonBlockingReason: reason } : {}),
          });
        };
        const scanShell = (lines: readonly SourceLine[], prefix: string) => {
          for (const logical of logicalLines(lines)) {
            const ignoresFailure = IGNORES_FAILURE.test(logical.text);
            const withEnv = substituteEnv(`${prefix}${logical.text}`, [
              visit.step.env,
              visit.ownerJob.env,
              workflow.env,
            ]);
            for (const variant of expandMatrix(withEnv, visit.ownerJob)) {
              for (const classified of classifyShellLine(variant)) {
                if (classified.kind === 'test' && classified.tool === 'package script') {
                  const body = scriptBody(options.snapshot, variant, visit.step.workingDirectory ?? '');
                  if (body !== undefined && PLACEHOLDER_TEST_SCRIPT.test(body)) continue;
                }
                record(classified, logical.line, logical.text, ignoresFailure);
              }
              for (const classified of buildPluginLint(options.snapshot, variant, visit.step.workingDirectory ?? ''))
                record(classified, logical.line, logical.text, ignoresFailure);
              // `npm test` (with `pretest`), `./build.sh`, `make test` → the commands they run, one level down.
              for (const followed of followCommands(options.snapshot, variant, visit.step.workingDirectory ?? '')) {
                for (const classified of classifyShellLine(followed.text))
                  record(
                    { ...classified, tool: `${classified.tool} (via ${followed.origin})` },
                    logical.line,
                    logical.text,
                    ignoresFailure,
                  );
              }
            }
          }
        };
        if (visit.step.run) scanShell(visit.step.run.lines, '');
        if (visit.step.uses) {
          for (const classified of classifyAction(visit.step.uses.value, visit.step.with))
            record(classified, visit.step.uses.line, `uses: ${visit.step.uses.value}`, false);
          const name = actionName(visit.step.uses.value);
          for (const commandInput of COMMAND_INPUTS) {
            if (commandInput.names && !matchesName(name, commandInput.names)) continue;
            if (
              !commandInput.names &&
              COMMAND_INPUTS.some(
                (other) => other.names && other.key === commandInput.key && matchesName(name, other.names),
              )
            )
              continue;
            const value = visit.step.with[commandInput.key];
            if (value) scanShell(value.lines, commandInput.prefix);
          }
        }
      });
    }
  }
  return hits;
}

/** `path:line` of a hit, with the local `uses:` chain that leads to it. */
export function describeHit(hit: CommandHit): string {
  const chain = hit.via.length ? ` (via ${hit.via.map((hop) => `${hop.path}:${hop.line}`).join(' → ')})` : '';
  return `${hit.path}:${hit.line}${chain}`;
}

/** Workflows that run for pull requests (`pull_request`, `pull_request_target` excluded: it runs the base branch's code). */
export const PULL_REQUEST_EVENTS = ['pull_request', 'merge_group'];
