/**
 * GitHub Actions workflows and local actions, parsed once per snapshot into a typed model that keeps line numbers.
 *
 * Use:
 *   needs: { files: [...WORKFLOW_NEEDS] }            // or spread NEEDS into your own list
 *   const model = getWorkflows(context.repository);  // memoised: every check shares one parse
 *   for (const workflow of model.workflows) for (const job of workflow.jobs) for (const step of job.steps) …
 *   walkJobSteps(model, workflow, job, (visit) => …) // also follows local reusable workflows and composite actions
 *
 * Every `line` is 1-based in the file named by the enclosing workflow's or action's `path`. Malformed YAML never
 * throws: it becomes an entry of `model.problems` (with a line when the parser gives one) and the rest still parses.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  type Document,
  type Node,
  type YAMLMap,
} from 'yaml';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { isExcludedFromProject } from '../engine/file-classes.js';

/** Workflow files GitHub runs. */
export const WORKFLOW_GLOB = '.github/workflows/*.{yml,yaml}';
/** Metadata of local (composite, JavaScript or Docker) actions, anywhere in the repository. */
export const ACTION_GLOB = '**/action.{yml,yaml}';
/** The globs to declare in a check's `needs.files` before calling `getWorkflows`. */
export const NEEDS: readonly string[] = [WORKFLOW_GLOB, ACTION_GLOB];

export interface Located<T> {
  value: T;
  /** 1-based line of the value. */
  line: number;
}

/** One source line of a scalar (a `run:` script or a `with:` input), indentation of a block scalar removed. */
export interface SourceLine {
  text: string;
  line: number;
}

/** A scalar with its parsed value and its source lines (a multi-line `run: |` block maps line by line). */
export interface ScalarText {
  value: string;
  /** Line of the key's value (for a block scalar, the line of the `|` or `>` header). */
  line: number;
  /** Source lines of the content, with their line numbers; for block scalars the header line is left out. */
  lines: SourceLine[];
}

/** `true`, `false`, or a `${{ }}` expression GitHub evaluates at run time. */
export type ContinueOnError = boolean | 'expression';

export interface Step {
  /** 0-based position in its job (or composite action). */
  index: number;
  /** Line of the step's first key (the `-` item). */
  line: number;
  endLine: number;
  id?: string;
  name?: string;
  uses?: Located<string>;
  run?: ScalarText;
  shell?: string;
  workingDirectory?: string;
  if?: Located<string>;
  with: Record<string, ScalarText>;
  env: Record<string, ScalarText>;
  continueOnError: ContinueOnError;
  continueOnErrorLine?: number;
}

export interface Permissions {
  /** Line of the `permissions:` key. */
  line: number;
  /** `read-all`/`write-all` strings, `{}` (none), a map of scopes, an expression, or something GitHub rejects. */
  kind: 'read-all' | 'write-all' | 'none' | 'scopes' | 'expression' | 'invalid';
  /** For kind 'scopes': scope → `read` | `write` | `none`, with the line of each. */
  scopes: Record<string, Located<string>>;
}

export interface Job {
  id: string;
  /** Line of the job's key. */
  line: number;
  endLine: number;
  name?: string;
  runsOn?: string;
  needs: string[];
  if?: Located<string>;
  permissions?: Permissions;
  timeoutMinutes?: Located<string | number>;
  continueOnError: ContinueOnError;
  continueOnErrorLine?: number;
  /** A reusable workflow call (`uses: ./.github/workflows/x.yml` or `owner/repo/.github/workflows/x.yml@ref`). */
  uses?: Located<string>;
  with: Record<string, ScalarText>;
  environment?: Located<string>;
  /** Whether the job has `strategy.matrix`. */
  hasMatrix: boolean;
  /** Values each matrix variable takes (from its list and from `include` entries), as strings. */
  matrix: Record<string, string[]>;
  env: Record<string, ScalarText>;
  steps: Step[];
}

export interface Trigger {
  event: string;
  line: number;
  /** The event's configuration as plain data (`{ branches: [...] }`, `null`…). */
  config: unknown;
}

