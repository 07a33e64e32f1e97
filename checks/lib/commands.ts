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

export type CommandKind = 'test' | 'lint' | 'audit' | 'sast' | 'sbom' | 'deploy' | 'image-scan';

interface Rule {
  kind: CommandKind;
  tool: string;
  pattern: RegExp;
  /** When this also matches the line, the rule does not apply (e.g. `-DskipTests`). */
  unless?: RegExp;
}

const START = '(?:^|[\\s;&|(`\'"=]|(?<=bin/))';
const END = '(?=$|[\\s;&|)`\'"])';
/** A command word (or phrase) bounded like a shell token; a preceding `bin/` lets `./node_modules/.bin/jest` match. */
const cmd = (pattern: string) => new RegExp(`${START}(?:${pattern})${END}`);

/** `npm`/`pnpm`/`yarn`/`bun` with their flags and workspace selectors, before a script name. */
const JS_RUNNER =
  '(?:npm|pnpm|yarn|bun)(?:\\s+(?:-{1,2}[\\w-]+(?:=\\S+|\\s+(?!(?:run|run-script|test|t|tst|lint)\\b)[^\\s-]\\S*)?|workspaces?\\s+(?!foreach\\b)\\S+|workspaces\\s+foreach(?:\\s+-\\S+)*))*\\s+(?:run(?:-script)?\\s+)?';
const TASK_RUNNER =
  '(?:make|gmake|just|task|mage|invoke|inv|earthly|nx|turbo(?:\\s+run)?|lerna\\s+run|rush|moon\\s+run|poe)(?:\\s+(?:-\\S+|\\S+=\\S*))*(?:\\s+\\S+)*?\\s+[+:]?';

const TEST_SCRIPT =
  '(?:[\\w:.-]*test[\\w:.-]*|t|tst|spec[\\w:.-]*|coverage[\\w:.-]*|cover|e2e[\\w:.-]*|unit[\\w:.-]*|integration[\\w:.-]*)';
const LINT_SCRIPT =
  '(?:[\\w:.-]*lint[\\w:.-]*|format:check|fmt:check|check[-:]format|format[-:]check|prettier(?::check)?|typecheck|type-check|types|check-types|tsc|check(?::[\\w:-]+)?|style(?::check)?|stylelint|eslint|ruff|mypy|pyright|vet|static-analysis|analy[sz]e)';

