import type { Config } from '../config/schema.js';
import { resolveCheckSettings } from '../config/resolve.js';
import type { ConfigChange, ConfigChangePreview } from '../report/config-changes.js';
import type { CheckReport, Report } from '../report/types.js';
import { globMatcher } from '../snapshot/snapshot.js';
import { SEVERITY_RANK, type Comparison } from './compare.js';
import { decideGate } from './gate.js';
import { scoreReport } from './scoring.js';
import type { AnyCheckDefinition } from './types.js';

export interface ConfigDiffInput {
  checks: readonly AnyCheckDefinition[];
  /** The rules this PR is judged by (the default branch's) and the PR's own. */
  base: Config;
  pull: Config;
  /** This PR's head evaluated with the base's rules (what gates it) and with its own (what it will look like). */
  headWithBaseRules: Report;
  headWithPullRules: Report;
  /** The base commit's report with the base's rules, for "failing on the base"; the head's when absent. */
  baseReport?: Report;
  /** Head against base, both with the base's rules: what the gate decided on. */
  comparison: Comparison;
  draft?: boolean;
  path: string;
}

type Setting = ReturnType<typeof resolveCheckSettings> extends Map<string, infer V> ? V : never;

const stable = (value: unknown): string => JSON.stringify(value ?? null);

function settingText(setting: Setting | undefined, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return raw;
  return setting && !setting.enabled ? 'off' : stable(raw);
}

/** A report with one check's results (root and projects) taken from another report, or left out when it is off. */
function withCheckFrom(report: Report, other: Report, id: string, enabled: boolean): Report {
  const swap = (checks: readonly CheckReport[], from: readonly CheckReport[] | undefined): CheckReport[] =>
    enabled
      ? checks.map((check) => (check.id === id ? (from?.find((candidate) => candidate.id === id) ?? check) : check))
      : checks.filter((check) => check.id !== id);
  const otherProjects = new Map((other.projects ?? []).map((project) => [project.path, project.checks]));
  const checks = swap(report.checks, other.checks);
  const projects = (report.projects ?? []).map((project) => ({
    ...project,
    checks: swap(project.checks, otherProjects.get(project.path)),
  }));
  return { ...report, checks, ...(report.projects ? { projects } : {}) };
}

function rescore(report: Report, thresholds: Config['thresholds']): Pick<Report, 'score' | 'verdict'> {
  return scoreReport(report.checks, report.projects ?? [], thresholds);
}

function ignoreMatcher(globs: readonly string[]): (path: string) => boolean {
  return globMatcher(globs.flatMap((glob) => (glob.endsWith('/') ? [`${glob}**`] : [glob, `${glob}/**`])));
}

const FAIL_ON_RANK: Record<Config['gate']['failOn'], number> = { ...SEVERITY_RANK, none: 5 };

/**
 * What a PR's own config changes against the base's, each change with what it alone would do to this PR once
 * merged (score, verdict, gate), and the score with all of them. Pure: both configs are already validated and
 * the head evaluated with each.
 */
