/**
 * Dockerfiles as a typed model with line numbers. Tokenising (continuations, the `# escape=` directive, heredocs,
 * flags, ENV/ARG properties, lower-case keywords) is done by `dockerfile-ast`, which handles those cases correctly
 * (see test/parsers/dockerfile.test.ts). On top of it this module builds what checks need and the library does not
 * give: stages with their parents, the effective USER and HEALTHCHECK of each stage (inherited through
 * `FROM <stage>`), image references after `${VAR}` substitution from the ARGs before the first FROM, exec-form
 * JSON parsed from the joined text (the library drops spaces inside JSON strings), and problems instead of throws.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { globMatcher, type RepoSnapshot } from '../snapshot/snapshot.js';
import { isExcludedFromProject } from '../engine/file-classes.js';

/** Globs of every Dockerfile/Containerfile shape we recognise (`Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `Containerfile`…). */
export const DOCKERFILE_GLOBS = [
  '**/{Dockerfile,dockerfile,Containerfile,containerfile}',
  '**/{Dockerfile,dockerfile,Containerfile,containerfile}{.,-}*',
  '**/*.{Dockerfile,dockerfile,Containerfile,containerfile}',
];

/** Paths that match DOCKERFILE_GLOBS but are not Dockerfiles: per-Dockerfile ignore files, docs, templates. */
const NOT_A_DOCKERFILE =
  /\.(dockerignore|md|markdown|txt|rst|adoc|html?|j2|jinja2?|tmpl|tpl|template|erb|mustache|hbs|in|orig|bak|sh|bash|ps1|bat|py|json|ya?ml|toml|lock|[cm]?[jt]sx?|go|rs|rb|java|kt|kts|scala|cs|fs|php|c|cc|cpp|h|hpp|swift|ex|exs|erl|lua|pl|snap|map|d\.ts)$|[._-](test|spec)\.|_test\./i;

/**
 * Dockerfiles that are not the project's deployable images: vendored, generated, fixture and template trees, and
 * `.devcontainer/` development images (file-classes.ts). Examples count.
 */
export function isNotTheProjectsOwn(path: string): boolean {
  return isExcludedFromProject(path);
}

/** Real Dockerfiles are a few kilobytes; past this, parsing time is spent on something that is not one. */
const MAX_DOCKERFILE_CHARS = 512 * 1024;

const KNOWN_INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

export interface DockerfileProblem {
  message: string;
  line?: number;
}

export interface DockerFlag {
  name: string;
  value: string | null;
}

export interface DockerProperty {
  name: string;
  /** The value as written (quotes removed), or null for `ARG NAME` without a default. */
  value: string | null;
}

export interface DockerHeredoc {
  name: string;
  /** Line of the `<<NAME` marker. */
  line: number;
  /** The body between the marker line and the delimiter ('' when empty or unterminated). */
  content: string;
  terminated: boolean;
}

export interface DockerInstruction {
  /** Upper-case keyword (`from` → `FROM`). */
  keyword: string;
  /** 1-based first and last line (continuations and heredoc bodies included). */
  line: number;
  endLine: number;
  /** Arguments after flags, continuations joined, heredoc bodies excluded. */
  args: string[];
  /** The argument text after flags, continuations joined (heredoc bodies included). */
  text: string;
  flags: DockerFlag[];
  /** `json` when the arguments are a valid JSON array of strings (exec form), else `shell`. */
  form: 'json' | 'shell';
  /** The exec-form array when `form` is `json`. */
  json?: string[];
  /** ENV, ARG and LABEL key/value pairs. */
  properties: DockerProperty[];
  heredocs: DockerHeredoc[];
}

export interface ImageReference {
  registry?: string;
  /** Repository path without registry, tag or digest: `library/node`, `node`, `team/app`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export interface DockerFrom {
  line: number;
  /** The image as written, e.g. `golang:${GO_VERSION}`. */
  raw: string;
  /** After substituting the global ARGs' defaults; equals raw when there is nothing to substitute. */
  resolved: string;
  platform?: string;
  /** `stage`: an earlier stage of this file; `scratch`; `image`: a registry image; `unresolved`: a variable with no default. */
  kind: 'stage' | 'scratch' | 'image' | 'unresolved';
  /** Index of the parent stage when kind is `stage`. */
  stageIndex?: number;
  image?: ImageReference;
  /** Names of variables that had no default. */
  unresolvedVariables?: string[];
}