export interface Workflow {
  kind: 'workflow';
  path: string;
  name?: string;
  triggers: Trigger[];
  /** Line of the `on:` key (1 when missing). */
  triggersLine: number;
  permissions?: Permissions;
  env: Record<string, ScalarText>;
  jobs: Job[];
}

export interface LocalAction {
  kind: 'action';
  path: string;
  /** The directory a `uses: ./<directory>` names ('' for the root). */
  directory: string;
  name?: string;
  /** `runs.using`: composite, node20, docker… */
  using?: Located<string>;
  /** `runs.image` for Docker actions. */
  image?: Located<string>;
  /** Steps of a composite action. */
  steps: Step[];
}

export interface WorkflowProblem {
  path: string;
  message: string;
  line?: number;
}

export interface WorkflowModel {
  workflows: Workflow[];
  actions: LocalAction[];
  /** Files that could not be parsed (or parts of them that GitHub would reject). */
  problems: WorkflowProblem[];
}

const WORKFLOW_PATTERN = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const ACTION_PATTERN = /(^|\/)action\.ya?ml$/;

/**
 * Budgets on what is modelled, far above real repositories (GitHub itself caps a workflow run at 256 jobs); past
 * one, the rest is left out and a problem says so, so a crafted tree cannot make every workflow check walk millions.
 */
export const WORKFLOW_BUDGETS = { files: 1000, jobsPerWorkflow: 500, stepsPerJob: 1000 } as const;

function withinBudget<T>(items: T[], max: number, context: Context, line: number | undefined, what: string): T[] {
  if (items.length <= max) return items;
  context.problems.push({
    path: context.path,
    line,
    message: `${what}: ${items.length}, only the first ${max} modelled`,
  });
  return items.slice(0, max);
}

/** The repository's workflows and local actions, parsed once per snapshot view. Pass `context.repository`. */
export function getWorkflows(snapshot: RepoSnapshot): WorkflowModel {
  return snapshot.memo('workflows:model', () => {
    const model: WorkflowModel = { workflows: [], actions: [], problems: [] };
    let modelled = 0;
    for (const entry of snapshot.entries) {
      const isWorkflow = WORKFLOW_PATTERN.test(entry.path);
      // Action metadata in vendored or fixture trees is not the repository's own.
      const isAction = !isWorkflow && ACTION_PATTERN.test(entry.path) && !isExcludedFromProject(entry.path);
      if (!isWorkflow && !isAction) continue;
      if (++modelled > WORKFLOW_BUDGETS.files) {
        model.problems.push({
          path: entry.path,
          message: `more than ${WORKFLOW_BUDGETS.files} workflow and action files: ${entry.path} and the rest were not modelled`,
        });
        break;
      }
      const file = entry.kind === 'file' ? snapshot.file(entry.path) : undefined;
      if (!file || file.text === null) {
        model.problems.push({
          path: entry.path,
          message: `${entry.path} could not be read (${file?.binary ? 'binary file' : (file?.error ?? entry.kind)})`,
        });
        continue;
      }
      if (file.truncated)
        model.problems.push({
          path: entry.path,
          message: `${entry.path} is larger than the read limit; only its beginning was parsed`,
        });
      const parsed = isWorkflow ? parseWorkflowText(entry.path, file.text) : parseActionText(entry.path, file.text);
      model.problems.push(...parsed.problems);
      if (parsed.value?.kind === 'workflow') model.workflows.push(parsed.value);
      else if (parsed.value?.kind === 'action') model.actions.push(parsed.value);
    }
    return model;
  });
}

interface Context {
  path: string;
  document: Document;
  lines: LineCounter;
  text: string;
  problems: WorkflowProblem[];
}

function lineOf(context: Context, node: Node | null | undefined, fallback = 1): number {
  const offset = node?.range?.[0];
  return offset === undefined ? fallback : context.lines.linePos(offset).line;
}

function endLineOf(context: Context, node: Node | null | undefined, fallback: number): number {
  const offset = node?.range?.[1];
  if (offset === undefined) return fallback;
  // range[1] is the end of the value; a trailing newline belongs to the previous line.
  const end = offset > 0 && context.text[offset - 1] === '\n' ? offset - 1 : offset;
  return Math.max(fallback, context.lines.linePos(end).line);
}

