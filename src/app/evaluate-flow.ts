import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { CONFIG_PATH } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { compareReports, decideGate, type Comparison, type GateDecision } from '../engine/compare.js';
import { diffConfigs } from '../engine/config-diff.js';
import { ConfigError } from '../engine/errors.js';
import { evaluateRepository } from '../engine/runner.js';
import type { AnyCheckDefinition } from '../engine/types.js';
import { ensureCheckRun, type CheckRunHandle } from '../github/check-runs.js';
import { ensureComment } from '../github/comments.js';
import { reconcileIssues, type DesiredIssue, type ReconcileResult, type ResolvedIssue } from '../github/issues.js';
import { guardFor, SupersededError, type OctokitLike, type WriteGuard } from '../github/octokit.js';
import { QuotaExhaustedError } from '../github/source.js';
import { renderCheckRun, serverOf, type CheckRunAnnotation, type LinkContext } from '../report/check-run.js';
import type { ConfigChangePreview } from '../report/config-changes.js';
import type { IssuePreview } from '../report/issue-preview.js';
import { renderConfigErrorCheckRun } from '../report/config-error.js';
import { codeSpan, escapeMarkdown } from '../report/escape.js';
import { planIssues } from '../report/issue-body.js';
import { changesReadiness, COMMENT_MARKER, renderPrComment } from '../report/pr-comment.js';
import type { Report } from '../report/types.js';
import type { FileText, SettingKey, Settings, SnapshotSource, TreeListing } from '../snapshot/types.js';
import { loadAppConfig, type ConfigCapableOctokit } from './config.js';

/** What a handler asks for: one commit of a pull request, or the default branch. */
export interface EvaluationRequest {
  owner: string;
  repo: string;
  installationId?: number;
  /** From the payload when it has one; else one request resolves it. */
  defaultBranch?: string;
  /** A branch evaluation without a sha evaluates the branch's current head. */
  headSha?: string;
  /**
   * The commit the branch pointed at before (a push's `before`): the default branch's head is compared with it, as
   * a PR with its base. Without it, the last default-branch evaluation this process made is the comparison.
   */
  before?: string;
  pull?: PullTarget;
  /** `check_run.requested_action`: file the remediation issues now, or only preview them. */
  issues?: 'file' | 'preview';
  /**
   * The Check Run to update instead of creating one: the run whose "File issues" button was pressed (on the commit
   * evaluated). Its page and App come from the payload.
   */
  checkRun?: ExistingCheckRun;
  /** e.g. `pull_request.synchronize` — for logs. */
  reason: string;
  /**
   * `cached`: repository settings read in the last minutes may be reused (pushes to a PR); `fresh` (default):
   * read them again — a settings event, a push to the default branch, a re-run.
   */
  settings?: 'cached' | 'fresh';
}

/**
 * The Check Run's `external_id` on the default branch: the commit its head was compared with, so a button pressed on
 * it later (in another process, after a restart) repeats the same comparison.
 */
export const BASE_EXTERNAL_ID = /^shipready:base=([0-9a-f]{40})$/;
export const baseExternalId = (sha: string): string => `shipready:base=${sha}`;

export interface ExistingCheckRun {
  id: number;
  htmlUrl?: string;
  appSlug?: string;
}

export interface PullTarget {
  number: number;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
  draft: boolean;
  /** The head lives in a fork (its commits are still readable through the base repository). */
  fork: boolean;
}

export interface SourceOptions {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  sha: string;
  ref?: string;
  defaultBranch: string;
  log?: Logger;
}

export type SourceFactory = (options: SourceOptions) => SnapshotSource & { stats?: { rest: number; graphql: number } };

export interface FlowDeps {
  checks: readonly AnyCheckDefinition[];
  /** Runs one evaluation (server.ts passes the worker pool's); evaluateRepository, in-process, when absent. */
  evaluate?: typeof evaluateRepository;
  createSource: SourceFactory;
  /** Reports of base commits, reused across the deliveries of a PR. */
  reports: ReportCache;
  /** Repository settings (protection, security features), reused for a few minutes by PR evaluations. */
  settings?: SettingsCache;
  /** The installations' REST quota as last seen: reads stop before it runs out, keeping a reserve to publish. */
  quota?: QuotaTracker;
  now: () => Date;
  /** https://github.com, or the GitHub Enterprise Server URL (links in comments and issues). */
  serverUrl?: string;
  docsBaseUrl?: string;
  onEvaluated?: (outcome: EvaluationOutcome) => void;
}

export interface EvaluationOutcome {
  status: 'completed' | 'superseded' | 'config-error' | 'quota-exhausted' | 'failed';
  conclusion?: 'success' | 'failure' | 'neutral';
  checkRunId?: number;
  durationMs: number;
  /** API requests the snapshot sources made (the writes are not counted). */
  requests?: { rest: number; graphql: number };
  message?: string;
}

interface Target {
  owner: string;
  repo: string;
  defaultBranch: string;
  headSha: string;
  /** The branch evaluated (`pull.headRef` for PRs). */
  ref: string;
  pull?: PullTarget;
  /** The commit compared with: the PR's base, or the default branch's previous evaluated commit. */
  base?: { sha: string; ref: string };
  isDefaultBranch: boolean;
  issues?: 'file' | 'preview';
  /** Update this run (a button on it was pressed) instead of creating one. */
  checkRun?: ExistingCheckRun;
}

