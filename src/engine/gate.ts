import type { Config } from '../config/schema.js';
import { codeSpan } from '../report/escape.js';
import type { Report } from '../report/types.js';
import {
  checksPhrase,
  countsOf,
  failuresPhrase,
  isIntroduced,
  SEVERITY_RANK,
  type CheckChange,
  type Comparison,
} from './compare.js';
import type { Severity } from './types.js';

export type GateConfig = Config['gate'];

export interface GateDecision {
  conclusion: 'success' | 'failure' | 'neutral';
  /** Sentences a reviewer reads, most important first; each names at most five checks. */
  reasons: string[];
  /** The checks that made (or, for drafts, would have made) the gate fail. */
  blocking: CheckChange[];
}

export interface GateInput {
  head: Report;
  comparison: Comparison;
  gate: GateConfig;
  /** A draft pull request: evaluated and reported, never gated. */
  draft?: boolean;
}

const MAX_NAMED = 5;

function atLeast(severity: Severity, failOn: GateConfig['failOn']): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

function nameOf(change: CheckChange): string {
  return change.project ? `\`${change.id}\` in ${codeSpan(change.project)}` : `\`${change.id}\``;
}

/**
 * At most five checks, each named once (with how many places it is in), then "and N more checks": a gate reason
 * stays one readable sentence on a 300-project monorepo, and its numbers count checks, as the sentence does.
 */
function listNames(changes: readonly CheckChange[]): string {
  const byId = new Map<string, CheckChange[]>();
  for (const change of changes) byId.set(change.id, [...(byId.get(change.id) ?? []), change]);
  const groups = [...byId.values()];
  const names = groups
    .slice(0, MAX_NAMED)
    .map((places) => (places.length === 1 ? nameOf(places[0]) : `\`${places[0].id}\` (in ${places.length} places)`));
  const rest = groups.length - names.length;
  return rest > 0 ? `${names.join(', ')} and ${rest} more check${rest === 1 ? '' : 's'}` : names.join(', ');
}

