/**
 * Issue #7 point 8: hostile repository text through every published surface. Each renderer gets a report whose
 * paths, finding messages, summaries, config values and project names carry HTML, links, mentions and Markdown
 * emphasis; the Markdown is rendered (GFM, as GitHub would) and the result must show the text as text: no tag, no
 * javascript: link, no mention, no italics or bold made of a glob or a dunder path, no forged hidden marker.
 */
import { describe, expect, it } from '@jest/globals';
import { marked } from 'marked';
import { compareReports, decideGate } from '../../src/engine/compare.js';
import { ConfigError } from '../../src/engine/errors.js';
import type { Finding } from '../../src/engine/types.js';
import { buildAnnotations, renderCheckRun } from '../../src/report/check-run.js';
import { renderConfigChanges, type ConfigChangePreview } from '../../src/report/config-changes.js';
import { renderConfigErrorCheckRun } from '../../src/report/config-error.js';
import {
  renderCheckIssue,
  renderCloseComment,
  renderDashboardIssue,
  renderReopenComment,
} from '../../src/report/issue-body.js';
import { renderIssuePreview } from '../../src/report/issue-preview.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { renderPrComment } from '../../src/report/pr-comment.js';
import type { Report } from '../../src/report/types.js';
import { GATE, LINKS, report, type Spec } from './report-fixtures.js';

const HOSTILE_FILE = '.github/workflows/<img src=x onerror=alert(1)>.yml';
const HOSTILE_PROJECT = 'packages/<img src=x onerror=alert(1)>';
const HOSTILE_TEXT =
  'ping @everyone and @acme/security-team: [click](javascript:alert(1)) or ](javascript:alert(1)) in docker-compose.*.yml and compose.*.yaml under __tests__/ <!-- shipready:comment --> <script>alert(1)</script> &lt;b&gt;';

const findings: Finding[] = [
  { message: HOSTILE_TEXT, path: HOSTILE_FILE, line: 3 },
  { message: `job \`__tests__\` in ${HOSTILE_TEXT}`, path: 'docker-compose.*.yml', line: 1 },
  { message: `repository-wide: ${HOSTILE_TEXT}` },
];

function hostileReport(outcome: 'fail' | 'pass'): Report {
  const specs: Spec[] = [
    ['workflow-permissions-restricted', outcome, 'high', outcome === 'fail' ? { summary: HOSTILE_TEXT, findings } : {}],
    ['no-committed-env-files', outcome, 'critical', outcome === 'fail' ? { summary: `in ${HOSTILE_FILE}` } : {}],
    ['compose-services-healthy', 'not-applicable', 'medium', { summary: `no compose file (${HOSTILE_TEXT})` }],
  ];
  const head = report(specs, [
    {
      path: HOSTILE_PROJECT,
      checks: [['tests-present', outcome, 'high', outcome === 'fail' ? { summary: HOSTILE_TEXT, findings } : {}]],
    },
  ]);
  return { ...head, profileReason: `deployment file ${HOSTILE_FILE}`, warnings: [HOSTILE_TEXT] };
}

/** Text nodes of the rendered HTML outside `<code>` (inside a code span, HTML, links and mentions are literal). */
function outsideCode(html: string): string {
  return html.replace(/<code>[\s\S]*?<\/code>/g, '');
}

/** What must hold for every Markdown surface: the hostile text is shown, never obeyed. */
function expectSafe(markdown: string, surface: string): void {
  const html = marked.parse(markdown, { gfm: true, async: false });
  // No element made of repository text: no image, script, and no event handler attribute.
  expect({ surface, tags: html.match(/<(img|script)\b[^>]*>/gi) ?? [] }).toEqual({ surface, tags: [] });
  expect({ surface, handler: /\sonerror=/i.test(html.replace(/&lt;[^&]*&gt;/g, '')) }).toEqual({
    surface,
    handler: false,
  });
  // No link to anything but http(s).
  expect({
    surface,
    links: [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]).filter((href) => !/^https?:/.test(href)),
  }).toEqual({ surface, links: [] });
  // No mention outside code: GitHub would notify them.
  const text = outsideCode(html);
  expect({ surface, mentions: text.match(/@(everyone|acme\/security-team)/g) ?? [] }).toEqual({
    surface,
    mentions: [],
  });
  // No emphasis made of a glob or a dunder path: they are shown literally.
  expect({
    surface,
    emphasis: text.match(/<(em|strong)>(\.yml and compose\.|tests|\.yaml)<\/(em|strong)>/g) ?? [],
  }).toEqual({
    surface,
    emphasis: [],
  });
  // Our hidden markers cannot be forged from repository text.
  expect(markdown.split('<!-- shipready:comment -->').length - 1).toBeLessThanOrEqual(surface === 'pr comment' ? 2 : 0);
}