/**
 * The one evaluation, as numbered steps:
 *  1. resolve the target (default branch, head sha)      6. evaluate the base (reused when the tree is the same)
 *  2. create the Check Run in_progress                   7. compare and gate
 *  3. list the trees of head and base                    8. reconcile remediation issues (default branch only)
 *  4. load and validate the config                       9. complete the Check Run (annotations in batches)
 *  5. evaluate the head                                 10. the PR comment
 * Every write checks the signal first: a newer head for the same PR aborts it and nothing stale is published.
 * A config error, an exhausted quota or an API fault completes the Check Run with a clear message.
 */
export async function runEvaluation(input: {
  request: EvaluationRequest;
  octokit: ConfigCapableOctokit;
  deps: FlowDeps;
  signal?: AbortSignal;
  log: Logger;
}): Promise<EvaluationOutcome> {
  const { octokit, deps, log } = input;
  const started = Date.now();
  const guard = guardFor(input.signal);
  const target = withPreviousEvaluation(await resolveTarget({ octokit, request: input.request }), {
    reports: deps.reports,
    pinned: input.request.headSha !== undefined,
  });
  const run = await startCheckRun({ octokit, target, guard, now: deps.now });
  const reads = deps.quota ? deps.quota.wrap(octokit, String(input.request.installationId ?? target.owner)) : octokit;
  const sources = createSources({ octokit: reads, target, deps, log, fresh: input.request.settings !== 'cached' });
  const finish = (outcome: Omit<EvaluationOutcome, 'durationMs' | 'checkRunId' | 'requests'>): EvaluationOutcome => {
    const result = { ...outcome, checkRunId: run.id, durationMs: Date.now() - started, requests: sources.requests() };
    deps.onEvaluated?.(result);
    log.info(
      {
        checkRunId: run.id,
        status: result.status,
        conclusion: result.conclusion,
        durationMs: result.durationMs,
        requests: result.requests,
      },
      `evaluation ${result.status}`,
    );
    return result;
  };
  try {
    // `guard()` between steps too: a superseded evaluation stops reading as well as writing, saving quota.
    const trees = await listTrees({ sources, target, reports: deps.reports });
    guard();
    const rules = await loadConfiguration({ octokit, target, trees, checks: deps.checks });
    const { config, note } = rules;
    guard();
    const head = await evaluateHead({ sources, config, checks: deps.checks, evaluate: deps.evaluate });
    guard();
    const base = await evaluateBase({ sources, target, trees, head, config, deps, log });
    guard();
    const { comparison, gate } = compareAndGate({ head, base: base.report, config, target });
    rememberDefaultBranch({ target, trees, config, head, compared: base.report !== undefined, deps });
    const configChanges = await previewConfigChanges({
      sources,
      rules,
      head,
      base,
      sameTree: trees.base?.signature === trees.headSignature,
      comparison,
      gate,
      target,
      checks: deps.checks,
    });
    guard();
    const issues = await reconcileRemediationIssues({ octokit, target, head, config, run, guard, deps });
    const links = linksFor({ target, deps });
    const conclusion = await publishCheckRun({
      octokit,
      target,
      run,
      head,
      comparison,
      gate,
      note: joinNotes(note, base.note),
      issues,
      configChanges,
      links,
      guard,
      deps,
    });
    await publishComment({ octokit, target, head, comparison, gate, config, configChanges, run, links, guard });
    return finish({ status: 'completed', conclusion });
  } catch (error) {
    return finish(await completeWithFault({ octokit, target, run, error, log, now: deps.now }));
  }
}

// 1 ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

async function resolveTarget({
  octokit,
  request,
}: {
  octokit: OctokitLike;
  request: EvaluationRequest;
}): Promise<Target> {
  const { owner, repo } = request;
  let defaultBranch = request.defaultBranch;
  if (!defaultBranch) {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
    defaultBranch = (data as { default_branch: string }).default_branch;
  }
  if (request.pull) {
    const { pull } = request;
    return {
      owner,
      repo,
      defaultBranch,
      headSha: pull.headSha,
      ref: pull.headRef,
      pull,
      base: { sha: pull.baseSha, ref: pull.baseRef },
      isDefaultBranch: false,
    };
  }
  let headSha = request.headSha;
  if (!headSha) {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', {
      owner,
      repo,
      branch: defaultBranch,
    });
    headSha = (data as { commit: { sha: string } }).commit.sha;
  }
  return {
    owner,
    repo,
    defaultBranch,
    headSha,
    ref: defaultBranch,
    ...(request.before && request.before !== headSha ? { base: { sha: request.before, ref: defaultBranch } } : {}),
    isDefaultBranch: true,
    issues: request.issues,
    // Only a run on the commit evaluated is updated; a button on an older commit gets a run on the head.
    ...(request.checkRun && request.headSha === headSha ? { checkRun: request.checkRun } : {}),
  };
}

// 2 ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

