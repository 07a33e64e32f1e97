import { result } from '../../src/engine/define-check.js';
import type { CheckResult, Ecosystem, Finding } from '../../src/engine/types.js';
import { isRecord, parseJsonText, parseTomlTextSafe } from '../../src/parsers/structured.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { findProjectCommand } from './project-commands.js';
import { baseName, lineOf, listWords, type LineTest, type ProjectView } from './project-view.js';
import { ECOSYSTEM_NAMES, relevantEcosystems } from './source-files.js';

/** Why a tool counts: where it is configured (repository path and line) and how. */
export interface Evidence {
  tool: string;
  /** Repository path of the file that shows it. */
  path?: string;
  line?: number;
  /** How it was found, e.g. "[tool.ruff] in pyproject.toml". */
  how: string;
  /** Part of the toolchain (gofmt, cargo test): passes with a note. */
  builtIn?: boolean;
  /** Found, but not enough on its own (an ESLint dependency without a config): the ecosystem only half counts. */
  weak?: string;
}

export interface Detector {
  /** Ecosystems the tool serves; 'any' for multi-language tools (MegaLinter, Trunk). */
  ecosystems: readonly Ecosystem[] | 'any';
  detect(view: ProjectView): Evidence | undefined;
}

// ---------- small evidence finders ----------

export function byFileName(view: ProjectView, tool: string, pattern: RegExp, how?: string): Evidence | undefined {
  const entry = firstEntry(view.findByName(pattern));
  return entry ? { tool, path: entry.path, how: how ?? view.display(entry.path) } : undefined;
}

/**
 * The shallowest file whose project-relative path matches `pattern` (and whose repository path passes `where`: a
 * second test keeps each regex linear, as `(^|/)Tests/.+\.swift$` in one regex is quadratic in the path).
 */
export function byPath(
  view: ProjectView,
  tool: string,
  pattern: RegExp,
  how?: string,
  where?: (path: string) => boolean,
): Evidence | undefined {
  const entry = firstEntry(view.findByPath(pattern).filter((candidate) => !where || where(candidate.path)));
  return entry ? { tool, path: entry.path, how: how ?? view.display(entry.path) } : undefined;
}

export function byDependency(view: ProjectView, tool: string, names: readonly string[]): Evidence | undefined {
  const name = view.dependency(names);
  return name ? { tool, how: `dependency "${name}"` } : undefined;
}

/**
 * A tool that is only a dependency — never configured, never run — counts half: `warn` (CATALOG: "A dependency alone
 * (flake8 in requirements, no config and never run) is `warn`"). Call it after the config and command finders.
 */
export function byDependencyOnly(view: ProjectView, tool: string, names: readonly string[]): Evidence | undefined {
  const dependency = byDependency(view, tool, names);
  return dependency
    ? {
        ...dependency,
        weak: `${dependency.how} is declared, but nothing configures or runs it (no configuration file and no CI, pre-commit, Makefile or script command)`,
      }
    : undefined;
}

export function byCommand(view: ProjectView, tool: string, pattern: LineTest): Evidence | undefined {
  const hit = findProjectCommand(view, pattern);
  return hit ? { tool, path: hit.path, line: hit.line, how: `run in ${view.display(hit.path, hit.line)}` } : undefined;
}

/** Shallowest first, so the project's own root config wins over a nested one. */
function firstEntry(entries: TreeEntry[]): TreeEntry | undefined {
  return [...entries].sort((a, b) => a.path.split('/').length - b.path.split('/').length)[0];
}

/** Config files named `names`, shallowest first. */
export function configFiles(view: ProjectView, names: RegExp): TreeEntry[] {
  return [...view.findByName(names)].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
}

/** A parsed TOML document of a fetched file, or undefined. */
export function tomlOf(view: ProjectView, path: string): Record<string, unknown> | undefined {
  return view.repository.memo(`toml-doc:${path}`, () => {
    const text = view.text(path);
    if (text === undefined) return undefined;
    const parsed = parseTomlTextSafe(text);
    return parsed.ok ? parsed.value : undefined;
  });
}

