import { describeConfigPlace, type ConfigError, type ConfigProblem } from '../engine/errors.js';
import { TOOL_LINKS } from '../version.js';
import { clip, GITHUB_LIMITS, type CheckRunAnnotation } from './check-run.js';
import { codeSpan, escapeMessage, escapeTerminal, link } from './escape.js';

/**
 * Where every config key is described: the README's Configuration section at the tag of this version (so the
 * page matches the schema that judged the file), else the homepage; undefined without package.json links.
 */
export const CONFIG_DOCS_URL: string | undefined = TOOL_LINKS.docsBaseUrl
  ? `${TOOL_LINKS.docsBaseUrl}README.md#configuration`
  : TOOL_LINKS.homepage;

/** Messages are short; a longer one (a library's message quoting the file) is cut before it is rendered. */
const MAX_MESSAGE = 1_000;

/** `.github/shipready.yml (at abc1234)` → `.github/shipready.yml`: the name alone, for titles. */
function shortName(file: string): string {
  return file.split(' (at ')[0];
}

function titleOf(error: ConfigError): string {
  const [first] = error.problems;
  const name = shortName(error.file);
  if (!first) return `Invalid ${name}`;
  if (error.problems.length > 1) {
    const lines = error.problems.map((problem) => problem.line).filter((line): line is number => Boolean(line));
    return clip(
      `Invalid ${name}: ${error.problems.length} problems${lines.length ? `, the first at line ${lines[0]}` : ''}`,
      GITHUB_LIMITS.title,
    );
  }
  const where = first.line ? ` at line ${first.line}` : '';
  const key = first.key ? `${first.key}: ` : '';
  return clip(`Invalid ${name}${where}: ${key}${first.message}`.replace(/\s+/g, ' '), GITHUB_LIMITS.title);
}

function placeMarkdown(problem: ConfigProblem): string {
  const where = problem.line ? ` (line ${problem.line}${problem.column ? `, column ${problem.column}` : ''})` : '';
  return `${codeSpan(problem.key || '(root)')}${where}`;
}

function plainProblem(problem: ConfigProblem): string {
  return `${describeConfigPlace(problem)}: ${problem.message}`;
}

/**
 * The failing Check Run for an invalid config: the title names the problem and its line, the summary lists every
 * problem in file order with what is allowed, and each problem is annotated on its line of the repository's file
 * (or, for a file reached through `_extends`, on the `_extends` line that names it).
 */
export function renderConfigErrorCheckRun(error: ConfigError): {
  title: string;
  summary: string;
  annotations: CheckRunAnnotation[];
} {
  const via = error.via
    ? `, which ${codeSpan(error.via.path)} extends${error.via.line ? ` (line ${error.via.line})` : ''},`
    : '';
  const docs = CONFIG_DOCS_URL
    ? `every key is described under ${link('Configuration', CONFIG_DOCS_URL)} in the README`
    : 'every key is described under Configuration in the README';
  const summary = [
    `${codeSpan(error.file)}${via} is invalid, so nothing was evaluated:`,
    '',
    ...error.problems.map(
      (problem) => `- ${placeMarkdown(problem)}: ${escapeMessage(clip(problem.message, MAX_MESSAGE))}`,
    ),
    '',
    `Fix the file and push again; ${docs}.`,
  ].join('\n');
  const annotations: CheckRunAnnotation[] = [];
  if (error.path) {
    for (const problem of error.problems.slice(0, GITHUB_LIMITS.annotationsPerRequest)) {
      const line = problem.line ?? 1;
      annotations.push({
        path: error.path,
        start_line: line,
        end_line: line,
        annotation_level: 'failure',
        title: clip(`Invalid config: ${problem.key || 'the file'}`, GITHUB_LIMITS.annotationTitle),
        message: clip(problem.message, 4_000),
        ...(CONFIG_DOCS_URL ? { raw_details: `Every key is described at ${CONFIG_DOCS_URL}` } : {}),
      });
    }
  } else if (error.via) {
    const line = error.via.line ?? 1;
    annotations.push({
      path: error.via.path,
      start_line: line,
      end_line: line,
      annotation_level: 'failure',
      title: clip(`Invalid config reached through _extends: ${error.file}`, GITHUB_LIMITS.annotationTitle),
      message: clip(error.problems.map(plainProblem).join('\n'), 4_000),
    });
  }
  return { title: titleOf(error), summary: clip(summary, 60_000), annotations };
}

/** The same for a terminal: every problem on its line, control characters from the file shown escaped. */
export function renderConfigErrorTerminal(error: ConfigError): string {
  const via = error.via
    ? ` (reached through \`_extends\` in ${error.via.path}${error.via.line ? ` at line ${error.via.line}` : ''})`
    : '';
  const docs = CONFIG_DOCS_URL ? ` (every key is described at ${CONFIG_DOCS_URL})` : ' (see README "Configuration")';
  return escapeTerminal(
    [
      `${error.file}${via} is invalid:`,
      ...error.problems.map((problem) => `  - ${plainProblem(problem).replace(/\r\n?|\n/g, ' ')}`),
      `Fix the file${docs} or pass --config with a valid one.`,
    ].join('\n'),
  ).concat('\n');
}