async function startCheckRun({
  octokit,
  target,
  guard,
  now,
}: {
  octokit: OctokitLike;
  target: Target;
  guard: WriteGuard;
  now: () => Date;
}): Promise<CheckRunHandle> {
  // The run a button was pressed on is completed once, at the end: one run per commit, not a second one. It is not
  // set back to in progress (GitHub may not allow a completed run to restart).
  if (target.checkRun) {
    const { id, htmlUrl, appSlug } = target.checkRun;
    return { id, ...(htmlUrl ? { htmlUrl } : {}), ...(appSlug ? { appSlug } : {}), requests: 0 };
  }
  return ensureCheckRun({
    octokit,
    owner: target.owner,
    repo: target.repo,
    headSha: target.headSha,
    status: 'in_progress',
    ...(target.isDefaultBranch && target.base ? { externalId: baseExternalId(target.base.sha) } : {}),
    output: {
      title: 'Evaluating…',
      summary: `shipready is evaluating \`${target.headSha.slice(0, 7)}\`${target.pull ? ` of #${target.pull.number}` : ` on \`${target.ref}\``}.`,
    },
    guard,
    now,
  });
}

// 3 ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

interface Sources {
  head: SnapshotSource;
  base?: SnapshotSource;
  requests(): { rest: number; graphql: number };
}

/**
 * The head and base sources, with `listTree` memoised (the tree is listed before the config is known, and the
 * engine lists it again) and settings shared: they belong to the repository, not to a commit.
 */
function createSources({
  octokit,
  target,
  deps,
  log,
  fresh,
}: {
  octokit: OctokitLike;
  target: Target;
  deps: FlowDeps;
  log: Logger;
  fresh: boolean;
}): Sources {
  const raw: Array<ReturnType<SourceFactory>> = [];
  let settings: Promise<Settings> | undefined;
  let settingKeys = '';
  const repository = `${target.owner}/${target.repo}`;
  if (fresh) deps.settings?.forget(repository);
  const wrap = (sha: string, ref?: string): SnapshotSource => {
    const source = deps.createSource({
      octokit,
      owner: target.owner,
      repo: target.repo,
      sha,
      ref,
      defaultBranch: target.defaultBranch,
      log,
    });
    raw.push(source);
    let listing: Promise<TreeListing> | undefined;
    // Texts already read, by path: a second evaluation of the same commit (the PR's own config, previewed) reads
    // only what the first did not.
    const texts = new Map<string, FileText>();
    return {
      kind: source.kind,
      target: () => source.target(),
      listTree: () => (listing ??= source.listTree()),
      readFiles: async (entries, limits) => {
        const missing = entries.filter((entry) => !texts.has(entry.path));
        if (missing.length) for (const [path, text] of await source.readFiles(missing, limits)) texts.set(path, text);
        const result = new Map<string, FileText>();
        for (const entry of entries) {
          const text = texts.get(entry.path);
          if (text) result.set(entry.path, text);
        }
        return result;
      },
      readSettings: (keys: SettingKey[]) => {
        const wanted = [...keys].sort().join(',');
        if (!settings || wanted !== settingKeys) {
          settingKeys = wanted;
          settings = deps.settings
            ? deps.settings.read(repository, wanted, () => source.readSettings(keys))
            : source.readSettings(keys);
        }
        return settings;
      },
    };
  };
  const head = wrap(target.headSha, target.ref);
  let base: SnapshotSource | undefined;
  return {
    head,
    get base() {
      if (!target.base) return undefined;
      return (base ??= wrap(target.base.sha, target.base.ref));
    },
    requests: () =>
      raw.reduce(
        (sum, source) => ({
          rest: sum.rest + (source.stats?.rest ?? 0),
          graphql: sum.graphql + (source.stats?.graphql ?? 0),
        }),
        { rest: 0, graphql: 0 },
      ),
  };
}

interface Trees {
  head: TreeListing;
  headSignature: string;
  /** The base's tree signature and config blob: from the cache, or listed now. */
  base?: { signature: string; configBlob?: string };
  /** Why there is no base although one was asked for. */
  baseNote?: string;
}

async function listTrees({
  sources,
  target,
  reports,
}: {
  sources: Sources;
  target: Target;
  reports: ReportCache;
}): Promise<Trees> {
  const head = await sources.head.listTree();
  const trees: Trees = { head, headSignature: treeSignature(head) };
  if (!target.base) return trees;
  const known = reports.get(reportKey(target, target.base.sha));
  if (known) return { ...trees, base: { signature: known.signature, configBlob: known.configBlob } };
  try {
    const base = await sources.base!.listTree();
    return { ...trees, base: { signature: treeSignature(base), configBlob: configBlobOf(base) } };
  } catch (error) {
    // A PR's base must be listed (a fault is reported); a push's previous commit may be gone (a force-push).
    if (target.pull || isQuotaExhausted(error) || error instanceof SupersededError) throw error;
    return { ...trees, baseNote: noBaseNote(target, error) };
  }
}

/** Two listings with the same paths, modes and blob ids are the same tree: the base report is the head's. */
export function treeSignature(listing: TreeListing): string {
  const hash = createHash('sha1');
  for (const entry of listing.entries)
    hash.update(`${entry.path}\u0000${entry.mode}\u0000${entry.sha ?? entry.size}\n`);
  return `${listing.truncated ? 't' : 'f'}${hash.digest('hex')}`;
}

