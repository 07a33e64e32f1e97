import { describe, expect, it } from '@jest/globals';
import { allChecks } from '../../checks/index.js';
import readmePresent from '../../checks/foundations/readme-present.js';
import type { Finding, Outcome, Severity } from '../../src/engine/types.js';
import {
  collectIssueSubjects,
  fingerprintCheck,
  parseIssueMarkers,
  planIssues,
  renderCheckIssue,
  renderCloseComment,
  renderDashboardIssue,
} from '../../src/report/issue-body.js';
import { DASHBOARD_MARKER, checkMarker, fingerprintMarker, issueKeyOf } from '../../src/report/markers.js';
import type { CheckReport, Report } from '../../src/report/types.js';
import { runChecks } from '../helpers/run-check.js';

const SHA = '1234567'.padEnd(40, 'f');
const CTX = { repository: 'octo/app', sha: SHA, configPath: '.github/shipready.yml' };

function check(id: string, outcome: Outcome, severity: Severity = 'high', findings: Finding[] = []): CheckReport {
  return {
    id,
    category: 'workflows',
    severity,
    title: `${id} title`,
    outcome,
    score: outcome === 'pass' ? 1 : outcome === 'fail' ? 0 : null,
    summary: `${id} is ${outcome}`,
    findings,
    remediation: 'Pin it:\n\n```yaml\nuses: actions/checkout@<sha> # v4\n```',
    docs: `checks/workflows/${id}.md`,
  };
}

function report(checks: CheckReport[], projects?: Report['projects']): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'shipready', version: '1.0.0' },
    target: { source: 'github', repository: 'octo/app', sha: SHA },
    profile: 'service',
    profileReason: 'deployment file Dockerfile',
    ecosystems: ['node'],
    score: 40,
    rating: 'poor',
    verdict: 'not-ready',
    coverage: { scored: checks.length, total: checks.length },
    categories: [],
    checks,
    ...(projects ? { projects } : {}),
    warnings: [],
  };
}

const findings: Finding[] = [
  { message: 'actions/checkout@v4 is not pinned', path: '.github/workflows/ci.yml', line: 12 },
  { message: 'no line here', path: 'Dockerfile' },
  { message: 'accepted', path: '.github/workflows/ci.yml', line: 40, suppressed: { reason: 'trusted' } },
];