export function diffConfigs(input: ConfigDiffInput): ConfigChangePreview {
  const { base, pull, headWithBaseRules: head } = input;
  const changes: ConfigChange[] = [];
  const baseSettings = resolveCheckSettings(input.checks, base);
  const pullSettings = resolveCheckSettings(input.checks, pull);
  const onBase = input.baseReport ?? head;

  for (const check of input.checks) {
    const before = baseSettings.get(check.id)!;
    const after = pullSettings.get(check.id)!;
    const key = `checks.${check.id}`;
    const texts = {
      before: settingText(before, base.checks[check.id]),
      after: settingText(after, pull.checks[check.id]),
    };
    const effect = (): Pick<ConfigChange, 'scoreBefore' | 'scoreAfter'> => ({
      scoreBefore: head.score,
      scoreAfter: rescore(withCheckFrom(head, input.headWithPullRules, check.id, after.enabled), base.thresholds).score,
    });
    const baseOutcome = onBase.checks.find((candidate) => candidate.id === check.id)?.outcome;
    const headOutcome = head.checks.find((candidate) => candidate.id === check.id)?.outcome;
    const common = {
      checkId: check.id,
      key,
      ...texts,
      ...(baseOutcome ? { baseOutcome } : {}),
      ...(headOutcome && baseOutcome && headOutcome !== baseOutcome ? { headOutcome } : {}),
    };
    if (before.enabled !== after.enabled) {
      changes.push({ kind: after.enabled ? 'check-on' : 'check-off', ...common, ...effect() });
      continue;
    }
    if (!after.enabled) continue;
    if (before.severity !== after.severity) {
      const lowered = SEVERITY_RANK[after.severity] < SEVERITY_RANK[before.severity];
      changes.push({
        kind: lowered ? 'severity-lowered' : 'severity-raised',
        ...common,
        severityBefore: before.severity,
        severityAfter: after.severity,
        ...effect(),
      });
    } else if (stable(before.options) !== stable(after.options)) {
      changes.push({ kind: 'other', ...common });
    }
  }

  const added = pull.ignore.paths.filter((glob) => !base.ignore.paths.includes(glob));
  const removed = base.ignore.paths.filter((glob) => !pull.ignore.paths.includes(glob));
  if (added.length) {
    const ignored = ignoreMatcher(added);
    const findings = [...head.checks, ...(head.projects ?? []).flatMap((project) => project.checks)]
      .flatMap((check) => check.findings)
      .filter((finding) => !finding.suppressed && finding.path !== undefined && ignored(finding.path)).length;
    changes.push({ kind: 'paths-ignored', key: 'ignore.paths', after: added.join(', '), findingsHidden: findings });
  }
  if (removed.length) changes.push({ kind: 'paths-unignored', key: 'ignore.paths', before: removed.join(', ') });

  const gateWith = (gate: Config['gate']) =>
    decideGate({ head, comparison: input.comparison, gate, draft: input.draft ?? false }).conclusion;
  const gateChange = (key: string, loosened: boolean, before: unknown, after: unknown, gate: Config['gate']) =>
    changes.push({
      kind: loosened ? 'gate-loosened' : 'gate-tightened',
      key,
      ...(before !== undefined ? { before: String(before) } : {}),
      ...(after !== undefined ? { after: String(after) } : {}),
      gateBefore: gateWith(base.gate),
      gateAfter: gateWith(gate),
    });
  if (base.gate.failOn !== pull.gate.failOn)
    gateChange(
      'gate.failOn',
      FAIL_ON_RANK[pull.gate.failOn] > FAIL_ON_RANK[base.gate.failOn],
      base.gate.failOn,
      pull.gate.failOn,
      { ...base.gate, failOn: pull.gate.failOn },
    );
  if (base.gate.mode !== pull.gate.mode)
    gateChange('gate.mode', pull.gate.mode === 'regressions', base.gate.mode, pull.gate.mode, {
      ...base.gate,
      mode: pull.gate.mode,
    });
  if (base.gate.minScore !== pull.gate.minScore) {
    const loosened = pull.gate.minScore === undefined || (pull.gate.minScore ?? 0) < (base.gate.minScore ?? 0);
    gateChange('gate.minScore', loosened, base.gate.minScore, pull.gate.minScore, {
      ...base.gate,
      minScore: pull.gate.minScore,
    });
  }

  for (const name of ['ready', 'readyWithRecommendations'] as const) {
    const before = base.thresholds[name];
    const after = pull.thresholds[name];
    if (before === after) continue;
    const thresholds = { ...base.thresholds, [name]: after };
    changes.push({
      kind: after < before ? 'threshold-loosened' : 'threshold-tightened',
      key: `thresholds.${name}`,
      before: String(before),
      after: String(after),
      verdictBefore: head.verdict,
      verdictAfter: rescore(head, thresholds).verdict,
    });
  }

  const others: Array<[string, unknown, unknown]> = [
    ['profile', base.profile, pull.profile],
    ['projects', base.projects, pull.projects],
    ['comment.mode', base.comment.mode, pull.comment.mode],
    ['issues', base.issues, pull.issues],
  ];
  for (const [key, before, after] of others) {
    if (stable(before) === stable(after)) continue;
    changes.push({
      kind: 'other',
      key,
      ...(before !== undefined ? { before: typeof before === 'string' ? before : stable(before) } : {}),
      ...(after !== undefined ? { after: typeof after === 'string' ? after : stable(after) } : {}),
    });
  }

  return {
    path: input.path,
    changes,
    scoreWithBaseRules: head.score,
    scoreWithPullRules: input.headWithPullRules.score,
  };
}
