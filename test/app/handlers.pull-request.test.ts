import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { CONFIG_DOCS_URL } from '../../src/report/config-error.js';
import {
  API,
  capture,
  CONFIG,
  expectedOutputs,
  createTestApp,
  fixture,
  mockCheckRun,
  mockNoConfig,
  mockToken,
  NOW,
  useNock,
  type Commits,
} from './harness.js';

const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const REPO = '/repos/Codertocat/Hello-World';
const commits: Commits = {
  [BASE]: { 'README.md': '# hello\n', Dockerfile: 'FROM node:20\nUSER node\n' },
  [HEAD]: { 'README.md': '# hello\n', Dockerfile: 'FROM node:20\nRUN true\n' },
};

useNock({ beforeEach, afterEach, expect });

describe('pull_request', () => {
  it('opened: creates the Check Run in progress, completes it failing on the regression, and comments', async () => {
    const { probot, app } = await createTestApp(commits);
    const created: unknown[] = [];
    const completed: unknown[] = [];
    const comments: unknown[] = [];
    const api = nock(API);
    mockToken(api, 1);
    api
      .post(`${REPO}/check-runs`, capture(created))
      .reply(201, { id: 7, html_url: 'https://github.com/Codertocat/Hello-World/runs/7', app: { slug: 'shipready' } });
    mockNoConfig(api, 'Codertocat', 'Hello-World');
    api.patch(`${REPO}/check-runs/7`, capture(completed)).reply(200, { id: 7 });
    api.get(`${REPO}/issues/2/comments`).query({ per_page: '100', page: '1' }).reply(200, []);
    api.post(`${REPO}/issues/2/comments`, capture(comments)).reply(201, { id: 99 });

    await probot.receive({ id: 'delivery-1', name: 'pull_request', payload: fixture('pull_request.opened') });
    await app.queue.onIdle();

    expect(created).toEqual([
      {
        name: 'Production readiness',
        head_sha: HEAD,
        status: 'in_progress',
        started_at: NOW.toISOString(),
        output: { title: 'Evaluating…', summary: `shipready is evaluating \`${HEAD.slice(0, 7)}\` of #2.` },
      },
    ]);
    const run = completed[0] as {
      status: string;
      conclusion: string;
      completed_at: string;
      output: { title: string; summary: string; text: string; annotations: unknown[] };
      actions?: unknown;
    };
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', completed_at: NOW.toISOString() });
    expect(run.output.title).toMatch(/^✗ 1 \w+ regression · \d+\/100 · [a-z-]+$/);
    expect(run.output.summary).toContain('`test-user`');
    expect(run.output.annotations).toEqual([
      {
        path: 'Dockerfile',
        start_line: 1,
        end_line: 1,
        annotation_level: 'failure',
        title: 'Container runs as non-root (test-user)',
        message: 'no USER instruction: the container runs as root',
        raw_details:
          'New in this pull request.\n\nThe image runs as root\n\nSilence this line with: # shipready-ignore test-user: <reason>',
      },
    ]);
    expect(run.actions).toBeUndefined();
    // The exact bodies: the same engine and renderers on the same commits, with the run's link and the head sha.
    const expected = await expectedOutputs({
      head: commits[HEAD],
      base: commits[BASE],
      repository: 'Codertocat/Hello-World',
      sha: HEAD,
      checkRunUrl: 'https://github.com/Codertocat/Hello-World/runs/7',
    });
    expect(completed).toEqual([
      {
        status: 'completed',
        conclusion: expected.gate.conclusion,
        completed_at: NOW.toISOString(),
        output: {
          title: expected.checkRun.title,
          summary: expected.checkRun.summary,
          text: expected.checkRun.text,
          annotations: expected.checkRun.annotations,
        },
      },
    ]);
    expect(comments).toEqual([{ body: expected.comment }]);
    const comment = comments[0] as { body: string };
    expect(comment.body.startsWith('<!-- shipready:comment -->\n### shipready · ✗ 1 ')).toBe(true);
    expect(comment.body).toContain('**This PR breaks (1)**');
    expect(comment.body).toContain(
      '[Details, line annotations and how to fix them in the Check Run](https://github.com/Codertocat/Hello-World/runs/7)',
    );
  });
});

