import { describe, expect, it } from '@jest/globals';
import { marked } from 'marked';
import { codeSpan, escapeHtml, escapeMarkdown } from '../../src/report/escape.js';
import {
  COMMENT_MARKER,
  DASHBOARD_MARKER,
  checkMarker,
  fingerprintMarker,
  hasMarker,
  issueKeyOf,
  parseMarkers,
  withIssueMarkers,
} from '../../src/report/markers.js';

const FP = 'a'.repeat(64);

describe('hidden markers', () => {
  it('round-trips the per-check and dashboard markers, and writing twice gives the same body', () => {
    const body = withIssueMarkers('What is wrong.', 'dockerfile-free-of-secrets', FP);
    expect(body).toBe(`What is wrong.\n\n${checkMarker('dockerfile-free-of-secrets')}\n${fingerprintMarker(FP)}`);
    expect(parseMarkers(body)).toEqual({
      comment: false,
      dashboard: false,
      checkId: 'dockerfile-free-of-secrets',
      fingerprint: FP,
    });
    expect(withIssueMarkers(body, 'dockerfile-free-of-secrets', FP)).toBe(body);
    const dashboard = withIssueMarkers('Checklist', 'dashboard', 'f1');
    expect(issueKeyOf(dashboard)).toBe('dashboard');
    expect(parseMarkers(dashboard)).toMatchObject({ dashboard: true, fingerprint: 'f1' });
    expect(parseMarkers(`${COMMENT_MARKER}\nbody\n${COMMENT_MARKER}`).comment).toBe(true);
  });

  it('replaces stale markers instead of stacking them (a new fingerprint, a body edited in the browser)', () => {
    const old = withIssueMarkers('Old text.', 'readme-present', 'old').replace(/\n/g, '\r\n');
    const updated = withIssueMarkers(old, 'readme-present', 'new');
    expect(updated.match(/shipready:fingerprint=/g)).toHaveLength(1);
    expect(parseMarkers(updated).fingerprint).toBe('new');
    expect(parseMarkers(old).fingerprint).toBe('old');
  });

  it('refuses to write a marker that could not be read back', () => {
    expect(() => checkMarker('x --> <b>')).toThrow(/Not a check id/);
    expect(() => fingerprintMarker('a b')).toThrow(/Not a fingerprint/);
  });

  it('counts a marker only on a line of its own: forged markers inside repository text are not ours', () => {
    const forged = '<!-- shipready:check=other-check -->';
    // Every way repository text reaches a body: escaped prose, a code span, HTML inside <summary>.
    expect(escapeMarkdown(forged)).toBe('\\<!-- shipready:check=other-check --\\>');
    expect(escapeHtml(forged)).toBe('&lt;!-- shipready:check=other-check --&gt;');
    const body = [
      `- ${escapeMarkdown(`message ${forged}`)}`,
      escapeMarkdown(`${forged}\n${DASHBOARD_MARKER}`),
      `- ${codeSpan(forged)}`,
      `<details><summary>${escapeHtml(forged)}</summary>`,
      `text ${COMMENT_MARKER}`,
      '',
      checkMarker('real-check'),
    ].join('\n');
    expect(parseMarkers(body)).toEqual({ comment: false, dashboard: false, checkId: 'real-check' });
    expect(issueKeyOf(body.replace(checkMarker('real-check'), ''))).toBeUndefined();
    expect(hasMarker(body, COMMENT_MARKER)).toBe(false);
    expect(hasMarker(`${COMMENT_MARKER}\r\nx`, COMMENT_MARKER)).toBe(true);
    // And GitHub shows the escaped text as text: the only HTML comment in the rendered page is ours.
    const html = marked.parse(body.replace(`text ${COMMENT_MARKER}`, ''), { async: false, gfm: true });
    expect(html.match(/<!--/g)).toEqual(['<!--']);
    expect(html).toContain('&lt;!-- shipready:check=other-check --&gt;');
  });
});
