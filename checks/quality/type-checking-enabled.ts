import { defineCheck, result } from '../../src/engine/define-check.js';
import type { CheckResult, Ecosystem, Finding } from '../../src/engine/types.js';
import { isRecord } from '../../src/parsers/structured.js';
import { PROJECT_COMMAND_NEEDS } from '../lib/project-commands.js';
import { lineOfJsonKey, readJsonc } from '../../src/parsers/jsonc.js';
import { baseName, lineOf, listWords, plural, ProjectView } from '../lib/project-view.js';
import { ECOSYSTEM_NAMES, extensionOf, isGenerated, listCodeFiles } from '../lib/source-files.js';
import {
  byCommand,
  byDependency,
  byFileName,
  byIniSection,
  byPath,
  byPyprojectTool,
  configFiles,
  firstOf,
  getPath,
  tomlOf,
  withConfiguredSkeletons,
  type Evidence,
} from '../lib/tool-detection.js';
import { referencedConfigs, resolveStrict, TSCONFIG_NEEDS } from '../../src/parsers/tsconfig.js';

/** Ecosystems whose compiler checks types: nothing to configure. */
const STATICALLY_TYPED: readonly Ecosystem[] = [
  'go',
  'rust',
  'java',
  'scala',
  'dotnet',
  'swift',
  'dart',
  'haskell',
  'c-cpp',
];
const MAX_TSCONFIGS = 20;

interface EcosystemVerdict {
  outcome: 'pass' | 'warn' | 'fail';
  text: string;
  findings: Finding[];
}