/** The config file's blob id (sources without blob ids, like the in-memory one, fall back to its size). */
function configBlobOf(listing: TreeListing): string | undefined {
  const entry = listing.entries.find((candidate) => candidate.path === CONFIG_PATH);
  return entry ? (entry.sha ?? `size:${entry.size}`) : undefined;
}

// 4 ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

interface Rules {
  /** The default branch's config: the rules the head and the base are evaluated and gated with. */
  config: Config;
  note?: string;
  /** The PR's own config, when it changes `.github/shipready.yml`: validated, and previewed (never applied). */
  pull?: { config: Config; path: string };
}

/**
 * The rules come from the default branch, as Probot's `context.config` reads them: a PR cannot change the rules it
 * is judged by. A PR that changes the config file has its version validated too (an error fails the run, as for
 * the default branch's) and previewed. Only when the default branch's own file is invalid and the PR's is valid
 * does the PR's version judge it — else a PR that repairs the file could never pass.
 */
async function loadConfiguration(input: {
  octokit: ConfigCapableOctokit;
  target: Target;
  trees: Trees;
  checks: FlowDeps['checks'];
}): Promise<Rules> {
  const { octokit, target, trees, checks } = input;
  const headBlob = configBlobOf(trees.head);
  const changedByPull = target.pull !== undefined && trees.base !== undefined && headBlob !== trees.base.configBlob;
  const load = (ref?: string) =>
    loadAppConfig({ octokit, owner: target.owner, repo: target.repo, checks, ...(ref ? { ref } : {}) });
  // The PR's version first: its errors are what the author must fix, whatever the default branch has.
  const pull = changedByPull ? await load(target.headSha) : undefined;
  try {
    const rules = await load();
    return { ...rules, ...(pull ? { pull: { config: pull.config, path: CONFIG_PATH } } : {}) };
  } catch (error) {
    if (!pull || !(error instanceof ConfigError)) throw error;
    return {
      config: pull.config,
      note: `The default branch's \`${CONFIG_PATH}\` is invalid (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}), so this pull request, which changes it to a valid version, is evaluated with its own version.`,
    };
  }
}

// 5 ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

async function evaluateHead({
  sources,
  config,
  checks,
  evaluate = evaluateRepository,
}: {
  sources: Sources;
  config: Config;
  checks: FlowDeps['checks'];
  evaluate?: FlowDeps['evaluate'];
}): Promise<Report> {
  return evaluate({ source: sources.head, checks, config });
}

// 6 ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

async function evaluateBase(input: {
  sources: Sources;
  target: Target;
  trees: Trees;
  head: Report;
  config: Config;
  deps: FlowDeps;
  log: Logger;
}): Promise<{ report?: Report; note?: string; read?: boolean }> {
  const { sources, target, trees, head, config, deps, log } = input;
  if (!target.base || !trees.base) return trees.baseNote ? { note: trees.baseNote } : {};
  const key = reportKey(target, target.base.sha);
  const configKey = hashOf(config);
  if (trees.base.signature === trees.headSignature) return { report: head };
  const cached = deps.reports.get(key)?.reports.get(configKey);
  if (cached) return { report: cached };
  try {
    const report = await (deps.evaluate ?? evaluateRepository)({ source: sources.base!, checks: deps.checks, config });
    deps.reports.set(key, { signature: trees.base.signature, configBlob: trees.base.configBlob, configKey, report });
    return { report, read: true };
  } catch (error) {
    if (isQuotaExhausted(error) || error instanceof SupersededError) throw error;
    log.warn({ err: error, baseSha: target.base.sha }, 'base commit could not be evaluated; reporting the head alone');
    return { note: noBaseNote(target, error) };
  }
}

function noBaseNote(target: Target, error: unknown): string {
  const what = target.pull ? 'The base commit' : 'The previous commit of the branch';
  return `${what} \`${target.base!.sha.slice(0, 7)}\` could not be evaluated (${(error as Error).message}), so nothing is compared or blamed on this change.`;
}

/**
 * A default-branch evaluation without a push's `before` (a settings event, a re-run, a button) compares with the
 * previous evaluation this process made: the same commit keeps the comparison it had (so a button does not change
 * the run's verdict or title), the branch's current head is compared with the last evaluated commit. An older
 * commit asked for by sha (a re-run or a button on an old run) is never compared with a newer one.
 */
function withPreviousEvaluation(target: Target, options: { reports: ReportCache; pinned: boolean }): Target {
  if (!target.isDefaultBranch || target.base) return target;
  const last = options.reports.lastEvaluated(`${target.owner}/${target.repo}`);
  if (!last) return target;
  const sha = last.sha === target.headSha ? last.baseSha : options.pinned ? undefined : last.sha;
  return sha ? { ...target, base: { sha, ref: target.defaultBranch } } : target;
}

/**
 * A default-branch head, kept as the next push's base (its `before`) and as the base of PRs on it, and
 * remembered as the branch's last evaluation.
 */
