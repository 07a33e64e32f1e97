import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { API, capture, createTestApp, fixture, mockNoConfig, mockToken, NOW, type Commits } from './harness.js';

const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const REPO = '/repos/Codertocat/Hello-World';
const commits: Commits = {
  [BASE]: { 'README.md': '# hello\n', Dockerfile: 'FROM node:20\nUSER node\n' },
  [HEAD]: { 'README.md': '# hello\n', Dockerfile: 'FROM node:20\nRUN true\n' },
};

let unmatched: string[] = [];
const onNoMatch = (request: { method?: string; path?: string; options?: { method?: string; path?: string } }) =>
  unmatched.push(`${request.method ?? request.options?.method} ${request.path ?? request.options?.path}`);

beforeEach(() => {
  nock.disableNetConnect();
  unmatched = [];
  nock.emitter.on('no match', onNoMatch);
});
afterEach(() => {
  nock.emitter.removeListener('no match', onNoMatch);
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.enableNetConnect();
  expect(unmatched).toEqual([]);
  expect(pending).toEqual([]);
});

describe('pull_request', () => {
  it('opened: creates the Check Run in progress, completes it failing on the regression, and comments', async () => {
    const { probot, app } = await createTestApp(commits);
    const created: unknown[] = [];
    const completed: unknown[] = [];
    const comments: unknown[] = [];
    const api = nock(API);
    mockToken(api, 1);
    api.post(`${REPO}/check-runs`, capture(created)).reply(201, { id: 7, html_url: 'https://github.com/Codertocat/Hello-World/runs/7', app: { slug: 'shipready' } });
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
    const run = completed[0] as { status: string; conclusion: string; completed_at: string; output: { title: string; summary: string; text: string; annotations: unknown[] }; actions?: unknown };
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure', completed_at: NOW.toISOString() });
    expect(run.output.title).toMatch(/^Readiness \d+\/100 · .* · 1 regression$/);
    expect(run.output.summary).toContain('`test-user`');
    expect(run.output.annotations).toEqual([
      {
        path: 'Dockerfile',
        start_line: 1,
        end_line: 1,
        annotation_level: 'failure',
        title: 'Container runs as non-root (test-user)',
        message: 'no USER instruction: the container runs as root',
        raw_details: 'The image runs as root\n\nSilence this line with: # shipready-ignore test-user: <reason>',
      },
    ]);
    expect(run.actions).toBeUndefined();
    const comment = comments[0] as { body: string };
    expect(comment.body.startsWith('<!-- shipready:comment -->\n### shipready · readiness')).toBe(true);
    expect(comment.body).toContain('**This PR breaks (1)**');
    expect(comment.body).toContain('[Details, line annotations and how to fix them in the Check Run](https://github.com/Codertocat/Hello-World/runs/7)');
  });
});
