import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import noCommittedEnvFiles from '../../checks/configuration/no-committed-env-files.js';
import { ReportCache } from '../../src/app/evaluate-flow.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';
import {
  API,
  capture,
  createTestApp,
  fixture,
  mockCheckRun,
  mockNoConfig,
  mockToken,
  testReadme,
  useNock,
  type Commits,
} from './harness.js';

useNock({ beforeEach, afterEach, expect });

const REPO = '/repos/Codertocat/Hello-World';
const BEFORE = 'b'.repeat(40);
const AFTER = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const LATER = 'c'.repeat(40);
const ISSUES_QUERY = {
  state: 'all',
  sort: 'created',
  direction: 'asc',
  creator: 'shipready[bot]',
  per_page: '100',
  page: '1',
};
const clean = { 'README.md': '# hello\n', '.gitignore': 'node_modules\n' };
const commits: Commits = {
  [BEFORE]: clean,
  [AFTER]: { ...clean, '.env': 'STRIPE_KEY=sk_live_0123456789abcdefghijklmn\n' },
  [LATER]: { ...clean, 'notes.md': 'x\n' },
};

function pushPayload(before: string, after: string) {
  return { ...fixture('push'), before, after };
}

/** The requests of one default-branch evaluation with no config and no issue yet (preview: nothing filed). */
function mockPush(api: nock.Scope, id: number, options: { orgRead?: boolean } = {}) {
  const run = mockCheckRun(api, REPO, id);
  // The tree of the pushed head has no config file; the org's answer is cached after the App's first read.
  mockNoConfig(api, 'Codertocat', 'Hello-World', { ownRead: false, ...options });
  api.get(`${REPO}/issues`).query(ISSUES_QUERY).reply(200, []);
  return run;
}