function evaluateTypeScript(view: ProjectView): EcosystemVerdict {
  const code = listCodeFiles(view);
  const typescriptFiles = [...code.sources, ...code.tests].filter((entry) =>
    /^(ts|tsx|mts|cts)$/.test(extensionOf(entry.path)),
  ).length;
  const own = view
    .ownEntriesNamed('=tsconfig.json', (name) => name === 'tsconfig.json')
    .filter((entry) => entry.kind === 'file' && !isGenerated(view.relative(entry.path)))
    .sort((a, b) => a.path.split('/').length - b.path.split('/').length || (a.path < b.path ? -1 : 1));
  const inherited = view.inheritedEntries
    .filter((entry) => baseName(entry.path) === 'tsconfig.json')
    .sort((a, b) => b.path.length - a.path.length);
  const deno = configFiles(view, /^deno\.jsonc?$/)[0];

  if (!own.length && !typescriptFiles && !inherited.length) {
    const checkJs = configFiles(view, /^[jt]sconfig\.json$/).find((entry) => {
      const parsed = readJsonc(view.repository, entry.path);
      return parsed?.ok && getPath(parsed.value, ['compilerOptions', 'checkJs']) === true;
    });
    if (checkJs)
      return {
        outcome: 'pass',
        text: `JavaScript checked by TypeScript ("checkJs" in ${view.display(checkJs.path)})`,
        findings: [],
      };
    const flow = byFileName(view, 'Flow', /^\.flowconfig$/);
    if (flow) return { outcome: 'pass', text: `Flow (${flow.how})`, findings: [] };
    if (deno) return { outcome: 'pass', text: `Deno type-checks (${view.display(deno.path)})`, findings: [] };
    return {
      outcome: 'fail',
      text: 'JavaScript without type checking',
      findings: [
        {
          message:
            'JavaScript: no type checking found (looked for tsconfig.json or jsconfig.json with "checkJs": true, .flowconfig, deno.json)',
        },
      ],
    };
  }
  let configs = (own.length ? own : inherited.slice(0, 1)).map((entry) => entry.path);
  if (!configs.length) {
    if (deno) {
      const parsed = readJsonc(view.repository, deno.path);
      const strict = parsed?.ok ? getPath(parsed.value, ['compilerOptions', 'strict']) : undefined;
      if (strict === false) {
        const line = lineOfJsonKey(view.text(deno.path) ?? '', 'strict');
        return {
          outcome: 'warn',
          text: `${view.display(deno.path)} turns "strict" off`,
          findings: [view.finding(deno.path, 'Deno: "strict": false turns off strict type checking', line)],
        };
      }
      return {
        outcome: 'pass',
        text: `Deno type-checks strictly by default (${view.display(deno.path)})`,
        findings: [],
      };
    }
    return {
      outcome: 'warn',
      text: `${plural(typescriptFiles, 'TypeScript file')} but no tsconfig.json (TypeScript's defaults are not strict)`,
      findings: [
        { message: `TypeScript: ${plural(typescriptFiles, 'file')} and no tsconfig.json; add one with "strict": true` },
      ],
    };
  }
  // Solution-style configs type-check nothing themselves: judge what they reference — unless the root itself turns
  // strict on, which is the project's stated setting (CATALOG type-checking-enabled; issue 9).
  const expanded: string[] = [];
  for (const config of configs) {
    const references = referencedConfigs(view.repository, config);
    if (references?.length && resolveStrict(view.repository, config).strict !== true) expanded.push(...references);
    else expanded.push(config);
  }
  configs = [...new Set(expanded)].slice(0, MAX_TSCONFIGS);

  const strictOnes: string[] = [];
  const findings: Finding[] = [];
  for (const config of configs) {
    const resolution = resolveStrict(view.repository, config);
    if (resolution.error) {
      findings.push(
        view.finding(
          resolution.error.path,
          `${view.display(resolution.error.path)}: ${resolution.error.message}`,
          resolution.error.line,
        ),
      );
      continue;
    }
    if (resolution.strict === true) {
      const from = resolution.setIn?.package
        ? ` (from ${resolution.setIn.package})`
        : resolution.setIn?.path && resolution.setIn.path !== config
          ? ` (from ${view.display(resolution.setIn.path)})`
          : '';
      strictOnes.push(`${view.display(config)}${from}`);
      continue;
    }
    if (resolution.strict === undefined && resolution.unresolved) {
      findings.push(
        view.finding(
          config,
          `${view.display(config)} extends "${resolution.unresolved}", which is not in the repository: cannot tell whether strict mode is on; set "strict": true in ${view.display(config)}`,
          lineOfJsonKey(view.text(config) ?? '', 'extends'),
        ),
      );
      continue;
    }
    const partial = resolution.flags.length ? ` (only ${listWords(resolution.flags)} on)` : '';
    if (resolution.strict === false && resolution.setIn?.path) {
      findings.push(
        view.finding(
          resolution.setIn.path,
          `${view.display(config)}: "strict" is false${resolution.setIn.path !== config ? ` in ${view.display(resolution.setIn.path)}` : ''}${partial}; set "strict": true`,
          resolution.setIn.line,
        ),
      );
    } else if (resolution.strict === false) {
      findings.push(
        view.finding(
          config,
          `${view.display(config)}: "strict" is false in ${resolution.setIn?.package ?? 'an extended configuration'}${partial}; set "strict": true`,
          lineOfJsonKey(view.text(config) ?? '', 'extends'),
        ),
      );
    } else {
      const text = view.text(config) ?? '';
      findings.push(
        view.finding(
          config,
          `${view.display(config)}: "strict" is not set, and TypeScript's default is off${partial}; add "strict": true under compilerOptions`,
          lineOfJsonKey(text, 'compilerOptions') ?? 1,
        ),
      );
    }
  }
  if (!findings.length)
    return { outcome: 'pass', text: `TypeScript strict mode on in ${listWords(strictOnes)}`, findings: [] };
  const prefix = strictOnes.length ? `strict in ${listWords(strictOnes)}, ` : '';
  return {
    outcome: 'warn',
    text: `TypeScript: ${prefix}not strict or not verifiable in ${plural(findings.length, 'config')}`,
    findings,
  };
}

function pythonEvidence(view: ProjectView): Evidence | undefined {
  return firstOf(
    () => byFileName(view, 'mypy', /^\.?mypy\.ini$/),
    () => byPyprojectTool(view, 'mypy', 'mypy'),
    () => byIniSection(view, 'mypy', /^(setup\.cfg|tox\.ini)$/, /^\s*\[mypy\]/),
    () => byFileName(view, 'Pyright', /^pyrightconfig\.json$/),
    () => byPyprojectTool(view, 'Pyright', 'pyright'),
    () => byPyprojectTool(view, 'basedpyright', 'basedpyright'),
    () => byPyprojectTool(view, 'ty', 'ty'),
    () => byFileName(view, 'ty', /^ty\.toml$/),
    () => byPyprojectTool(view, 'pytype', 'pytype'),
    () => byFileName(view, 'Pyre', /^\.pyre_configuration$/),
    () => byCommand(view, 'mypy', /\bmypy\b/),
    () => byCommand(view, 'Pyright', /\b(based)?pyright\b/),
    () => byCommand(view, 'ty', /\bty\s+check\b/),
    () => byCommand(view, 'pytype', /\bpytype\b/),
  );
}