export interface DockerUser {
  /** The USER argument after substitution (`app`, `1000:1000`, `root`). */
  value: string;
  /** As written (before substitution). */
  raw: string;
  line: number;
  /** Index of the stage whose USER instruction this is (another stage when inherited through `FROM <stage>`). */
  stageIndex: number;
  /** True for root: user part `root` or `0` (`root:root`, `0:0`, `0`). Undefined when a variable could not be resolved. */
  root: boolean | undefined;
}

export interface DockerHealthcheck {
  line: number;
  /** `HEALTHCHECK NONE` disables any inherited health check. */
  none: boolean;
  stageIndex: number;
}

export interface DockerStage {
  index: number;
  /** `AS` name, lower-cased as Docker does; undefined when unnamed. */
  name?: string;
  from: DockerFrom;
  line: number;
  endLine: number;
  /** Instructions after FROM up to the next FROM. */
  instructions: DockerInstruction[];
  /** The USER the stage's image runs as: its own last USER, else the one inherited from a parent stage. */
  user?: DockerUser;
  /** The stage's effective HEALTHCHECK, own or inherited from a parent stage. */
  healthcheck?: DockerHealthcheck;
}

export interface Dockerfile {
  path: string;
  /** Directory of the Dockerfile ('' for the root). */
  directory: string;
  /** False when the file could not be read at all (binary, too large, unreadable); see problems. */
  readable: boolean;
  escape: string;
  /** ARGs declared before the first FROM (usable in FROM lines). */
  globalArgs: DockerProperty[];
  instructions: DockerInstruction[];
  stages: DockerStage[];
  problems: DockerfileProblem[];
}

/** The final stage: the one `docker build` produces when no `--target` is given. */
export function finalStage(dockerfile: Dockerfile): DockerStage | undefined {
  return dockerfile.stages[dockerfile.stages.length - 1];
}

/** `name` of a stage for messages: `stage "build"` or `stage 2`. */
export function describeStage(stage: DockerStage): string {
  return stage.name ? `stage "${stage.name}"` : `stage ${stage.index + 1}`;
}

/** Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}` and `${VAR+alt}`. */
export function substituteVariables(
  text: string,
  variables: ReadonlyMap<string, string | null>,
): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const value = text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])((?:[^}$]|\$(?!\{))*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (match, braced, operator, word, bare) => {
      const name = (braced ?? bare) as string;
      const known = variables.has(name) ? variables.get(name) : undefined;
      const set = known !== undefined && known !== null;
      const nonEmpty = set && known !== '';
      if (operator === ':-') return nonEmpty ? known : (word as string);
      if (operator === '-') return set ? known : (word as string);
      if (operator === ':+') return nonEmpty ? (word as string) : '';
      if (operator === '+') return set ? (word as string) : '';
      if (set) return known;
      unresolved.push(name);
      return match;
    },
  );
  return { value, unresolved };
}

/** Splits `registry/repo/path:tag@digest`. A first segment with `.` or `:` or `localhost` is a registry. */
export function parseImageReference(reference: string): ImageReference | undefined {
  if (!reference || /\s/.test(reference)) return undefined;
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!rest) return undefined;
  return {
    ...(registry ? { registry } : {}),
    repository: rest,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** True when the user part of a USER value (`user[:group]`) is root (`root` or UID 0). */
export function isRootUser(value: string): boolean {
  const user = value.split(':')[0].trim();
  return user === 'root' || /^0+$/.test(user);
}

function parseJsonForm(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed as string[];
  } catch {
    // Not valid JSON: Docker runs it in shell form, which is almost never what the author meant.
  }
  return undefined;
}

