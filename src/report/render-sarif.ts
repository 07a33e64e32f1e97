import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { CheckReport, Report } from './types.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SECURITY_SEVERITY: Record<CheckReport['severity'], string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

function level(check: CheckReport): Result.level {
  if (check.outcome === 'warn') return 'warning';
  return check.severity === 'critical' || check.severity === 'high' ? 'error' : 'warning';
}

/** SARIF 2.1.0 for code scanning: one rule per check id, a result per open or suppressed finding of a fail/warn check. */
export function renderSarif(report: Report): string {
  const checks = [...report.checks, ...(report.projects ?? []).flatMap((project) => project.checks)];
  const ruleIds = [...new Set(checks.map((check) => check.id))];
  const byId = new Map(report.checks.map((check) => [check.id, check]));
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const check = byId.get(id) ?? checks.find((candidate) => candidate.id === id)!;
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_, __, char: string) => char.toUpperCase()),
      shortDescription: { text: check.title },
      fullDescription: { text: check.title },
      help: { text: check.remediation, markdown: check.remediation },
      helpUri: `https://github.com/shipready/shipready/blob/main/${check.docs}`,
      defaultConfiguration: { level: check.severity === 'critical' || check.severity === 'high' ? 'error' : 'warning' },
      properties: {
        category: check.category,
        severity: check.severity,
        'security-severity': SECURITY_SEVERITY[check.severity],
        tags: ['production-readiness', check.category],
      },
    };
  });
  const results: Result[] = [];
  for (const check of checks) {
    if (check.outcome !== 'fail' && check.outcome !== 'warn') continue;
    const findings = check.findings.length ? check.findings : [{ message: check.summary }];
    for (const finding of findings) {
      const result: Result = {
        ruleId: check.id,
        ruleIndex: ruleIds.indexOf(check.id),
        level: level(check),
        message: { text: finding.message === check.summary ? finding.message : `${check.summary}: ${finding.message}` },
      };
      if (finding.path) {
        result.locations = [
          {
            physicalLocation: {
              artifactLocation: { uri: finding.path, uriBaseId: '%SRCROOT%' },
              ...(finding.line
                ? { region: { startLine: finding.line, ...(finding.endLine ? { endLine: finding.endLine } : {}) } }
                : {}),
            },
          },
        ];
      }
      result.partialFingerprints = { 'shipready/v1': `${check.id}:${finding.path ?? ''}:${finding.message}` };
      if ('suppressed' in finding && finding.suppressed)
        result.suppressions = [{ kind: 'inSource', justification: finding.suppressed.reason }];
      results.push(result);
    }
  }
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
            informationUri: 'https://github.com/shipready/shipready',
            rules,
          },
        },
        results,
        ...(report.target.sha
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
