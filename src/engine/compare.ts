import type { CheckReport, Report } from '../report/types.js';
import type { Finding, Outcome, Severity } from './types.js';

/**
 * How one check moved between the base and the head of a pull request.
 * - `regression`: it passed (or warned) on the base and fails, or does worse, on the head.
 * - `fix`: it failed (or warned) on the base and does better on the head.
 * - `new`: it fails or warns on the head, and on the base it did not apply, could not be told, erred, or
 *   did not exist (a new project) — the PR brought the thing being checked in, or the base cannot say.
 * - `unchanged`: it fails or warns on both, no better and no worse.
 */
export type ChangeKind = 'regression' | 'fix' | 'new' | 'unchanged';

export interface CheckChange {
  kind: ChangeKind;
  id: string;
  title: string;
  severity: Severity;
  /** '' for the repository, else the project's path (monorepos). */
  project: string;
  head: CheckReport;
  /** Absent when the base has no such check (no base, or a project the PR adds). */
  base?: CheckReport;
  /**
   * Open findings on the head that the base did not have, matched by identity (path and line text, see
   * `findingIdentity`), never by message. Empty without a base: nothing is new without history.
   */
  addedFindings: Finding[];
  /** `addedFindings.length`. */
  newFindings: number;
}

/**
 * Counts computed once, from the head's failing and warning results, for every surface (title, summary, comment,
 * tables): `failures` failing results (the root's and each project's) in `failingChecks` distinct checks across
 * `places` places (the root is one, each project one).
 */
export interface ReadinessCounts {
  failures: number;
  warnings: number;
  failingChecks: number;
  places: number;
  /** Projects (root excluded) with at least one failing check. */
  failingProjects: number;
  /** Projects of the head (0 when it is not a monorepo). */
  projects: number;
}

export interface ProjectComparison {
  path: string;
  /** `added`: only on the head; `removed`: only on the base; `both`: compared check by check. */
  status: 'added' | 'removed' | 'both';
  regressions: number;
  fixes: number;
  newProblems: number;
  unchangedFailures: number;
}

export interface Comparison {
  /** False when there was no base report (a push, or the base could not be evaluated): nothing is blamed. */
  hasBase: boolean;
  headScore: number | null;
  baseScore: number | null;
  /** head − base; null when either side has no score. */
  scoreDelta: number | null;
  regressions: CheckChange[];
  fixes: CheckChange[];
  newProblems: CheckChange[];
  unchangedFailures: CheckChange[];
  /**
   * Checks that already failed or warned on the base and gained findings in this change (e.g. a new unpinned action
   * beside old ones): what the change adds, though the check's outcome did not move.
   */
  findingsAdded: CheckChange[];
  /** Every failing or warning check on the head, whatever its history: by severity, then by change. */
  failing: CheckChange[];
  counts: ReadinessCounts;
  /** Per project, when either report has projects. */
  projects: ProjectComparison[];
}

const OUTCOME_RANK: Partial<Record<Outcome, number>> = { pass: 2, warn: 1, fail: 0 };
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/**
 * A `new` problem the change itself brought in: the check did not apply on the base (e.g. the PR adds the first
 * Dockerfile) or did not exist there (a project the PR adds). One the base could not tell (not-supported, error)
 * is not the change's doing.
 */
export function isIntroduced(change: CheckChange): boolean {
  return change.kind === 'new' && (!change.base || change.base.outcome === 'not-applicable');
}

function isProblem(check: CheckReport): boolean {
  return check.outcome === 'fail' || check.outcome === 'warn';
}

/**
 * A finding's identity across commits, independent of its prose: its path and the text of its line (`lineKey`, set
 * by the engine), else its line number, else nothing more (a repository-level finding of the check).
 */
export function findingIdentity(finding: Finding): string {
  return `${finding.path ?? ''}\u0000${finding.lineKey ?? finding.line ?? ''}`;
}

/** Head findings the base did not have, as a multiset: two identical lines on the base cover two on the head. */
function addedFindingsOf(head: CheckReport, base: CheckReport | undefined, hasBase: boolean): Finding[] {
  if (!hasBase) return [];
  const open = head.findings.filter((finding) => !finding.suppressed);
  if (!base) return open;
  const before = new Map<string, number>();
  for (const finding of base.findings) {
    if (finding.suppressed) continue;
    const key = findingIdentity(finding);
    before.set(key, (before.get(key) ?? 0) + 1);
  }
  return open.filter((finding) => {
    const key = findingIdentity(finding);
    const left = before.get(key) ?? 0;
    if (left > 0) {
      before.set(key, left - 1);
      return false;
    }
    return true;
  });
}