function rememberDefaultBranch(input: {
  target: Target;
  trees: Trees;
  config: Config;
  head: Report;
  /** Whether the head was compared with the base (false when the previous commit could not be evaluated). */
  compared: boolean;
  deps: FlowDeps;
}) {
  const { target, trees, config, head, compared, deps } = input;
  if (!target.isDefaultBranch) return;
  deps.reports.set(reportKey(target, target.headSha), {
    signature: trees.headSignature,
    configBlob: configBlobOf(trees.head),
    configKey: hashOf(config),
    report: head,
  });
  const baseSha = target.base && compared ? target.base.sha : undefined;
  deps.reports.rememberEvaluated(`${target.owner}/${target.repo}`, target.headSha, baseSha);
}

// 7 ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

function compareAndGate({
  head,
  base,
  config,
  target,
}: {
  head: Report;
  base?: Report;
  config: Config;
  target: Target;
}): { comparison: Comparison; gate: GateDecision } {
  const comparison = compareReports(head, base);
  const gate = decideGate({ head, comparison, gate: config.gate, draft: target.pull?.draft ?? false });
  return { comparison, gate };
}

/**
 * The PR's own config, previewed: the head evaluated again with it (from the same snapshot: the texts already read
 * are reused, so a config that only turns things off or ignores paths reads nothing more) and compared change by
 * change with the rules that gate it.
 */
async function previewConfigChanges(input: {
  sources: Sources;
  rules: Rules;
  head: Report;
  base: { report?: Report; read?: boolean };
  sameTree: boolean;
  comparison: Comparison;
  gate: GateDecision;
  target: Target;
  checks: FlowDeps['checks'];
}): Promise<ConfigChangePreview | undefined> {
  const { sources, rules, head, target, checks } = input;
  if (!rules.pull) return undefined;
  const pull = rules.pull.config;
  const same = hashOf(pull) === hashOf(rules.config);
  const headWithPullRules = same ? head : await evaluateRepository({ source: sources.head, checks, config: pull });
  // The verdict the PR's rules would give, when the base can be judged by them without reading more: the same tree,
  // or a base read in this run (its texts are kept). A base from the cache would cost reads: left out.
  const baseWithPullRules = !input.base.report
    ? undefined
    : same
      ? input.base.report
      : input.sameTree
        ? headWithPullRules
        : input.base.read
          ? await evaluateRepository({ source: sources.base!, checks, config: pull })
          : undefined;
  const conclusionWithPullRules = baseWithPullRules
    ? decideGate({
        head: headWithPullRules,
        comparison: compareReports(headWithPullRules, baseWithPullRules),
        gate: pull.gate,
        draft: target.pull?.draft ?? false,
      }).conclusion
    : undefined;
  const preview = diffConfigs({
    checks,
    base: rules.config,
    pull: rules.pull.config,
    headWithBaseRules: head,
    headWithPullRules,
    ...(input.base.report ? { baseReport: input.base.report } : {}),
    comparison: input.comparison,
    draft: target.pull?.draft ?? false,
    path: rules.pull.path,
  });
  if (conclusionWithPullRules && conclusionWithPullRules !== input.gate.conclusion)
    preview.conclusionWithPullRules = conclusionWithPullRules;
  return preview.changes.length ? preview : undefined;
}

// 8 ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

async function reconcileRemediationIssues(input: {
  octokit: OctokitLike;
  target: Target;
  head: Report;
  config: Config;
  run: CheckRunHandle;
  guard: WriteGuard;
  deps: FlowDeps;
}): Promise<IssuePreview | undefined> {
  const { octokit, target, head, config, run, guard, deps } = input;
  const settings = config.issues;
  if (!target.isDefaultBranch || settings.mode === 'off') return undefined;
  const context = {
    repository: `${target.owner}/${target.repo}`,
    sha: target.headSha,
    serverUrl: deps.serverUrl,
    docsBaseUrl: deps.docsBaseUrl,
    // Issue bodies link the run that filed them.
    ...(run.htmlUrl ? { checkRunUrl: run.htmlUrl } : {}),
  };
  const short = target.headSha.slice(0, 7);
  // One policy for both modes (src/report/issue-body.ts): failures in monorepo projects count, a check that passes,
  // warns or no longer applies has its issue closed, and one whose state is unknown (error, not-supported) is left.
  const plan = planIssues(head, context, { mode: settings.mode, minSeverity: settings.minSeverity });
  const desired: DesiredIssue[] = plan.desired.map(({ key, title, body, fingerprint }) => ({
    key,
    title,
    body,
    fingerprint,
  }));
  const resolved: ResolvedIssue[] = plan.resolved;
  const create = target.issues === 'file' || (settings.file === 'auto' && target.issues !== 'preview');
  const result = await reconcileIssues({
    octokit,
    owner: target.owner,
    repo: target.repo,
    creator: run.appSlug ? `${run.appSlug}[bot]` : undefined,
    labels: settings.labels,
    desired,
    resolved,
    create,
    max: settings.max,
    reopenComment: () => `This fails again as of ${short}; reopened by shipready.`,
    guard,
  });
  return toPreview(result, {
    mode: settings.mode,
    filing: create,
    max: settings.max,
    issueUrl: (number) => `${serverOf(linksFor({ target, deps }))}/${target.owner}/${target.repo}/issues/${number}`,
  });
}