function resolve(context: Context, node: unknown): Node | null {
  if (isAlias(node)) return (node.resolve(context.document) as Node | undefined) ?? null;
  return (node as Node | null) ?? null;
}

interface Entry {
  key: string;
  keyNode: Node | null;
  value: Node | null;
}

function entriesOf(context: Context, node: Node | null): Entry[] {
  if (!isMap(node)) return [];
  const entries: Entry[] = [];
  for (const item of (node as YAMLMap).items) {
    if (!isPair(item)) continue;
    const keyNode = resolve(context, item.key);
    const key = isScalar(keyNode) ? String(keyNode.value) : String(item.key);
    entries.push({ key, keyNode, value: resolve(context, item.value) });
  }
  return entries;
}

function field(context: Context, node: Node | null, key: string): Entry | undefined {
  return entriesOf(context, node).find((entry) => entry.key === key);
}

function scalarString(node: Node | null): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

function located(context: Context, entry: Entry | undefined): Located<string> | undefined {
  if (!entry) return undefined;
  const value = scalarString(entry.value);
  return value === undefined ? undefined : { value, line: lineOf(context, entry.value ?? entry.keyNode) };
}

function toJs(context: Context, node: Node | null): unknown {
  if (!node) return null;
  try {
    return node.toJS(context.document, { maxAliasCount: 1000 });
  } catch {
    return null;
  }
}

/** The source lines of a scalar, so a finding inside a multi-line `run:` block points at its own line. */
function scalarText(context: Context, entry: Entry): ScalarText | undefined {
  const node = entry.value;
  if (!isScalar(node)) {
    if (node === null) return undefined;
    // Not a scalar (a map or a list where a string belongs): keep a flattened value so nothing is lost silently.
    const value = JSON.stringify(toJs(context, node));
    const line = lineOf(context, node, lineOf(context, entry.keyNode));
    return { value, line, lines: [{ text: value, line }] };
  }
  const value = node.value === null || node.value === undefined ? '' : String(node.value);
  const line = lineOf(context, node, lineOf(context, entry.keyNode));
  const range = node.range;
  if (!range) return { value, line, lines: [{ text: value, line }] };
  const source = context.text.slice(range[0], range[1]);
  const raw = source.split('\n');
  const lines: SourceLine[] = [];
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    const content = raw.slice(1);
    const indent = Math.min(
      ...content.filter((text) => text.trim()).map((text) => /^ */.exec(text)![0].length),
      Infinity,
    );
    content.forEach((text, offset) => {
      if (text.trim() || offset < content.length - 1)
        lines.push({ text: Number.isFinite(indent) ? text.slice(indent) : text, line: line + 1 + offset });
    });
    while (lines.length && !lines[lines.length - 1].text.trim()) lines.pop();
  } else {
    raw.forEach((text, offset) => {
      let cleaned = offset === 0 ? text : text.trimStart();
      if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) {
        if (offset === 0) cleaned = cleaned.slice(1);
        if (offset === raw.length - 1) cleaned = cleaned.replace(/["']$/, '');
      }
      lines.push({ text: cleaned, line: line + offset });
    });
  }
  return { value, line, lines };
}

function scalarMap(context: Context, entry: Entry | undefined): Record<string, ScalarText> {
  const map: Record<string, ScalarText> = {};
  for (const item of entriesOf(context, entry?.value ?? null)) {
    const text = scalarText(context, item);
    if (text) map[item.key] = text;
  }
  return map;
}

/**
 * The expression of a value that is one whole `${{ … }}` (blanks around it allowed), trimmed; undefined otherwise.
 * String code, not a regex: a lazy capture between blank runs backtracks polynomially on a long value.
 */
function wholeExpression(raw: string): string | undefined {
  const value = raw.trim();
  if (value.length < 5 || !value.startsWith('${{') || !value.endsWith('}}')) return undefined;
  const inner = value.slice(3, -2);
  return /[\n\r\u2028\u2029]/.test(inner) ? undefined : inner.trim();
}

