import type { Config } from '../config/schema.js';
import type { CheckReport, Report } from '../report/types.js';
import type { Outcome, Severity } from './types.js';

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
  /** Open findings on the head that the base did not have (same message, path and line). */
  newFindings: number;
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
  /** Every failing or warning check on the head, whatever its history (repository first, then projects). */
  failing: CheckChange[];
  /** Per project, when either report has projects. */
  projects: ProjectComparison[];
}

export type GateConfig = Config['gate'];

export interface GateDecision {
  conclusion: 'success' | 'failure' | 'neutral';
  /** Sentences a reviewer reads, most important first. */
  reasons: string[];
  /** The checks that made (or, for drafts, would have made) the gate fail. */
  blocking: CheckChange[];
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

function findingKey(finding: CheckReport['findings'][number]): string {
  return `${finding.path ?? ''}\u0000${finding.line ?? ''}\u0000${finding.message}`;
}

function countNewFindings(head: CheckReport, base: CheckReport | undefined): number {
  const open = head.findings.filter((finding) => !finding.suppressed);
  if (!base) return open.length;
  const before = new Set(base.findings.filter((finding) => !finding.suppressed).map(findingKey));
  return open.filter((finding) => !before.has(findingKey(finding))).length;
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
): CheckChange | undefined {
  if (!head) return undefined;
  const change = (kind: ChangeKind): CheckChange => ({
    kind,
    id: head.id,
    title: head.title,
    severity: head.severity,
    project,
    head,
    ...(base ? { base } : {}),
    newFindings: countNewFindings(head, base),
  });
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
    const change = classify(check, before.get(check.id), project);
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
        break;
    }
  }
  return counts;
}

const bySeverity = (a: CheckChange, b: CheckChange) =>
  SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
  (a.project < b.project ? -1 : a.project > b.project ? 1 : 0) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Compares the head commit's report with the base's, check by check and project by project. */
export function compareReports(head: Report, base?: Report): Comparison {
  const buckets: Buckets = { regressions: [], fixes: [], newProblems: [], unchangedFailures: [], failing: [] };
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
    list.sort(bySeverity);
  return {
    hasBase: base !== undefined,
    headScore,
    baseScore,
    scoreDelta: headScore !== null && baseScore !== null ? headScore - baseScore : null,
    ...buckets,
    projects,
  };
}

function atLeast(severity: Severity, failOn: GateConfig['failOn']): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

function nameOf(change: CheckChange): string {
  return change.project ? `\`${change.id}\` in \`${change.project}\`` : `\`${change.id}\``;
}

