import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { forgetKnownLabels } from '../../src/github/issues.js';
import {
  API,
  capture,
  createTestApp,
  expectedOutputs,
  fixture,
  mockCheckRun,
  mockNoConfig,
  mockToken,
  useNock,
} from './harness.js';

useNock({ beforeEach, afterEach, expect });
beforeEach(() => forgetKnownLabels());

const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const HELLO = '/repos/Codertocat/Hello-World';
const broken = { 'README.md': '# hello\n', Dockerfile: 'FROM node:20\n' };
const fine = { 'README.md': '# hello\n', Dockerfile: 'FROM node:20\nUSER node\n' };

const pull = (fork: boolean) => ({
  number: 2,
  state: 'open',
  draft: false,
  head: { sha: HEAD, ref: 'changes', repo: { full_name: fork ? 'contributor/Hello-World' : 'Codertocat/Hello-World' } },
  base: { sha: BASE, ref: 'master', repo: { full_name: 'Codertocat/Hello-World' } },
});

/** The requests of one PR evaluation after the PR is known (no comment exists, one is created). */
function mockPullEvaluation(api: nock.Scope, id: number) {
  const run = mockCheckRun(api, HELLO, id);
  mockNoConfig(api, 'Codertocat', 'Hello-World');
  api.get(`${HELLO}/issues/2/comments`).query({ per_page: '100', page: '1' }).reply(200, []);
  api.post(`${HELLO}/issues/2/comments`).reply(201, { id: 1 });
  return run;
}

describe('check_suite.rerequested', () => {
  it('re-evaluates the PR the suite lists (fetching it for its draft flag and current base)', async () => {
    const { probot, app } = await createTestApp({ [BASE]: fine, [HEAD]: broken });
    const api = nock(API);
    mockToken(api, 957387);
    api.get(`${HELLO}/pulls/2`).reply(200, pull(false));
    const run = mockPullEvaluation(api, 20);
    await probot.receive({ id: 'd-suite', name: 'check_suite', payload: fixture('check_suite.rerequested') });
    await app.queue.onIdle();
    expect(run.created[0]).toMatchObject({ head_sha: HEAD, status: 'in_progress' });
    expect(run.updates[0]).toMatchObject({ conclusion: 'failure' });
  });

  it("a fork's PR (empty pull_requests) is found through the commit's associated PRs, then the open PRs", async () => {
    const { probot, app } = await createTestApp({ [BASE]: fine, [HEAD]: broken });
    const payload = fixture('check_suite.rerequested');
    payload.check_suite.pull_requests = [];
    const api = nock(API);
    mockToken(api, 957387);
    api.get(`${HELLO}/commits/${HEAD}/pulls`).reply(200, []);
    api
      .get(`${HELLO}/pulls`)
      .query({ state: 'open', per_page: '100', page: '1' })
      .reply(200, [{ ...pull(true), number: 1, head: { ...pull(true).head, sha: 'f'.repeat(40) } }, pull(true)]);
    const run = mockPullEvaluation(api, 21);
    await probot.receive({ id: 'd-suite-fork', name: 'check_suite', payload });
    await app.queue.onIdle();
    expect(run.updates[0]).toMatchObject({ conclusion: 'failure' });
  });
});