/** An explicit "off" in the type checker's configuration. */
function pythonDisabled(view: ProjectView, evidence: Evidence): Finding | undefined {
  if (!evidence.path) return undefined;
  const text = view.text(evidence.path) ?? '';
  if (/pyproject\.toml$/.test(evidence.path)) {
    const document = tomlOf(view, evidence.path);
    for (const tool of ['pyright', 'basedpyright']) {
      if (getPath(document, ['tool', tool, 'typeCheckingMode']) === 'off') {
        return view.finding(
          evidence.path,
          `[tool.${tool}] typeCheckingMode = "off" disables type checking`,
          lineOf(text, /typeCheckingMode/),
        );
      }
    }
    if (getPath(document, ['tool', 'mypy', 'ignore_errors']) === true)
      return view.finding(
        evidence.path,
        '[tool.mypy] ignore_errors = true hides every type error',
        lineOf(text, /ignore_errors/),
      );
  }
  if (/pyrightconfig\.json$/.test(evidence.path)) {
    const parsed = readJsonc(view.repository, evidence.path);
    if (parsed?.ok && isRecord(parsed.value) && parsed.value.typeCheckingMode === 'off')
      return view.finding(
        evidence.path,
        'typeCheckingMode "off" disables type checking',
        lineOfJsonKey(text, 'typeCheckingMode'),
      );
  }
  if (/(mypy\.ini|setup\.cfg|tox\.ini)$/.test(evidence.path)) {
    const section = /^[ \t]*\[mypy\][ \t]*\r?$/m.exec(text);
    if (section) {
      const body = text.slice(section.index + section[0].length).split(/^[ \t]*\[/m)[0];
      if (/^[ \t]*ignore_errors[ \t]*=[ \t]*(true|1|yes)[ \t]*\r?$/im.test(body))
        return view.finding(
          evidence.path,
          '[mypy] ignore_errors = True hides every type error',
          lineOf(text, /^\s*ignore_errors\s*=/),
        );
    }
  }
  return undefined;
}

function evaluatePython(view: ProjectView): EcosystemVerdict {
  const evidence = pythonEvidence(view);
  if (evidence) {
    const disabled = pythonDisabled(view, evidence);
    if (disabled)
      return { outcome: 'warn', text: `Python: ${evidence.tool} configured but turned off`, findings: [disabled] };
    return { outcome: 'pass', text: `Python: ${evidence.tool} (${evidence.how})`, findings: [] };
  }
  const installed = byDependency(view, 'mypy', ['mypy', 'pyright', 'basedpyright', 'pytype', 'pyre-check', 'ty']);
  if (installed) {
    return {
      outcome: 'warn',
      text: `Python: ${installed.how} but no configuration and no run in CI, tox, nox, a Makefile or pre-commit`,
      findings: [
        {
          message: `Python: ${installed.how} is declared but nothing configures or runs it; add [tool.mypy] to pyproject.toml and run it in CI`,
        },
      ],
    };
  }
  return {
    outcome: 'fail',
    text: 'Python without a type checker',
    findings: [
      {
        message:
          'Python: no type checker found (looked for mypy.ini, [tool.mypy], [mypy] in setup.cfg, pyrightconfig.json, [tool.pyright], [tool.basedpyright], ty, pytype, Pyre, and mypy/pyright runs in CI or pre-commit)',
      },
    ],
  };
}

function simpleVerdict(ecosystem: Ecosystem, evidence: Evidence | undefined, lookedFor: string): EcosystemVerdict {
  const name = ECOSYSTEM_NAMES[ecosystem];
  if (evidence)
    return {
      outcome: 'pass',
      text: `${name}: ${evidence.tool} (${evidence.how}${evidence.builtIn ? ', built in' : ''})`,
      findings: [],
    };
  return {
    outcome: 'fail',
    text: `${name} without a type checker`,
    findings: [{ message: `${name}: no type checker found (looked for ${lookedFor})` }],
  };
}

const EVALUATORS: Partial<Record<Ecosystem, (view: ProjectView) => EcosystemVerdict>> = {
  node: evaluateTypeScript,
  python: evaluatePython,
  ruby: (view) =>
    simpleVerdict(
      'ruby',
      firstOf(
        () => byPath(view, 'Sorbet', /(^|\/)sorbet\/config$/),
        () => byFileName(view, 'Steep', /^Steepfile$/),
        () => byDependency(view, 'Sorbet', ['sorbet', 'sorbet-static', 'sorbet-runtime', 'steep']),
      ),
      'sorbet/config, Steepfile, the sorbet or steep gem',
    ),
  php: (view) =>
    simpleVerdict(
      'php',
      firstOf(
        () => byFileName(view, 'PHPStan', /^phpstan(\.dist)?\.neon(\.dist)?$/),
        () => byFileName(view, 'Psalm', /^psalm\.xml(\.dist)?$/),
        () => byPath(view, 'Phan', /(^|\/)\.phan\/config\.php$/),
        () =>
          byDependency(view, 'PHPStan', [
            'phpstan/phpstan',
            'larastan/larastan',
            'nunomaduro/larastan',
            'vimeo/psalm',
            'phan/phan',
          ]),
      ),
      'phpstan.neon, psalm.xml, .phan/config.php',
    ),
  elixir: (view) =>
    simpleVerdict(
      'elixir',
      firstOf(
        () => byDependency(view, 'Dialyzer', ['dialyxir', 'gradient']),
        () => ({
          tool: 'the Elixir compiler',
          how: 'Elixir 1.17+ type-checks gradually; add dialyxir for more',
          builtIn: true,
        }),
      ),
      'dialyxir',
    ),
};

export default defineCheck({
  id: 'type-checking-enabled',
  category: 'quality',
  severity: 'medium',
  problemTitle: 'Dynamically typed code is not type-checked',
  title: 'Static type checking enabled',
  description:
    'Dynamically typed code is type-checked. TypeScript: every project `tsconfig.json` (following `extends` through files of the repository, workspace packages and well-known shared configs such as `@tsconfig/strictest`; solution-style configs are judged by their references) has `"strict": true`, and it warns when strict mode is off or cannot be verified. JavaScript: `checkJs`, Flow or Deno. Python: mypy, Pyright, basedpyright, ty, pytype or Pyre configured or run. Ruby: Sorbet or Steep; PHP: PHPStan, Psalm or Phan; Elixir: Dialyzer. Not applicable to statically typed languages (Go, Rust, Java, C#, Swift…).',
  rationale:
    'Type errors found by a checker never reach production as `undefined is not a function` or `AttributeError: NoneType`; TypeScript without strict mode lets `null` flow everywhere unchecked.',
  remediation: [
    "TypeScript: turn strict mode on in the project's `tsconfig.json`:",
    '',
    '```json',
    '{ "compilerOptions": { "strict": true } }',
    '```',
    '',
    'Python: configure a type checker in `pyproject.toml` and run it in CI (`mypy .`):',
    '',
    '```toml',
    '[tool.mypy]',
    'strict = true',
    '```',
  ].join('\n'),
  effort: 'days',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'project',
  needs: {
    files: [
      // Package manifests (package.json, pyproject.toml, setup.cfg, Cargo.toml, pom.xml, build.gradle, *.csproj, go.mod…)
      // are always read by the engine (MANIFEST_GLOBS): repeating them here would cost a tree scan per project root.
      ...TSCONFIG_NEEDS,
      { glob: '**/{tox.ini,mypy.ini,.mypy.ini,pyrightconfig.json,ty.toml}', max: 20 },
      ...PROJECT_COMMAND_NEEDS,
    ],
  },
  evaluate(context): CheckResult {
    const view = new ProjectView(context);
    const { relevant, skipped } = withConfiguredSkeletons(
      view,
      (ecosystem) => !STATICALLY_TYPED.includes(ecosystem) && EVALUATORS[ecosystem]?.(view).outcome === 'pass',
    );
    if (!relevant.length) {
      const why = skipped.length
        ? ` (${skipped.map((item) => `${ECOSYSTEM_NAMES[item.ecosystem]}: ${item.reason}`).join('; ')})`
        : '';
      return result.notApplicable(`no source code of a recognised ecosystem${why}`);
    }
    const dynamic = relevant.filter((ecosystem) => !STATICALLY_TYPED.includes(ecosystem) && EVALUATORS[ecosystem]);
    if (!dynamic.length) {
      return result.notApplicable(
        `${listWords(relevant.map((ecosystem) => ECOSYSTEM_NAMES[ecosystem]))} ${relevant.length > 1 ? 'are' : 'is'} statically typed: the compiler checks types`,
      );
    }
    const verdicts = dynamic.map((ecosystem) => EVALUATORS[ecosystem]!(view));
    const findings = verdicts.flatMap((verdict) => verdict.findings);
    const summary = verdicts.map((verdict) => verdict.text).join('; ');
    if (verdicts.every((verdict) => verdict.outcome === 'pass')) return result.pass(summary);
    if (verdicts.every((verdict) => verdict.outcome === 'fail')) return result.fail(summary, findings);
    const score =
      verdicts.reduce(
        (sum, verdict) => sum + (verdict.outcome === 'pass' ? 1 : verdict.outcome === 'warn' ? 0.5 : 0),
        0,
      ) / verdicts.length;
    return result.warn(summary, findings, score);
  },
});
