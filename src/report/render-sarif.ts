import { createHash } from 'node:crypto';
import type { Location, Log, ReportingDescriptor, Result } from 'sarif';
import type { Finding } from '../engine/types.js';
import { TOOL_LINKS } from '../version.js';
import type { CheckReport, Report } from './types.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SECURITY_SEVERITY: Record<CheckReport['severity'], string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};
/** Where a repository-wide result is shown when the report names no front file (an empty tree). */
const FALLBACK_FRONT_FILE = 'README.md';

/**
 * GitHub code scanning ranks an alert by `security-severity` and files it under "security" when the rule has the
 * `security` tag; a rule about documentation must not pose as a vulnerability. Security-relevant: every check of the
 * security and GitHub Actions hardening categories (secrets, protections, workflow injection and token scope,
 * supply chain), and in the container category the check that finds secrets baked into an image. Decided from the
 * category carried in the report, so the renderer needs no catalog.
 */
const SECURITY_CATEGORIES: ReadonlySet<CheckReport['category']> = new Set(['security', 'workflows']);
const SECURITY_CONTAINER_CHECKS: ReadonlySet<string> = new Set(['dockerfile-free-of-secrets']);

export function isSecurityRelevant(check: Pick<CheckReport, 'id' | 'category'>): boolean {
  return (
    SECURITY_CATEGORIES.has(check.category) ||
    (check.category === 'container' && SECURITY_CONTAINER_CHECKS.has(check.id))
  );
}

function level(check: CheckReport): Result.level {
  if (check.outcome === 'warn') return 'warning';
  return check.severity === 'critical' || check.severity === 'high' ? 'error' : 'warning';
}

/** A repository-relative path as a relative URI reference: each segment percent-encoded (spaces, `#`, controls). */
function uriOf(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function physical(path: string, line = 1, endLine?: number): Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: uriOf(path), uriBaseId: '%SRCROOT%' },
      region: { startLine: line, ...(endLine && endLine > line ? { endLine } : {}) },
    },
  };
}

/**
 * What kind of finding this is, for its fingerprint: on a line, on a file, or about the repository (or a project)
 * as a whole — a setting, a missing file, the check's own summary when it gave no findings.
 */
function kindOf(finding: Finding): 'line' | 'file' | 'scope' {
  if (finding.path && finding.line) return 'line';
  return finding.path ? 'file' : 'scope';
}

/**
 * A fingerprint that survives rewording and moved lines: check id, project, path, the identity of the line's text
 * (`lineKey`, else the line number), the finding kind, and its ordinal among findings with the same identity in
 * the check. The message is never part of it, so a reworded message stays the same alert.
 */
function fingerprintOf(checkId: string, scope: string, finding: Finding, ordinal: number): string {
  const kind = kindOf(finding);
  const lineIdentity = finding.lineKey ?? (finding.line ? `line ${finding.line}` : '');
  const key = [checkId, scope, finding.path ?? '', lineIdentity, kind, String(ordinal)].join('\u0000');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

interface Scoped {
  check: CheckReport;
  /** '' for the repository, else the project's path. */
  scope: string;
  /** Where a finding without a file of this check is shown. */
  anchor: string;
  /** Said in the message of a result shown on the anchor. */
  anchorNote: string;
}

/**
 * SARIF 2.1.0 for code scanning: one rule per check id, a result per open or suppressed finding of a fail/warn
 * check. GitHub refuses an upload with any result that has no location, so every result has one:
 * - a finding with a file is shown on that file (its line, else line 1);
 * - a project-level finding without a file is shown on the project's manifest (the file it is about);
 * - a repository-level finding without a file (a setting, a missing file) is shown on the repository's README at
 *   line 1 (or the first top-level file when there is no README), and its message says it is repository-wide.
 */
export function renderSarif(report: Report): string {
  const front = report.frontFile ?? FALLBACK_FRONT_FILE;
  const scoped: Scoped[] = [
    ...report.checks.map((check) => ({
      check,
      scope: '',
      anchor: front,
      anchorNote: `repository-wide finding (no single file), shown on ${front}`,
    })),
    ...(report.projects ?? []).flatMap((project) => {
      const manifest = project.manifests?.[0];
      return project.checks.map((check) => ({
        check,
        scope: project.path,
        anchor: manifest ?? front,
        anchorNote: manifest
          ? `finding about project ${project.path}, shown on its manifest`
          : `finding about project ${project.path} (no single file), shown on ${front}`,
      }));
    }),
  ];
  const ruleIds = [...new Set(scoped.map(({ check }) => check.id))];
  const rules: ReportingDescriptor[] = ruleIds.map((id) => rule(scoped.find(({ check }) => check.id === id)!.check));
  const results: Result[] = [];
  for (const { check, scope, anchor, anchorNote } of scoped) {
    if (check.outcome !== 'fail' && check.outcome !== 'warn') continue;
    const findings: Finding[] = check.findings.length ? check.findings : [{ message: check.summary }];
    const ordinals = new Map<string, number>();
    for (const finding of findings) {
      const identity = `${finding.path ?? ''}\u0000${finding.lineKey ?? finding.line ?? ''}`;
      const ordinal = ordinals.get(identity) ?? 0;
      ordinals.set(identity, ordinal + 1);
      const prose = finding.message === check.summary ? finding.message : `${check.summary}: ${finding.message}`;
      const result: Result = {
        ruleId: check.id,
        ruleIndex: ruleIds.indexOf(check.id),
        level: level(check),
        message: { text: finding.path ? prose : `${prose} (${anchorNote})` },
        locations: [finding.path ? physical(finding.path, finding.line, finding.endLine) : physical(anchor)],
        partialFingerprints: { 'shipready/v2': fingerprintOf(check.id, scope, finding, ordinal) },
      };
      if (finding.suppressed) result.suppressions = [{ kind: 'inSource', justification: finding.suppressed.reason }];
      results.push(result);
    }
  }
  const informationUri = TOOL_LINKS.homepage ?? TOOL_LINKS.repository;
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipready',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(informationUri ? { informationUri } : {}),
            rules,
          },
        },
        results,
        ...(report.target.sha && report.target.repository
          ? {
              versionControlProvenance: [
                { repositoryUri: `https://github.com/${report.target.repository}`, revisionId: report.target.sha },
              ],
            }
          : {}),
        properties: { score: report.score, rating: report.rating, verdict: report.verdict },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function rule(check: CheckReport): ReportingDescriptor {
  const security = isSecurityRelevant(check);
  const helpUri = TOOL_LINKS.docsBaseUrl ? `${TOOL_LINKS.docsBaseUrl}${check.docs}` : undefined;
  return {
    id: check.id,
    name: check.id.replace(/(^|-)([a-z])/g, (_, __, char: string) => char.toUpperCase()),
    shortDescription: { text: check.title },
    fullDescription: { text: check.description ?? check.title },
    help: { text: check.remediation, markdown: check.remediation },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: check.severity === 'critical' || check.severity === 'high' ? 'error' : 'warning' },
    properties: {
      category: check.category,
      severity: check.severity,
      ...(security ? { 'security-severity': SECURITY_SEVERITY[check.severity] } : {}),
      // The schema wants unique tags: the security category already is the `security` tag.
      tags: [...new Set(['production-readiness', check.category, ...(security ? ['security'] : [])])],
    },
  };
}