describe('check_run', () => {
  const SHA = 'd6fde92930d4715a2b49857d24b940956b26d2d3';
  const REPO = '/repos/github/hello-world';

  it('rerequested on the default branch: evaluates it and previews the issues it would file, with the button', async () => {
    const { probot, app } = await createTestApp({ [SHA]: { Dockerfile: 'FROM node:20\n' } });
    const api = nock(API);
    mockToken(api, 1);
    api.get(`${REPO}/commits/${SHA}/pulls`).reply(200, []);
    api.get(`${REPO}/pulls`).query({ state: 'open', per_page: '100', page: '1' }).reply(200, []);
    const run = mockCheckRun(api, REPO, 30);
    mockNoConfig(api, 'github', 'hello-world', { ownRead: false });
    api
      .get(`${REPO}/issues`)
      .query({ state: 'all', sort: 'created', direction: 'asc', creator: 'shipready[bot]', per_page: '100', page: '1' })
      .reply(200, []);
    await probot.receive({ id: 'd-run', name: 'check_run', payload: fixture('check_run.rerequested') });
    await app.queue.onIdle();
    const update = run.updates[0];
    expect(update).toMatchObject({ conclusion: 'neutral' });
    expect(update.actions).toEqual([
      { label: 'File issues', description: 'Open or update remediation issues', identifier: 'file-issues' },
    ]);
    expect(update.output.text + update.output.summary).toContain('shipready would open 2 issues');
  });

  it('a run of another App is ignored', async () => {
    const { probot, app } = await createTestApp({});
    const payload = fixture('check_run.rerequested');
    payload.check_run.name = 'CI';
    await probot.receive({ id: 'd-run-other', name: 'check_run', payload });
    await app.queue.onIdle();
  });

  it('requested_action "File issues": files one issue per failing check on the default branch head, labels created', async () => {
    const MAIN = 'a'.repeat(40);
    const ELECTRON = '/repos/electron/electron';
    const { probot, app } = await createTestApp({ [MAIN]: { Dockerfile: 'FROM node:20\n' } });
    const api = nock(API);
    mockToken(api, 690857);
    api.get(`${ELECTRON}/branches/master`).reply(200, { name: 'master', commit: { sha: MAIN } });
    const run = mockCheckRun(api, ELECTRON, 40);
    mockNoConfig(api, 'electron', 'electron', { ownRead: false });
    api
      .get(`${ELECTRON}/issues`)
      .query({ state: 'all', sort: 'created', direction: 'asc', creator: 'shipready[bot]', per_page: '100', page: '1' })
      .reply(200, []);
    const labels: unknown[] = [];
    const issues: Array<{ title: string; body: string; labels: string[] }> = [];
    api.get(`${ELECTRON}/labels/shipready`).reply(404, { message: 'Not Found' });
    api.post(`${ELECTRON}/labels`, capture(labels)).reply(201, { name: 'shipready' });
    api
      .post(`${ELECTRON}/issues`, capture(issues))
      .times(2)
      .reply(201, (_, body) => ({ number: (body as { title: string }).title.includes('README') ? 101 : 102 }));
    await probot.receive({ id: 'd-action', name: 'check_run', payload: fixture('check_run.requested_action') });
    await app.queue.onIdle();
    expect(labels).toEqual([
      { name: 'shipready', color: '5319e7', description: 'Production readiness findings filed by shipready' },
    ]);
    const expected = await expectedOutputs({
      head: { Dockerfile: 'FROM node:20\n' },
      repository: 'electron/electron',
      sha: MAIN,
      checkRunUrl: 'https://github.com/electron/electron/runs/40',
    });
    // Filing order: same severity, so the check whose finding has a file and line (test-user) comes first.
    expect(issues).toEqual(
      ['test-user', 'test-readme'].map((id) => ({
        title: expected.issue(id).title,
        body: expected.issue(id).body,
        labels: ['shipready'],
      })),
    );
    expect(issues[1].body).toContain('<!-- shipready:check=test-readme -->');
    expect(issues[1].body).toMatch(/<!-- shipready:fingerprint=[a-f0-9]{64} -->/);
    expect(issues[0].body).toContain('<!-- shipready:check=test-user -->');
    expect(issues[0].body).toContain(`https://github.com/electron/electron/blob/${MAIN}/Dockerfile#L1`);
    expect(run.created[0]).toMatchObject({ head_sha: MAIN });
    expect(run.updates[0].actions).toBeUndefined();
    expect(run.updates[0].output.text + run.updates[0].output.summary).toContain('shipready opened 2 issues');
  });

  it('an unknown button is ignored', async () => {
    const { probot, app } = await createTestApp({});
    const payload = fixture('check_run.requested_action');
    payload.requested_action.identifier = 'lgtm|26764';
    await probot.receive({ id: 'd-action-other', name: 'check_run', payload });
    await app.queue.onIdle();
  });
});