/**
 * What the Check Run says about issues, from what reconciling did: the one place that maps ReconcileResult to the
 * preview. Filing (auto, or the button): what was done, with numbers and links; what the cap (`issues.max`) left is
 * listed apart as deferred, never as filed. Preview: the issues that wait for the button, as many as one click would
 * open (the cap again), the rest deferred; when none wait, what maintenance did (updates, closes, reopens) is shown
 * as done.
 */
export function toPreview(
  result: ReconcileResult,
  options: { mode: 'per-check' | 'dashboard'; filing: boolean; max: number; issueUrl?: (number: number) => string },
): IssuePreview {
  const item = (entry: ReconcileResult['items'][number]) => ({
    checkId: entry.key,
    title: entry.title,
    action: entry.action,
    ...(entry.number !== undefined ? { number: entry.number } : {}),
    ...(entry.number !== undefined && options.issueUrl ? { url: options.issueUrl(entry.number) } : {}),
  });
  const done = result.items.filter((entry) => entry.done).map(item);
  const pending = result.items.filter((entry) => !entry.done).map(item);
  const filed = options.filing || pending.length === 0;
  const items = filed ? done : pending.slice(0, options.max);
  const deferredItems = filed ? pending : pending.slice(options.max);
  return {
    mode: options.mode,
    items,
    filed,
    max: options.max,
    ...(deferredItems.length ? { deferred: deferredItems.length, deferredItems } : {}),
  };
}

// 9 ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

function linksFor({ target, deps }: { target: Target; deps: FlowDeps }): LinkContext {
  return {
    repository: `${target.owner}/${target.repo}`,
    sha: target.headSha,
    ...(deps.serverUrl ? { serverUrl: deps.serverUrl } : {}),
    ...(deps.docsBaseUrl ? { docsBaseUrl: deps.docsBaseUrl } : {}),
  };
}

async function publishCheckRun(input: {
  octokit: OctokitLike;
  target: Target;
  run: CheckRunHandle;
  head: Report;
  comparison: Comparison;
  gate: GateDecision;
  note?: string;
  issues?: IssuePreview;
  configChanges?: ConfigChangePreview;
  links: LinkContext;
  guard: WriteGuard;
  deps: FlowDeps;
}): Promise<GateDecision['conclusion']> {
  const { octokit, target, run, head, comparison, gate, note, issues, configChanges, links, guard, deps } = input;
  const output = renderCheckRun({
    report: head,
    comparison,
    gate,
    ...(note ? { configNote: note } : {}),
    ...(issues ? { issuePreview: issues } : {}),
    ...(configChanges ? { configChanges } : {}),
    links,
  });
  await ensureCheckRun({
    octokit,
    owner: target.owner,
    repo: target.repo,
    headSha: target.headSha,
    id: run.id,
    status: 'completed',
    conclusion: gate.conclusion,
    // A run completed before (its button was pressed) already has its annotations: GitHub appends those of every
    // update, so they are not sent twice; its buttons are replaced, so an empty list removes "File issues".
    output: {
      title: output.title,
      summary: output.summary,
      text: output.text,
      ...(target.checkRun ? {} : { annotations: output.annotations }),
    },
    ...(target.checkRun || output.actions.length ? { actions: output.actions } : {}),
    guard,
    now: deps.now,
  });
  return gate.conclusion;
}

// 10 ─────────────────────────────────────────────────────────────────────────────────────────────────────────────

async function publishComment(input: {
  octokit: OctokitLike;
  target: Target;
  head: Report;
  comparison: Comparison;
  gate: GateDecision;
  config: Config;
  configChanges?: ConfigChangePreview;
  run: CheckRunHandle;
  links: LinkContext;
  guard: WriteGuard;
}): Promise<void> {
  const { octokit, target, head, comparison, gate, config, configChanges, run, links, guard } = input;
  if (!target.pull || config.comment.mode === 'never') return;
  const body = renderPrComment({
    report: head,
    comparison,
    gate,
    ...(configChanges ? { configChanges } : {}),
    links: { ...links, ...(run.htmlUrl ? { checkRunUrl: run.htmlUrl } : {}) },
  });
  // `on-change`: create only when the PR changes readiness (or its config would); an existing comment is kept up to
  // date regardless.
  const create = config.comment.mode === 'always' || changesReadiness(comparison, configChanges);
  await ensureComment({
    octokit,
    owner: target.owner,
    repo: target.repo,
    number: target.pull.number,
    marker: COMMENT_MARKER,
    body,
    create,
    guard,
  });
}

// Faults ──────────────────────────────────────────────────────────────────────────────────────────────────────────

interface QuotaExhausted extends Error {
  resetAt: Date;
}

/** Duck-typed so the flow does not depend on the source's module for an error class. */
function isQuotaExhausted(error: unknown): error is QuotaExhausted {
  return error instanceof Error && error.name === 'QuotaExhaustedError';
}

interface RequestFault extends Error {
  status: number;
  request?: { method?: string; url?: string };
}