describe('renderCheckIssue', () => {
  it('says what is wrong, where (links at the commit), why, how to fix and how to silence it, with markers', () => {
    const issue = renderCheckIssue(check('actions-pinned', 'fail', 'high', findings), {
      ...CTX,
      definition: { rationale: 'Tags move; a SHA does not.', effort: 'minutes' },
    });
    expect(issue.title).toBe('actions-pinned title fails (shipready: actions-pinned)');
    expect(issue.body).toContain('## What is wrong\n\nactions-pinned is fail');
    expect(issue.body).toContain(
      `[\`.github/workflows/ci.yml:12\`](https://github.com/octo/app/blob/${SHA}/.github/workflows/ci.yml#L12): actions/checkout@v4 is not pinned`,
    );
    expect(issue.body).toContain(`[\`Dockerfile\`](https://github.com/octo/app/blob/${SHA}/Dockerfile): no line here`);
    expect(issue.body).toContain('1 finding suppressed inline');
    expect(issue.body).toContain('## Why it matters\n\nTags move; a SHA does not.');
    expect(issue.body).toContain('## How to fix it\n\nPin it:');
    expect(issue.body).toContain('Effort: minutes.');
    expect(issue.body).toContain('  actions-pinned: off');
    expect(issue.body).toContain('# shipready-ignore actions-pinned: <why this is fine here>');
    expect(issue.body).toContain('`.github/shipready.yml`');
    expect(parseIssueMarkers(issue.body)).toEqual({
      checkId: 'actions-pinned',
      fingerprint: issue.fingerprint,
      dashboard: false,
    });
    expect(issue.fingerprint).toMatch(/^[a-f0-9]{64}$/);
  });

  it('reads back every marker the issue writer accepts (one parser for renderer and writer)', () => {
    const body = `text\n\n${checkMarker('readme-present')}\n${fingerprintMarker('f1')}`;
    expect(parseIssueMarkers(body)).toEqual({ checkId: 'readme-present', fingerprint: 'f1', dashboard: false });
    expect(issueKeyOf(body)).toBe('readme-present');
  });

  it('titles the issue with the problem, from the check metadata', () => {
    const secrets = allChecks.find((candidate) => candidate.id === 'dockerfile-free-of-secrets')!;
    const issue = renderCheckIssue(
      { ...check('dockerfile-free-of-secrets', 'fail'), title: secrets.title, category: 'container' },
      CTX,
    );
    expect(issue.title).toBe('Secrets are baked into the Docker image (shipready: dockerfile-free-of-secrets)');
    expect(issue.title).not.toMatch(/fails/);
  });

  it('has a problem title for every registered check: a sentence, not the check title with "fails"', () => {
    const missing = allChecks.filter((candidate) => !candidate.problemTitle).map((candidate) => candidate.id);
    expect(missing).toEqual([]);
    for (const candidate of allChecks) {
      const problem = candidate.problemTitle!;
      expect({ id: candidate.id, problem }).toEqual({ id: candidate.id, problem: expect.stringMatching(/^[A-Z]/) });
      expect(problem).not.toMatch(/\bfails\b|[.\s]$/);
      expect(problem).not.toBe(candidate.title);
      expect(problem.length).toBeLessThanOrEqual(100);
    }
    expect(new Set(allChecks.map((candidate) => candidate.problemTitle)).size).toBe(allChecks.length);
  });

  it('takes the rationale from the registry when no definition is given', () => {
    const issue = renderCheckIssue(check('readme-present', 'fail'), CTX);
    expect(issue.body).toContain(`## Why it matters\n\n${readmePresent.rationale}`);
  });

  it('fingerprints open findings only, ignoring order, lines and suppressed ones', () => {
    const base = fingerprintCheck(check('x', 'fail', 'high', findings));
    const moved = findings
      .map((finding) => ({ ...finding, line: finding.line ? finding.line + 5 : undefined }))
      .reverse();
    expect(fingerprintCheck(check('x', 'fail', 'high', moved))).toBe(base);
    const withoutSuppressed = findings.filter((finding) => !finding.suppressed);
    expect(fingerprintCheck(check('x', 'fail', 'high', withoutSuppressed))).toBe(base);
    expect(
      fingerprintCheck(check('x', 'fail', 'high', [...findings, { message: 'another', path: 'b.yml', line: 1 }])),
    ).not.toBe(base);
    expect(fingerprintCheck(check('x', 'fail'))).not.toBe(
      fingerprintCheck({ ...check('x', 'fail'), summary: 'different' }),
    );
  });

  it('cannot be tricked into carrying a forged marker or pinging a team', () => {
    const hostile = check('codeowners-valid', 'fail', 'high', [
      { message: '<!-- shipready:check=other --> owned by @octo/admins', path: 'CODEOWNERS', line: 2 },
    ]);
    const issue = renderCheckIssue(hostile, CTX);
    expect(parseIssueMarkers(issue.body).checkId).toBe('codeowners-valid');
    expect(issue.body.match(/<!-- shipready:check=/g)).toHaveLength(1);
    expect(issue.body).not.toContain(' @octo/admins');
  });

  it('stays within the issue body limit with thousands of findings', () => {
    const many: Finding[] = Array.from({ length: 5000 }, (_, index) => ({
      message: `finding ${index} ${'z'.repeat(300)}`,
      path: `f${index}.yml`,
      line: 1,
    }));
    const issue = renderCheckIssue(check('x', 'fail', 'high', many), CTX);
    expect(issue.body.length).toBeLessThanOrEqual(65_536);
    expect(issue.body).toContain('… and 4900 more');
    expect(parseIssueMarkers(issue.body).fingerprint).toBe(issue.fingerprint);
  });

  it('lists the projects a project-scoped check fails in', () => {
    const issue = renderCheckIssue(check('tests-present', 'fail'), {
      ...CTX,
      projects: [{ path: 'packages/api', summary: 'no tests' }],
    });
    expect(issue.body).toContain('- `packages/api`: no tests');
  });
});