export function jsonOf(view: ProjectView, path: string): unknown {
  return view.repository.memo(`json-doc:${path}`, () => {
    const text = view.text(path);
    if (text === undefined) return undefined;
    const parsed = parseJsonText(text);
    return parsed.ok ? parsed.value : undefined;
  });
}

export function getPath(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** `[tool.<name>]` (or any sub-table) in a pyproject.toml of the project or an ancestor. */
export function byPyprojectTool(view: ProjectView, tool: string, name: string): Evidence | undefined {
  for (const entry of configFiles(view, /^pyproject\.toml$/)) {
    const document = tomlOf(view, entry.path);
    const value = getPath(document, ['tool', ...name.split('.')]);
    if (value === undefined) continue;
    const text = view.text(entry.path) ?? '';
    const line = lineOf(text, new RegExp(`^\\s*\\[\\[?tool\\.${name.replace(/\./g, '\\.')}([.\\]])`));
    return { tool, path: entry.path, ...(line ? { line } : {}), how: `[tool.${name}] in ${view.display(entry.path)}` };
  }
  return undefined;
}

/** An INI section (`[flake8]`, `[tool:pytest]`, `[mypy]`…) in setup.cfg, tox.ini or the tool's own file. */
export function byIniSection(view: ProjectView, tool: string, files: RegExp, section: RegExp): Evidence | undefined {
  for (const entry of configFiles(view, files)) {
    const text = view.text(entry.path);
    if (!text) continue;
    const line = lineOf(text, section);
    if (line)
      return {
        tool,
        path: entry.path,
        line,
        how: `${text.split('\n')[line - 1].trim()} in ${view.display(entry.path)}`,
      };
  }
  return undefined;
}

/** A top-level key of a package.json of the project or an ancestor (`eslintConfig`, `prettier`, `jest`…). */
export function byPackageJsonKey(view: ProjectView, tool: string, key: string): Evidence | undefined {
  for (const entry of configFiles(view, /^package\.json$/)) {
    const document = jsonOf(view, entry.path);
    if (!isRecord(document) || document[key] === undefined) continue;
    const line = lineOf(view.text(entry.path) ?? '', new RegExp(`^\\s*"${key}"\\s*:`));
    return { tool, path: entry.path, ...(line ? { line } : {}), how: `"${key}" in ${view.display(entry.path)}` };
  }
  return undefined;
}

/** The first matching text in a set of files (build files, CI): for tools configured inside pom.xml or build.gradle. */
export function byTextIn(view: ProjectView, tool: string, files: RegExp, pattern: LineTest): Evidence | undefined {
  for (const entry of configFiles(view, files)) {
    const text = view.text(entry.path);
    if (!text) continue;
    const line = lineOf(text, pattern);
    if (line) return { tool, path: entry.path, line, how: `${view.display(entry.path, line)}` };
  }
  return undefined;
}

export function firstOf(...candidates: Array<() => Evidence | undefined>): Evidence | undefined {
  for (const candidate of candidates) {
    const found = candidate();
    if (found) return found;
  }
  return undefined;
}

// ---------- judging ----------

export interface ToolCoverageOptions {
  view: ProjectView;
  detectors: readonly Detector[];
  /** "linter", "formatter", "test framework". */
  noun: string;
  /** What was looked for, per ecosystem (named in findings when nothing is found). */
  lookedFor: Partial<Record<Ecosystem, string>>;
  /** Ecosystems where the question does not arise (statically typed languages for type checking). */
  notApplicableFor?: readonly Ecosystem[];
}

function describe(evidence: Evidence): string {
  return `${evidence.tool} (${evidence.how}${evidence.builtIn ? ', built into the toolchain' : ''})`;
}

/**
 * Pass when every relevant ecosystem has a tool, warn when some do (score = share covered), fail when none do.
 * Ecosystems are the project's ones with source code (see relevantEcosystems).
 */
/**
 * The project's relevant ecosystems, plus skeletons: an ecosystem with a manifest but no source yet whose tools are
 * configured (`[tool.ruff]`, `[tool.mypy]`, pytest config in a fresh pyproject.toml) is judged on that configuration
 * instead of being not-applicable (CATALOG, issue 9: a skeleton passes when configured).
 */
export function withConfiguredSkeletons(
  view: ProjectView,
  isConfigured: (ecosystem: Ecosystem) => boolean,
): { relevant: Ecosystem[]; skipped: Array<{ ecosystem: Ecosystem; reason: string }> } {
  const { relevant, skipped } = relevantEcosystems(view);
  const skeletons = skipped.filter((item) => item.reason === SKELETON_REASON && isConfigured(item.ecosystem));
  if (!skeletons.length) return { relevant, skipped };
  return {
    relevant: [...relevant, ...skeletons.map((item) => item.ecosystem)].sort(),
    skipped: skipped.filter((item) => !skeletons.includes(item)),
  };
}

/** relevantEcosystems' reason for an ecosystem with a manifest and no source files yet. */
const SKELETON_REASON = 'manifest but no source files';

/** Ecosystems of the project that have a manifest but no source or test files yet (a fresh skeleton). */
export function skeletonEcosystems(view: ProjectView): Ecosystem[] {
  return relevantEcosystems(view)
    .skipped.filter((item) => item.reason === SKELETON_REASON)
    .map((item) => item.ecosystem);
}

export function judgeToolCoverage(options: ToolCoverageOptions): CheckResult {
  const { view, detectors, noun } = options;
  const { relevant, skipped } = withConfiguredSkeletons(view, (ecosystem) =>
    detectors.some((detector) => {
      if (detector.ecosystems === 'any' || !detector.ecosystems.includes(ecosystem)) return false;
      const evidence = detector.detect(view);
      return evidence !== undefined && !evidence.builtIn;
    }),
  );
  const anyDetectors = detectors.filter((detector) => detector.ecosystems === 'any');
  const anyEvidence = anyDetectors
    .map((detector) => detector.detect(view))
    .find((evidence) => evidence && !evidence.weak);
  const considered = relevant.filter((ecosystem) => !options.notApplicableFor?.includes(ecosystem));
  if (!considered.length) {
    if (relevant.length) {
      return result.notApplicable(
        `${listWords(relevant.map((ecosystem) => ECOSYSTEM_NAMES[ecosystem]))}: no separate ${noun} is needed`,
      );
    }
    if (anyEvidence) return result.pass(`${describe(anyEvidence)}`);
    const why = skipped.length
      ? ` (${skipped.map((item) => `${ECOSYSTEM_NAMES[item.ecosystem]}: ${item.reason}`).join('; ')})`
      : '';
    return result.notApplicable(`no source code of a recognised ecosystem${why}`);
  }
  const covered: string[] = [];
  const weak: Finding[] = [];
  const missing: Finding[] = [];
  let score = 0;
  for (const ecosystem of considered) {
    const evidences = detectors
      .filter((detector) => detector.ecosystems !== 'any' && detector.ecosystems.includes(ecosystem))
      .map((detector) => detector.detect(view))
      .filter((evidence): evidence is Evidence => evidence !== undefined);
    const strong = evidences.find((evidence) => !evidence.weak) ?? (anyEvidence ? anyEvidence : undefined);
    const name = ECOSYSTEM_NAMES[ecosystem];
    if (strong) {
      covered.push(`${name}: ${describe(strong)}`);
      score += 1;
      continue;
    }
    const partial = evidences.find((evidence) => evidence.weak);
    if (partial) {
      score += 0.5;
      weak.push(view.finding(partial.path, `${name}: ${partial.tool} — ${partial.weak}`, partial.line));
      continue;
    }
    missing.push({
      message: `${name}: no ${noun} found (looked for ${options.lookedFor[ecosystem] ?? 'the usual configuration files'})`,
    });
  }
  const total = considered.length;
  const coveredText = covered.length ? covered.join('; ') : '';
  if (!weak.length && !missing.length) return result.pass(coveredText);
  const problems = [...weak, ...missing];
  if (!covered.length && !weak.length) {
    return result.fail(
      `No ${noun} configured for ${listWords(considered.map((ecosystem) => ECOSYSTEM_NAMES[ecosystem]))}`,
      problems,
    );
  }
  const summary = [coveredText, ...problems.map((finding) => finding.message)].filter(Boolean).join('; ');
  return result.warn(summary, problems, score / total);
}

export { baseName };
