import { describe, expect, it } from '@jest/globals';
import readmePresent from '../../checks/foundations/readme-present.js';
import { compareReports, decideGate, type GateConfig } from '../../src/engine/compare.js';
import { decideVerdict, rate, summarizeCategories, weightedScore } from '../../src/engine/scoring.js';
import type { Category, Finding, Outcome, Severity } from '../../src/engine/types.js';
import {
  ACTION_FILE_ISSUES,
  ACTION_PREVIEW_ISSUES,
  GITHUB_LIMITS,
  chunkAnnotations,
  fitLines,
  renderCheckRun,
  type LinkContext,
} from '../../src/report/check-run.js';
import type { CheckReport, Report } from '../../src/report/types.js';
import { runChecks } from '../helpers/run-check.js';

const SHA = 'c0ffee'.padEnd(40, '0');
const LINKS: LinkContext = { repository: 'octo/app', sha: SHA };
const GATE: GateConfig = { mode: 'regressions', failOn: 'high' };

type Spec = [id: string, outcome: Outcome, severity?: Severity, extra?: Partial<CheckReport>];

function check([id, outcome, severity = 'high', extra = {}]: Spec): CheckReport {
  return {
    id,
    category: (extra.category ?? 'workflows') as Category,
    severity,
    title: `${id} title`,
    outcome,
    score: outcome === 'pass' ? 1 : outcome === 'fail' ? 0 : outcome === 'warn' ? 0.5 : null,
    summary: `${id} is ${outcome}`,
    findings: [],
    remediation: `Change the line:\n\n\`\`\`yaml\npermissions: read-all\n\`\`\``,
    docs: `checks/workflows/${id}.md`,
    ...extra,
  };
}

function report(specs: Spec[], warnings: string[] = []): Report {
  const checks = specs.map(check);
  const score = weightedScore(checks);
  return {
    schemaVersion: 1,
    tool: { name: 'shipready', version: '0.0.0-test' },
    target: { source: 'github', repository: 'octo/app', sha: SHA },
    profile: 'service',
    profileReason: 'deployment file Dockerfile',
    ecosystems: ['node'],
    score,
    rating: rate(score),
    verdict: decideVerdict(score, checks),
    coverage: { scored: checks.filter((entry) => entry.score !== null).length, total: checks.length },
    categories: summarizeCategories(checks),
    checks,
    warnings,
  };
}

function render(head: Report, base?: Report, extra: Partial<Parameters<typeof renderCheckRun>[0]> = {}) {
  const comparison = compareReports(head, base);
  const gate = decideGate({ head, comparison, gate: GATE });
  return renderCheckRun({ report: head, comparison, gate, links: LINKS, ...extra });
}

const pinned: Finding[] = [
  { message: 'actions/checkout@v4 is not pinned to a commit SHA', path: '.github/workflows/ci.yml', line: 12 },
  { message: 'docker/login-action@v3 is not pinned', path: '.github/workflows/release.yml', line: 30, endLine: 32 },
  { message: 'accepted', path: '.github/workflows/ci.yml', line: 40, suppressed: { reason: 'first-party action' } },
];