function continueOnError(context: Context, entry: Entry | undefined): { value: ContinueOnError; line?: number } {
  if (!entry) return { value: false };
  const line = lineOf(context, entry.value ?? entry.keyNode);
  const raw = isScalar(entry.value) ? entry.value.value : undefined;
  if (raw === true || raw === 'true') return { value: true, line };
  if (typeof raw === 'string' && raw.includes('${{')) {
    const inner = wholeExpression(raw);
    if (inner === 'true') return { value: true, line };
    if (inner === 'false') return { value: false, line };
    return { value: 'expression', line };
  }
  return { value: false, line };
}

function parsePermissions(context: Context, entry: Entry | undefined): Permissions | undefined {
  if (!entry) return undefined;
  const line = lineOf(context, entry.keyNode);
  const node = entry.value;
  if (isMap(node)) {
    const scopes: Record<string, Located<string>> = {};
    for (const item of entriesOf(context, node)) {
      const value = scalarString(item.value);
      scopes[item.key] = { value: value ?? '', line: lineOf(context, item.keyNode) };
    }
    return { line, kind: Object.keys(scopes).length ? 'scopes' : 'none', scopes };
  }
  const value = scalarString(node);
  if (value === 'read-all' || value === 'write-all') return { line, kind: value, scopes: {} };
  if (value?.includes('${{')) return { line, kind: 'expression', scopes: {} };
  return { line, kind: 'invalid', scopes: {} };
}

function parseStep(context: Context, node: Node | null, index: number): Step {
  const line = lineOf(context, node);
  const step: Step = {
    index,
    line,
    endLine: endLineOf(context, node, line),
    with: {},
    env: {},
    continueOnError: false,
  };
  if (!isMap(node)) {
    context.problems.push({ path: context.path, line, message: `step ${index + 1} is not a mapping` });
    return step;
  }
  step.id = scalarString(field(context, node, 'id')?.value ?? null);
  step.name = scalarString(field(context, node, 'name')?.value ?? null);
  step.uses = located(context, field(context, node, 'uses'));
  const run = field(context, node, 'run');
  if (run) step.run = scalarText(context, run);
  step.shell = scalarString(field(context, node, 'shell')?.value ?? null);
  step.workingDirectory = scalarString(field(context, node, 'working-directory')?.value ?? null);
  step.if = located(context, field(context, node, 'if'));
  step.with = scalarMap(context, field(context, node, 'with'));
  step.env = scalarMap(context, field(context, node, 'env'));
  const coe = continueOnError(context, field(context, node, 'continue-on-error'));
  step.continueOnError = coe.value;
  if (coe.line !== undefined) step.continueOnErrorLine = coe.line;
  return step;
}

function parseSteps(context: Context, entry: Entry | undefined, owner: string): Step[] {
  if (!entry) return [];
  if (!isSeq(entry.value)) {
    if (entry.value !== null)
      context.problems.push({
        path: context.path,
        line: lineOf(context, entry.keyNode),
        message: `${owner}: \`steps\` is not a list`,
      });
    return [];
  }
  const items = withinBudget(
    entry.value.items,
    WORKFLOW_BUDGETS.stepsPerJob,
    context,
    lineOf(context, entry.keyNode),
    `${owner}: steps`,
  );
  return items.map((item, index) => parseStep(context, resolve(context, item), index));
}

function matrixValues(context: Context, node: Node | null): { has: boolean; values: Record<string, string[]> } {
  const values: Record<string, string[]> = {};
  if (!node) return { has: false, values };
  const add = (key: string, value: unknown) => {
    if (value === null || value === undefined || typeof value === 'object') return;
    const list = (values[key] ??= []);
    if (!list.includes(String(value))) list.push(String(value));
  };
  const matrix = toJs(context, node);
  if (matrix && typeof matrix === 'object' && !Array.isArray(matrix)) {
    for (const [key, value] of Object.entries(matrix as Record<string, unknown>)) {
      if (key === 'include' && Array.isArray(value)) {
        for (const include of value)
          if (include && typeof include === 'object')
            for (const [name, item] of Object.entries(include)) add(name, item);
      } else if (key !== 'exclude' && Array.isArray(value)) for (const item of value) add(key, item);
    }
  }
  return { has: true, values };
}

