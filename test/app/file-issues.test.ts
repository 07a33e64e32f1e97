import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { toPreview } from '../../src/app/evaluate-flow.js';
import { defineCheck, result } from '../../src/engine/define-check.js';
import { forgetKnownLabels, summarizeReconcile } from '../../src/github/issues.js';
import { renderIssuePreview } from '../../src/report/issue-preview.js';
import { API, capture, createTestApp, fixture, mockNoConfig, mockToken, useNock } from './harness.js';

useNock({ beforeEach, afterEach, expect });
beforeEach(() => forgetKnownLabels());

const ELECTRON = '/repos/electron/electron';
const ISSUES_QUERY = {
  state: 'all',
  sort: 'created',
  direction: 'asc',
  creator: 'electron-cation[bot]',
  per_page: '100',
  page: '1',
};

/** Twelve failing high checks: more than `issues.max` (5 by default) can open in one run. */
const twelve = Array.from({ length: 12 }, (_, index) => {
  const id = `test-file-${String(index + 1).padStart(2, '0')}`;
  return defineCheck({
    id,
    category: 'foundations',
    severity: 'high',
    title: `Thing ${index + 1} present`,
    description: `Thing ${index + 1}.`,
    rationale: 'Needed.',
    remediation: `Add thing ${index + 1}.`,
    effort: 'minutes',
    scope: 'repository',
    needs: { files: [] },
    evaluate: () => result.fail(`No thing ${index + 1}`, [{ message: `add thing ${index + 1}` }]),
  });
});

describe('"File issues" on a default-branch run', () => {
  it('completes the run it is on, says exactly what was filed (5, with links) and what the cap left (7)', async () => {
    const payload = fixture('check_run.requested_action');
    payload.check_run.check_suite.head_branch = payload.repository.default_branch;
    const { id, head_sha: sha } = payload.check_run;
    const { probot, app } = await createTestApp({ [sha]: { 'README.md': '# x\n' } }, { checks: twelve });
    const api = nock(API);
    mockToken(api, 690857);
    // No POST /check-runs: the run the button is on is the one completed.
    const updates: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    api.patch(`${ELECTRON}/check-runs/${id}`, capture(updates)).reply(200, { id });
    mockNoConfig(api, 'electron', 'electron', { ownRead: false });
    api.get(`${ELECTRON}/issues`).query(ISSUES_QUERY).reply(200, []);
    api.get(`${ELECTRON}/labels/shipready`).reply(200, { name: 'shipready' });
    const filed: Array<{ title: string }> = [];
    let number = 11;
    api
      .post(`${ELECTRON}/issues`, capture(filed))
      .times(5)
      .reply(201, () => ({ number: (number += 1) }));
    await probot.receive({ id: 'd-file', name: 'check_run', payload });
    await app.queue.onIdle();

    expect(filed).toHaveLength(5);
    expect(updates).toHaveLength(1);
    const [update] = updates;
    expect(update).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    // The button is gone; the annotations the run already has are not sent again (GitHub would append them).
    expect(update.actions).toEqual([]);
    expect(update.output.annotations).toBeUndefined();
    const summary: string = update.output.summary;
    const section = summary.slice(summary.indexOf('### Remediation issues'));
    const url = (n: number) => `https://github.com/electron/electron/issues/${n}`;
    expect(section.trimEnd().split('\n')).toEqual([
      '### Remediation issues',
      '',
      'shipready opened 5 issues:',
      '',
      ...[1, 2, 3, 4, 5].map(
        (n) => `- opened [#${11 + n}](${url(11 + n)}): **Thing ${n} present fails (shipready: test-file-0${n})**`,
      ),
      '',
      '7 more issues were not opened: `issues.max: 5` caps how many issues open per run, so they are left for a later run (the next evaluation of the default branch files or offers them).',
      '',
      ...[6, 7, 8, 9, 10, 11, 12].map((n) => {
        const id = `test-file-${String(n).padStart(2, '0')}`;
        return `- waits to open: **Thing ${n} present fails (shipready: ${id})**`;
      }),
    ]);
    expect(summary).not.toContain('opened 12');
    expect(summary).not.toContain('Use the **File issues** button');
  });
});

describe('toPreview', () => {
  const items = Array.from({ length: 12 }, (_, index) => ({
    key: `c${index}`,
    title: `T${index}`,
    action: 'open' as const,
    done: false,
  }));

  it('a preview lists what one click would open (the cap) and defers the rest; nothing is marked filed', () => {
    const preview = toPreview(summarizeReconcile(items, 5), { mode: 'per-check', filing: false, max: 5 });
    expect(preview).toMatchObject({ filed: false, deferred: 7, max: 5 });
    expect(preview.items.map((item) => item.checkId)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    const lines = renderIssuePreview(preview);
    expect(lines).toContain('shipready would open 5 issues:');
    expect(lines).toContain(
      '7 more issues would be opened on later runs (`issues.max: 5` caps how many issues open per run).',
    );
  });

  it('filing: only what was done is filed; the issues left by the cap are deferred, not "opened"', () => {
    const result = summarizeReconcile(
      [
        ...items.slice(0, 5).map((item, index) => ({ ...item, done: true, number: 20 + index })),
        ...items.slice(5).map((item) => ({ ...item, deferredBy: 'cap' as const })),
      ],
      5,
    );
    const preview = toPreview(result, {
      mode: 'per-check',
      filing: true,
      max: 5,
      issueUrl: (n) => `https://github.com/o/r/issues/${n}`,
    });
    expect(preview.items).toHaveLength(5);
    expect(preview.items.every((item) => item.number !== undefined && item.url)).toBe(true);
    expect(preview.deferredItems?.map((item) => item.checkId)).toEqual(['c5', 'c6', 'c7', 'c8', 'c9', 'c10', 'c11']);
    const lines = renderIssuePreview(preview);
    expect(lines).toContain('shipready opened 5 issues:');
    expect(lines).toContain('- opened [#20](https://github.com/o/r/issues/20): **T0** (`c0`)');
    expect(lines).toContain('- waits to open: **T5** (`c5`)');
  });
});
