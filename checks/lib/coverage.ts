import { isRecord, parseYamlText } from '../../src/parsers/structured.js';
import type { Needs } from '../../src/engine/types.js';
import { PROJECT_COMMAND_NEEDS, findProjectCommands, listCommandLines } from './project-commands.js';
import { dotnetTestProjectsFor } from './dotnet.js';
import { parseJsoncText } from '../../src/parsers/jsonc.js';
import {
  COMPUTED,
  isConfigObject,
  parseJsConfig,
  type ConfigValue,
  type JsConfig,
} from '../../src/parsers/js-config.js';
import { after, anyOf, baseName, followedBy, lineOf, type ProjectView } from './project-view.js';
import {
  byCommand,
  byDependency,
  byFileName,
  byIniSection,
  byPackageJsonKey,
  byPyprojectTool,
  byTextIn,
  configFiles,
  firstOf,
  getPath,
  jsonOf,
  tomlOf,
  type Evidence,
} from './tool-detection.js';

/** Everything the coverage checks read. */
export const COVERAGE_NEEDS: NonNullable<Needs['files']> = [
  // Package manifests (package.json, pyproject.toml, setup.cfg, pom.xml, build.gradle, *.csproj, mix.exs…) are always
  // read by the engine (MANIFEST_GLOBS); the coverage tools' own files are grouped into one bounded glob.
  {
    glob: '**/{jest.config.*,vitest.config.*,vite.config.*,vitest.workspace.*,.c8rc,.c8rc.json,.nycrc,.nycrc.json,.nycrc.yml,.nycrc.yaml,.taprc,bunfig.toml,pytest.ini,tox.ini,.coveragerc,codecov.yml,.codecov.yml,codecov.yaml,.codecov.yaml,.coveralls.yml,.simplecov,spec_helper.rb,rails_helper.rb,test_helper.rb,tarpaulin.toml,.tarpaulin.toml,.testcoverage.yml,.testcoverage.yaml,coveralls.json,sonar-project.properties,plugins.sbt,phpunit.xml,phpunit.xml.dist,phpunit.dist.xml,Directory.Build.props,*.vbproj}',
    max: 80,
  },
  ...PROJECT_COMMAND_NEEDS,
];

const JEST_OR_VITEST_CONFIG = /^(jest|vitest|vite|vitest\.workspace)\.config\.([cm]?[jt]s|json)$/;
const CODECOV_FILE = /^\.?codecov\.ya?ml$/;