function listNames(changes: readonly CheckChange[], max = 5): string {
  const names = changes.slice(0, max).map(nameOf);
  const rest = changes.length - names.length;
  return rest > 0 ? `${names.join(', ')} and ${rest} more` : names.join(', ');
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function outcomeWords(change: CheckChange): string {
  const from = change.base ? change.base.outcome : 'absent';
  return `${from} → ${change.head.outcome}`;
}

export interface GateInput {
  head: Report;
  comparison: Comparison;
  gate: GateConfig;
  /** A draft pull request: evaluated and reported, never gated. */
  draft?: boolean;
}

/**
 * The Check Run's conclusion. `regressions` (default) blames a PR only for what it changes: a check it made
 * fail (or do worse), or a failing check it brought in (the check did not apply on the base), with severity ≥
 * `failOn`, or the score it took below `minScore`. Problems already on the base are reported, not blamed
 * (`neutral`). `absolute` gates on the head alone. Drafts are never gated.
 */
export function decideGate({ head, comparison, gate, draft = false }: GateInput): GateDecision {
  const decision =
    gate.mode === 'absolute' ? decideAbsolute(head, comparison, gate) : decideRegressions(head, comparison, gate);
  if (!draft) return decision;
  const reasons = [
    'This pull request is a draft: shipready reports on it but does not gate drafts. The gate applies once it is marked ready for review.',
  ];
  if (decision.conclusion === 'failure') reasons.push(`Once ready for review it would fail: ${decision.reasons[0]}`);
  else reasons.push(...decision.reasons);
  return { conclusion: 'neutral', reasons, blocking: decision.blocking };
}

function failOnWords(gate: GateConfig): string {
  return gate.failOn === 'none' ? 'no check severity' : `severity ${gate.failOn} or higher`;
}

function decideRegressions(head: Report, comparison: Comparison, gate: GateConfig): GateDecision {
  const reasons: string[] = [];
  if (!comparison.hasBase) {
    // Without a base nothing can be blamed on a change; say what the head looks like.
    const failing = comparison.failing.filter(
      (change) => change.head.outcome === 'fail' && atLeast(change.severity, gate.failOn),
    );
    if (gate.minScore !== undefined && head.score !== null && head.score < gate.minScore) {
      reasons.push(
        `The score ${head.score} is below the minimum of ${gate.minScore}, but there is no base commit to compare with, so it is reported rather than blamed on this change.`,
      );
    }
    if (failing.length) {
      reasons.push(
        `${plural(failing.length, 'check')} at ${failOnWords(gate)} ${failing.length === 1 ? 'fails' : 'fail'} (${listNames(failing)}); with no base commit to compare with, they are reported, not blamed on this change.`,
      );
    }
    if (reasons.length) return { conclusion: 'neutral', reasons, blocking: [] };
    return { conclusion: 'success', reasons: [successWords(head, comparison)], blocking: [] };
  }

  const regressions = comparison.regressions.filter(
    (change) => change.head.outcome === 'fail' && atLeast(change.severity, gate.failOn),
  );
  // A failing check the PR brought in (e.g. a new Dockerfile without a USER) is this change's doing; a base that
  // could not tell (not-supported, error) is not, so only `not-applicable` or absent on the base counts.
  const introduced = comparison.newProblems.filter(
    (change) => change.head.outcome === 'fail' && atLeast(change.severity, gate.failOn) && isIntroduced(change),
  );
  const blocking = [...regressions, ...introduced];
  for (const change of regressions) {
    reasons.push(
      `This change makes ${nameOf(change)} (${change.severity}) fail: ${change.title} (${outcomeWords(change)}). ${change.head.summary}`,
    );
  }
  for (const change of introduced) {
    reasons.push(
      `This change brings in a failing ${nameOf(change)} (${change.severity}): ${change.title}. ${change.head.summary}`,
    );
  }
  let scoreFails = false;
  if (gate.minScore !== undefined && head.score !== null && head.score < gate.minScore) {
    const base = comparison.baseScore;
    if (base === null || base >= gate.minScore) {
      scoreFails = true;
      reasons.push(
        `This change takes the score from ${base ?? 'unscored'} to ${head.score}, below the minimum of ${gate.minScore}.`,
      );
    } else if (head.score < base) {
      scoreFails = true;
      reasons.push(
        `The score was already below the minimum of ${gate.minScore} (${base}) and this change lowers it further to ${head.score}.`,
      );
    } else {
      reasons.push(
        `The score ${head.score} is below the minimum of ${gate.minScore}, as it was on the base (${base}); this change does not lower it.`,
      );
    }
  }
  if (blocking.length || scoreFails) {
    const minor = comparison.regressions.length - regressions.length;
    if (minor > 0)
      reasons.push(
        `${plural(minor, 'other regression')} below the gate's threshold (${failOnWords(gate)}) ${minor === 1 ? 'is' : 'are'} reported but ${minor === 1 ? 'does' : 'do'} not fail it.`,
      );
    return { conclusion: 'failure', reasons, blocking };
  }

  const worse = [...comparison.regressions, ...comparison.newProblems.filter(isIntroduced)];
  const below = worse.length;
  if (below > 0) {
    reasons.push(
      `This change makes ${plural(below, 'check')} worse (${listNames(worse)}); ${below === 1 ? 'it does not fail' : 'none of them fails'} at ${failOnWords(gate)}, so ${below === 1 ? 'it is' : 'they are'} reported, not gated.`,
    );
  }
  if (comparison.fixes.length) {
    reasons.push(`This change fixes ${plural(comparison.fixes.length, 'check')} (${listNames(comparison.fixes)}).`);
  }
  // Problems at the gate's severity that this change did not cause: reported (neutral), never blamed.
  const serious = (change: CheckChange) => change.head.outcome === 'fail' && atLeast(change.severity, gate.failOn);
  const preexisting = comparison.unchangedFailures.filter(serious);
  const unknownBefore = comparison.newProblems.filter((change) => serious(change) && !isIntroduced(change));
  if (preexisting.length) {
    reasons.push(
      `${plural(preexisting.length, 'check')} at ${failOnWords(gate)} already failed on the base (${listNames(preexisting)}); ${preexisting.length === 1 ? 'it is' : 'they are'} reported, not blamed on this change.`,
    );
  }
  if (unknownBefore.length) {
    reasons.push(
      `${plural(unknownBefore.length, 'check')} at ${failOnWords(gate)} ${unknownBefore.length === 1 ? 'fails' : 'fail'} (${listNames(unknownBefore)}) where the base could not be evaluated for ${unknownBefore.length === 1 ? 'it' : 'them'}; reported, not blamed on this change.`,
    );
  }
  if (preexisting.length || unknownBefore.length) return { conclusion: 'neutral', reasons, blocking: [] };
  if (below > 0) return { conclusion: 'neutral', reasons, blocking: [] };
  reasons.unshift(successWords(head, comparison));
  return { conclusion: 'success', reasons, blocking: [] };
}

function decideAbsolute(head: Report, comparison: Comparison, gate: GateConfig): GateDecision {
  const reasons: string[] = [];
  const failing = comparison.failing.filter(
    (change) => change.head.outcome === 'fail' && atLeast(change.severity, gate.failOn),
  );
  if (failing.length) {
    reasons.push(
      `${plural(failing.length, 'check')} at ${failOnWords(gate)} ${failing.length === 1 ? 'fails' : 'fail'} on this commit (${listNames(failing)}); the gate is absolute, so pre-existing problems count.`,
    );
  }
  const scoreFails = gate.minScore !== undefined && head.score !== null && head.score < gate.minScore;
  if (scoreFails) reasons.push(`The score ${head.score} is below the minimum of ${gate.minScore}.`);
  if (failing.length || scoreFails) return { conclusion: 'failure', reasons, blocking: failing };
  return { conclusion: 'success', reasons: [successWords(head, comparison)], blocking: [] };
}

function successWords(head: Report, comparison: Comparison): string {
  const warnings = comparison.failing.length;
  const score = head.score === null ? 'no score (nothing could be scored)' : `a score of ${head.score}`;
  if (warnings === 0) return `No check fails: ${score}.`;
  return `No check at the gate's threshold fails (${score}); ${plural(warnings, 'check')} below it ${warnings === 1 ? 'is' : 'are'} reported as recommendations.`;
}