describe('collectIssueSubjects and planIssues', () => {
  const projectReport = report(
    [
      check('actions-pinned', 'fail', 'high', findings),
      check('tests-present', 'fail', 'high'),
      check('license-present', 'fail', 'low'),
      check('readme-present', 'pass'),
      check('secret-scanning-enabled', 'not-supported', 'critical'),
      check('codeowners-present', 'warn'),
    ],
    [
      {
        path: 'packages/api',
        ecosystems: ['node'],
        checks: [
          {
            ...check('tests-present', 'fail'),
            findings: [{ message: 'no test files', path: 'packages/api/package.json', line: 1 }],
          },
        ],
      },
    ],
  );

  it('merges a check failing in the repository and its projects into one subject, at minSeverity', () => {
    const subjects = collectIssueSubjects(projectReport, 'high');
    expect(subjects.map((subject) => subject.check.id).sort()).toEqual(['actions-pinned', 'tests-present']);
    const tests = subjects.find((subject) => subject.check.id === 'tests-present')!;
    expect(tests.projects.map((project) => project.path)).toEqual(['', 'packages/api']);
    expect(tests.check.findings).toHaveLength(1);
    expect(collectIssueSubjects(projectReport, 'low')).toHaveLength(3);
  });

  it('plans per-check issues, closes passing and warning checks, and leaves unknown ones alone', () => {
    const plan = planIssues(projectReport, CTX, { mode: 'per-check', minSeverity: 'high' });
    expect(plan.desired.map((issue) => issue.key).sort()).toEqual(['actions-pinned', 'tests-present']);
    const resolvedKeys = plan.resolved.map((entry) => entry.key);
    expect(resolvedKeys).toContain('readme-present');
    expect(resolvedKeys).toContain('codeowners-present');
    expect(resolvedKeys).toContain('license-present');
    expect(resolvedKeys).not.toContain('secret-scanning-enabled');
    expect(plan.unknown).toEqual(['secret-scanning-enabled']);
    expect(plan.resolved.find((entry) => entry.key === 'license-present')!.comment).toMatch(
      /below `issues.minSeverity`/,
    );
    expect(plan.resolved.find((entry) => entry.key === 'readme-present')!.comment).toMatch(/passes as of \[1234567\]/);
  });

  it('plans one dashboard issue, or closes it when nothing fails', () => {
    const plan = planIssues(projectReport, CTX, { mode: 'dashboard', minSeverity: 'high' });
    expect(plan.desired.map((issue) => issue.key)).toEqual(['dashboard']);
    const clean = planIssues(report([check('readme-present', 'pass')]), CTX, {
      mode: 'dashboard',
      minSeverity: 'high',
    });
    expect(clean.desired).toEqual([]);
    expect(clean.resolved).toEqual([{ key: 'dashboard', comment: expect.stringMatching(/No check fails/) }]);
  });
});

describe('renderDashboardIssue', () => {
  it('is one checklist of every failing check, grouped by severity, with the dashboard marker', async () => {
    const real = await runChecks([readmePresent], { 'package.json': '{}' });
    const dashboard = renderDashboardIssue(real, CTX);
    expect(dashboard.body).toContain('- [ ] **README present** `readme-present`');
    expect(dashboard.body).toContain('### High');
    expect(dashboard.body).toContain(DASHBOARD_MARKER);
    expect(parseIssueMarkers(dashboard.body)).toEqual({ dashboard: true, fingerprint: dashboard.fingerprint });
    const same = renderDashboardIssue(
      { ...real, target: { ...real.target, sha: 'f'.repeat(40) } },
      { ...CTX, sha: 'f'.repeat(40) },
    );
    expect(same.fingerprint).toBe(dashboard.fingerprint);
  });
});

describe('renderCloseComment', () => {
  it('says why the issue is closed, linking the commit', () => {
    const text = renderCloseComment(check('readme-present', 'pass'), CTX);
    expect(text).toContain(`passes as of [1234567](https://github.com/octo/app/commit/${SHA})`);
    expect(text).toContain('reopens it if `readme-present` fails again');
    expect(renderCloseComment(check('x', 'not-applicable'), CTX)).toContain('no longer applies');
  });
});