describe('hostile repository text on every surface', () => {
  const base = hostileReport('pass');
  const head = hostileReport('fail');
  const comparison = compareReports(head, base);
  const gate = decideGate({ head, comparison, gate: GATE });

  it('Check Run: summary and detail text show it as text; the title and annotations stay plain text', () => {
    const run = renderCheckRun({
      report: head,
      comparison,
      gate,
      links: LINKS,
      configNote: `Evaluated with \`.github/shipready.yml\` from ${HOSTILE_TEXT}`,
      configChanges: {
        path: '.github/shipready.yml',
        changes: [{ kind: 'paths-ignored', key: 'ignore.paths', after: HOSTILE_TEXT, findingsHidden: 2 }],
        scoreWithBaseRules: 40,
        scoreWithPullRules: 60,
      },
    });
    expectSafe(run.summary, 'check run summary');
    expectSafe(run.text, 'check run text');
    // The glob and the dunder path are shown (escaped in the source, literal once rendered).
    expect(run.summary).toContain('docker-compose.\\*.yml');
    expect(run.text).toContain('\\_\\_tests\\_\\_/');
    expect(marked.parse(run.text, { async: false })).toContain(
      'docker-compose.*.yml and compose.*.yaml under __tests__/',
    );
    // Annotations are plain text on GitHub: kept literal (no backslashes), on the file's real path.
    const { annotations } = buildAnnotations(comparison);
    expect(annotations.map((annotation) => annotation.path)).toContain(HOSTILE_FILE);
    expect(annotations.find((annotation) => annotation.path === HOSTILE_FILE)!.message).toBe(HOSTILE_TEXT);
    expect(run.title).not.toMatch(/[\r\n]/);
  });

  it('PR comment', () => {
    const body = renderPrComment({ report: head, comparison, gate, links: LINKS });
    expectSafe(body, 'pr comment');
    expect(body.startsWith('<!-- shipready:comment -->\n')).toBe(true);
  });

  it('issue bodies and issue comments', () => {
    const failing = head.checks.find((check) => check.id === 'workflow-permissions-restricted')!;
    const issue = renderCheckIssue(failing, { ...LINKS, projects: [{ path: HOSTILE_PROJECT, summary: HOSTILE_TEXT }] });
    expectSafe(issue.body.replace(/<!-- shipready:[^>]*-->/g, ''), 'issue body');
    expect(issue.title).not.toMatch(/[\r\n]/);
    expectSafe(renderDashboardIssue(head, LINKS).body.replace(/<!-- shipready:[^>]*-->/g, ''), 'dashboard issue');
    expectSafe(
      renderReopenComment(failing, { ...LINKS, projects: [{ path: HOSTILE_PROJECT, summary: '' }] }),
      'reopen comment',
    );
    expectSafe(renderCloseComment({ ...failing, outcome: 'pass' }, LINKS), 'close comment');
  });

  it('issue preview in the Check Run (titles from the issues)', () => {
    const lines = renderIssuePreview({
      mode: 'per-check',
      items: [{ checkId: 'tests-present', title: HOSTILE_TEXT, action: 'open', number: 7, url: 'javascript:alert(1)' }],
    });
    expectSafe(lines.join('\n'), 'issue preview');
  });

  it('Markdown report', () => {
    expectSafe(renderMarkdown(head), 'markdown report');
  });

  it('config-changes preview', () => {
    const preview: ConfigChangePreview = {
      path: HOSTILE_FILE,
      changes: [
        { kind: 'check-off', checkId: 'tests-present', key: 'checks.tests-present', before: 'high', after: 'off' },
        { kind: 'paths-ignored', key: 'ignore.paths', after: HOSTILE_TEXT, findingsHidden: 1 },
        { kind: 'other', key: HOSTILE_TEXT, before: HOSTILE_TEXT, after: '`</code><b>x`' },
      ],
      scoreWithBaseRules: 40,
      scoreWithPullRules: 70,
    };
    expectSafe(renderConfigChanges(preview).join('\n'), 'config changes');
  });

  it('invalid-config text', () => {
    const error = new ConfigError(HOSTILE_FILE, [
      { key: `checks.${HOSTILE_TEXT}`, message: `unknown check id ${HOSTILE_TEXT}`, line: 2 },
    ]);
    const output = renderConfigErrorCheckRun(error);
    expectSafe(output.summary, 'invalid config summary');
  });
});
