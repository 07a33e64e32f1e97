import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { forgetKnownLabels } from '../../src/github/issues.js';
import { API, createTestApp, fixture, mockCheckRun, mockNoConfig, mockToken, useNock } from './harness.js';

useNock({ beforeEach, afterEach, expect });
beforeEach(() => forgetKnownLabels());

const MAIN = 'b'.repeat(40);
const healthy = { 'README.md': '# ok\n' };
const issuesQuery = {
  state: 'all',
  sort: 'created',
  direction: 'asc',
  creator: 'shipready[bot]',
  per_page: '100',
  page: '1',
};

/** A default-branch evaluation of a healthy repository: run created and completed, no issue to file. */
function mockDefaultBranch(api: nock.Scope, owner: string, repo: string, id: number) {
  const path = `/repos/${owner}/${repo}`;
  const run = mockCheckRun(api, path, id);
  mockNoConfig(api, owner, repo, { ownRead: false });
  api.get(`${path}/issues`).query(issuesQuery).reply(200, []);
  return run;
}

describe('push', () => {
  it('to the default branch: evaluates the pushed commit', async () => {
    const AFTER = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
    const { probot, app } = await createTestApp({ [AFTER]: healthy });
    const api = nock(API);
    mockToken(api, 1);
    const run = mockDefaultBranch(api, 'Codertocat', 'Hello-World', 50);
    await probot.receive({ id: 'd-push', name: 'push', payload: fixture('push') });
    await app.queue.onIdle();
    expect(run.created[0]).toMatchObject({
      head_sha: AFTER,
      output: { summary: 'shipready is evaluating `6113728` on `master`.' },
    });
    expect(run.updates[0]).toMatchObject({
      conclusion: 'success',
      output: { title: '✓ no failing checks · 100/100 · excellent' },
    });
  });

  it('to another branch, or a tag, or a deletion: nothing', async () => {
    const { probot, app } = await createTestApp({});
    for (const change of [
      { ref: 'refs/heads/feature' },
      { ref: 'refs/tags/v1' },
      { deleted: true, after: '0'.repeat(40) },
    ]) {
      await probot.receive({ id: 'd-push-other', name: 'push', payload: { ...fixture('push'), ...change } });
    }
    await app.queue.onIdle();
  });
});

describe('installation', () => {
  it('created: evaluates the default branch of every repository it lists', async () => {
    const { probot, app } = await createTestApp({ [MAIN]: healthy });
    const api = nock(API);
    mockToken(api, 957387);
    api.get('/repos/Codertocat/Hello-World').reply(200, { default_branch: 'main' });
    api.get('/repos/Codertocat/Hello-World/branches/main').reply(200, { name: 'main', commit: { sha: MAIN } });
    const run = mockDefaultBranch(api, 'Codertocat', 'Hello-World', 60);
    await probot.receive({ id: 'd-install', name: 'installation', payload: fixture('installation.created') });
    await app.queue.onIdle();
    expect(run.updates[0]).toMatchObject({ conclusion: 'success' });
  });

  it('repositories added: evaluates each added repository', async () => {
    const { probot, app } = await createTestApp({ [MAIN]: healthy });
    const api = nock(API);
    mockToken(api, 957387);
    api.get('/repos/Codertocat/Space').reply(200, { default_branch: 'trunk' });
    api.get('/repos/Codertocat/Space/branches/trunk').reply(200, { name: 'trunk', commit: { sha: MAIN } });
    const run = mockDefaultBranch(api, 'Codertocat', 'Space', 61);
    await probot.receive({
      id: 'd-install-repos',
      name: 'installation_repositories',
      payload: fixture('installation_repositories.added'),
    });
    await app.queue.onIdle();
    expect(run.created[0]).toMatchObject({ head_sha: MAIN });
  });
});

describe('repository settings changed: the default branch is evaluated again', () => {
  const cases: Array<[string, string, string, string, number]> = [
    [
      'branch_protection_rule',
      'branch_protection_rule.created',
      'wolfy1339/octoherd-script-replace-pika-with-esbuild',
      'main',
      13986380,
    ],
    [
      'repository_ruleset',
      'repository_ruleset.created',
      'wolfy1339/octoherd-script-replace-pika-with-esbuild',
      'main',
      13986380,
    ],
    [
      'security_and_analysis',
      'security_and_analysis',
      'wolfy1339/octoherd-script-replace-pika-with-esbuild',
      'main',
      13986380,
    ],
    ['repository', 'repository.edited', 'Octocoders/Hello-World', 'master', 1],
    ['repository', 'repository.privatized', 'Codertocat/Hello-World', 'master', 1],
    ['repository', 'repository.publicized', 'Codertocat/Hello-World', 'master', 1],
  ];
  it.each(cases)('%s (%s)', async (name, file, fullName, branch, installation) => {
    const [owner, repo] = fullName.split('/');
    const { probot, app } = await createTestApp({ [MAIN]: healthy });
    const api = nock(API);
    mockToken(api, installation);
    api.get(`/repos/${fullName}/branches/${branch}`).reply(200, { name: branch, commit: { sha: MAIN } });
    const run = mockDefaultBranch(api, owner, repo, 70);
    await probot.receive({ id: `d-${file}`, name: name as 'repository', payload: fixture(file) } as never);
    await app.queue.onIdle();
    expect(run.created[0]).toMatchObject({
      head_sha: MAIN,
      output: { summary: `shipready is evaluating \`bbbbbbb\` on \`${branch}\`.` },
    });
    expect(run.updates[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  it('a repository edit that does not touch the default branch (description) is ignored', async () => {
    const { probot, app } = await createTestApp({});
    await probot.receive({ id: 'd-desc', name: 'repository', payload: fixture('repository.edited-description') });
    await app.queue.onIdle();
  });
});

describe('bad input', () => {
  it('a delivery with missing fields is logged and dropped, never a crash', async () => {
    const { probot, app } = await createTestApp({});
    const payload = fixture('pull_request.opened');
    delete payload.pull_request.head;
    await expect(probot.receive({ id: 'd-broken', name: 'pull_request', payload })).resolves.toBeUndefined();
    const push = fixture('push');
    delete push.repository;
    await expect(probot.receive({ id: 'd-broken-push', name: 'push', payload: push })).resolves.toBeUndefined();
    await app.queue.onIdle();
    expect(app.queue.stats).toMatchObject({ waiting: 0, running: 0, completed: 0, failed: 0 });
  });
});
