import { RepoSnapshot, globMatcher } from '../snapshot/snapshot.js';
import { applyLineBudget } from '../snapshot/file-text.js';
import { PathIndex } from '../snapshot/path-index.js';
import type { FileText, SettingKey, SnapshotSource, TreeEntry } from '../snapshot/types.js';
import type { CheckReport, ProjectReport, Report } from '../report/types.js';
import { defaultConfig, type Config } from '../config/schema.js';
import { resolveCheckSettings, type ResolvedCheckSetting } from '../config/resolve.js';
import {
  DETECTION_GLOBS,
  detectEcosystems,
  detectProfile,
  discoverProjects,
  MAX_PROJECTS,
  omittedProjectsNote,
} from './detect.js';
import { classifyManifest, MANIFEST_GLOBS } from './manifests.js';
import { scoreOutcome, scoreReport } from './scoring.js';
import { applySuppressions, identifyLines } from './suppression.js';
import {
  type AnyCheckDefinition,
  OUTCOMES,
  type CheckContext,
  type CheckDefinition,
  type CheckResult,
  type Finding,
  type Project,
} from './types.js';
import { TOOL_VERSION } from '../version.js';

export interface EvaluateOptions {
  source: SnapshotSource;
  checks: readonly AnyCheckDefinition[];
  config?: Config;
  /** Bytes read per file at most (default 1 MiB). */
  maxFileBytes?: number;
  /** Bytes read in all at most (default 128 MiB); files past it are left unread and the report says so. */
  maxTotalBytes?: number;
  onProgress?: (stage: string) => void;
  /** Called with each check's context and report, in evaluation order: the fixer planner (src/fix) runs on them. */
  onCheckEvaluated?: (check: AnyCheckDefinition, context: CheckContext<unknown>, report: CheckReport) => void;
}

const DEFAULT_MAX_FILE_BYTES = 1 << 20;
const DEFAULT_MAX_TOTAL_BYTES = 128 << 20;
/** Files read at most per evaluation (a 100,000-file monorepo needs ~27,000); the rest is reported unread. */
export const MAX_FILES_READ = 50_000;

/** The one evaluation flow, shared by the CLI and the App. */
export async function evaluateRepository(options: EvaluateOptions): Promise<Report> {
  const config = options.config ?? defaultConfig();
  const progress = options.onProgress ?? (() => {});
  const settingsById = resolveCheckSettings(options.checks, config);

  progress('listing files');
  const listing = await options.source.listTree();
  const warnings = [...listing.warnings];
  const entries = filterIgnored(listing.entries, config.ignore.paths);
  if (listing.truncated)
    warnings.push('the file tree was truncated by the source: checks saw only part of the repository');

  progress(`reading files (${entries.length} in the tree)`);
  const enabled = options.checks.filter((check) => settingsById.get(check.id)?.enabled);
  // One index of the tree, built once: selection and then the snapshot's globs ask it.
  const pathIndex = new PathIndex(entries);
  const toRead = selectFilesToRead(
    pathIndex,
    entries,
    enabled,
    options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES,
    warnings,
  );
  const settingKeys = [...new Set(enabled.flatMap((check) => check.needs.settings ?? []))] as SettingKey[];
  const [readTexts, settings] = await Promise.all([
    options.source.readFiles(toRead, { maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES }),
    settingKeys.length ? options.source.readSettings(settingKeys) : Promise.resolve({}),
  ]);
  const { files, notes: lineNotes } = applyLineBudget(readTexts);
  warnings.push(...lineNotes);
  noteUnreadable(files, warnings);

  const repository = new RepoSnapshot({
    source: options.source.kind,
    entries,
    pathIndex,
    treeTruncated: listing.truncated,
    files,
    settings,
  });
  const ecosystems = detectEcosystems(repository);
  const detected = detectProfile(repository);
  const profile = config.profile ?? detected.profile;
  const discovery = discoverProjects(repository, config.projects);
  const projects = discovery.projects;
  // First among the notes: renderers that cap the list (the Check Run) must never hide it.
  const omittedNote = omittedProjectsNote(discovery);
  if (omittedNote) warnings.unshift(omittedNote);

  progress('evaluating checks');
  const evaluateIn = (snapshot: RepoSnapshot, project: Project | undefined) =>
    options.checks
      .filter((check) => !project || check.scope === 'project')
      .map((check) => {
        const setting = settingsById.get(check.id)!;
        const context = {
          snapshot,
          repository,
          profile,
          ecosystems: project ? project.ecosystems : ecosystems,
          projects,
          projectPath: project?.path ?? '',
        };
        const report = evaluateCheck(check, setting, context);
        options.onCheckEvaluated?.(check, { ...context, options: setting.options }, report);
        return report;
      });
  const checks = evaluateIn(repository, undefined);
  const projectReports: ProjectReport[] = projects.map((project) => ({
    path: project.path,
    ecosystems: project.ecosystems,
    manifests: project.manifests,
    checks: evaluateIn(repository.scoped(project.path), project),
  }));

  return {
    schemaVersion: 1,
    tool: { name: 'shipready', version: TOOL_VERSION },
    target: options.source.target(),
    profile,
    profileReason: config.profile
      ? `set in config (\`profile: ${config.profile}\`); detected ${detected.profile}: ${detected.reason}`
      : detected.reason,
    ecosystems,
    ...scoreReport(checks, projectReports, config.thresholds),
    checks,
    ...(projectReports.length ? { projects: projectReports } : {}),
    ...frontFileOf(entries),
    warnings,
  };
}