interface ApiError extends Error {
  status?: number;
  route?: string;
  kind: string;
  retryAfterSeconds?: number;
}

/** The source's GitHubApiError (duck-typed, like the quota error): its message already says what to do. */
function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && error.name === 'GitHubApiError';
}

function isRequestFault(error: unknown): error is RequestFault {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}

/** The Check Run for an evaluation that could not finish; every message says what happened and what to do. */
export function describeFault(
  error: unknown,
  now: Date,
): {
  status: EvaluationOutcome['status'];
  conclusion: 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations?: CheckRunAnnotation[];
} {
  if (error instanceof ConfigError) {
    return { status: 'config-error', conclusion: 'failure', ...renderConfigErrorCheckRun(error) };
  }
  if (error instanceof Error && error.name === 'EvaluationTimeoutError') {
    // Caused by the repository's content (or size), not by GitHub: failure, so a stalling PR cannot pass a gate.
    const { file, activity } = error as Error & { file?: string; activity?: string };
    const where = [file ? `on file ${codeSpan(file)}` : '', activity ? `(${escapeMarkdown(activity)})` : '']
      .filter(Boolean)
      .join(' ');
    return {
      status: 'failed',
      conclusion: 'failure',
      title: 'Could not finish: evaluation time budget exceeded',
      summary: `The evaluation exceeded its time budget${where ? ` ${where}` : ''} and was stopped; other evaluations were not affected. A file that takes this long to check is usually crafted or generated: look at it, or raise SHIPREADY_EVALUATION_TIMEOUT_MS.`,
    };
  }
  if (error instanceof SupersededError) {
    return {
      status: 'superseded',
      conclusion: 'neutral',
      title: 'Superseded by a newer evaluation',
      summary: 'A newer commit or request for this pull request or branch is being evaluated; see its Check Run.',
    };
  }
  if (isQuotaExhausted(error)) {
    const minutes = Math.max(1, Math.ceil((error.resetAt.getTime() - now.getTime()) / 60_000));
    return {
      status: 'quota-exhausted',
      conclusion: 'neutral',
      title: 'Paused: the installation is out of GitHub API quota',
      summary: `The GitHub API quota of this installation is used up until ${error.resetAt.toISOString()} (in about ${minutes} min), so the evaluation stopped cleanly instead of failing half-way. Re-run this check after that time.`,
    };
  }
  if (isApiError(error)) {
    const route = error.route ? ` (\`${error.route}\`)` : '';
    const title =
      error.kind === 'secondary-rate-limit'
        ? 'Could not finish: GitHub secondary rate limit'
        : `Could not finish: GitHub API error${error.status ? ` ${error.status}` : ''}`;
    const wait = error.retryAfterSeconds ? ` GitHub asked to wait ${error.retryAfterSeconds} s.` : '';
    return {
      status: 'failed',
      conclusion: 'neutral',
      title,
      summary: `${firstLine(error.message)}${route}.${wait}\n\nThe evaluation stopped cleanly and nothing was blamed on this change. Use **Re-run** to evaluate again.`,
    };
  }
  if (isRequestFault(error)) {
    const where =
      error.request?.method && error.request.url
        ? ` on \`${error.request.method} ${error.request.url.replace(/\?[^]*$/, '')}\``
        : '';
    const hint =
      error.status === 403 || error.status === 429
        ? 'GitHub refused or rate-limited the request (secondary rate limit or a missing permission).'
        : error.status >= 500
          ? 'GitHub had a server error and retries did not help.'
          : 'GitHub rejected the request.';
    return {
      status: 'failed',
      conclusion: 'neutral',
      title: `Could not finish: GitHub API error ${error.status}`,
      summary: `${hint} The request${where} answered ${error.status}: ${firstLine(error.message)}.\n\nNothing was blamed on this change. Use **Re-run** to evaluate again.`,
    };
  }
  return {
    status: 'failed',
    conclusion: 'neutral',
    title: 'Could not finish: internal error',
    summary: `shipready failed while evaluating: ${firstLine(error instanceof Error ? error.message : String(error))}. Use **Re-run** to try again; if it persists, please report it.`,
  };
}

async function completeWithFault(input: {
  octokit: OctokitLike;
  target: Target;
  run: CheckRunHandle;
  error: unknown;
  log: Logger;
  now: () => Date;
}): Promise<Omit<EvaluationOutcome, 'durationMs'>> {
  const { octokit, target, run, error, log, now } = input;
  const fault = describeFault(error, now());
  if (fault.status === 'failed') log.error({ err: error }, 'evaluation failed');
  else log.warn({ reason: fault.status }, fault.title);
  try {
    // No guard: a superseded run still closes its own in-progress Check Run (on its own commit) instead of spinning.
    await ensureCheckRun({
      octokit,
      owner: target.owner,
      repo: target.repo,
      headSha: target.headSha,
      id: run.id,
      status: 'completed',
      conclusion: fault.conclusion,
      output: { title: fault.title, summary: fault.summary.slice(0, 65_000), annotations: fault.annotations },
      now,
    });
  } catch (publishError) {
    log.error({ err: publishError }, 'could not complete the Check Run after a fault');
  }
  return { status: fault.status, conclusion: fault.conclusion, message: fault.title };
}