/** Where coverage is collected, in the order a reader would look. */
export function findCoverageEvidence(view: ProjectView): Evidence | undefined {
  return firstOf(
    // JavaScript / TypeScript
    () => jestVitestCoverage(view),
    () => {
      const jest = byPackageJsonKey(view, 'Jest coverage', 'jest');
      if (!jest?.path) return undefined;
      const config = getPath(jsonOf(view, jest.path), ['jest']);
      return isRecord(config) &&
        ['collectCoverage', 'coverageThreshold', 'collectCoverageFrom', 'coverageReporters'].some(
          (key) => config[key] !== undefined,
        )
        ? jest
        : undefined;
    },
    () => byFileName(view, 'c8/nyc', /^\.(c8rc|nycrc)(\.(json|ya?ml))?$/),
    () => byPackageJsonKey(view, 'nyc', 'nyc') ?? byPackageJsonKey(view, 'c8', 'c8'),
    () =>
      byDependency(view, 'coverage tool', [
        'c8',
        'nyc',
        '@vitest/coverage-v8',
        '@vitest/coverage-istanbul',
        'karma-coverage',
        'istanbul',
        '@jest/coverage',
      ]),
    () =>
      byCommand(
        view,
        'coverage',
        anyOf(
          followedBy(/\b(?:jest|vitest|bun\s+test|ng\s+test|flutter\s+test|dart\s+test|deno\s+test)\b/, /--coverage/),
          /--experimental-test-coverage|--test-coverage|\bc8\s|\bnyc\s/,
        ),
      ),
    // Python
    () => byFileName(view, 'coverage.py', /^\.coveragerc$/),
    () => byPyprojectTool(view, 'coverage.py', 'coverage'),
    () => byIniSection(view, 'coverage.py', /^(setup\.cfg|tox\.ini)$/, /^\s*\[coverage:/),
    () => byTextIn(view, 'pytest-cov', /^(pytest\.ini|pyproject\.toml|setup\.cfg|tox\.ini)$/, /--cov\b/),
    () => byCommand(view, 'coverage.py', /--cov\b|--cov=|\bcoverage\s+run\b/),
    () => byDependency(view, 'coverage.py', ['pytest-cov', 'coverage']),
    // Go
    () =>
      byCommand(view, 'go test -cover', anyOf(followedBy(/\b(?:go\s+test|gotestsum)\b/, /-cover/), /-coverprofile/)),
    // Rust
    () => byFileName(view, 'cargo-tarpaulin', /^\.?tarpaulin\.toml$/),
    () =>
      byCommand(
        view,
        'Rust coverage',
        anyOf(
          /cargo[\s-](?:tarpaulin|llvm-cov)|\bgrcov\b|instrument-coverage|tool:\s*cargo-(?:llvm-cov|tarpaulin)/,
          followedBy(/taiki-e\/install-action/, /llvm-cov|tarpaulin/),
        ),
      ),
    // JVM
    () =>
      byTextIn(
        view,
        'JaCoCo',
        /^(pom\.xml|build\.gradle(\.kts)?)$/,
        /jacoco-maven-plugin|id\s*(?:\(\s*)?['"]jacoco['"]|apply plugin:\s*['"]jacoco|^\s*jacoco\s*\{/,
      ),
    () => byTextIn(view, 'JaCoCo', /^(pom\.xml|build\.gradle(\.kts)?)$/, /jacoco/i),
    () => byTextIn(view, 'Kover', /^(pom\.xml|build\.gradle(\.kts)?)$/, /kover/i),
    () => byTextIn(view, 'scoverage', /^(build\.sbt|plugins\.sbt)$/, /scoverage/i),
    // Ruby, PHP, .NET, Elixir, others
    () => byFileName(view, 'SimpleCov', /^\.simplecov$/),
    () => byDependency(view, 'SimpleCov', ['simplecov']),
    () => byTextIn(view, 'PHPUnit coverage', /^phpunit(\.dist)?\.xml(\.dist)?$/, /<coverage\b|<report>/),
    () => byCommand(view, 'PHPUnit coverage', /--coverage-(clover|xml|html|text|cobertura)|coverage:\s*(pcov|xdebug)/),
    () => {
      // .NET: coverage is collected by the separate test project that references this one.
      for (const project of dotnetTestProjectsFor(view)) {
        const line = lineOf(
          view.text(project.file) ?? '',
          /coverlet\.(collector|msbuild)|Microsoft\.Testing\.Extensions\.CodeCoverage|AltCover/i,
        );
        if (line)
          return { tool: 'coverlet', path: project.file, line, how: `in the test project ${project.directory}` };
      }
      return undefined;
    },
    () =>
      byDependency(view, 'coverlet', [
        'coverlet.collector',
        'coverlet.msbuild',
        'microsoft.testing.extensions.codecoverage',
        'altcover',
      ]),
    () =>
      byCommand(view, '.NET coverage', /--collect[:\s]+"?(XPlat )?Code Coverage|CollectCoverage=true|dotnet-coverage/),
    () => byDependency(view, 'ExCoveralls', ['excoveralls']),
    () => byTextIn(view, 'mix test --cover', /^mix\.exs$/, /test_coverage:/),
    () => byCommand(view, 'coverage', /\bmix\s+test\s+--cover|--enable-code-coverage|\bgcovr\b|\blcov\b|\bkcov\b/),
    // Coverage services
    () => byFileName(view, 'Codecov', CODECOV_FILE),
    () => byFileName(view, 'Coveralls', /^\.coveralls\.ya?ml$/),
    () =>
      byCommand(
        view,
        'Codecov',
        /codecov\/codecov-action|coverallsapp\/github-action|\bcodecov\b|\bcoveralls\b|qltysh\/qlty-action\/coverage|paambaati\/codeclimate-action|cc-test-reporter/,
      ),
    () =>
      byTextIn(
        view,
        'SonarQube coverage',
        /^sonar-project\.properties$/,
        anyOf(followedBy(/coverage/, /reportPaths/), /\.lcov\.reportPaths|coverage\.jacoco/),
      ),
  );
}

/** The parsed Jest/Vitest/Vite config (memoised per snapshot): values come from the syntax tree, not from text. */
function jsConfig(view: ProjectView, path: string): JsConfig | undefined {
  return view.repository.memo(`js-config:${path}`, () => {
    const text = view.text(path);
    return text === undefined ? undefined : parseJsConfig(text, path);
  });
}

const COVERAGE_KEYS = new Set([
  'collectCoverage',
  'coverageThreshold',
  'coverageReporters',
  'collectCoverageFrom',
  'coverageProvider',
  'coverage',
]);

function jestVitestCoverage(view: ProjectView): Evidence | undefined {
  for (const entry of configFiles(view, JEST_OR_VITEST_CONFIG)) {
    const found = jsConfig(view, entry.path)?.properties.find(
      (item) => COVERAGE_KEYS.has(item.key) && item.value !== false,
    );
    if (found)
      return {
        tool: 'Jest/Vitest coverage',
        path: entry.path,
        line: found.line,
        how: view.display(entry.path, found.line),
      };
  }
  return undefined;
}

export interface Threshold {
  tool: string;
  /** The enforced percentage, or undefined when the minimum is relative or not a percentage. */
  value?: number;
  /** Repository path and line where it is set. */
  path: string;
  line?: number;
  note?: string;
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** lines → statements → the highest other metric: the number a reader means by "80% coverage". */
function headline(metrics: Record<string, number>): number | undefined {
  const percentages = Object.fromEntries(Object.entries(metrics).filter(([, value]) => value >= 0));
  if (percentages.lines !== undefined) return percentages.lines;
  if (percentages.statements !== undefined) return percentages.statements;
  const others = Object.values(percentages);
  return others.length ? Math.max(...others) : undefined;
}

const METRICS = ['lines', 'statements', 'branches', 'functions'];

/** The percentage metrics of a threshold object (`{ lines: 80, 100: true }`); `computed` when one is an expression. */
function metricsOf(value: ConfigValue | undefined): { metrics: Record<string, number>; computed: boolean } {
  const metrics: Record<string, number> = {};
  let computed = false;
  if (!isConfigObject(value)) return { metrics, computed: value === COMPUTED };
  for (const metric of METRICS) {
    const item = value[metric];
    if (typeof item === 'number') metrics[metric] = item;
    else if (item === COMPUTED) computed = true;
  }
  if (value['100'] === true && metrics.lines === undefined) metrics.lines = 100;
  return { metrics, computed };
}

function jestVitestThresholds(view: ProjectView, found: Threshold[]): void {
  for (const entry of configFiles(view, JEST_OR_VITEST_CONFIG)) {
    const config = jsConfig(view, entry.path);
    if (!config) continue;
    const push = (tool: string, line: number, metrics: Record<string, number>, computed: boolean) => {
      const value = headline(metrics);
      if (value !== undefined) found.push({ tool, path: entry.path, line, value });
      else if (Object.keys(metrics).length)
        found.push({ tool, path: entry.path, line, note: 'counts of uncovered entities, not percentages' });
      else if (computed)
        found.push({
          tool,
          path: entry.path,
          line,
          note: 'the minimum is computed (not a literal shipready can read)',
        });
      // An object with no metric at all (`thresholds: { autoUpdate: true }`, `{}`) enforces nothing.
    };
    for (const property of config.properties) {
      if (property.key === 'coverageThreshold') {
        const threshold = property.value;
        const global = isConfigObject(threshold)
          ? isConfigObject(threshold.global)
            ? threshold.global
            : Object.values(threshold).find(isConfigObject)
          : threshold;
        const { metrics, computed } = metricsOf(global);
        push('Jest coverageThreshold', property.line, metrics, computed);
      } else if (property.key === 'thresholds' && property.parents.at(-1) === 'coverage') {
        const { metrics, computed } = metricsOf(property.value);
        push('Vitest coverage.thresholds', property.line, metrics, computed);
      } else if (
        // Vitest before 1.0: test.coverage: { lines: 80 } (no thresholds object)
        property.key === 'coverage' &&
        property.parents.at(-1) === 'test' &&
        isConfigObject(property.value) &&
        property.value.thresholds === undefined
      ) {
        const { metrics } = metricsOf(property.value);
        const value = headline(metrics);
        if (value !== undefined) found.push({ tool: 'Vitest coverage', path: entry.path, line: property.line, value });
      }
    }
  }
  for (const entry of configFiles(view, /^package\.json$/)) {
    const document = jsonOf(view, entry.path);
    const threshold = getPath(document, ['jest', 'coverageThreshold']);
    if (!isRecord(threshold)) continue;
    const global = isRecord(threshold.global) ? threshold.global : Object.values(threshold).find(isRecord);
    const metrics = Object.fromEntries(
      Object.entries(global ?? {}).filter((pair): pair is [string, number] => typeof pair[1] === 'number'),
    );
    const value = headline(metrics);
    const line = lineOf(view.text(entry.path) ?? '', /"coverageThreshold"\s*:/);
    found.push({
      tool: 'Jest coverageThreshold',
      path: entry.path,
      ...(line ? { line } : {}),
      ...(value !== undefined ? { value } : { note: 'no percentage set' }),
    });
  }
}

/** c8 and nyc enforce only with check-coverage; their default minimum is 90% of lines. */
function c8NycThresholds(view: ProjectView, found: Threshold[]): void {
  const judge = (config: unknown, tool: string, path: string, line?: number) => {
    if (!isRecord(config)) return;
    if (config['check-coverage'] !== true && config.checkCoverage !== true) return;
    const value =
      config['100'] === true
        ? 100
        : typeof config.lines === 'number'
          ? config.lines
          : typeof config.statements === 'number'
            ? config.statements
            : 90;
    found.push({ tool, path, ...(line ? { line } : {}), value });
  };
  for (const entry of configFiles(view, /^\.(c8rc|nycrc)(\.(json|ya?ml))?$/)) {
    const text = view.text(entry.path);
    if (!text) continue;
    const parsed = /\.ya?ml$/.test(entry.path) ? parseYamlText(text) : parseJsoncText(text);
    if (parsed.ok)
      judge(
        parsed.value,
        baseName(entry.path).startsWith('.c8') ? 'c8 check-coverage' : 'nyc check-coverage',
        entry.path,
        lineOf(text, /check-coverage|checkCoverage/),
      );
  }
  for (const entry of configFiles(view, /^package\.json$/)) {
    const document = jsonOf(view, entry.path);
    for (const key of ['c8', 'nyc'])
      judge(
        getPath(document, [key]),
        `${key} check-coverage`,
        entry.path,
        lineOf(view.text(entry.path) ?? '', new RegExp(`^\\s*"${key}"\\s*:`)),
      );
  }
}

function pythonThresholds(view: ProjectView, found: Threshold[]): void {
  for (const entry of configFiles(view, /^pyproject\.toml$/)) {
    const value = getPath(tomlOf(view, entry.path), ['tool', 'coverage', 'report', 'fail_under']);
    if (typeof value === 'number')
      found.push({
        tool: 'coverage.py fail_under',
        path: entry.path,
        line: lineOf(view.text(entry.path) ?? '', /^\s*fail_under\s*=/),
        value,
      });
  }
  for (const entry of configFiles(view, /^(\.coveragerc|setup\.cfg|tox\.ini)$/)) {
    const text = view.text(entry.path);
    if (!text) continue;
    const section = baseName(entry.path) === '.coveragerc' ? /^\s*\[(coverage:)?report\]/ : /^\s*\[coverage:report\]/;
    const lines = text.split('\n');
    let inSection = false;
    lines.forEach((line, index) => {
      if (/^\s*\[/.test(line)) inSection = section.test(line);
      const match = inSection ? /^\s*fail_under\s*=\s*([\d.]+)/.exec(line) : null;
      if (match)
        found.push({ tool: 'coverage.py fail_under', path: entry.path, line: index + 1, value: Number(match[1]) });
    });
  }
  for (const entry of configFiles(view, /^(pytest\.ini|pyproject\.toml|setup\.cfg|tox\.ini)$/)) {
    const text = view.text(entry.path);
    if (!text) continue;
    text.split('\n').forEach((line, index) => {
      const match = /--cov-fail-under[=\s]+([\d.]+)/.exec(line);
      if (match && !/^\s*#/.test(line))
        found.push({ tool: 'pytest-cov --cov-fail-under', path: entry.path, line: index + 1, value: Number(match[1]) });
    });
  }
}

/**
 * A threshold on a command line: `pattern` captures the value; with `after`, only in the text after the first match
 * of `after`; with `then`, only when `then` matches later on the line (`a.*b` as one regex is quadratic).
 */
interface CommandThreshold {
  tool: string;
  pattern: RegExp;
  after?: RegExp;
  then?: RegExp;
}

function thresholdIn(text: string, { pattern, after: first, then }: CommandThreshold): string | undefined {
  const from = first ? after(text, first) : text;
  if (from === undefined) return undefined;
  const match = pattern.exec(from);
  if (!match || (then && !then.test(from.slice(match.index + match[0].length)))) return undefined;
  return match.slice(1).find((group) => group !== undefined);
}

const COMMAND_THRESHOLDS: CommandThreshold[] = [
  { tool: 'pytest-cov --cov-fail-under', pattern: /--cov-fail-under[=\s]+([\d.]+)/ },
  {
    tool: 'coverage report --fail-under',
    after: /\bcoverage\s+report\b/,
    pattern: /--fail-under[=\s]+([\d.]+)/,
  },
  {
    tool: 'c8/nyc --check-coverage',
    after: /--check-coverage\b/,
    pattern: /--(?:lines|statements)[=\s]+([\d.]+)/,
  },
  {
    tool: 'c8/nyc --check-coverage',
    pattern: /--(?:lines|statements)[=\s]+([\d.]+)/,
    then: /--check-coverage\b/,
  },
  { tool: 'node --test-coverage-lines', pattern: /--test-coverage-lines[=\s]+([\d.]+)/ },
  { tool: 'Vitest --coverage.thresholds', pattern: /--coverage\.thresholds\.(?:lines|statements)[=\s]+([\d.]+)/ },
  { tool: 'cargo tarpaulin --fail-under', after: /tarpaulin\b/, pattern: /--fail-under[=\s]+([\d.]+)/ },
  {
    tool: 'cargo llvm-cov --fail-under-lines',
    after: /llvm-cov\b/,
    pattern: /--fail-under-(?:lines|regions|functions)[=\s]+([\d.]+)/,
  },
  { tool: 'go-test-coverage', pattern: /--threshold-total[=\s]+([\d.]+)/ },
  { tool: 'coverlet threshold', pattern: /[/-]p:Threshold=([\d.]+)|--threshold[=\s]+([\d.]+)/ },
  { tool: 'ExCoveralls --minimum-coverage', pattern: /--minimum-coverage[=\s]+([\d.]+)/ },
];

function commandThresholds(view: ProjectView, found: Threshold[]): void {
  for (const threshold of COMMAND_THRESHOLDS) {
    for (const hit of findProjectCommands(view, (text: string) => thresholdIn(text, threshold) !== undefined)) {
      const raw = thresholdIn(hit.text, threshold);
      if (raw) found.push({ tool: threshold.tool, path: hit.path, line: hit.line, value: Number(raw) });
    }
  }
  for (const hit of findProjectCommands(view, anyOf(/--check-coverage\b/, followedBy(/\bc8\s/, /--100\b/)))) {
    if (found.some((threshold) => threshold.path === hit.path && threshold.line === hit.line)) continue;
    found.push({
      tool: 'c8/nyc --check-coverage',
      path: hit.path,
      line: hit.line,
      value: /--100\b/.test(hit.text) ? 100 : 90,
      note: /--100\b/.test(hit.text) ? undefined : 'the default minimum of 90% lines',
    });
  }
}

/** `COVERAGE < 80`, `$cov -lt 80`, `(( $(echo "$TOTAL < $MIN" | bc) ))`: a coverage value compared with a minimum. */
const COMPARISON = /(?:<=?|-lt\b|-le\b)\s*["']?\$?\{?([\w.]+)/g;
const FAILS_THE_STEP = /\bexit\s+1\b|::error|\bfail\b|process\.exit\(1\)|sys\.exit\(1\)/i;

/**
 * A custom CI step that fails below a number (`if (( $(echo "$COVERAGE < 80" | bc -l) )); then exit 1; fi`): the
 * comparison, and an `exit 1`/`::error` within the next lines. A named minimum is looked up in the same file.
 */
function customStepThresholds(view: ProjectView, found: Threshold[]): void {
  const byFile = new Map<string, ReturnType<typeof listCommandLines>>();
  for (const hit of listCommandLines(view)) {
    if (hit.kind !== 'ci') continue;
    byFile.set(hit.path, [...(byFile.get(hit.path) ?? []), hit]);
  }
  for (const [path, lines] of byFile) {
    const text = view.text(path) ?? '';
    lines.forEach((hit, index) => {
      const match = [...hit.text.matchAll(COMPARISON)].find((comparison) =>
        /cov/i.test(`${hit.text.slice(Math.max(0, comparison.index - 50), comparison.index)} ${comparison[1]}`),
      );
      if (!match) return;
      const window = lines.slice(index, index + 4).filter((other) => other.line - hit.line < 6);
      if (!window.some((other) => FAILS_THE_STEP.test(other.text))) return;
      let value = Number(match[1]);
      if (Number.isNaN(value)) {
        const name = match[1];
        const assignment = text
          .split('\n')
          .map((line) => line.trim())
          .find((line) => line.startsWith(`${name}=`) || line.startsWith(`${name}:`));
        value = assignment
          ? Number.parseFloat(
              assignment
                .slice(name.length + 1)
                .trim()
                .replace(/^["']/, ''),
            )
          : Number.NaN;
      }
      if (!Number.isNaN(value) && value > 0 && value <= 100)
        found.push({ tool: 'a CI step that fails below a minimum', path, line: hit.line, value });
    });
  }
}

function codecovThresholds(view: ProjectView, found: Threshold[]): void {
  for (const entry of configFiles(view, CODECOV_FILE)) {
    const text = view.text(entry.path);
    if (!text) continue;
    const parsed = parseYamlText(text);
    if (!parsed.ok) continue;
    const project = getPath(parsed.value, ['coverage', 'status', 'project']);
    if (!isRecord(project)) continue;
    for (const [name, status] of Object.entries(project)) {
      if (!isRecord(status)) continue;
      const line = lineOf(text, /^\s*target\s*:/) ?? lineOf(text, /^\s*project\s*:/);
      if (status.informational === true) {
        found.push({
          tool: `Codecov project status "${name}"`,
          path: entry.path,
          ...(line ? { line } : {}),
          note: 'informational: true (never fails a pull request)',
          value: undefined,
        });
        continue;
      }
      const target = status.target;
      // `threshold:` alone is the drop allowed against the base commit, not a minimum: with no target it enforces none.
      if (target === undefined) continue;
      const number =
        typeof target === 'number' ? target : typeof target === 'string' ? Number.parseFloat(target) : Number.NaN;
      if (!Number.isNaN(number))
        found.push({ tool: `Codecov project target`, path: entry.path, ...(line ? { line } : {}), value: number });
      else
        found.push({
          tool: `Codecov project status "${name}"`,
          path: entry.path,
          ...(line ? { line } : {}),
          note: 'target auto: coverage may not drop below the base commit (no absolute minimum)',
        });
    }
  }
}

function otherThresholds(view: ProjectView, found: Threshold[]): void {
  /** `pattern` in the file; with `first`, only in the text after the first match of `first` (`first[\s\S]*?pattern`). */
  const scan = (files: RegExp, tool: string, pattern: RegExp, fraction = false, first?: RegExp) => {
    for (const entry of configFiles(view, files)) {
      const text = view.text(entry.path);
      if (!text) continue;
      const start = first ? first.exec(text) : undefined;
      if (start === null) continue;
      const offset = start ? start.index + start[0].length : 0;
      const match = pattern.exec(offset ? text.slice(offset) : text);
      if (!match) continue;
      const raw = Number(match.slice(1).find((group) => group !== undefined));
      const value = fraction && raw <= 1 ? Math.round(raw * 1000) / 10 : raw;
      found.push({ tool, path: entry.path, line: lineAt(text, offset + match.index), value });
    }
  };
  scan(
    /^(\.simplecov|spec_helper\.rb|rails_helper\.rb|test_helper\.rb)$/,
    'SimpleCov minimum_coverage',
    /minimum_coverage\s*(?:\(\s*)?(?:line:\s*)?([\d.]+)/,
  );
  scan(
    /^(pom\.xml|build\.gradle(\.kts)?)$/,
    'JaCoCo minimum',
    /<minimum>\s*([\d.]+)\s*<\/minimum>|minimum\s*=\s*(?:BigDecimal\(\s*)?["']?([\d.]+)/i,
    true,
    /jacoco/i,
  );
  scan(
    /^(build\.gradle(\.kts)?|pom\.xml)$/,
    'Kover minimum',
    /minBound\(\s*([\d.]+)|minValue\s*(?:=|\.set\()\s*([\d.]+)|<minValue>([\d.]+)<\/minValue>/i,
    false,
    /kover/i,
  );
  scan(/^build\.sbt$/, 'scoverage minimum', /coverageMinimum(?:StmtTotal)?\s*:=\s*([\d.]+)/);
  scan(/^\.?tarpaulin\.toml$/, 'cargo-tarpaulin fail-under', /fail[-_]under\s*=\s*([\d.]+)/);
  scan(/^\.testcoverage\.ya?ml$/, 'go-test-coverage', /total\s*:\s*([\d.]+)/);
  scan(/^coveralls\.json$/, 'ExCoveralls minimum_coverage', /"minimum_coverage"\s*:\s*([\d.]+)/);
  scan(/^mix\.exs$/, 'mix test --cover threshold', /threshold:\s*([\d.]+)/, false, /test_coverage:/);
  scan(
    /^bunfig\.toml$/,
    'bun coverageThreshold',
    /^([\d.]+)|^\{[^}\n]*?\blines\s*=\s*([\d.]+)/,
    true,
    /coverageThreshold\s*=\s*/,
  );
  scan(
    /^[^/]+\.(cs|fs|vb)proj$|^Directory\.Build\.props$/,
    'coverlet Threshold',
    /<Threshold>\s*([\d.]+)\s*<\/Threshold>/,
  );
}

/** Every coverage minimum the project enforces. */
export function findThresholds(view: ProjectView): Threshold[] {
  return view.repository.memo(`coverage-thresholds:${view.root}`, () => {
    const found: Threshold[] = [];
    jestVitestThresholds(view, found);
    c8NycThresholds(view, found);
    pythonThresholds(view, found);
    commandThresholds(view, found);
    customStepThresholds(view, found);
    codecovThresholds(view, found);
    otherThresholds(view, found);
    const seen = new Set<string>();
    return found.filter((threshold) => {
      const key = `${threshold.path}:${threshold.line}:${threshold.value}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });
}