/** The root README (any case, any extension), else the first top-level file, else the first file. */
function frontFileOf(entries: readonly TreeEntry[]): { frontFile?: string } {
  const files = entries.filter((entry) => entry.kind === 'file').map((entry) => entry.path);
  const topLevel = files.filter((path) => !path.includes('/')).sort();
  const front = topLevel.find((path) => /^readme(?:\.[\w.-]{1,16})?$/i.test(path)) ?? topLevel[0] ?? files.sort()[0];
  return front === undefined ? {} : { frontFile: front };
}

function filterIgnored(entries: readonly TreeEntry[], ignored: readonly string[]): TreeEntry[] {
  if (!ignored.length) return [...entries];
  const isIgnored = globMatcher(ignored.flatMap((glob) => (glob.endsWith('/') ? [`${glob}**`] : [glob, `${glob}/**`])));
  return entries.filter((entry) => !isIgnored(entry.path));
}

/** Candidate project roots come from paths alone, so every need is fetched in one round before contents are known. */
function candidateRoots(entries: readonly TreeEntry[]): string[] {
  const roots = new Set<string>(['']);
  for (const entry of entries) {
    const manifest = classifyManifest(entry.path);
    if (manifest?.primary && roots.size <= MAX_PROJECTS) roots.add(manifest.directory);
  }
  return [...roots];
}

/** The union of every enabled check's needs, plus what detection reads: the one list of files fetched. */
function selectFilesToRead(
  index: PathIndex<TreeEntry>,
  entries: readonly TreeEntry[],
  checks: readonly CheckDefinition<unknown>[],
  maxTotalBytes: number,
  warnings: string[],
): TreeEntry[] {
  const roots = candidateRoots(entries);
  // Globs matched against every path of the repository: detection, repository checks, and project checks at the
  // root (a `**/` glob at the root already reaches every project's files).
  const repositoryWide = new Set<string>([...MANIFEST_GLOBS, ...DETECTION_GLOBS]);
  // Globs a project check reads relative to each project root (`package.json`, `src/**`…).
  const perProject = new Set<string>();
  // Bounded needs, per root: `max` is a budget for each project, not for the whole repository.
  const bounded = new Map<string, { root: string; glob: string; exclude: string[]; max: number }>();
  for (const check of checks) {
    for (const need of check.needs.files ?? []) {
      if (typeof need === 'string') {
        repositoryWide.add(need);
        if (check.scope === 'project' && !need.startsWith('**/')) perProject.add(need);
        continue;
      }
      for (const root of check.scope === 'project' ? roots : ['']) {
        const exclude = need.exclude ?? [];
        const key = `${root}\u0000${need.glob}\u0000${exclude.join('\u0000')}`;
        bounded.set(key, { root, glob: need.glob, exclude, max: Math.max(bounded.get(key)?.max ?? 0, need.max) });
      }
    }
  }
  // The tree's index answers each list from names, extensions, directories or a project's range of ranks (glob.ts,
  // path-index.ts); `selected` marks ranks. Only files are read.
  const selected = new Uint8Array(index.size);
  const files = (ranks: readonly number[]) => ranks.filter((rank) => index.at(rank).kind === 'file');
  const take = (ranks: readonly number[]) => {
    for (const rank of ranks) selected[rank] = 1;
  };
  take(files(index.query(globMatcher([...repositoryWide]))));
  if (perProject.size) {
    const matchProject = globMatcher([...perProject]);
    for (const root of roots) if (root) take(files(index.query(matchProject, root)));
  }
  for (const { root, glob, exclude, max } of bounded.values()) {
    const excluded = exclude.length ? globMatcher(exclude) : undefined;
    const offset = root ? root.length + 1 : 0;
    const candidates = index
      .query(globMatcher(glob), root)
      .filter(
        (rank) => !selected[rank] && index.at(rank).kind === 'file' && !excluded?.(index.at(rank).path.slice(offset)),
      );
    take(candidates.length <= max ? candidates : shallowest(index, candidates, max));
  }
  const chosen: number[] = [];
  for (let rank = 0; rank < selected.length; rank += 1) if (selected[rank]) chosen.push(rank);
  const ordered = shallowestFirst(index, chosen).map((rank) => index.at(rank));
  let total = 0;
  const within: TreeEntry[] = [];
  for (const file of ordered) {
    if (within.length >= MAX_FILES_READ) {
      warnings.push(
        `read budget of ${MAX_FILES_READ} files reached: ${ordered.length - within.length} file(s) left unread`,
      );
      break;
    }
    total += Math.min(file.size, DEFAULT_MAX_FILE_BYTES);
    if (total > maxTotalBytes) {
      warnings.push(
        `read budget of ${Math.round(maxTotalBytes / 1048576)} MiB reached: ${ordered.length - within.length} file(s) left unread`,
      );
      break;
    }
    within.push(file);
  }
  return within;
}

