/**
 * End to end: the simulator (a real HTTP GitHub), the REAL App as a process (`node dist/src/app/server.js`, the
 * build output), and signed webhook deliveries over HTTP. Slow by nature (Probot's throttling spaces writes one
 * second apart and content creation three seconds apart, as GitHub asks), so the scenario runs once, in order.
 * `SHIPREADY_E2E_NO_BUILD=1` skips the build when dist/ is fresh.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type SimCheckRun, type Simulator } from '../simulator/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const SECRET = 'e2e-webhook-secret';
const REPO = 'acme/api';
const COMMENT_MARKER = '<!-- shipready:comment -->';

const WORKFLOW = (extra = '', permissions = '') =>
  `name: ci\non: [push]\n${permissions}jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n${extra}`;
const SECOND_JOB = '  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run lint\n';
const files = {
  'README.md': '# api\n\nA small service.\n',
  'package.json':
    '{"name":"api","version":"1.0.0","scripts":{"test":"node --test"},"dependencies":{"express":"^4.19.0"}}\n',
  Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node","index.js"]\n',
  '.github/workflows/ci.yml': WORKFLOW(),
  // One high-severity failure left to file (workflow-permissions-restricted), so the issue lifecycle is readable.
  '.github/shipready.yml': [
    'checks:',
    '  license-present: off',
    '  security-policy-present: off',
    '  lockfile-committed: off',
    '  dependency-update-tool-configured: off',
    '  dependency-vulnerability-scanning: off',
    '  default-branch-protected: off',
    '  secret-scanning-enabled: off',
    '  dependabot-alerts-enabled: off',
    // A manifest without source or tests is a skeleton whose tests-present fails (high); not what this test files.
    '  tests-present: off',
    'issues:',
    '  file: auto',
    '',
  ].join('\n'),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fixture(name: string): any {
  return JSON.parse(readFileSync(join(here, '..', 'fixtures', 'webhooks', `${name}.json`), 'utf8'));
}

const repository = () => ({
  ...fixture('push').repository,
  id: 1,
  name: 'api',
  full_name: REPO,
  owner: { ...fixture('push').repository.owner, login: 'acme', name: 'acme' },
  default_branch: 'main',
  master_branch: 'main',
});

let sim: Simulator;
let app: ChildProcess;
let appUrl = '';
let appLog = '';
let deliveries = 0;

async function deliver(name: string, payload: unknown, secret = SECRET): Promise<number> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  deliveries += 1;
  const response = await fetch(`${appUrl}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': name,
      'x-github-delivery': `e2e-${deliveries}`,
      'x-hub-signature-256': signature,
    },
    body,
  });
  await response.text();
  return response.status;
}

function pushPayload(sha: string, before: string) {
  return {
    ...fixture('push'),
    ref: 'refs/heads/main',
    before,
    after: sha,
    deleted: false,
    created: false,
    repository: repository(),
    installation: { id: 1 },
  };
}

function pullPayload(action: string, number: number, headSha: string, baseSha: string, updatedAt: string) {
  const payload = fixture('pull_request.opened');
  payload.action = action;
  payload.number = number;
  Object.assign(payload.pull_request, {
    number,
    state: 'open',
    draft: false,
    updated_at: updatedAt,
    head: { ...payload.pull_request.head, ref: 'harden', sha: headSha, repo: repository() },
    base: { ...payload.pull_request.base, ref: 'main', sha: baseSha, repo: repository() },
  });
  payload.repository = repository();
  payload.installation = { id: 1 };
  return payload;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}\n--- app log (tail) ---\n${appLog.split('\n').slice(-40).join('\n')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const runsFor = (sha: string): SimCheckRun[] => sim.repo(REPO).checkRuns.filter((run) => run.head_sha === sha);
const completedRun = (sha: string) =>
  waitFor(`a completed Check Run on ${sha.slice(0, 7)}`, () => runsFor(sha).find((run) => run.status === 'completed'));
const allSettled = () =>
  waitFor('every Check Run completed', () => sim.repo(REPO).checkRuns.every((run) => run.status === 'completed'));
const issues = () =>
  [...sim.repo(REPO).issues.values()].filter((issue) => issue.body?.includes('<!-- shipready:check='));

beforeAll(async () => {
  if (process.env.SHIPREADY_E2E_NO_BUILD !== '1' || !existsSync(join(root, 'dist/src/app/server.js'))) {
    // tsc emits even when someone else's file has a type error; the server's own files must be there.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
  }
  expect(existsSync(join(root, 'dist/src/app/server.js'))).toBe(true);
  sim = await startSimulator({ repos: [{ owner: 'acme', name: 'api', files }] });
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const host = new URL(sim.url).host;
  app = spawn(process.execPath, [join(root, 'dist/src/app/server.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: host,
      GHE_PROTOCOL: 'http',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Transient faults are retried by the queue: three attempts, a short backoff, so the outage cases stay short.
      SHIPREADY_QUEUE_ATTEMPTS: '3',
      SHIPREADY_QUEUE_BACKOFF_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout!.on('data', (chunk: Buffer) => (appLog += chunk.toString()));
  app.stderr!.on('data', (chunk: Buffer) => (appLog += chunk.toString()));
  appUrl = await waitFor('the App to listen', () => /"url":"(http:\/\/[^"]+)"/.exec(appLog)?.[1], 60_000);
}, 240_000);

afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((resolve) => app.once('exit', resolve));
    app.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
    if (app.exitCode === null) app.kill('SIGKILL');
  }
  app?.stdout?.destroy();
  app?.stderr?.destroy();
  await sim?.close();
});

describe('the App end to end', () => {
  let prNumber = 0;
  let base = '';

  it('rejects a delivery with a bad signature', async () => {
    const status = await deliver('push', pushPayload(sim.head(REPO), '0'.repeat(40)), 'not-the-secret');
    expect([400, 401]).toContain(status);
    expect(sim.repo(REPO).checkRuns).toEqual([]);
  });

  it('a push to the default branch: Check Run, annotations on the right lines, and the issue filed', async () => {
    base = sim.head(REPO);
    expect(await deliver('push', pushPayload(base, '0'.repeat(40)))).toBe(200);
    const run = await completedRun(base);
    expect(run.output.title).toMatch(/ · \d+\/100 · [a-z-]+$/);
    expect(run.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: '.github/workflows/ci.yml',
          start_line: 7,
          end_line: 7,
          title: expect.stringContaining('workflow-actions-pinned'),
        }),
      ]),
    );
    const filed = await waitFor('the issue', () => issues().length > 0 && issues());
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({ state: 'open', labels: ['shipready'] });
    expect(filed[0].body).toContain('<!-- shipready:check=workflow-permissions-restricted -->');
  }, 120_000);

  it('a PR that makes the container run as root fails, annotated on the USER line, with one comment', async () => {
    sim.commit(REPO, {
      branch: 'harden',
      changes: { Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nUSER root\nCMD ["node","index.js"]\n' },
    });
    const pull = sim.openPull(REPO, { head: 'harden', title: 'Harden the image' });
    prNumber = pull.number;
    expect(
      await deliver('pull_request', pullPayload('opened', pull.number, pull.head.sha, base, '2026-01-01T00:00:00Z')),
    ).toBe(200);
    const run = await completedRun(pull.head.sha);
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toMatch(/^✗ 1 high regression · \d+\/100 · /);
    expect(run.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'Dockerfile',
          start_line: 4,
          end_line: 4,
          annotation_level: 'failure',
          title: expect.stringContaining('dockerfile-runs-as-non-root'),
        }),
      ]),
    );
    const comments = await waitFor('the PR comment', () => {
      const found = sim
        .repo(REPO)
        .comments.filter((comment) => comment.issue_number === pull.number && comment.body.includes(COMMENT_MARKER));
      return found.length > 0 && found;
    });
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('dockerfile-runs-as-non-root');
  }, 120_000);

  it('five concurrent synchronize deliveries: the newest head is evaluated, and there is still ONE comment', async () => {
    const heads: string[] = [];
    for (let index = 1; index <= 5; index += 1)
      heads.push(sim.commit(REPO, { branch: 'harden', changes: { [`notes/${index}.md`]: `change ${index}\n` } }));
    const statuses = await Promise.all(
      heads.map((sha, index) =>
        deliver('pull_request', pullPayload('synchronize', prNumber, sha, base, `2026-01-01T00:0${index + 1}:00Z`)),
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const newest = heads[4];
    const run = await completedRun(newest);
    expect(run.conclusion).toBe('failure');
    await allSettled();
    const comments = sim
      .repo(REPO)
      .comments.filter((comment) => comment.issue_number === prNumber && comment.body.includes(COMMENT_MARKER));
    expect(comments).toHaveLength(1);
    await waitFor('the comment to show the newest head', () => comments[0].body.includes(newest.slice(0, 7)));
    // Older heads were coalesced away or superseded: none of them published a result after the newest.
    const olderConclusions = heads.slice(0, 4).flatMap((sha) => runsFor(sha).map((older) => older.output.title));
    for (const title of olderConclusions) expect(title).toMatch(/^(Superseded by a newer evaluation|Readiness)/);
  }, 180_000);

  it('the issue is updated when its findings change, closed when fixed, reopened when it breaks again', async () => {
    const [issue] = issues();
    const updatesBefore = issue.history.length;
    let head = sim.commit(REPO, { changes: { '.github/workflows/ci.yml': WORKFLOW(SECOND_JOB) } });
    await deliver('push', pushPayload(head, base));
    await completedRun(head);
    await waitFor(
      'the issue body to be updated',
      () => issue.history.length > updatesBefore && issue.body?.includes('lint'),
    );
    expect(issues()).toHaveLength(1);

    head = sim.commit(REPO, {
      changes: { '.github/workflows/ci.yml': WORKFLOW(SECOND_JOB, 'permissions:\n  contents: read\n') },
    });
    await deliver('push', pushPayload(head, base));
    await completedRun(head);
    await waitFor('the issue to close', () => issue.state === 'closed');
    expect(issue.state_reason).toBe('completed');
    expect(
      sim
        .repo(REPO)
        .comments.some((comment) => comment.issue_number === issue.number && comment.body.includes('passes as of')),
    ).toBe(true);

    head = sim.commit(REPO, { changes: { '.github/workflows/ci.yml': WORKFLOW(SECOND_JOB) } });
    await deliver('push', pushPayload(head, base));
    await completedRun(head);
    await waitFor('the issue to reopen', () => issue.state === 'open');
    expect(issues()).toHaveLength(1);
  }, 180_000);

  it('a secondary rate limit mid-run is retried by the queue: the run says so, then ends with its real conclusion', async () => {
    const head = sim.commit(REPO, { changes: { 'notes/rate.md': 'x\n' } });
    sim.secondaryRateLimit({ path: '/git/trees', times: 1 });
    await deliver('push', pushPayload(head, base));
    const run = await completedRun(head);
    expect(run.output.title).toMatch(/ · \d+\/100 · [a-z-]+$/);
    const updates = run.history as Array<{ status?: string; output?: { title?: string; summary?: string } }>;
    const retrying = updates.find((update) => update.output?.title === 'Retrying after a GitHub API error');
    expect(retrying?.status).toBe('in_progress');
    expect(retrying?.output?.summary).toMatch(
      /^Attempt 1 of 3 stopped because GitHub's secondary rate limit refused a request \(403\)\. shipready evaluates `[0-9a-f]{7}` again in 1 s/,
    );
    expect(sim.repo(REPO).checkRuns.filter((candidate) => candidate.head_sha === head)).toHaveLength(1);
    sim.clearFaults();
  }, 120_000);

  it('a 5xx is retried and survived; one that outlasts every attempt completes the Check Run with a clear message', async () => {
    let head = sim.commit(REPO, { changes: { 'notes/5xx.md': 'x\n' } });
    sim.failNext({ path: '/git/trees', status: 502, times: 1 });
    await deliver('push', pushPayload(head, base));
    let run = await completedRun(head);
    expect(run.output.title).toMatch(/ · \d+\/100 · [a-z-]+$/);

    head = sim.commit(REPO, { changes: { 'notes/5xx-again.md': 'x\n' } });
    sim.failNext({ path: '/git/trees', status: 503, times: Infinity });
    await deliver('push', pushPayload(head, base));
    run = await completedRun(head);
    sim.clearFaults();
    expect(run.conclusion).toBe('neutral');
    expect(run.output.title).toMatch(/^Could not finish: GitHub API error/);
    expect(run.output.summary).toContain('503');
    expect(run.output.summary).toContain('shipready tried 3 times');
    expect(sim.repo(REPO).checkRuns.filter((candidate) => candidate.head_sha === head)).toHaveLength(1);
  }, 180_000);

  it('made no request that violates GitHub’s OpenAPI description, and the App is still healthy', async () => {
    expect(sim.violations).toEqual([]);
    const health = await fetch(`${appUrl}/health`);
    expect(health.status).toBe(200);
    expect(appLog).not.toContain('ghs_');
    expect(appLog).not.toContain('BEGIN RSA PRIVATE KEY');
  });
});