describe('renderCheckRun', () => {
  const base = report([
    ['actions-pinned', 'pass'],
    ['token-permissions', 'fail'],
    ['codeowners-present', 'fail', 'medium'],
    ['secret-scanning-enabled', 'not-supported', 'critical'],
    ['container-non-root-user', 'not-applicable'],
  ]);
  const head = report(
    [
      ['actions-pinned', 'fail', 'high', { findings: pinned }],
      ['token-permissions', 'pass'],
      ['codeowners-present', 'fail', 'medium'],
      [
        'secret-scanning-enabled',
        'not-supported',
        'critical',
        { summary: 'needs the "Secret scanning alerts" permission' },
      ],
      ['container-non-root-user', 'not-applicable', 'high', { summary: 'no Dockerfile' }],
    ],
    ['the file tree was truncated by the source'],
  );

  it('titles the run with score, rating and what the PR changed', () => {
    const output = render(head, base);
    expect(output.title).toBe(`✗ 1 high regression · fixes 1 check · ${head.score}/100 · ${head.rating}`);
    expect(render(head).title).toBe(`✗ 2 failing checks · ${head.score}/100 · ${head.rating}`);
    expect(render(base, base).title).toBe(`✗ no change · ${base.score}/100 · ${base.rating}`);
  });

  it('summarises score, delta, verdict, what broke and what was fixed, categories and what is not covered', () => {
    const output = render(head, base, { configNote: 'Evaluated with `.github/shipready.yml` from this pull request.' });
    expect(head.score).toBe(base.score);
    expect(output.summary).toContain(
      `## Readiness **${head.score}/100** · poor (unchanged from the base, ${base.score})`,
    );
    expect(output.summary).toContain('**Gate:** ❌ fails');
    expect(output.summary).toMatch(
      /### What this PR broke\n\n- ❌ \*\*actions-pinned title\*\* `actions-pinned` · high · pass → fail/,
    );
    expect(output.summary).toMatch(/### What this PR fixed or improved\n\n- ✅ \*\*token-permissions title\*\*/);
    expect(output.summary).toContain('| GitHub Actions hardening |');
    expect(output.summary).toContain('The score covers 3 of 5 checks.');
    expect(output.summary).toContain('`secret-scanning-enabled` — needs the "Secret scanning alerts" permission');
    expect(output.summary).toContain('`container-non-root-user` — no Dockerfile');
    expect(output.summary).toContain('the file tree was truncated by the source');
    expect(output.summary).toContain('> ⚙️ Evaluated with `.github/shipready.yml` from this pull request.');
    expect(output.summary).toContain('Already on the base, not blamed on this PR: 1 failing check.');
  });

  it('does not call a failure the base could not tell a regression', () => {
    const before = report([
      ['secret-scanning-enabled', 'not-supported', 'critical'],
      ['dockerfile-runs-as-non-root', 'not-applicable'],
    ]);
    const after = report([
      ['secret-scanning-enabled', 'fail', 'critical'],
      ['dockerfile-runs-as-non-root', 'fail'],
    ]);
    const output = render(after, before);
    // The critical the base could not tell is named, not counted as a regression (nor as "still" failing).
    expect(output.title).toBe('✗ 1 high regression · critical: secret-scanning-enabled title fails · 0/100 · poor');
    expect(output.summary).toMatch(
      /### New problems this PR brings in\n\n- ❌ \*\*dockerfile-runs-as-non-root title\*\* `dockerfile-runs-as-non-root` · high · not-applicable → fail/,
    );
    expect(output.summary).toMatch(
      /### Failing now, unknown on the base\n\n- ❌ \*\*secret-scanning-enabled title\*\* `secret-scanning-enabled` · critical · not-supported → fail/,
    );
  });

  it('shows the score delta with its sign', () => {
    const before = report([
      ['a', 'pass'],
      ['b', 'pass', 'low'],
    ]);
    const after = report([
      ['a', 'pass'],
      ['b', 'fail', 'low'],
    ]);
    expect(render(after, before).summary).toContain(
      `## Readiness **${after.score}/100** · acceptable (−${100 - (after.score ?? 0)} from 100 on the base)`,
    );
    expect(render(before, after).summary).toContain(`(+${100 - (after.score ?? 0)} from ${after.score} on the base)`);
    expect(render(after).summary).not.toContain('on the base');
  });

  it('details each failing check with findings linked at the commit, suppressed ones apart, and the remediation', () => {
    const { text } = render(head, base);
    expect(text).toContain(
      `[\`.github/workflows/ci.yml:12\`](https://github.com/octo/app/blob/${SHA}/.github/workflows/ci.yml#L12): actions/checkout@v4`,
    );
    expect(text).toContain(`(https://github.com/octo/app/blob/${SHA}/.github/workflows/release.yml#L30-L32)`);
    expect(text).toContain('1 suppressed finding');
    expect(text).toContain('accepted — suppressed: first-party action');
    expect(text).toContain('permissions: read-all');
    // The regression comes before the pre-existing failure.
    expect(text.indexOf('actions-pinned title')).toBeLessThan(text.indexOf('codeowners-present title'));
  });

  it('annotates open findings with lines, by outcome and severity, and never suppressed ones', () => {
    const { annotations } = render(head, base);
    expect(annotations).toEqual([
      expect.objectContaining({
        path: '.github/workflows/ci.yml',
        start_line: 12,
        end_line: 12,
        annotation_level: 'failure',
        title: 'actions-pinned title (actions-pinned)',
      }),
      expect.objectContaining({
        path: '.github/workflows/release.yml',
        start_line: 30,
        end_line: 32,
        annotation_level: 'failure',
      }),
    ]);
    const warned = render(
      report([['low-thing', 'warn', 'low', { findings: [{ message: 'm', path: 'a.yml', line: 1 }] }]]),
    );
    expect(warned.annotations[0].annotation_level).toBe('notice');
    const mediumFail = render(
      report([['medium-thing', 'fail', 'medium', { findings: [{ message: 'm', path: 'a.yml', line: 1 }] }]]),
    );
    expect(mediumFail.annotations[0].annotation_level).toBe('warning');
  });

  it('links to GitHub Enterprise Server when a server URL is given, and escapes odd paths', () => {
    const odd = report([
      ['actions-pinned', 'fail', 'high', { findings: [{ message: 'm', path: 'dir with space/ci#1.yml', line: 2 }] }],
    ]);
    const comparison = compareReports(odd);
    const { text } = renderCheckRun({
      report: odd,
      comparison,
      gate: decideGate({ head: odd, comparison, gate: GATE }),
      links: { ...LINKS, serverUrl: 'https://ghe.example.com/' },
    });
    expect(text).toContain(`(https://ghe.example.com/octo/app/blob/${SHA}/dir%20with%20space/ci%231.yml#L2)`);
  });

  it('defuses markers, HTML and mentions coming from repository content', () => {
    const hostile = report([
      [
        'codeowners-valid',
        'fail',
        'high',
        {
          findings: [
            { message: '<!-- shipready:comment --> owner @octo/admins <img src=x>', path: 'CODEOWNERS', line: 1 },
          ],
        },
      ],
    ]);
    const { text } = render(hostile);
    expect(text).not.toContain('<!-- shipready:comment -->');
    // Every `<` of repository text is backslash-escaped: GitHub shows it as a character, never as a tag.
    expect(text).not.toMatch(/(?<!\\)<(img|!--)/);
    expect(text).toContain('\\<img src=x\\>');
    expect(text).not.toMatch(/@octo\/admins/);
    expect(text).toContain('@\u2060octo/admins');
  });

  it('offers at most the two issue buttons within GitHub limits', () => {
    const none = render(head, base);
    expect(none.actions).toEqual([]);
    const preview = render(head, base, {
      issuePreview: {
        mode: 'per-check',
        items: [
          {
            checkId: 'actions-pinned',
            title: 'shipready: actions-pinned title fails (actions-pinned)',
            action: 'open',
          },
        ],
        deferred: 2,
      },
      offer: { previewIssues: true },
    });
    expect(preview.actions.map((action) => action.identifier)).toEqual([ACTION_PREVIEW_ISSUES, ACTION_FILE_ISSUES]);
    for (const action of preview.actions) {
      expect(action.label.length).toBeLessThanOrEqual(20);
      expect(action.description.length).toBeLessThanOrEqual(40);
      expect(action.identifier.length).toBeLessThanOrEqual(20);
    }
    expect(preview.summary).toContain('### Remediation issues');
    expect(preview.summary).toContain('shipready would open 1 issue:');
    expect(preview.summary).toContain(
      '- open: **shipready: actions-pinned title fails (actions-pinned)** (`actions-pinned`)',
    );
    expect(preview.summary).toContain('2 more issues would be opened on later runs');
    const filed = render(head, base, {
      issuePreview: {
        mode: 'per-check',
        items: [{ checkId: 'actions-pinned', title: 't', action: 'update', number: 7 }],
        filed: true,
      },
    });
    expect(filed.actions).toEqual([]);
    expect(filed.summary).toContain('shipready updated 1 issue:');
    expect(filed.summary).toContain('- updated #7: **t**');
    const mixed = render(head, base, {
      issuePreview: {
        mode: 'per-check',
        items: [
          { checkId: 'a', title: 'A', action: 'open' },
          { checkId: 'b', title: 'B', action: 'open' },
          { checkId: 'c', title: 'C', action: 'update', number: 3 },
          { checkId: 'd', title: 'D', action: 'close', number: 4 },
          { checkId: 'e', title: 'E', action: 'unchanged', number: 5 },
        ],
      },
    });
    expect(mixed.summary).toContain('shipready would open 2 issues, update 1 and close 1:');
    expect(mixed.summary).not.toContain('(`e`)');
    const quiet = render(head, base, {
      issuePreview: { mode: 'per-check', items: [{ checkId: 'e', title: 'E', action: 'unchanged' }], filed: true },
    });
    expect(quiet.summary).toContain('The remediation issues are up to date.');
  });

  it('renders a real engine report (README missing) without a base', async () => {
    const real = await runChecks([readmePresent], { 'package.json': '{"name":"x"}' });
    const output = render(real);
    expect(output.title).toBe('✗ 1 failing check · 0/100 · poor');
    expect(output.text).toContain('README present');
    expect(output.text).toContain('add README.md at the repository root');
    expect(output.summary).toContain('### Failing and warning checks');
    expect(output.annotations).toEqual([]);
  });
});

describe('GitHub limits with huge reports', () => {
  function huge(checks: number, findingsPerCheck: number, messageLength = 200): Report {
    const specs: Spec[] = [];
    for (let index = 0; index < checks; index += 1) {
      const findings: Finding[] = Array.from({ length: findingsPerCheck }, (_, line) => ({
        message: `finding ${line} of check ${index}: ${'x'.repeat(messageLength)} ✓ 🚀`,
        path: `.github/workflows/w${index}.yml`,
        line: line + 1,
      }));
      specs.push([
        `check-${index}`,
        index % 3 === 0 ? 'warn' : 'fail',
        (['critical', 'high', 'medium', 'low'] as const)[index % 4],
        { findings, title: `T${index} ${'long title '.repeat(40)}` },
      ]);
    }
    return report(
      specs,
      Array.from({ length: 500 }, (_, index) => `warning ${index}`),
    );
  }

  it('keeps summary and text within 65,535 bytes, cut at a line with a note, with balanced code fences', () => {
    const head = huge(300, 20);
    const base = report(head.checks.map((entry): Spec => [entry.id, 'pass', entry.severity]));
    const output = render(head, base);
    for (const field of [output.summary, output.text]) {
      expect(Buffer.byteLength(field, 'utf8')).toBeLessThanOrEqual(GITHUB_LIMITS.text);
      expect((field.match(/^\s*```/gm) ?? []).length % 2).toBe(0);
      expect((field.match(/^<details>/gm) ?? []).length).toBe((field.match(/^<\/details>/gm) ?? []).length);
    }
    expect(output.title.length).toBeLessThanOrEqual(255);
  });

  it('cuts the detail text between whole sections and names exactly the checks it left out', () => {
    const head = huge(300, 20);
    const base = report(head.checks.map((entry): Spec => [entry.id, 'pass', entry.severity]));
    const { text, summary } = render(head, base);
    const sections = text.split('\n').filter((line) => line.startsWith('### '));
    const detailed = sections.map((line) => /`(check-\d+)`/.exec(line)![1]);
    // Every section that starts also ends: its "How to fix" closes, and no <details> is left empty.
    expect((text.match(/^<\/details>/gm) ?? []).length).toBe(sections.length);
    expect(text).not.toMatch(/<details><summary>How to fix<\/summary>\n\n<\/details>/);
    const note =
      /This text details (\d+) checks and stops at GitHub's limit of 65,535 characters\. (\d+) more checks, none more severe than those above, are not detailed here: (.*)\./.exec(
        text,
      );
    expect(note).not.toBeNull();
    expect(Number(note![1])).toBe(detailed.length);
    expect(Number(note![2])).toBe(300 - detailed.length);
    // The note names the first checks left out, in order, and none of the detailed ones.
    const named = [...note![3].matchAll(/`(check-\d+)`/g)].map((match) => match[1]);
    expect(named).toHaveLength(20);
    for (const id of named) expect(detailed).not.toContain(id);
    // Lists ordered by severity: nothing left out is more severe than the last check detailed.
    const rank = { critical: 4, high: 3, medium: 2, low: 1 } as const;
    const severityOf = (id: string) => head.checks.find((check) => check.id === id)!.severity;
    const lastDetailed = rank[severityOf(detailed.at(-1)!)];
    for (const id of named) expect(rank[severityOf(id)]).toBeLessThanOrEqual(lastDetailed);
    // The summary's cut list does not send the reader to details that are not there.
    expect(detailed.length).toBeLessThan(25);
    expect(summary).toContain(
      '- … and 275 more checks, none more severe than those above (50 critical, 75 high, 75 medium, 75 low): `npx shipready scan .` lists them.',
    );
    expect(summary).not.toContain('detailed below');
  });

  it('caps annotations at 200 by default, says how many were left out, and chunks them by 50', () => {
    const head = huge(100, 50, 20);
    const output = render(head);
    expect(output.annotations).toHaveLength(200);
    expect(output.annotationsOmitted).toBe(100 * 50 - 200);
    expect(output.text).toContain(`${100 * 50 - 200} more findings with a line were not annotated`);
    for (const annotation of output.annotations) {
      expect(annotation.title.length).toBeLessThanOrEqual(GITHUB_LIMITS.annotationTitle);
      expect(annotation.message.length).toBeLessThanOrEqual(GITHUB_LIMITS.annotationMessage);
    }
    // The most severe failing checks come first under the cap.
    expect(output.annotations[0].annotation_level).toBe('failure');
    const chunks = chunkAnnotations(output.annotations, 50);
    expect(chunks.map((chunk) => chunk.length)).toEqual([50, 50, 50, 50]);
    expect(chunks.flat()).toEqual(output.annotations);
    expect(chunkAnnotations(output.annotations, 500)[0]).toHaveLength(50);
    expect(chunkAnnotations([], 50)).toEqual([]);
  });

  it('survives a single enormous finding message and an enormous summary', () => {
    const giant = 'y'.repeat(300_000);
    const head = report([
      ['a', 'fail', 'high', { summary: giant, findings: [{ message: giant, path: 'a.yml', line: 1 }] }],
    ]);
    const output = render(head);
    expect(Buffer.byteLength(output.summary)).toBeLessThanOrEqual(GITHUB_LIMITS.text);
    expect(Buffer.byteLength(output.text)).toBeLessThanOrEqual(GITHUB_LIMITS.text);
    expect(output.annotations[0].message.length).toBeLessThanOrEqual(4000);
  });

  it('fitLines keeps what fits and ends with the note', () => {
    const lines = Array.from({ length: 100 }, (_, index) => `line ${index}`);
    const out = fitLines(lines, 200, (omitted) => `cut ${omitted}`);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out).toMatch(/^line 0\nline 1\n/);
    expect(out).toMatch(/cut \d+$/);
    expect(fitLines(['short'], 200, () => 'never')).toBe('short');
    const nested = [
      '<details><summary>x</summary>',
      '',
      '```yaml',
      ...Array.from({ length: 50 }, (_, index) => `key${index}: value`),
      '```',
      '</details>',
    ];
    const cut = fitLines(nested, 300, (omitted) => `cut ${omitted}`);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/```\n<\/details>\n\ncut \d+$/);
  });
});

describe('with the whole catalog on a real engine report', () => {
  it('renders base → head of a PR that adds an unpinned, over-privileged workflow, within limits', async () => {
    const { allChecks } = await import('../../checks/index.js');
    const files = {
      'package.json': JSON.stringify({
        name: 'svc',
        version: '1.0.0',
        scripts: { test: 'jest' },
        dependencies: { express: '^4.0.0' },
      }),
      'README.md': '# svc\n\nA small service.\n',
      'src/index.js': 'console.log(1)\n',
    };
    const workflow = [
      'name: ci',
      'on: [push, pull_request_target]',
      'permissions: write-all',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: npm test',
      '',
    ].join('\n');
    const base = await runChecks(allChecks, files);
    const head = await runChecks(allChecks, { ...files, '.github/workflows/ci.yml': workflow });
    const comparison = compareReports(head, base);
    const gate = decideGate({ head, comparison, gate: GATE });
    const output = renderCheckRun({ report: head, comparison, gate, links: LINKS });
    expect(output.title).toMatch(/^✗ \d+ regressions \(\d+ \w+\) · .*\d+\/100 · [a-z-]+$/);
    expect(Buffer.byteLength(output.summary)).toBeLessThanOrEqual(GITHUB_LIMITS.text);
    expect(Buffer.byteLength(output.text)).toBeLessThanOrEqual(GITHUB_LIMITS.text);
    expect(output.summary).toContain(`The score covers ${head.coverage.scored} of ${head.coverage.total} checks.`);
    const onWorkflow = output.annotations.filter((annotation) => annotation.path === '.github/workflows/ci.yml');
    expect(onWorkflow.length).toBeGreaterThan(0);
    for (const annotation of output.annotations) {
      expect(annotation.start_line).toBeGreaterThanOrEqual(1);
      expect(annotation.end_line).toBeGreaterThanOrEqual(annotation.start_line);
      expect(annotation.title.length).toBeLessThanOrEqual(GITHUB_LIMITS.annotationTitle);
    }
    // Every annotation on the new workflow points at one of its lines.
    for (const annotation of onWorkflow) expect(annotation.start_line).toBeLessThanOrEqual(10);
  });
});

describe('what the score does not cover', () => {
  it('groups checks that give the same reason on one line', () => {
    const why = 'no Dockerfile found';
    const head = report([
      ['dockerfile-healthcheck', 'not-applicable', 'medium', { summary: why }],
      ['dockerfile-multi-stage', 'not-applicable', 'medium', { summary: why }],
      ['k8s-workloads-hardened', 'not-applicable', 'medium', { summary: 'no manifests' }],
      ['boom', 'error', 'high', { summary: 'the check failed: bad input' }],
      ['a', 'pass'],
    ]);
    const { summary } = render(head);
    expect(summary).toContain('The score covers 1 of 5 checks.');
    expect(summary).toContain(
      '**1 could not be evaluated (an error in the check):**\n- 💥 `boom` — the check failed: bad input',
    );
    expect(summary).toContain('**3 do not apply to this repository:**');
    expect(summary).toContain('- ➖ `dockerfile-healthcheck`, `dockerfile-multi-stage` — no Dockerfile found');
    expect(summary).toContain('- ➖ `k8s-workloads-hardened` — no manifests');
  });
});

describe('check run profile line', () => {
  it('says which profile was detected and why, with repository text made inline', () => {
    const head = {
      ...report([]),
      profile: 'library' as const,
      profileReason: 'packages/<b>vite</b>/package.json ("exports")',
    };
    const { summary } = render(head);
    expect(summary).toContain('**Profile:** library — packages/\\<b\\>vite\\</b\\>/package.json ("exports")');
  });
});