/** Scored outcomes compared by rank, then by the check's own fraction (a warn at 0.75 → 0.5 is worse). */
function compareOutcome(head: CheckReport, base: CheckReport): number {
  const headRank = OUTCOME_RANK[head.outcome];
  const baseRank = OUTCOME_RANK[base.outcome];
  if (headRank === undefined || baseRank === undefined) return 0;
  if (headRank !== baseRank) return headRank - baseRank;
  if (head.score !== null && base.score !== null && Math.abs(head.score - base.score) > 1e-9)
    return head.score - base.score;
  return 0;
}

function classify(
  head: CheckReport | undefined,
  base: CheckReport | undefined,
  project: string,
  hasBase: boolean,
): CheckChange | undefined {
  if (!head) return undefined;
  const change = (kind: ChangeKind): CheckChange => {
    const addedFindings = addedFindingsOf(head, base, hasBase);
    return {
      kind,
      id: head.id,
      title: head.title,
      severity: head.severity,
      project,
      head,
      ...(base ? { base } : {}),
      addedFindings,
      newFindings: addedFindings.length,
    };
  };
  const baseScored = base !== undefined && OUTCOME_RANK[base.outcome] !== undefined;
  if (!isProblem(head)) {
    if (head.outcome === 'pass' && base && isProblem(base)) return change('fix');
    return undefined;
  }
  if (!base || !baseScored) return change('new');
  const direction = compareOutcome(head, base);
  if (direction < 0) return change('regression');
  if (direction > 0) return change('fix');
  return change('unchanged');
}

function indexChecks(checks: readonly CheckReport[]): Map<string, CheckReport> {
  return new Map(checks.map((check) => [check.id, check]));
}

interface Buckets {
  regressions: CheckChange[];
  fixes: CheckChange[];
  newProblems: CheckChange[];
  unchangedFailures: CheckChange[];
  findingsAdded: CheckChange[];
  failing: CheckChange[];
}

function compareCheckLists(
  head: readonly CheckReport[],
  base: readonly CheckReport[] | undefined,
  project: string,
  into: Buckets,
  hasBase: boolean,
): Omit<ProjectComparison, 'path' | 'status'> {
  const before = base ? indexChecks(base) : new Map<string, CheckReport>();
  const counts = { regressions: 0, fixes: 0, newProblems: 0, unchangedFailures: 0 };
  for (const check of head) {
    const change = classify(check, before.get(check.id), project, hasBase);
    if (!change) continue;
    if (isProblem(check)) into.failing.push(change);
    // Without a base report there is no history: problems are only listed as failing.
    if (!hasBase) continue;
    switch (change.kind) {
      case 'regression':
        into.regressions.push(change);
        counts.regressions += 1;
        break;
      case 'fix':
        into.fixes.push(change);
        counts.fixes += 1;
        break;
      case 'new':
        into.newProblems.push(change);
        counts.newProblems += 1;
        break;
      case 'unchanged':
        into.unchangedFailures.push(change);
        counts.unchangedFailures += 1;
        if (change.newFindings) into.findingsAdded.push(change);
        break;
    }
  }
  return counts;
}

