import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { marked } from 'marked';
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
  renderReopenComment,
} from '../../src/report/issue-body.js';
import { DASHBOARD_MARKER, checkMarker, fingerprintMarker, issueKeyOf } from '../../src/report/markers.js';
import type { CheckReport, Report } from '../../src/report/types.js';
import { findSuppression } from '../../src/engine/suppression.js';
import { TOOL_LINKS } from '../../src/version.js';
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

  it('titles the issue with the problem, from the report (the engine copies it from the check metadata)', () => {
    const secrets = allChecks.find((candidate) => candidate.id === 'dockerfile-free-of-secrets')!;
    const issue = renderCheckIssue(
      {
        ...check('dockerfile-free-of-secrets', 'fail'),
        title: secrets.title,
        category: 'container',
        problemTitle: secrets.problemTitle!,
      },
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

  it('takes the rationale from the report when no definition is given', () => {
    const issue = renderCheckIssue({ ...check('readme-present', 'fail'), rationale: readmePresent.rationale }, CTX);
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

  it('rewrites an issue filed in the previous wording once: the format is part of the fingerprint', () => {
    const subject = check('x', 'fail', 'high', findings);
    const open = findings
      .filter((finding) => !finding.suppressed)
      .map((finding) => `${finding.path ?? ''}\u0000${finding.message}`)
      .sort();
    const previous = createHash('sha256')
      .update(JSON.stringify({ id: 'x', outcome: 'fail', findings: open }))
      .digest('hex');
    expect(fingerprintCheck(subject)).not.toBe(previous);
    expect(fingerprintCheck(subject)).toBe(fingerprintCheck({ ...subject, findings: [...findings].reverse() }));
  });

  it('cannot be tricked into carrying a forged marker or pinging a team', () => {
    const hostile = check('codeowners-valid', 'fail', 'high', [
      { message: '<!-- shipready:check=other --> owned by @octo/admins', path: 'CODEOWNERS', line: 2 },
    ]);
    const issue = renderCheckIssue(hostile, CTX);
    expect(parseIssueMarkers(issue.body).checkId).toBe('codeowners-valid');
    expect(issue.body.match(/^<!-- shipready:check=/gm)).toHaveLength(1);
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

const HOSTILE = '@everyone see [here](javascript:alert(1)) <img src=x onerror=alert(1)> <!-- shipready:check=x -->';
const HOSTILE_PATH = '<img src=x onerror=alert(1)>.yml';

/** What GitHub would show: HTML from a GFM renderer (marked passes raw HTML through, as GitHub does before sanitising). */
function rendered(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true });
}

/** Nothing repository-derived became markup: no element, no script link, no mention, no HTML comment but ours. */
function expectInert(markdown: string): void {
  const html = rendered(markdown);
  expect(html).not.toMatch(/<img/i);
  expect(html).not.toMatch(/href="javascript:/i);
  expect(markdown).not.toMatch(/@everyone/);
  expect(markdown).toContain('@\u2060everyone');
  const ours = (markdown.match(/^<!-- shipready:[a-z]+(=[\w-]+)? -->$/gm) ?? []).length;
  expect((markdown.match(/^<!--/gm) ?? []).length).toBe(ours);
  expect((html.match(/<!--/g) ?? []).length).toBe(ours);
}

describe('issue links, silencing and hostile text', () => {
  it('links the docs (shipready’s own by default, or the configured base), the commit and the Check Run', () => {
    const issue = renderCheckIssue(check('actions-pinned', 'fail', 'high', findings), CTX);
    const docs = `${TOOL_LINKS.docsBaseUrl}checks/workflows/actions-pinned.md`;
    expect(TOOL_LINKS.docsBaseUrl).toMatch(/^https:\/\/github\.com\/.+\/blob\/v\d/);
    expect(issue.body).toContain(`[actions-pinned title](${docs})`);
    expect(issue.body).toContain(`[About “actions-pinned title”](${docs})`);
    expect(issue.body).toContain(`at [1234567](https://github.com/octo/app/commit/${SHA})`);
    expect(issue.body).toContain(`[the checks of that commit](https://github.com/octo/app/commit/${SHA}/checks)`);
    const configured = renderCheckIssue(check('actions-pinned', 'fail', 'high', findings), {
      ...CTX,
      serverUrl: 'https://ghe.example.com/',
      docsBaseUrl: 'https://docs.example.com/shipready',
      checkRunUrl: 'https://ghe.example.com/octo/app/runs/42',
    });
    expect(configured.body).toContain(
      '[About “actions-pinned title”](https://docs.example.com/shipready/checks/workflows/actions-pinned.md)',
    );
    expect(configured.body).toContain(`[1234567](https://ghe.example.com/octo/app/commit/${SHA})`);
    expect(configured.body).toContain('[the Check Run](https://ghe.example.com/octo/app/runs/42)');
  });

  it('says how to silence a repository-setting check: in the config, not with an inline comment', () => {
    const issue = renderCheckIssue(
      {
        ...check('secret-scanning-enabled', 'fail'),
        category: 'security',
        docs: 'checks/security/secret-scanning-enabled.md',
        readsSettings: true,
      },
      CTX,
    );
    const silence = issue.body.slice(issue.body.indexOf('## How to silence it'));
    expect(silence).toContain(
      'This check is about a repository setting, so there is no line to put an ignore comment on.',
    );
    expect(silence).toContain('checks:\n  secret-scanning-enabled: off   # or a lower severity: medium, low\n');
    expect(silence).toContain('`.github/shipready.yml`');
    expect(silence).not.toContain('shipready-ignore');
    expect(issue.body).toContain(
      `. Details are in [the checks of that commit](https://github.com/octo/app/commit/${SHA}/checks).`,
    );
  });

  it('gives an ignore comment for a file finding that the suppression parser really accepts, in the file’s comment syntax', () => {
    for (const [path, comment] of [
      ['.github/workflows/ci.yml', '# shipready-ignore x-check: <why this is fine here>'],
      ['src/server.ts', '// shipready-ignore x-check: <why this is fine here>'],
      ['docs/setup.md', '<!-- shipready-ignore x-check: <why this is fine here> -->'],
      ['Dockerfile.prod', '# shipready-ignore x-check: <why this is fine here>'],
    ] as const) {
      const issue = renderCheckIssue(check('x-check', 'fail', 'high', [{ message: 'm', path, line: 3 }]), CTX);
      expect(issue.body).toContain(`above line 3 of \`${path}\`:\n\n\`\`\`\n${comment}\n\`\`\``);
      const file = ['one', 'two', comment, 'the finding'];
      expect(findSuppression(file, 4, 'x-check')).toBe('<why this is fine here>');
    }
    const json = renderCheckIssue(
      check('x-check', 'fail', 'high', [{ message: 'm', path: 'package.json', line: 3 }]),
      CTX,
    );
    expect(json.body).toContain('A finding in a plain JSON file cannot be ignored inline: JSON has no comments.');
    expect(json.body).not.toContain('shipready-ignore');
    const wholeFile = renderCheckIssue(check('x-check', 'fail', 'high', [{ message: 'm', path: 'Dockerfile' }]), CTX);
    expect(wholeFile.body).toContain('This check is about whole files, not lines');
  });

  it('keeps hostile finding messages, paths, summaries and project paths inert in the issue, its comments and the dashboard', () => {
    const hostile: CheckReport = {
      ...check('actions-pinned', 'fail', 'high', [
        { message: HOSTILE, path: HOSTILE_PATH, line: 2 },
        { message: HOSTILE },
        { message: HOSTILE, path: 'a.yml', line: 1, suppressed: { reason: HOSTILE } },
      ]),
      summary: HOSTILE,
    };
    const projects = [{ path: HOSTILE_PATH, summary: HOSTILE }];
    const issue = renderCheckIssue(hostile, { ...CTX, projects });
    expectInert(issue.body);
    expect(parseIssueMarkers(issue.body).checkId).toBe('actions-pinned');
    expect(issue.body).toContain(
      '@\u2060everyone see \\[here\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\>',
    );
    expect(issue.body).toContain(
      `[\`<img src=x onerror=alert(1)>.yml:2\`](https://github.com/octo/app/blob/${SHA}/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.yml#L2)`,
    );
    expectInert(renderReopenComment(hostile, { ...CTX, projects }));
    expectInert(renderCloseComment({ ...hostile, outcome: 'pass' }, CTX));
    expectInert(
      renderDashboardIssue(report([hostile, { ...check('codeowners-present', 'warn'), summary: HOSTILE }]), CTX).body,
    );
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

  it('orders what it files by severity, then checks pointing at a file and line before settings', () => {
    const onLine: Finding[] = [{ message: 'here', path: 'Dockerfile', line: 3 }];
    const ordered = collectIssueSubjects(
      report([
        check('a-setting', 'fail', 'high'),
        check('b-whole-file', 'fail', 'high', [{ message: 'no line', path: 'README.md' }]),
        check('m-file', 'fail', 'medium', onLine),
        check('z-file', 'fail', 'high', onLine),
        check('c-critical-setting', 'fail', 'critical'),
        check('y-suppressed', 'fail', 'high', [{ ...onLine[0], suppressed: { reason: 'ok' } }, { message: 'x' }]),
      ]),
      'low',
    );
    expect(ordered.map((subject) => subject.check.id)).toEqual([
      'c-critical-setting',
      'z-file',
      'a-setting',
      'b-whole-file',
      'y-suppressed',
      'm-file',
    ]);
    const plan = planIssues(report(ordered.map((subject) => subject.check)), CTX, {
      mode: 'per-check',
      minSeverity: 'low',
    });
    expect(plan.desired.map((issue) => issue.key)).toEqual(ordered.map((subject) => subject.check.id));
  });

  it('plans a reopen comment that says what regressed and where, with links, capped', () => {
    const many: Finding[] = Array.from({ length: 15 }, (_, index) => ({
      message: `unpinned ${index}`,
      path: '.github/workflows/ci.yml',
      line: index + 1,
    }));
    const plan = planIssues(report([check('actions-pinned', 'fail', 'high', many)]), CTX, {
      mode: 'per-check',
      minSeverity: 'high',
    });
    const comment = plan.desired[0].reopenComment;
    expect(comment).toContain(
      `**actions-pinned title** (\`actions-pinned\`) fails again as of [1234567](https://github.com/octo/app/commit/${SHA}): actions-pinned is fail`,
    );
    expect(comment).toContain('Where (15 findings):');
    expect(comment).toContain(
      `- [\`.github/workflows/ci.yml:1\`](https://github.com/octo/app/blob/${SHA}/.github/workflows/ci.yml#L1): unpinned 0`,
    );
    expect(comment).toContain(': unpinned 9\n- … and 5 more, listed in the description above');
    expect(comment).not.toContain('unpinned 10');
    expect(comment).toContain(`[the checks of that commit](https://github.com/octo/app/commit/${SHA}/checks)`);
    const dashboard = planIssues(report([check('actions-pinned', 'fail', 'high', many)]), CTX, {
      mode: 'dashboard',
      minSeverity: 'high',
    });
    expect(dashboard.desired[0].reopenComment).toContain('1 check fails again as of [1234567]');
    expect(dashboard.desired[0].reopenComment).toContain(
      '- `actions-pinned` (high): actions-pinned is fail — [`.github/workflows/ci.yml:1`]',
    );
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
    expect(dashboard.body).toContain(
      `- [ ] **The repository has no README** [\`readme-present\`](${TOOL_LINKS.docsBaseUrl}checks/foundations/readme-present.md): `,
    );
    expect(dashboard.body).toContain(`default branch at [1234567](https://github.com/octo/app/commit/${SHA})`);
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