describe('a push to the default branch', () => {
  it('is compared with the commit before it: a committed .env is a regression, gated, and in the title', async () => {
    const sources: Array<{ sha: string; source: MemorySource }> = [];
    const reports = new ReportCache();
    const { probot, app } = await createTestApp(commits, {
      checks: [testReadme, noCommittedEnvFiles],
      reports,
      createSource: ({ sha }) => {
        const source = new MemorySource(commits[sha]!, { settings: {}, kind: 'github' });
        sources.push({ sha, source });
        return source;
      },
    });
    const api = nock(API);
    mockToken(api, 1);
    const run = mockPush(api, 60);
    await probot.receive({ id: 'd-push-env', name: 'push', payload: pushPayload(BEFORE, AFTER) });
    await app.queue.onIdle();

    // The run records what it was compared with, for a button pressed on it later.
    expect(run.created[0].external_id).toBe(`shipready:base=${BEFORE}`);
    const update = run.updates[0];
    expect(update.conclusion).toBe('failure');
    expect(update.output.title).toMatch(/1 (critical |high )?regression/);
    expect(update.output.summary).toContain(
      'This change makes 1 check at severity high or higher fail: `no-committed-env-files`.',
    );
    expect(update.output.text).toContain('`no-committed-env-files` · critical · regression');
    // Nothing is "new" on a push that has a previous commit.
    expect(update.output.text).not.toContain('· new');
    // The previous commit was evaluated as the base.
    expect(sources.filter(({ sha }) => sha === BEFORE).map(({ source }) => source.requestedPaths.length)).toEqual([1]);

    // The next push compares with this one, from the report cache: the previous commit is not read again.
    sources.length = 0;
    // The installation token is cached by Probot: not asked again.
    const again = nock(API);
    const next = mockPush(again, 61, { orgRead: false });
    await probot.receive({ id: 'd-push-fix', name: 'push', payload: pushPayload(AFTER, LATER) });
    await app.queue.onIdle();
    expect(next.updates[0].output.summary).toContain('### What this push fixed or improved');
    expect(next.updates[0].output.summary).toContain('`no-committed-env-files`');
    expect(sources.filter(({ sha }) => sha === AFTER).map(({ source }) => source.requestedPaths.length)).toEqual([]);
  });

  it('without a before (a settings event): the same commit keeps its comparison, a new head is compared with the last evaluated one', async () => {
    const reports = new ReportCache();
    const { probot, app } = await createTestApp(commits, { checks: [testReadme, noCommittedEnvFiles], reports });
    const api = nock(API);
    mockToken(api, 1);
    mockPush(api, 62);
    await probot.receive({ id: 'd-push-1', name: 'push', payload: pushPayload(BEFORE, AFTER) });
    await app.queue.onIdle();
    expect(reports.lastEvaluated('Codertocat/Hello-World')).toEqual({ sha: AFTER, baseSha: BEFORE });

    // A "File issues"-like re-evaluation of the same commit keeps the same comparison (and verdict).
    const again = nock(API);
    again.get(`${REPO}/branches/master`).reply(200, { commit: { sha: AFTER } });
    const run = mockPush(again, 63, { orgRead: false });
    const settings = fixture('branch_protection_rule.created');
    settings.repository = fixture('push').repository;
    settings.installation = { id: 1 };
    await probot.receive({ id: 'd-settings', name: 'branch_protection_rule', payload: settings });
    await app.queue.onIdle();
    expect(run.updates[0].conclusion).toBe('failure');
    expect(run.updates[0].output.title).toMatch(/1 (critical |high )?regression/);

    // The branch moved on without a push delivery: its new head is compared with the last evaluated commit, from
    // the report cache.
    const moved = nock(API);
    moved.get(`${REPO}/branches/master`).reply(200, { commit: { sha: LATER } });
    const later = mockPush(moved, 64, { orgRead: false });
    await probot.receive({ id: 'd-settings-2', name: 'branch_protection_rule', payload: settings });
    await app.queue.onIdle();
    expect(later.updates[0].output.title).toMatch(/(1 fix|fixes 1 check)/);
    expect(reports.lastEvaluated('Codertocat/Hello-World')).toEqual({ sha: LATER, baseSha: AFTER });
  });

  it('"File issues" in a process that did not evaluate the push repeats the run\'s comparison from its external_id', async () => {
    const sources: string[] = [];
    const { probot, app } = await createTestApp(commits, {
      checks: [testReadme, noCommittedEnvFiles],
      createSource: ({ sha }) => {
        sources.push(sha);
        return new MemorySource(commits[sha]!, { settings: {}, kind: 'github' });
      },
    });
    const payload = fixture('check_run.requested_action');
    Object.assign(payload.check_run, {
      id: 65,
      head_sha: AFTER,
      external_id: `shipready:base=${BEFORE}`,
      html_url: 'https://github.com/Codertocat/Hello-World/runs/65',
      app: { ...payload.check_run.app, slug: 'shipready' },
      check_suite: { ...payload.check_run.check_suite, head_branch: 'master', head_sha: AFTER },
    });
    payload.repository = fixture('push').repository;
    payload.installation = { id: 1 };
    const api = nock(API);
    mockToken(api, 1);
    const updates: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    api.patch(`${REPO}/check-runs/65`, capture(updates)).reply(200, { id: 65 });
    mockNoConfig(api, 'Codertocat', 'Hello-World', { ownRead: false });
    api.get(`${REPO}/issues`).query(ISSUES_QUERY).reply(200, []);
    api.get(`${REPO}/labels/shipready`).reply(200, { name: 'shipready' });
    api.post(`${REPO}/issues`).reply(201, { number: 9 });
    await probot.receive({ id: 'd-click', name: 'check_run', payload });
    await app.queue.onIdle();
    expect(sources).toEqual([AFTER, BEFORE]);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ conclusion: 'failure', actions: [] });
    expect(updates[0].output.title).toMatch(/1 (critical |high )?regression/);
    expect(updates[0].output.summary).toContain('shipready opened 1 issue:');
  });
});