/** One check (in one place or several): the verb of a sentence about it is singular. */
function oneCheck(changes: readonly CheckChange[]): boolean {
  return new Set(changes.map((change) => change.id)).size === 1;
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function failOnWords(gate: GateConfig): string {
  return gate.failOn === 'none' ? 'no check severity' : `severity ${gate.failOn} or higher`;
}

/** No score (nothing could be scored) never meets a minimum: one rule for the CLI and the App. */
function belowMinimum(score: number | null, minScore: number): boolean {
  return score === null || score < minScore;
}

function scoreWords(score: number | null): string {
  return score === null ? 'no score (nothing could be scored)' : String(score);
}

/**
 * The gate, for the App (a PR against its base, a push against the previous commit) and the CLI (`absolute`, no
 * base). `regressions` (default) blames a change only for what it changes: a check it made fail (or do worse), or a
 * failing check it brought in (the check did not apply on the base), with severity ≥ `failOn`, or the score it
 * took below `minScore`. Problems already on the base are reported, not blamed. `absolute` gates on the head alone.
 * A change that only fixes things passes. Drafts are never gated.
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

function decideRegressions(head: Report, comparison: Comparison, gate: GateConfig): GateDecision {
  const reasons: string[] = [];
  const serious = (change: CheckChange) => change.head.outcome === 'fail' && atLeast(change.severity, gate.failOn);
  if (!comparison.hasBase) {
    // Without a base nothing can be blamed on a change; say what the head looks like.
    const failing = comparison.failing.filter(serious);
    if (gate.minScore !== undefined && belowMinimum(head.score, gate.minScore)) {
      reasons.push(
        `The score ${scoreWords(head.score)} is below the minimum of ${gate.minScore}, but there is no base commit to compare with, so it is reported rather than blamed on this change.`,
      );
    }
    if (failing.length) {
      const phrase = failuresPhrase(countsOf(failing, head.projects?.length ?? 0));
      reasons.push(
        `${capitalized(phrase)} at ${failOnWords(gate)} (${listNames(failing)}); with no base commit to compare with, ${failing.length === 1 ? 'it is' : 'they are'} reported, not blamed on this change.`,
      );
    }
    if (reasons.length) return { conclusion: 'neutral', reasons, blocking: [] };
    return { conclusion: 'success', reasons: [successWords(head, comparison)], blocking: [] };
  }

  // A failing check the change brought in (e.g. a new Dockerfile without a USER) is this change's doing; a base that
  // could not tell (not-supported, error) is not, so only `not-applicable` or absent on the base counts.
  const broken = comparison.regressions.filter(serious);
  const introduced = comparison.newProblems.filter((change) => serious(change) && isIntroduced(change));
  const blocking = [...broken, ...introduced];
  if (broken.length) {
    reasons.push(`This change makes ${checksPhrase(broken)} at ${failOnWords(gate)} fail: ${listNames(broken)}.`);
  }
  if (introduced.length) {
    reasons.push(
      `This change brings in ${introduced.length === 1 ? 'a failing check' : `${checksPhrase(introduced)} that fail`} at ${failOnWords(gate)}: ${listNames(introduced)}.`,
    );
  }
  let scoreFails = false;
  if (gate.minScore !== undefined && belowMinimum(head.score, gate.minScore)) {
    const base = comparison.baseScore;
    const lower = head.score === null ? base !== null : base !== null && head.score < base;
    if (!belowMinimum(base, gate.minScore)) {
      scoreFails = true;
      reasons.push(
        `This change takes the score from ${base} to ${scoreWords(head.score)}, below the minimum of ${gate.minScore}.`,
      );
    } else if (lower) {
      scoreFails = true;
      reasons.push(
        `The score was already below the minimum of ${gate.minScore} (${base}) and this change lowers it further to ${scoreWords(head.score)}.`,
      );
    } else {
      reasons.push(
        `The score ${scoreWords(head.score)} is below the minimum of ${gate.minScore}, as it was on the base (${scoreWords(base)}); this change does not lower it.`,
      );
    }
  }
  if (blocking.length || scoreFails) {
    const minor = comparison.regressions.filter((change) => !serious(change)).length;
    if (minor > 0)
      reasons.push(
        `${plural(minor, 'other regression')} below the gate's threshold (${failOnWords(gate)}) ${minor === 1 ? 'is' : 'are'} reported but ${minor === 1 ? 'does' : 'do'} not fail it.`,
      );
    return { conclusion: 'failure', reasons, blocking };
  }

  const worse = [...comparison.regressions, ...comparison.newProblems.filter(isIntroduced)];
  if (worse.length) {
    reasons.push(
      `This change makes ${checksPhrase(worse)} worse (${listNames(worse)}); ${oneCheck(worse) ? 'it does not fail' : 'none of them fails'} at ${failOnWords(gate)}, so ${oneCheck(worse) ? 'it is' : 'they are'} reported, not gated.`,
    );
  }
  const added = comparison.findingsAdded;
  const addedSerious = added.filter(serious);
  if (added.length) {
    const findings = added.reduce((sum, change) => sum + change.newFindings, 0);
    reasons.push(
      `This change adds ${plural(findings, 'finding')} to ${checksPhrase(added)} that already ${oneCheck(added) ? 'fails or warns' : 'fail or warn'} (${listNames(added)}); ${findings === 1 ? 'it is' : 'they are'} listed under what it adds and annotated first, but do not fail the gate: the check's outcome did not change.`,
    );
  }
  if (comparison.fixes.length) {
    reasons.push(`This change fixes ${checksPhrase(comparison.fixes)} (${listNames(comparison.fixes)}).`);
  }
  // Problems at the gate's severity that this change did not cause: reported, never blamed.
  const preexisting = comparison.unchangedFailures.filter(serious);
  const unknownBefore = comparison.newProblems.filter((change) => serious(change) && !isIntroduced(change));
  if (preexisting.length) {
    reasons.push(
      `${capitalized(checksPhrase(preexisting))} at ${failOnWords(gate)} already failed on the base (${listNames(preexisting)}); ${oneCheck(preexisting) ? 'it is' : 'they are'} reported, not blamed on this change.`,
    );
  }
  if (unknownBefore.length) {
    reasons.push(
      `${capitalized(checksPhrase(unknownBefore))} at ${failOnWords(gate)} ${oneCheck(unknownBefore) ? 'fails' : 'fail'} (${listNames(unknownBefore)}) where the base could not be evaluated for ${oneCheck(unknownBefore) ? 'it' : 'them'}; reported, not blamed on this change.`,
    );
  }
  if (worse.length || addedSerious.length) return { conclusion: 'neutral', reasons, blocking: [] };
  // A change that makes nothing worse and fixes something passes, whatever was already broken (SPEC: reported, not
  // blamed, `neutral` or `success`): grey would hide that it helped.
  if (comparison.fixes.length) return { conclusion: 'success', reasons, blocking: [] };
  if (preexisting.length || unknownBefore.length) return { conclusion: 'neutral', reasons, blocking: [] };
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
      `${capitalized(checksPhrase(failing))} at ${failOnWords(gate)} ${oneCheck(failing) ? 'fails' : 'fail'} on this commit (${listNames(failing)}); the gate is absolute, so pre-existing problems count.`,
    );
  }
  const scoreFails = gate.minScore !== undefined && belowMinimum(head.score, gate.minScore);
  if (scoreFails) reasons.push(`The score ${scoreWords(head.score)} is below the minimum of ${gate.minScore}.`);
  if (failing.length || scoreFails) return { conclusion: 'failure', reasons, blocking: failing };
  return { conclusion: 'success', reasons: [successWords(head, comparison)], blocking: [] };
}

function successWords(head: Report, comparison: Comparison): string {
  const warnings = comparison.failing.length;
  const score = head.score === null ? 'no score (nothing could be scored)' : `a score of ${head.score}`;
  if (warnings === 0) return `No check fails: ${score}.`;
  return `No check at the gate's threshold fails (${score}); ${checksPhrase(comparison.failing)} below it ${warnings === 1 ? 'is' : 'are'} reported as recommendations.`;
}