function toInstruction(
  source: Instruction,
  lines: readonly string[],
  problems: DockerfileProblem[],
): DockerInstruction {
  const range = source.getRange();
  const keyword = source.getKeyword().toUpperCase();
  const line = range.start.line + 1;
  const endLine = range.end.line + 1;
  const withFlags = source as Instruction & {
    getFlags?: () => Array<{ getName(): string; getValue(): string | null }>;
  };
  const flags = (withFlags.getFlags?.() ?? []).map((flag) => ({ name: flag.getName(), value: flag.getValue() }));
  const withHeredocs = source as unknown as {
    getHeredocs?: () => Array<{
      getName(): string;
      getNameRange(): { start: { line: number } };
      getContentRange(): { start: { line: number }; end: { line: number } } | null;
      getDelimiterRange(): { start: { line: number } } | null;
    }>;
  };
  const heredocs: DockerHeredoc[] = [];
  const bodyLines = new Set<number>();
  for (const heredoc of withHeredocs.getHeredocs?.() ?? []) {
    const markerLine = heredoc.getNameRange().start.line + 1;
    const content = heredoc.getContentRange();
    const delimiter = heredoc.getDelimiterRange();
    const from = markerLine + 1;
    const to = delimiter ? delimiter.start.line + 1 : endLine;
    for (let index = from; index <= to; index += 1) bodyLines.add(index);
    heredocs.push({
      name: heredoc.getName(),
      line: markerLine,
      content: content ? lines.slice(content.start.line, content.end.line + 1).join('\n') : '',
      terminated: Boolean(delimiter),
    });
    if (!delimiter)
      problems.push({
        message: `${keyword} heredoc <<${heredoc.getName()} is never closed by a line "${heredoc.getName()}"`,
        line: markerLine,
      });
  }
  const args = source
    .getArguments()
    .filter((argument) => !bodyLines.has(argument.getRange().start.line + 1))
    .map((argument) => argument.getValue());
  const text = (source.getArgumentsContent() ?? '').trim();
  const json =
    ['CMD', 'ENTRYPOINT', 'RUN', 'SHELL', 'COPY', 'ADD', 'VOLUME'].includes(keyword) && !heredocs.length
      ? parseJsonForm(text)
      : undefined;
  if (!json && /^\[/.test(text) && ['CMD', 'ENTRYPOINT', 'RUN', 'SHELL', 'COPY', 'ADD'].includes(keyword)) {
    problems.push({
      message: `${keyword} starts with "[" but is not a valid JSON array of strings, so Docker runs it in shell form`,
      line,
    });
  }
  const withProperties = source as Instruction & {
    getProperties?: () => Array<{ getName(): string; getValue(): string | null }>;
  };
  const properties = ['ENV', 'ARG', 'LABEL'].includes(keyword)
    ? (withProperties.getProperties?.() ?? []).map((property) => ({
        name: property.getName(),
        value: property.getValue(),
      }))
    : [];
  return {
    keyword,
    line,
    endLine,
    args,
    text,
    flags,
    form: json ? 'json' : 'shell',
    ...(json ? { json } : {}),
    properties,
    heredocs,
  };
}

/** Parses Dockerfile text. Never throws: what cannot be understood becomes a problem with its line. */
export function parseDockerfileText(text: string, path = 'Dockerfile'): Dockerfile {
  const slash = path.lastIndexOf('/');
  const base: Dockerfile = {
    path,
    directory: slash < 0 ? '' : path.slice(0, slash),
    readable: true,
    escape: '\\',
    globalArgs: [],
    instructions: [],
    stages: [],
    problems: [],
  };
  if (text.length > MAX_DOCKERFILE_CHARS) {
    return {
      ...base,
      readable: false,
      problems: [
        { message: `the file has ${text.length} characters: too large for a Dockerfile, so it was not parsed` },
      ],
    };
  }
  if (text.includes('\u0000'))
    return {
      ...base,
      readable: false,
      problems: [{ message: 'the file holds NUL bytes: it is not a text Dockerfile' }],
    };
  // Docker ignores a UTF-8 byte-order mark (editors on Windows add one).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsed;
  try {
    parsed = DockerfileParser.parse(text);
  } catch (error) {
    return { ...base, problems: [{ message: `could not parse: ${(error as Error).message}` }] };
  }
  const lines = text.split(/\r?\n/);
  const problems: DockerfileProblem[] = [];
  const instructions: DockerInstruction[] = [];
  for (const source of parsed.getInstructions()) {
    try {
      instructions.push(toInstruction(source, lines, problems));
    } catch (error) {
      problems.push({
        message: `could not read this instruction: ${(error as Error).message}`,
        line: source.getRange().start.line + 1,
      });
    }
  }
  const escape = parsed.getEscapeCharacter();
  const dockerfile: Dockerfile = { ...base, escape, instructions, problems };
  buildStages(dockerfile);
  return dockerfile;
}

function buildStages(dockerfile: Dockerfile): void {
  const { instructions, problems, stages, globalArgs } = dockerfile;
  const globals = new Map<string, string | null>();
  let current: DockerStage | undefined;
  for (const instruction of instructions) {
    if (!KNOWN_INSTRUCTIONS.has(instruction.keyword)) {
      problems.push({ message: `unknown instruction "${instruction.keyword || '(empty)'}"`, line: instruction.line });
      continue;
    }
    if (instruction.keyword === 'FROM') {
      current = startStage(instruction, stages, globals, problems);
      stages.push(current);
      continue;
    }
    if (!current) {
      if (instruction.keyword === 'ARG') {
        for (const property of instruction.properties) {
          globalArgs.push(property);
          globals.set(
            property.name,
            property.value === null ? null : substituteVariables(property.value, globals).value,
          );
        }
      } else {
        problems.push({
          message: `${instruction.keyword} before the first FROM (only ARG may come before FROM)`,
          line: instruction.line,
        });
      }
      continue;
    }
    current.instructions.push(instruction);
    current.endLine = instruction.endLine;
  }
  if (!stages.length && dockerfile.readable)
    problems.push({ message: 'no FROM instruction: this is not a buildable Dockerfile' });
  for (const stage of stages) resolveStageState(stage, stages, globals);
}

function startStage(
  instruction: DockerInstruction,
  stages: DockerStage[],
  globals: ReadonlyMap<string, string | null>,
  problems: DockerfileProblem[],
): DockerStage {
  const [raw = '', ...rest] = instruction.args;
  let name: string | undefined;
  if (rest.length >= 2 && rest[0].toUpperCase() === 'AS') name = rest[1].toLowerCase();
  else if (rest.length)
    problems.push({
      message: `FROM has unexpected words after the image: "${rest.join(' ')}" (expected "AS <name>")`,
      line: instruction.line,
    });
  const platform = instruction.flags.find((flag) => flag.name === 'platform')?.value ?? undefined;
  const { value: resolved, unresolved } = substituteVariables(raw, globals);
  const from: DockerFrom = { line: instruction.line, raw, resolved, ...(platform ? { platform } : {}), kind: 'image' };
  if (!raw) {
    problems.push({ message: 'FROM without an image', line: instruction.line });
    from.kind = 'unresolved';
  } else if (unresolved.length) {
    from.kind = 'unresolved';
    from.unresolvedVariables = unresolved;
  } else {
    const parent = stages.findIndex((stage) => stage.name !== undefined && stage.name === resolved.toLowerCase());
    if (parent >= 0) {
      from.kind = 'stage';
      from.stageIndex = parent;
    } else if (resolved.toLowerCase() === 'scratch') {
      from.kind = 'scratch';
    } else {
      const image = parseImageReference(resolved);
      if (image) from.image = image;
      else {
        from.kind = 'unresolved';
        problems.push({ message: `FROM "${resolved}" is not an image reference`, line: instruction.line });
      }
    }
  }
  if (name && stages.some((stage) => stage.name === name))
    problems.push({ message: `stage name "${name}" is used twice`, line: instruction.line });
  return {
    index: stages.length,
    ...(name ? { name } : {}),
    from,
    line: instruction.line,
    endLine: instruction.endLine,
    instructions: [],
  };
}

/** The stage's own ARG/ENV values (for `USER $UID`): global ARGs re-declared with `ARG NAME`, then the stage's ARG and ENV. */
function stageVariables(
  stage: DockerStage,
  stages: readonly DockerStage[],
  globals: ReadonlyMap<string, string | null>,
  upTo: number,
): Map<string, string | null> {
  const variables = new Map<string, string | null>();
  if (stage.from.kind === 'stage' && stage.from.stageIndex !== undefined) {
    const parent = stages[stage.from.stageIndex];
    // ENV is inherited from the parent stage's image; ARG is not.
    for (const instruction of parent.instructions) {
      if (instruction.keyword === 'ENV')
        for (const property of instruction.properties) variables.set(property.name, property.value);
    }
  }
  for (const instruction of stage.instructions) {
    if (instruction.line >= upTo) break;
    if (instruction.keyword !== 'ARG' && instruction.keyword !== 'ENV') continue;
    for (const property of instruction.properties) {
      if (instruction.keyword === 'ARG' && property.value === null)
        variables.set(property.name, globals.get(property.name) ?? variables.get(property.name) ?? null);
      else
        variables.set(
          property.name,
          property.value === null ? null : substituteVariables(property.value, variables).value,
        );
    }
  }
  return variables;
}

function resolveStageState(
  stage: DockerStage,
  stages: readonly DockerStage[],
  globals: ReadonlyMap<string, string | null>,
): void {
  const parent =
    stage.from.kind === 'stage' && stage.from.stageIndex !== undefined ? stages[stage.from.stageIndex] : undefined;
  if (parent?.user) stage.user = parent.user;
  if (parent?.healthcheck) stage.healthcheck = parent.healthcheck;
  for (const instruction of stage.instructions) {
    if (instruction.keyword === 'USER') {
      const raw = instruction.args[0] ?? '';
      if (!raw) continue;
      const { value, unresolved } = substituteVariables(raw, stageVariables(stage, stages, globals, instruction.line));
      stage.user = {
        value,
        raw,
        line: instruction.line,
        stageIndex: stage.index,
        root: unresolved.length ? (isRootUser(value) ? true : undefined) : isRootUser(value),
      };
    } else if (instruction.keyword === 'HEALTHCHECK') {
      const none = (instruction.args[0] ?? '').toUpperCase() === 'NONE';
      stage.healthcheck = { line: instruction.line, none, stageIndex: stage.index };
    }
  }
}

function unreadable(path: string, message: string): Dockerfile {
  const slash = path.lastIndexOf('/');
  return {
    path,
    directory: slash < 0 ? '' : path.slice(0, slash),
    readable: false,
    escape: '\\',
    globalArgs: [],
    instructions: [],
    stages: [],
    problems: [{ message }],
  };
}

/** The Dockerfile at `path`, parsed once per snapshot view. */
export function getDockerfile(snapshot: RepoSnapshot, path: string): Dockerfile {
  return snapshot.memo(`dockerfile:${path}`, () => {
    const file = snapshot.file(path);
    if (!file) return unreadable(path, 'the file is missing');
    if (file.text === null)
      return unreadable(
        path,
        file.binary ? 'binary file, not a Dockerfile' : `could not be read (${file.error ?? 'unknown error'})`,
      );
    if (file.truncated)
      return unreadable(path, `the file is larger than the ${file.text.length}-byte read limit, so it was not parsed`);
    return parseDockerfileText(file.text, path);
  });
}

const matchesDockerfileGlobs = globMatcher(DOCKERFILE_GLOBS);
function mayBeDockerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.includes('dockerfile') || lower.includes('containerfile');
}

/** Paths of the view's own Dockerfiles (fixtures, examples and vendored directories left out), shallowest first. */
export function findDockerfilePaths(snapshot: RepoSnapshot): string[] {
  return snapshot.memo('dockerfile:paths', () =>
    snapshot.index
      // Each glob needs "dockerfile" or "containerfile" in the name: the globs run on those paths alone.
      .where('dockerfile:named', { name: mayBeDockerfileName })
      .filter((entry) => matchesDockerfileGlobs(entry.path))
      .filter(
        (entry) => entry.kind === 'file' && !NOT_A_DOCKERFILE.test(entry.path) && !isNotTheProjectsOwn(entry.path),
      )
      .map((entry) => entry.path)
      .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1)),
  );
}

/** Every Dockerfile of the view, parsed once. Declare DOCKERFILE_GLOBS in the check's needs. */
export function getDockerfiles(snapshot: RepoSnapshot): Dockerfile[] {
  return snapshot.memo('dockerfile:all', () =>
    findDockerfilePaths(snapshot).map((path) => getDockerfile(snapshot, path)),
  );
}