describe('pull_request, more actions', () => {
  it.each(['synchronize', 'reopened', 'ready_for_review'])(
    '%s: edits the existing comment in place',
    async (action) => {
      const { probot, app } = await createTestApp(commits);
      const api = nock(API);
      mockToken(api, 1);
      const run = mockCheckRun(api, REPO, 8);
      mockNoConfig(api, 'Codertocat', 'Hello-World');
      const edits: Array<{ body: string }> = [];
      api
        .get(`${REPO}/issues/2/comments`)
        .query({ per_page: '100', page: '1' })
        .reply(200, [
          { id: 5, body: 'LGTM' },
          { id: 6, body: '<!-- shipready:comment -->\nold' },
        ]);
      api.patch(`${REPO}/issues/comments/6`, capture(edits)).reply(200, { id: 6 });
      await probot.receive({ id: `d-${action}`, name: 'pull_request', payload: fixture(`pull_request.${action}`) });
      await app.queue.onIdle();
      expect(run.updates[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
      expect(edits).toHaveLength(1);
      expect(edits[0].body).toContain('**This PR breaks (1)**');
    },
  );

  it('edited without a base change: no request at all', async () => {
    const { probot, app } = await createTestApp(commits);
    const payload = fixture('pull_request.edited');
    payload.changes = { title: { from: 'Old title' } };
    await probot.receive({ id: 'd-edited-title', name: 'pull_request', payload });
    await app.queue.onIdle();
  });

  it('edited with a new base: evaluates against it', async () => {
    const { probot, app } = await createTestApp(commits);
    const api = nock(API);
    mockToken(api, 1);
    const run = mockCheckRun(api, REPO, 9);
    mockNoConfig(api, 'Codertocat', 'Hello-World');
    api.get(`${REPO}/issues/2/comments`).query({ per_page: '100', page: '1' }).reply(200, []);
    api.post(`${REPO}/issues/2/comments`).reply(201, { id: 1 });
    await probot.receive({ id: 'd-edited-base', name: 'pull_request', payload: fixture('pull_request.edited') });
    await app.queue.onIdle();
    expect(run.updates[0]).toMatchObject({ conclusion: 'failure' });
  });

  it('a draft is evaluated but never gates', async () => {
    const { probot, app } = await createTestApp(commits);
    const payload = fixture('pull_request.opened');
    payload.pull_request.draft = true;
    const api = nock(API);
    mockToken(api, 1);
    const run = mockCheckRun(api, REPO, 10);
    mockNoConfig(api, 'Codertocat', 'Hello-World');
    api.get(`${REPO}/issues/2/comments`).query({ per_page: '100', page: '1' }).reply(200, []);
    api.post(`${REPO}/issues/2/comments`).reply(201, { id: 1 });
    await probot.receive({ id: 'd-draft', name: 'pull_request', payload });
    await app.queue.onIdle();
    expect(run.updates[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(run.updates[0].output.summary).toContain('draft');
  });

  it('a PR that changes nothing readiness-wise reuses the base report and does not comment (on-change)', async () => {
    const same = { 'README.md': '# hello\n', Dockerfile: 'FROM node:20\nUSER node\n' };
    const { probot, app } = await createTestApp({ [BASE]: same, [HEAD]: same });
    const api = nock(API);
    mockToken(api, 1);
    const run = mockCheckRun(api, REPO, 11);
    mockNoConfig(api, 'Codertocat', 'Hello-World');
    api
      .get(`${REPO}/issues/2/comments`)
      .query({ per_page: '100', page: '1' })
      .reply(200, [{ id: 5, body: 'LGTM' }]);
    // Someone commented: the webhook's count says so, so the comments are listed (ours could be among them).
    const payload = fixture('pull_request.opened');
    payload.pull_request.comments = 1;
    await probot.receive({ id: 'd-same', name: 'pull_request', payload });
    await app.queue.onIdle();
    expect(run.updates[0]).toMatchObject({ conclusion: 'success' });
    expect(run.updates[0].output.title).toBe('✓ no change · 100/100 · excellent');
  });

  it('a PR without any comment (the webhook says 0) that would only edit one lists nothing', async () => {
    const same = { 'README.md': '# hello\n', Dockerfile: 'FROM node:20\nUSER node\n' };
    const { probot, app } = await createTestApp({ [BASE]: same, [HEAD]: same });
    const api = nock(API);
    mockToken(api, 1);
    const run = mockCheckRun(api, REPO, 11);
    mockNoConfig(api, 'Codertocat', 'Hello-World');
    const payload = fixture('pull_request.opened');
    expect(payload.pull_request).toMatchObject({ comments: 0, review_comments: 0 });
    await probot.receive({ id: 'd-none', name: 'pull_request', payload });
    await app.queue.onIdle();
    expect(run.updates[0]).toMatchObject({ conclusion: 'success' });
  });
});

describe('pull_request changing .github/shipready.yml', () => {
  const withConfig = (text: string): Commits => ({
    [BASE]: commits[BASE],
    [HEAD]: { ...commits[HEAD], '.github/shipready.yml': text },
  });

  it("is judged by the default branch's rules; the PR's version is validated and previewed", async () => {
    const text = 'gate:\n  failOn: critical\ncomment:\n  mode: never\n';
    const { probot, app } = await createTestApp(withConfig(text));
    const api = nock(API);
    mockToken(api, 1);
    const run = mockCheckRun(api, REPO, 12);
    api
      .get(`${REPO}${CONFIG}`)
      .query({ ref: HEAD })
      .reply(200, text, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    mockNoConfig(api, 'Codertocat', 'Hello-World');
    // The base's `comment.mode` (on-change) applies, not the PR's `never`: the regression is commented.
    api.get(`${REPO}/issues/2/comments`).query({ per_page: '100', page: '1' }).reply(200, []);
    api.post(`${REPO}/issues/2/comments`).reply(201, { id: 1 });
    await probot.receive({ id: 'd-config', name: 'pull_request', payload: fixture('pull_request.opened') });
    await app.queue.onIdle();
    // The base's `failOn: high` still fails the high regression; the PR's `failOn: critical` is only previewed.
    expect(run.updates[0]).toMatchObject({ conclusion: 'failure' });
    expect(run.updates[0].output.summary).not.toContain("evaluated with the pull request's version");
    expect(run.updates[0].output.summary).toContain(
      "- loosens the gate: `gate.failOn` `high` → `critical`; this PR's gate would be neutral instead of failing\n- changes `comment.mode`: `on-change` → `never`",
    );
  });

  it('an invalid file fails the Check Run naming key, line and expectation', async () => {
    const text = '# shipready\ngate:\n  mode: strict\n';
    const { probot, app } = await createTestApp(withConfig(text));
    const api = nock(API);
    mockToken(api, 1);
    const run = mockCheckRun(api, REPO, 13);
    api
      .get(`${REPO}${CONFIG}`)
      .query({ ref: HEAD })
      .reply(200, text, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    await probot.receive({ id: 'd-config-bad', name: 'pull_request', payload: fixture('pull_request.opened') });
    await app.queue.onIdle();
    expect(run.updates).toEqual([
      {
        status: 'completed',
        conclusion: 'failure',
        completed_at: NOW.toISOString(),
        output: {
          title:
            'Invalid .github/shipready.yml at line 3: gate.mode: `strict` is not allowed: use `regressions` or `absolute`',
          summary: [
            `\`.github/shipready.yml (at ${HEAD.slice(0, 7)})\` is invalid, so nothing was evaluated:`,
            '',
            '- `gate.mode` (line 3): `strict` is not allowed: use `regressions` or `absolute`',
            '',
            `Fix the file and push again; every key is described under [Configuration](${CONFIG_DOCS_URL}) in the README.`,
          ].join('\n'),
          annotations: [
            {
              path: '.github/shipready.yml',
              start_line: 3,
              end_line: 3,
              annotation_level: 'failure',
              title: 'Invalid config: gate.mode',
              message: '`strict` is not allowed: use `regressions` or `absolute`',
              raw_details: `Every key is described at ${CONFIG_DOCS_URL}`,
            },
          ],
        },
      },
    ]);
  });

  it('invalid YAML names the line', async () => {
    const text = 'gate:\n  mode: [unclosed\n';
    const { probot, app } = await createTestApp(withConfig(text));
    const api = nock(API);
    mockToken(api, 1);
    const run = mockCheckRun(api, REPO, 14);
    api
      .get(`${REPO}${CONFIG}`)
      .query({ ref: HEAD })
      .reply(200, text, { 'content-type': 'application/vnd.github.raw; charset=utf-8' });
    await probot.receive({ id: 'd-config-yaml', name: 'pull_request', payload: fixture('pull_request.opened') });
    await app.queue.onIdle();
    expect(run.updates[0]).toMatchObject({ conclusion: 'failure' });
    expect(run.updates[0].output.title).toMatch(/^Invalid \.github\/shipready\.yml at line 2: invalid YAML/);
    expect(run.updates[0].output.summary).toMatch(/- `\(root\)` \(line 2, column \d+\): invalid YAML/);
  });
});