function parseJob(context: Context, entry: Entry): Job {
  const line = lineOf(context, entry.keyNode);
  const node = entry.value;
  const job: Job = {
    id: entry.key,
    line,
    endLine: endLineOf(context, node, line),
    needs: [],
    continueOnError: false,
    with: {},
    hasMatrix: false,
    matrix: {},
    env: {},
    steps: [],
  };
  if (!isMap(node)) {
    context.problems.push({ path: context.path, line, message: `job \`${entry.key}\` is not a mapping` });
    return job;
  }
  job.name = scalarString(field(context, node, 'name')?.value ?? null);
  const runsOn = field(context, node, 'runs-on');
  if (runsOn)
    job.runsOn = isScalar(runsOn.value) ? String(runsOn.value.value) : JSON.stringify(toJs(context, runsOn.value));
  const needs = toJs(context, field(context, node, 'needs')?.value ?? null);
  job.needs = typeof needs === 'string' ? [needs] : Array.isArray(needs) ? needs.map(String) : [];
  job.if = located(context, field(context, node, 'if'));
  job.permissions = parsePermissions(context, field(context, node, 'permissions'));
  const timeout = field(context, node, 'timeout-minutes');
  if (timeout) {
    const raw = isScalar(timeout.value) ? timeout.value.value : undefined;
    job.timeoutMinutes = {
      value: typeof raw === 'number' ? raw : String(raw ?? ''),
      line: lineOf(context, timeout.keyNode),
    };
  }
  const coe = continueOnError(context, field(context, node, 'continue-on-error'));
  job.continueOnError = coe.value;
  if (coe.line !== undefined) job.continueOnErrorLine = coe.line;
  job.uses = located(context, field(context, node, 'uses'));
  job.with = scalarMap(context, field(context, node, 'with'));
  const environment = field(context, node, 'environment');
  if (environment) {
    const name = isMap(environment.value)
      ? scalarString(field(context, environment.value, 'name')?.value ?? null)
      : scalarString(environment.value);
    job.environment = { value: name ?? '', line: lineOf(context, environment.keyNode) };
  }
  const strategy = field(context, node, 'strategy');
  const matrix = matrixValues(context, strategy ? (field(context, strategy.value, 'matrix')?.value ?? null) : null);
  job.hasMatrix = matrix.has;
  job.matrix = matrix.values;
  job.env = scalarMap(context, field(context, node, 'env'));
  job.steps = parseSteps(context, field(context, node, 'steps'), `job \`${entry.key}\``);
  if (!job.uses && !field(context, node, 'steps'))
    context.problems.push({
      path: context.path,
      line,
      message: `job \`${entry.key}\` has neither \`steps\` nor \`uses\``,
    });
  return job;
}

function parseTriggers(context: Context, entry: Entry | undefined): Trigger[] {
  if (!entry) return [];
  const node = entry.value;
  if (isScalar(node)) return [{ event: String(node.value), line: lineOf(context, node), config: null }];
  if (isSeq(node)) {
    return node.items.map((item) => {
      const resolved = resolve(context, item);
      return { event: scalarString(resolved) ?? '', line: lineOf(context, resolved), config: null };
    });
  }
  return entriesOf(context, node).map((item) => ({
    event: item.key,
    line: lineOf(context, item.keyNode),
    config: toJs(context, item.value),
  }));
}

function openDocument(
  path: string,
  text: string,
): { context: Context; root: Node | null } | { problem: WorkflowProblem } {
  const lines = new LineCounter();
  let document: ReturnType<typeof parseDocument>;
  try {
    document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    // The yaml library recurses once per implicit key: a line of thousands of `a: ` overflows its stack.
    if (!(error instanceof RangeError)) throw error;
    return { problem: { path, message: `${path} is not valid YAML: it nests too deeply to parse` } };
  }
  const context: Context = { path, document, lines, text, problems: [] };
  if (document.errors.length) {
    const first = document.errors[0];
    const line = first.linePos?.[0]?.line ?? (first.pos ? lines.linePos(first.pos[0]).line : undefined);
    return {
      problem: {
        path,
        message: `${path} is not valid YAML: ${first.message.split('\n')[0]}`,
        ...(line ? { line } : {}),
      },
    };
  }
  return { context, root: resolve(context, document.contents) };
}