/**
 * The `max` first of ranks (ascending, so in path order) by depth, then path, in no particular order: every rank
 * above the depth where `max` is reached, then the first ones at that depth.
 */
function shallowest(index: PathIndex<TreeEntry>, ranks: readonly number[], max: number): number[] {
  const counts: number[] = [];
  for (const rank of ranks) {
    const depth = index.depthOf(rank);
    counts[depth] = (counts[depth] ?? 0) + 1;
  }
  let cutoff = 0;
  let above = 0;
  while (above + (counts[cutoff] ?? 0) < max) above += counts[cutoff++] ?? 0;
  let atCutoff = max - above;
  const kept: number[] = [];
  for (const rank of ranks) {
    const depth = index.depthOf(rank);
    if (depth < cutoff) kept.push(rank);
    else if (depth === cutoff && atCutoff > 0) {
      kept.push(rank);
      atCutoff -= 1;
    }
  }
  return kept;
}

/** Ranks (ascending, so in path order) by depth, then path: a stable counting sort by depth. */
function shallowestFirst(index: PathIndex<TreeEntry>, ranks: readonly number[]): number[] {
  const byDepth: number[][] = [];
  for (const rank of ranks) (byDepth[index.depthOf(rank)] ??= []).push(rank);
  return byDepth.flat();
}

function noteUnreadable(files: ReadonlyMap<string, FileText>, warnings: string[]): void {
  for (const file of files.values())
    if (file.error?.startsWith('unreadable')) warnings.push(`${file.path}: ${file.error}`);
}

function evaluateCheck(
  check: CheckDefinition<unknown>,
  setting: ResolvedCheckSetting,
  context: Omit<CheckContext<unknown>, 'options'>,
): CheckReport {
  const base = {
    id: check.id,
    category: check.category,
    severity: setting.severity,
    title: check.title,
    description: check.description,
    remediation: check.remediation,
    docs: `checks/${check.category}/${check.id}.md`,
    effort: check.effort,
    // What renderers need from the definition travels in the report: nothing in src/report reads the registry.
    ...(check.problemTitle ? { problemTitle: check.problemTitle } : {}),
    ...(check.rationale ? { rationale: check.rationale } : {}),
    ...(check.needs.settings?.length ? { readsSettings: true as const } : {}),
    ...(check.fix && check.fixable ? { fixable: check.fixable } : {}),
    ...(setting.enabled ? {} : { turnedOff: true as const }),
  };
  const finish = (result: CheckResult): CheckReport => {
    const prefix = context.projectPath ? `${context.projectPath}/` : '';
    const located = (result.findings ?? []).map((finding): Finding => {
      if (finding.repositoryPath) {
        const { repositoryPath: _resolved, ...rest } = finding;
        return rest;
      }
      return finding.path && prefix ? { ...finding, path: prefix + finding.path } : finding;
    });
    const lines = (path: string) => linesOf(context.repository, path);
    const findings = identifyLines(applySuppressions(check.id, located, lines), lines);
    let { outcome, summary } = result;
    const open = findings.filter((finding) => !finding.suppressed);
    if ((outcome === 'fail' || outcome === 'warn') && findings.length > 0 && open.length === 0) {
      outcome = 'pass';
      summary = `${summary} — all ${findings.length} finding(s) suppressed inline`;
    }
    return {
      ...base,
      outcome,
      score: scoreOutcome(outcome, outcome === result.outcome ? result.score : undefined),
      summary,
      findings,
    };
  };
  if (!setting.enabled)
    return finish({ outcome: 'not-applicable', summary: `turned off in config (checks.${check.id}: off)` });
  if (check.profiles && !check.profiles.includes(context.profile)) {
    return finish({
      outcome: 'not-applicable',
      summary: `applies to the ${check.profiles.join(' and ')} profile${check.profiles.length > 1 ? 's' : ''}; this repository is a ${context.profile} (set \`profile:\` in config to change it)`,
    });
  }
  try {
    const result = check.evaluate({ ...context, options: setting.options });
    if (!result || !OUTCOMES.includes(result.outcome) || typeof result.summary !== 'string') {
      return finish({
        outcome: 'error',
        summary: 'the check returned no valid outcome (a bug in shipready: please report it)',
      });
    }
    return finish(result);
  } catch (error) {
    return finish({ outcome: 'error', summary: `the check failed: ${(error as Error).message}` });
  }
}

function linesOf(snapshot: RepoSnapshot, path: string): readonly string[] | undefined {
  return snapshot.memo(`lines:${path}`, () => {
    try {
      return snapshot.text(path)?.split(/\r?\n/);
    } catch {
      return undefined;
    }
  });
}