const byPlace = (a: CheckChange, b: CheckChange) =>
  (a.project < b.project ? -1 : a.project > b.project ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What a change did, most urgent first: broke it, brought it in, added findings to it, left it as it was. */
export function changeRank(change: CheckChange): number {
  if (change.kind === 'regression') return 0;
  if (isIntroduced(change)) return 1;
  if (change.kind === 'new') return 2;
  if (change.newFindings) return 3;
  return change.kind === 'unchanged' ? 4 : 5;
}

/** The one order of every list: severity, then change, then failing before warning, then place. */
export const bySeverityThenChange = (a: CheckChange, b: CheckChange): number =>
  SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
  changeRank(a) - changeRank(b) ||
  (a.head.outcome === 'fail' ? 0 : 1) - (b.head.outcome === 'fail' ? 0 : 1) ||
  byPlace(a, b);

/** The counts of a list of failing (or warning) results; `projects` is how many projects the head has. */
export function countsOf(failing: readonly CheckChange[], projects: number): ReadinessCounts {
  const failed = failing.filter((change) => change.head.outcome === 'fail');
  const places = new Set(failed.map((change) => change.project));
  return {
    failures: failed.length,
    warnings: failing.length - failed.length,
    failingChecks: new Set(failed.map((change) => change.id)).size,
    places: places.size,
    failingProjects: [...places].filter((place) => place !== '').length,
    projects,
  };
}

function count(value: number, one: string, many = `${one}s`): string {
  return `${value} ${value === 1 ? one : many}`;
}

/**
 * Where results are, in words: nothing outside a monorepo; "across 3 projects", or "across the root and 3 projects"
 * when the repository-level results count too.
 */
function acrossWords(places: number, inProjects: number, projects: number): string {
  if (projects === 0 || inProjects === 0) return '';
  return places > inProjects
    ? ` across the root and ${count(inProjects, 'project')}`
    : ` across ${count(inProjects, 'project')}`;
}

/**
 * The one sentence for failures, used by the title, the summary, the comment and the gate's reasons: "3 failing
 * checks" in a single project, "351 failures in 40 checks across the root and 60 projects" in a monorepo.
 */
export function failuresPhrase(counts: ReadinessCounts): string {
  if (counts.failures === 0) return 'no failing checks';
  if (counts.failures === counts.failingChecks && counts.failingProjects === 0)
    return count(counts.failures, 'failing check');
  return `${count(counts.failures, 'failure')} in ${count(counts.failingChecks, 'check')}${acrossWords(counts.places, counts.failingProjects, counts.projects)}`;
}

/**
 * A list of results named by their checks: "3 checks", or "2 checks in the root and 5 projects" when they are in
 * several places of a monorepo — never "351 checks" from a 57-check catalog.
 */
export function checksPhrase(changes: readonly CheckChange[]): string {
  const checks = new Set(changes.map((change) => change.id)).size;
  const places = new Set(changes.map((change) => change.project));
  const inProjects = [...places].filter((place) => place !== '').length;
  if (inProjects === 0) return count(checks, 'check');
  const where =
    places.size > inProjects ? `the root and ${count(inProjects, 'project')}` : count(inProjects, 'project');
  return `${count(checks, 'check')} in ${where}`;
}

/**
 * Changes of one kind counted the same way: "2 regressions", or "7 regressions in 2 checks across 5 projects" when
 * one check regressed in several projects. `one`/`many` name a single result ("regression", "fix").
 */
export function changesPhrase(changes: readonly CheckChange[], one: string, many = `${one}s`): string {
  const checks = new Set(changes.map((change) => change.id)).size;
  const places = new Set(changes.map((change) => change.project));
  const inProjects = [...places].filter((place) => place !== '').length;
  if (changes.length === checks && inProjects === 0) return count(changes.length, one, many);
  return `${count(changes.length, one, many)} in ${count(checks, 'check')}${acrossWords(places.size, inProjects, inProjects)}`;
}

/** Compares the head commit's report with the base's, check by check and project by project. */
export function compareReports(head: Report, base?: Report): Comparison {
  const buckets: Buckets = {
    regressions: [],
    fixes: [],
    newProblems: [],
    unchangedFailures: [],
    findingsAdded: [],
    failing: [],
  };
  compareCheckLists(head.checks, base?.checks, '', buckets, base !== undefined);

  const projects: ProjectComparison[] = [];
  const headProjects = new Map((head.projects ?? []).map((project) => [project.path, project]));
  const baseProjects = new Map((base?.projects ?? []).map((project) => [project.path, project]));
  for (const path of [...new Set([...headProjects.keys(), ...baseProjects.keys()])].sort()) {
    const headProject = headProjects.get(path);
    const baseProject = baseProjects.get(path);
    if (!headProject) {
      projects.push({ path, status: 'removed', regressions: 0, fixes: 0, newProblems: 0, unchangedFailures: 0 });
      continue;
    }
    // Without a base report every project is simply "on the head"; with one, a project missing there was added.
    const status = !base || baseProject ? 'both' : 'added';
    const counts = compareCheckLists(headProject.checks, baseProject?.checks, path, buckets, base !== undefined);
    projects.push({ path, status, ...counts });
  }

  const headScore = head.score;
  const baseScore = base ? base.score : null;
  for (const list of [buckets.regressions, buckets.fixes, buckets.newProblems, buckets.unchangedFailures])
    list.sort(bySeverityThenChange);
  buckets.findingsAdded.sort(bySeverityThenChange);
  buckets.failing.sort(bySeverityThenChange);
  return {
    hasBase: base !== undefined,
    headScore,
    baseScore,
    scoreDelta: headScore !== null && baseScore !== null ? headScore - baseScore : null,
    ...buckets,
    counts: countsOf(buckets.failing, head.projects?.length ?? 0),
    projects,
  };
}

// The gate lives in gate.ts (one gate for the CLI and the App); re-exported for the modules that import it here.
export { decideGate, type GateConfig, type GateDecision, type GateInput } from './gate.js';