export interface ParsedFile<T> {
  value?: T;
  problems: WorkflowProblem[];
}

/** Parses one workflow file (exported for tests and for callers holding text outside a snapshot). */
export function parseWorkflowText(path: string, text: string): ParsedFile<Workflow> {
  const opened = openDocument(path, text);
  if ('problem' in opened) return { problems: [opened.problem] };
  const { context, root } = opened;
  if (!isMap(root))
    return { problems: [{ path, line: 1, message: `${path} is not a workflow: its top level is not a mapping` }] };
  const on = field(context, root, 'on');
  const workflow: Workflow = {
    kind: 'workflow',
    path,
    triggers: parseTriggers(context, on),
    triggersLine: lineOf(context, on?.keyNode),
    env: scalarMap(context, field(context, root, 'env')),
    jobs: [],
  };
  const name = scalarString(field(context, root, 'name')?.value ?? null);
  if (name !== undefined) workflow.name = name;
  const permissions = parsePermissions(context, field(context, root, 'permissions'));
  if (permissions) workflow.permissions = permissions;
  if (!on) context.problems.push({ path, line: 1, message: `${path} has no \`on:\` trigger` });
  const jobs = field(context, root, 'jobs');
  if (!jobs || !isMap(jobs.value))
    context.problems.push({ path, line: lineOf(context, jobs?.keyNode), message: `${path} has no \`jobs:\` mapping` });
  else
    workflow.jobs = withinBudget(
      entriesOf(context, jobs.value),
      WORKFLOW_BUDGETS.jobsPerWorkflow,
      context,
      lineOf(context, jobs.keyNode),
      `${path}: jobs`,
    ).map((entry) => parseJob(context, entry));
  return { value: workflow, problems: context.problems };
}

/** Parses one `action.yml`/`action.yaml`. */
export function parseActionText(path: string, text: string): ParsedFile<LocalAction> {
  const opened = openDocument(path, text);
  if ('problem' in opened) return { problems: [opened.problem] };
  const { context, root } = opened;
  if (!isMap(root))
    return { problems: [{ path, line: 1, message: `${path} is not an action: its top level is not a mapping` }] };
  const slash = path.lastIndexOf('/');
  const action: LocalAction = { kind: 'action', path, directory: slash < 0 ? '' : path.slice(0, slash), steps: [] };
  const name = scalarString(field(context, root, 'name')?.value ?? null);
  if (name !== undefined) action.name = name;
  const runs = field(context, root, 'runs');
  const using = located(context, runs ? field(context, runs.value, 'using') : undefined);
  if (using) action.using = using;
  const image = located(context, runs ? field(context, runs.value, 'image') : undefined);
  if (image) action.image = image;
  if (runs) action.steps = parseSteps(context, field(context, runs.value, 'steps'), 'composite action');
  return { value: action, problems: context.problems };
}

/** True when the workflow runs on any of `events`. */
export function hasTrigger(workflow: Workflow, ...events: string[]): boolean {
  return workflow.triggers.some((trigger) => events.includes(trigger.event));
}