const RULES: Rule[] = [
  // Tests
  { kind: 'test', tool: 'package script', pattern: cmd(`${JS_RUNNER}${TEST_SCRIPT}`) },
  { kind: 'test', tool: 'npm install-test', pattern: cmd('npm\\s+(?:cit|it|install-test|install-ci-test)') },
  {
    kind: 'test',
    tool: 'JavaScript test runner',
    pattern: cmd(
      '(?:npx\\s+|pnpm\\s+(?:exec\\s+|dlx\\s+)?|yarn\\s+(?:dlx\\s+)?|bunx\\s+)?(?:jest|vitest|mocha|ava|tap|c8|nyc|karma\\s+start|playwright\\s+test|cypress\\s+run|wdio|testcafe|uvu|tape)',
    ),
  },
  { kind: 'test', tool: 'node:test', pattern: cmd('node\\s+(?:\\S+\\s+)*--test') },
  {
    kind: 'test',
    tool: 'test runner',
    pattern: cmd(
      '(?:deno|bun|ng|react-scripts|vue-cli-service\\s+test:unit|swift|mix|dotnet|stack|cabal|flutter|dart|meson|bazel|bazelisk|pants|buck2?|lein|richgo|cross|zig\\s+build)\\s+(?:-\\S+\\s+)*test',
    ),
  },
  { kind: 'test', tool: 'pytest', pattern: cmd('(?:python[\\d.]*\\s+-m\\s+)?(?:pytest|py\\.test)') },
  {
    kind: 'test',
    tool: 'Python test runner',
    pattern: cmd(
      'python[\\d.]*\\s+(?:-\\S+\\s+)*(?:-m\\s+(?:unittest|nose2?|tox|nox|green|trial|coverage\\s+run)|setup\\.py\\s+test|\\S*manage\\.py\\s+test|runtests\\.py|\\S*run_?tests?\\.py)',
    ),
  },
  {
    kind: 'test',
    tool: 'tox/nox',
    pattern: cmd('(?:tox|nox)(?:\\s+(?:-\\S+(?:\\s+(?!-)\\S+)?))*'),
    unless:
      /\b(?:tox|nox)\s+(?:-e|-s|--sessions?|--env)\s*=?\s*["']?(?:lint|flake8|mypy|type|typing|style|docs?|pre-commit|format|fmt|pylint|ruff|check|build|release|publish)\b/,
  },
  {
    kind: 'test',
    tool: 'Python project tool',
    pattern: cmd(
      '(?:hatch\\s+(?:test|run\\s+\\S*test\\S*)|pdm\\s+(?:run\\s+)?\\S*test\\S*|coverage\\s+run|django-admin\\s+test|uv\\s+run\\s+(?:--\\S+\\s+)*(?:pytest|python\\s+-m\\s+pytest))',
    ),
  },
  {
    kind: 'test',
    tool: 'task runner',
    pattern: cmd(`${TASK_RUNNER}(?:[\\w:-]*tests?[\\w:-]*|check|ci|unit|spec|e2e)`),
    unless: /\bmake\s+.*\b(?:lint|fmt|format)-check\b/,
  },
  { kind: 'test', tool: 'go test', pattern: cmd('(?:go\\s+test|gotestsum|ginkgo)') },
  {
    kind: 'test',
    tool: 'cargo test',
    pattern: cmd(
      'cargo\\s+(?:\\+\\S+\\s+)?(?:-\\S+\\s+)*(?:test|nextest|tarpaulin|llvm-cov|hack\\s+(?:\\S+\\s+)*test|make\\s+test|miri\\s+test)',
    ),
  },
  {
    kind: 'test',
    tool: 'Maven',
    pattern: cmd(
      '(?:\\S*mvnw?(?:\\.cmd)?)(?:\\s+\\S+)*?\\s+(?:test|verify|install|package|integration-test|surefire:test)',
    ),
    unless: /-DskipTests(?!=false)|-Dmaven\.test\.skip=true/,
  },
  {
    kind: 'test',
    tool: 'Gradle',
    pattern: cmd(
      '(?:\\S*gradlew?(?:\\.bat)?)(?:\\s+\\S+)*?\\s+(?:\\S*:)?(?:test|check|build|\\w*Test|connectedCheck|allTests)',
    ),
    unless: /\s-x\s+:?test\b/,
  },
  { kind: 'test', tool: 'sbt', pattern: cmd('sbt\\b(?:\\s+\\S+)*?\\s+["\']?[+]?(?:test|testOnly|coverage|it:test)') },
  {
    kind: 'test',
    tool: 'Ruby test runner',
    pattern: cmd(
      '(?:bundle\\s+exec\\s+)?(?:rspec|bin/rspec|(?:bin/)?rails\\s+test(?::\\w+)?|ruby\\s+-I\\s*test|rake(?:\\s+(?:[\\w:]*test[\\w:]*|spec[\\w:]*|default|ci))?(?=\\s*$))',
    ),
  },
  { kind: 'test', tool: 'rake', pattern: cmd('(?:bundle\\s+exec\\s+)?rake\\s+(?:[\\w:]*(?:test|spec)[\\w:]*)') },
  {
    kind: 'test',
    tool: 'PHP test runner',
    pattern: cmd(
      '(?:\\S*/)?(?:phpunit|pest|paratest|codecept\\s+run)|php\\s+artisan\\s+test|composer\\s+(?:run(?:-script)?\\s+)?[\\w:-]*test[\\w:-]*',
    ),
  },
  { kind: 'test', tool: 'xcodebuild', pattern: cmd('xcodebuild\\b.*\\stest') },
  { kind: 'test', tool: 'ctest', pattern: cmd('ctest') },
  {
    kind: 'test',
    tool: 'test script',
    pattern: cmd(
      '(?:\\.?/?[\\w.-]+/)*(?:run[_-]?tests?|tests?|ci[_-]test|unit[_-]tests?)(?:\\.(?:sh|bash|py|ps1|cmd|bat))',
    ),
  },
  { kind: 'test', tool: 'test script', pattern: cmd('(?:\\.?/)?(?:bin|script|scripts)/(?:test|run-tests|ci-test)') },

  // Lint, format and type checks
  { kind: 'lint', tool: 'package script', pattern: cmd(`${JS_RUNNER}${LINT_SCRIPT}`) },
  {
    kind: 'lint',
    tool: 'JavaScript linter',
    pattern: cmd(
      '(?:npx\\s+|pnpm\\s+(?:exec\\s+|dlx\\s+)?|yarn\\s+(?:dlx\\s+)?|bunx\\s+)?(?:eslint|oxlint|standard|xo|stylelint|tslint|jshint|markdownlint(?:-cli2)?|vue-tsc|svelte-check|tsc|biome\\s+(?:check|lint|ci|format)|dprint\\s+check|prettier\\s+(?:.*\\s)?(?:--check|-c|--list-different|-l))',
    ),
  },
  { kind: 'lint', tool: 'deno', pattern: cmd('deno\\s+(?:lint|check|fmt\\s+.*--check)') },
  {
    kind: 'lint',
    tool: 'Python linter',
    pattern: cmd(
      '(?:python[\\d.]*\\s+-m\\s+)?(?:ruff|flake8|pylint|mypy|pyright|basedpyright|pytype|pycodestyle|pydocstyle|pyflakes|pyre\\s+check|black\\s+(?:.*\\s)?(?:--check|--diff)|isort\\s+(?:.*\\s)?(?:--check(?:-only)?|-c|--diff))',
    ),
  },
  { kind: 'lint', tool: 'pre-commit', pattern: cmd('(?:pre-commit|prek)\\s+run') },
  {
    kind: 'lint',
    tool: 'tox/nox lint session',
    pattern:
      /\b(?:tox|nox)\s+(?:-e|-s|--sessions?|--env)\s*=?\s*["']?(?:lint|flake8|mypy|type|typing|style|pre-commit|format|fmt|pylint|ruff|check)\b/,
  },
  {
    kind: 'lint',
    tool: 'Python project tool',
    pattern: cmd(
      'hatch\\s+(?:fmt|run\\s+\\S*(?:lint|types?|style|check)\\S*)|pdm\\s+(?:run\\s+)?\\S*lint\\S*|uv\\s+run\\s+(?:--\\S+\\s+)*(?:ruff|mypy|pyright|flake8|pylint)',
    ),
  },
  {
    kind: 'lint',
    tool: 'Go linter',
    pattern: cmd(
      '(?:golangci-lint|go\\s+vet|staticcheck|revive|gofmt\\s+(?:-\\w\\s+)*-[ld]|gofumpt\\s+-[ld]|goimports\\s+-[ld]|errcheck|gosimple)',
    ),
  },
  {
    kind: 'lint',
    tool: 'Rust linter',
    pattern: cmd('(?:cargo\\s+(?:\\+\\S+\\s+)?(?:clippy|check|fmt\\b.*--check|machete|udeps)|rustfmt\\s+.*--check)'),
  },
  {
    kind: 'lint',
    tool: 'Ruby linter',
    pattern: cmd('(?:bundle\\s+exec\\s+)?(?:rubocop|standardrb|reek|erb_lint|erblint|srb\\s+tc|steep\\s+check)'),
  },
  {
    kind: 'lint',
    tool: 'JVM linter',
    pattern:
      /^(?=.*\b(?:mvnw?|gradlew?)\b).*\b(?:checkstyle|spotless(?::check|Check)|spring-javaformat:validate|checkFormat|pmd|spotbugs|ktlint|detekt|lint\b|errorprone|ktfmtCheck)/,
  },
  { kind: 'lint', tool: 'JVM linter', pattern: cmd('(?:ktlint|detekt|scalafmt\\s+--test|scalafix\\s+--check)') },
  {
    kind: 'lint',
    tool: 'PHP linter',
    pattern: cmd(
      '(?:\\S*/)?(?:phpstan|phpcs|psalm|phpmd|php-cs-fixer\\s+.*--dry-run|pint\\s+--test|rector\\s+.*--dry-run)|composer\\s+(?:run(?:-script)?\\s+)?(?:lint|cs|phpstan|analyse|stan|psalm)[\\w:-]*',
    ),
  },
  { kind: 'lint', tool: 'dotnet format', pattern: cmd('dotnet\\s+format\\b.*(?:--verify-no-changes|--check)') },
  {
    kind: 'lint',
    tool: 'mix',
    pattern: cmd('mix\\s+(?:format\\s+--check-formatted|credo|dialyzer|compile\\s+--warnings-as-errors)'),
  },
  {
    kind: 'lint',
    tool: 'Swift/Dart linter',
    pattern: cmd(
      '(?:swiftlint|swift-format\\s+lint|swiftformat\\s+--lint|(?:dart|flutter)\\s+analyze|dart\\s+format\\s+.*--set-exit-if-changed)',
    ),
  },
  {
    kind: 'lint',
    tool: 'linter',
    pattern: cmd(
      '(?:ct\\s+lint|shellcheck|hadolint|actionlint|yamllint|editorconfig-checker|ec|clang-tidy|cpplint|cppcheck|clang-format\\s+--dry-run|clang-format\\s+-n|zizmor|cspell|codespell|typos|vale|remark|textlint|lychee|markdown-link-check|buf\\s+lint|tflint|terraform\\s+fmt\\s+-check|helm\\s+lint|sqlfluff\\s+lint|htmlhint)',
    ),
  },
  {
    kind: 'lint',
    tool: 'task runner',
    pattern: cmd(
      `${TASK_RUNNER}(?:[\\w:-]*lint[\\w:-]*|check-format|format-check|fmt-check|vet|typecheck|type-check|style|static-analysis)`,
    ),
  },

  // Dependency audit
  {
    kind: 'audit',
    tool: 'package manager audit',
    pattern: cmd(
      '(?:npm|pnpm|yarn|bun)\\s+(?:npm\\s+)?audit|audit-ci|better-npm-audit|improved-yarn-audit|retire|npm-audit-resolver',
    ),
  },
  {
    kind: 'audit',
    tool: 'Python audit',
    pattern: cmd('(?:pip-audit|safety\\s+(?:check|scan)|uv\\s+audit|pipenv\\s+check)'),
  },
  { kind: 'audit', tool: 'osv-scanner', pattern: cmd('osv-scanner') },
  { kind: 'audit', tool: 'govulncheck', pattern: cmd('(?:govulncheck|nancy\\s+sleuth)') },
  { kind: 'audit', tool: 'cargo audit', pattern: cmd('cargo\\s+(?:audit|deny\\s+(?:.*\\s)?check|vet)') },
  { kind: 'audit', tool: 'trivy fs', pattern: cmd('trivy\\s+(?:--\\S+\\s+)*(?:fs|filesystem|repo|repository|rootfs)') },
  { kind: 'audit', tool: 'grype', pattern: cmd('grype\\s+(?:--\\S+\\s+)*(?:dir:|\\.(?:\\s|$)|sbom:|file:)') },
  { kind: 'audit', tool: 'snyk', pattern: cmd('snyk\\s+(?:test|monitor)') },
  {
    kind: 'audit',
    tool: 'Ruby/PHP/.NET/Elixir audit',
    pattern: cmd(
      '(?:bundle(?:r)?(?:-|\\s+)audit|bundle\\s+exec\\s+bundle(?:r)?-audit|composer\\s+audit|dotnet\\s+list\\s+(?:\\S+\\s+)*package\\s+.*--vulnerable|mix\\s+(?:deps\\.audit|hex\\.audit))',
    ),
  },
  {
    kind: 'audit',
    tool: 'OWASP dependency-check',
    pattern: /dependency-check(?:\.sh|:check|:aggregate)?\b|dependencyCheck(?:Analyze|Aggregate)/,
  },

  // SAST
  { kind: 'sast', tool: 'Semgrep', pattern: cmd('semgrep(?:\\s+(?:ci|scan|--config))?') },
  { kind: 'sast', tool: 'Bandit', pattern: cmd('(?:python[\\d.]*\\s+-m\\s+)?bandit') },
  { kind: 'sast', tool: 'gosec', pattern: cmd('gosec') },
  {
    kind: 'sast',
    tool: 'Sonar',
    pattern: /\bsonar-scanner\b|\bsonar:sonar\b|\b(?:gradlew?|mvnw?)\b.*\bsonar(?:qube)?\b|\bdotnet[- ]sonarscanner\b/,
  },
  { kind: 'sast', tool: 'Snyk Code', pattern: cmd('snyk\\s+code\\s+test') },
  { kind: 'sast', tool: 'CodeQL CLI', pattern: cmd('codeql\\s+database\\s+analyze') },
  {
    kind: 'sast',
    tool: 'SAST tool',
    pattern: cmd(
      '(?:brakeman|njsscan|horusec\\s+start|psalm\\s+.*--taint-analysis|spotbugs.*findsec|flawfinder|devskim|kics\\s+scan)',
    ),
  },

  // SBOM
  { kind: 'sbom', tool: 'Syft', pattern: cmd('syft') },
  {
    kind: 'sbom',
    tool: 'CycloneDX',
    pattern: /cyclonedx[\w-]*|makeAggregateBom|makeBom|cyclonedxBom|cargo\s+cyclonedx/i,
  },
  { kind: 'sbom', tool: 'docker buildx --sbom', pattern: /docker\s+(?:buildx\s+)?build\b.*--sbom(?:=true)?(?:\s|$)/ },
  {
    kind: 'sbom',
    tool: 'SBOM generator',
    pattern: cmd(
      '(?:npm\\s+sbom|sbom-tool\\s+generate|spdx-sbom-generator|trivy\\s+(?:.*\\s)?--format[= ](?:cyclonedx|spdx(?:-json)?)|bom\\s+generate|cdxgen)',
    ),
  },

  // Release and deploy
  {
    kind: 'deploy',
    tool: 'package publish',
    pattern: cmd(
      '(?:npm|pnpm|yarn(?:\\s+npm)?|bun)\\s+(?:-\\S+\\s+)*publish|changeset\\s+publish|lerna\\s+publish|np\\b|release-it',
    ),
  },
  {
    kind: 'deploy',
    tool: 'PyPI publish',
    pattern: cmd(
      '(?:twine\\s+upload|poetry\\s+publish|flit\\s+publish|hatch\\s+publish|uv\\s+publish|pdm\\s+publish|maturin\\s+(?:publish|upload))',
    ),
  },
  {
    kind: 'deploy',
    tool: 'crates/Maven/NuGet/gem publish',
    pattern: cmd(
      '(?:cargo\\s+publish|\\S*mvnw?\\s+(?:\\S+\\s+)*deploy|\\S*gradlew?\\s+(?:\\S+\\s+)*publish\\w*|sbt\\s+.*publish\\w*|dotnet\\s+nuget\\s+push|nuget\\s+push|gem\\s+push|mix\\s+hex\\.publish|(?:dart|flutter)\\s+pub\\s+publish|pod\\s+trunk\\s+push)',
    ),
  },
  {
    kind: 'deploy',
    tool: 'container push',
    pattern: cmd(
      '(?:docker|podman|buildah)\\s+(?:image\\s+)?push|docker\\s+(?:buildx\\s+)?(?:build|bake)\\b.*--push|ko\\s+(?:build|publish|resolve|apply)|skopeo\\s+copy|crane\\s+push|jib\\b|\\S*gradlew?\\s+.*\\bjib\\b',
    ),
  },
  {
    kind: 'deploy',
    tool: 'release tool',
    pattern: cmd('(?:npx\\s+)?(?:semantic-release|goreleaser|release-please|gh\\s+release\\s+create|jreleaser)'),
  },
  {
    kind: 'deploy',
    tool: 'deploy command',
    pattern: cmd(
      '(?:helm\\s+(?:upgrade|install|push)|kubectl\\s+(?:apply|set\\s+image|rollout\\s+restart|replace)|kustomize\\s+build.*kubectl|argocd\\s+app\\s+sync|flux\\s+reconcile|terraform\\s+apply|tofu\\s+apply|pulumi\\s+up|(?:npx\\s+)?cdk\\s+deploy|sam\\s+deploy|(?:serverless|sls)\\s+deploy|aws\\s+(?:ecs\\s+update-service|cloudformation\\s+deploy|lambda\\s+update-function-code|s3\\s+sync|deploy\\s+)|gcloud\\s+(?:run|app|functions)\\s+deploy|az\\s+(?:webapp|containerapp|functionapp)\\s+(?:up|deploy|update)|flyctl\\s+deploy|fly\\s+deploy|vercel\\b.*(?:--prod|deploy)|netlify\\s+deploy|wrangler\\s+(?:deploy|publish|pages\\s+deploy)|firebase\\s+deploy|mkdocs\\s+gh-deploy|mike\\s+deploy|railway\\s+up|heroku\\s+(?:container:release|deploy)|git\\s+push\\s+heroku|ansible-playbook|kamal\\s+deploy|cap\\s+\\w+\\s+deploy|dokku)',
    ),
  },

  // Container image scanning, also run from the scanners' own images (`docker run aquasec/trivy:0.58.1 image …`).
  // `trivy fs`/`grype dir:` scan a source tree instead and are audits above.
  {
    kind: 'image-scan',
    tool: 'trivy image',
    pattern: cmd('(?:[\\w.-]+/)*trivy(?::[\\w.-]+)?(?:@sha256:[0-9a-f]+)?\\s+(?:--?\\S+\\s+)*(?:image|i)'),
  },
  {
    kind: 'image-scan',
    tool: 'grype',
    pattern: cmd(
      '(?:[\\w.-]+/)*grype(?::[\\w.-]+)?(?:@sha256:[0-9a-f]+)?\\s+(?:--?\\S+\\s+)*(?!dir:|file:|sbom:|db\\b|version\\b|\\.(?:\\s|$)|-)(?:docker:|registry:|docker-archive:|oci-[\\w-]+:|podman:)?[\\w./@:${}-]+',
    ),
  },
  {
    kind: 'image-scan',
    tool: 'docker scout',
    pattern: cmd('docker\\s+scout\\s+(?:cves|quickview|recommendations|compare)'),
  },
  { kind: 'image-scan', tool: 'snyk container', pattern: cmd('snyk\\s+container\\s+(?:test|monitor)') },
  {
    kind: 'image-scan',
    tool: 'image scanner',
    pattern: cmd(
      '(?:clair-scanner|clairctl|anchore-cli(?:\\s+image)?|xray\\s+scan|jf\\s+docker\\s+scan|twistcli\\s+images\\s+scan|prisma-cloud-scan|wiz\\S*\\s+docker\\s+scan|neuvector|dockle)',
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
  return uses.replace(/@.*$/, '').toLowerCase();
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
    .map((words) => words.join(' '))
    .filter((segment) => segment && !INSTALL.test(segment) && !PRINT.test(segment));
  for (const rule of RULES) {
    if (!segments.some((segment) => rule.pattern.test(segment) && !rule.unless?.test(segment))) continue;
    if (!found.some((item) => item.kind === rule.kind)) found.push({ kind: rule.kind, tool: rule.tool });
  }
  return found;
}

/** Printing a tool's name is not running it: `echo "eslint: $(npx eslint --version)"`. */
const PRINT = /^(?:echo|printf|cat|tee)\b/;

/** Installing a tool is not running it: `pip install bandit`, `npm i -D jest`, `go install …/gosec`. */
const INSTALL =
  /^(?:sudo\s+)?(?:\S+=\S*\s+)*(?:python[\d.]*\s+-m\s+)?(?:pip[\d.]*|pipx|uv\s+(?:pip|tool)|npm|pnpm|yarn|bun|go|cargo|gem|brew|apt(?:-get)?|apk|yum|dnf|choco|dotnet\s+tool|poetry|uv|composer(?:\s+global)?|mix\s+(?:archive|escript))\s+(?:-\S+\s+)*(?:install|add|i|get|require)(?![\w-])/;

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