// Helpers ─────────────────────────────────────────────────────────────────────────────────────────────────────────

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').replace(/(?<!\s)\s*-\s*https:\/\/docs\.github\.com\S*/, '').slice(0, 500);
}

function joinNotes(...notes: Array<string | undefined>): string | undefined {
  const present = notes.filter((note): note is string => Boolean(note));
  return present.length ? present.join(' ') : undefined;
}

function hashOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex');
}

function reportKey(target: Target, sha: string): string {
  return `${target.owner}/${target.repo}@${sha}`;
}

interface CachedCommit {
  signature: string;
  configBlob?: string;
  reports: Map<string, Report>;
  expires: number;
}

/**
 * Reports of base commits by repository and sha (a PR's base rarely moves while it is pushed to), for a while:
 * settings such as branch protection belong to the repository and can change, so entries expire.
 */
export class ReportCache {
  readonly #entries = new Map<string, CachedCommit>();
  /** Per repository: the default branch's last evaluated commit and what it was compared with. */
  readonly #last = new Map<string, { sha: string; baseSha?: string }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  hits = 0;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#maxEntries = options.maxEntries ?? 200;
    this.#now = options.now ?? Date.now;
  }

  get(key: string): CachedCommit | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    this.hits += 1;
    return entry;
  }

  set(key: string, value: { signature: string; configBlob?: string; configKey: string; report: Report }): void {
    const entry = this.#entries.get(key) ?? {
      signature: value.signature,
      configBlob: value.configBlob,
      reports: new Map(),
      expires: 0,
    };
    entry.reports.set(value.configKey, value.report);
    entry.expires = this.#now() + this.#ttlMs;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  lastEvaluated(repository: string): { sha: string; baseSha?: string } | undefined {
    return this.#last.get(repository);
  }

  rememberEvaluated(repository: string, sha: string, baseSha?: string): void {
    this.#last.delete(repository);
    this.#last.set(repository, { sha, ...(baseSha ? { baseSha } : {}) });
    while (this.#last.size > this.#maxEntries) this.#last.delete(this.#last.keys().next().value!);
  }
}

/**
 * Repository settings by repository and keys, for a few minutes. They belong to the repository, not a commit, and
 * a burst of pushes to a PR need not read them each time; settings events and default-branch evaluations read
 * them fresh (`forget`). A failed read is not kept.
 */
export class SettingsCache {
  readonly #entries = new Map<string, { value: Promise<Settings>; expires: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  read(repository: string, keys: string, load: () => Promise<Settings>): Promise<Settings> {
    const key = `${repository}\u0000${keys}`;
    const known = this.#entries.get(key);
    if (known && known.expires > this.#now()) return known.value;
    const value = load();
    this.#entries.set(key, { value, expires: this.#now() + this.#ttlMs });
    value.catch(() => this.#entries.delete(key));
    if (this.#entries.size > 1000) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }

  forget(repository: string): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith(`${repository}\u0000`)) this.#entries.delete(key);
  }
}

/**
 * The REST quota of each installation, from the `x-ratelimit-*` headers of the reads. Once fewer than `reserve`
 * requests are left, the next read throws QuotaExhaustedError instead of being sent: Probot's throttling would
 * otherwise hold the evaluation until the reset (up to an hour), and the reserve is what completing the Check Run
 * ("paused until …") and the comment still need.
 */
export class QuotaTracker {
  readonly #state = new Map<string, { remaining: number; resetAt: number }>();
  readonly #reserve: number;
  readonly #now: () => number;

  constructor(options: { reserve?: number; now?: () => number } = {}) {
    this.#reserve = options.reserve ?? 25;
    this.#now = options.now ?? Date.now;
  }

  observe(key: string, headers: Record<string, unknown> | undefined): void {
    if (String(headers?.['x-ratelimit-resource'] ?? 'core') !== 'core') return;
    const remaining = Number(headers?.['x-ratelimit-remaining']);
    const reset = Number(headers?.['x-ratelimit-reset']);
    if (Number.isFinite(remaining) && Number.isFinite(reset))
      this.#state.set(key, { remaining, resetAt: reset * 1000 });
  }

  /** Throws when the last answer left no more than the reserve and the window has not reset yet. */
  check(key: string): void {
    const state = this.#state.get(key);
    if (!state || state.resetAt <= this.#now()) return;
    if (state.remaining <= this.#reserve) {
      throw new QuotaExhaustedError(
        new Date(state.resetAt),
        `${state.remaining} requests left, kept in reserve to report this`,
      );
    }
  }

  /** Reads through `octokit`, checked before and observed after each REST request. */
  wrap(octokit: OctokitLike, key: string): OctokitLike {
    const request = async (...args: Parameters<OctokitLike['request']>) => {
      this.check(key);
      try {
        const response = await octokit.request(...args);
        this.observe(key, response.headers as Record<string, unknown>);
        return response;
      } catch (error) {
        this.observe(key, (error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
        throw error;
      }
    };
    return {
      request: Object.assign(request, octokit.request) as unknown as OctokitLike['request'],
      graphql: octokit.graphql,
    };
  }
}