function normaliseLocal(uses: string): string {
  return uses
    .replace(/^\.\//, '')
    .replace(/@[^]*$/, '')
    .replace(/(?<!\/)\/+$/, '');
}

/** The local reusable workflow a job's `uses: ./.github/workflows/x.yml` names, if it exists in the model. */
export function resolveLocalWorkflow(model: WorkflowModel, uses: string): Workflow | undefined {
  if (!uses.startsWith('./')) return undefined;
  const path = normaliseLocal(uses);
  return model.workflows.find((workflow) => workflow.path === path);
}

/** The local action a step's `uses: ./path/to/action` names, if its action.yml is in the model. */
export function resolveLocalAction(model: WorkflowModel, uses: string): LocalAction | undefined {
  if (!uses.startsWith('./')) return undefined;
  const directory = normaliseLocal(uses);
  return model.actions.find((action) => action.directory === directory || action.path === directory);
}

/** One step as `walkJobSteps` sees it. */
export interface StepVisit {
  step: Step;
  /** The file the step is written in (a workflow, a called reusable workflow, or a composite action). */
  path: string;
  /** The job being walked (the caller's job when the step sits in a called workflow). */
  job: Job;
  workflow: Workflow;
  /** The chain of local `uses:` followed to reach this step, outermost first. */
  via: Array<{ path: string; line: number; uses: string }>;
  /** True when this step cannot fail its job: `continue-on-error: true` on the step, its job, or a calling step/job. */
  nonBlocking: boolean;
  /** Where that `continue-on-error: true` is written. */
  nonBlockingAt?: { path: string; line: number };
  /** The job that directly contains the step (differs from `job` inside a called reusable workflow). */
  ownerJob: Job;
}

const MAX_DEPTH = 5;

/**
 * Visits every step of a job, following local reusable workflows (`jobs.<id>.uses: ./.github/workflows/x.yml`)
 * and local composite actions (`steps[*].uses: ./path`) into the files that define them.
 */
export function walkJobSteps(
  model: WorkflowModel,
  workflow: Workflow,
  job: Job,
  visit: (visit: StepVisit) => void,
): void {
  const walk = (
    current: Workflow,
    currentJob: Job,
    via: StepVisit['via'],
    inherited: { path: string; line: number } | undefined,
    seen: Set<string>,
  ) => {
    const jobBlock =
      currentJob.continueOnError === true
        ? { path: current.path, line: currentJob.continueOnErrorLine ?? currentJob.line }
        : inherited;
    if (currentJob.uses) {
      const called = resolveLocalWorkflow(model, currentJob.uses.value);
      if (!called || seen.has(called.path) || via.length >= MAX_DEPTH) return;
      const next = [...via, { path: current.path, line: currentJob.uses.line, uses: currentJob.uses.value }];
      for (const inner of called.jobs) walk(called, inner, next, jobBlock, new Set([...seen, called.path]));
      return;
    }
    const walkSteps = (
      steps: Step[],
      path: string,
      chain: StepVisit['via'],
      block: { path: string; line: number } | undefined,
      visited: Set<string>,
    ) => {
      for (const step of steps) {
        const stepBlock = step.continueOnError === true ? { path, line: step.continueOnErrorLine ?? step.line } : block;
        visit({
          step,
          path,
          job,
          workflow,
          via: chain,
          nonBlocking: stepBlock !== undefined,
          ...(stepBlock ? { nonBlockingAt: stepBlock } : {}),
          ownerJob: currentJob,
        });
        if (step.uses && chain.length < MAX_DEPTH) {
          const action = resolveLocalAction(model, step.uses.value);
          if (action && action.steps.length && !visited.has(action.path)) {
            walkSteps(
              action.steps,
              action.path,
              [...chain, { path, line: step.uses.line, uses: step.uses.value }],
              stepBlock,
              new Set([...visited, action.path]),
            );
          }
        }
      }
    };
    walkSteps(currentJob.steps, current.path, via, jobBlock, seen);
  };
  walk(workflow, job, [], undefined, new Set([workflow.path]));
}

/**
 * The variants of `text` with `${{ matrix.<name> }}` replaced by each value the job's matrix gives that variable
 * (the text itself when it references no known matrix variable).
 */
export function expandMatrix(text: string, job: Job): string[] {
  const pattern = /\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g;
  const names = [...new Set([...text.matchAll(pattern)].map((match) => match[1]))].filter(
    (name) => job.matrix[name]?.length,
  );
  if (!names.length) return [text];
  let variants = [text];
  for (const name of names) {
    const reference = new RegExp(`\\$\\{\\{\\s*matrix\\.${name.replace(/[-]/g, '\\-')}\\s*\\}\\}`, 'g');
    variants = variants.flatMap((variant) => job.matrix[name].map((value) => variant.replace(reference, value)));
    if (variants.length > 64) break;
  }
  return variants;
}
