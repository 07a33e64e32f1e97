/**
 * End to end: the simulator (a real HTTP GitHub), the REAL App as a process (`node dist/src/app/server.js`, the
 * build output), and signed webhook deliveries over HTTP. Slow by nature (Probot's throttling spaces writes one
 * second apart and content creation three seconds apart, as GitHub asks), so the scenario runs once, in order.
 * `SHIPREADY_E2E_NO_BUILD=1` skips the build when dist/ is fresh.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulator, type SimCheckRun, type Simulator } from '../simulator/index.js';
import { ensureBuilt, startAppProcess, waitFor as waitUntil, type AppProcess } from '../helpers/app-process.js';
import { ONE_FAILURE_TO_FILE, WORKFLOW } from '../helpers/repositories.js';
import { checkRunsOn, completedRunOn, shipreadyIssues } from '../helpers/simulator-queries.js';
import { COMMENT_MARKER, deliver as deliverTo, pullPayload, pushPayload, REPO } from '../helpers/webhooks.js';

const SECRET = 'e2e-webhook-secret';

const SECOND_JOB = '  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run lint\n';
const files = ONE_FAILURE_TO_FILE;

let sim: Simulator;
let app: AppProcess;
let deliveries = 0;

async function deliver(event: string, payload: unknown, secret = SECRET): Promise<number> {
  deliveries += 1;
  return (await deliverTo(app.url, { event, payload, id: `e2e-${deliveries}`, secret })).status;
}

const pullRequest = (action: string, number: number, head: string, base: string, updatedAt: string) =>
  pullPayload({ action, number, branch: 'harden', head, base, updatedAt });

const waitFor = <T>(what: string, probe: () => T | undefined | false, timeoutMs = 90_000) =>
  waitUntil(what, probe, { timeoutMs, context: () => app.tail(40) });

const runsFor = (sha: string): SimCheckRun[] => checkRunsOn(sim, sha);
const completedRun = (sha: string) => completedRunOn(sim, sha, { context: () => app.tail(40) });
const allSettled = () =>
  waitFor('every Check Run completed', () => sim.repo(REPO).checkRuns.every((run) => run.status === 'completed'));
const issues = () => shipreadyIssues(sim);

beforeAll(async () => {
  // tsc emits even when someone else's file has a type error; the server's own files must be there.
  ensureBuilt();
  sim = await startSimulator({ repos: [{ owner: 'acme', name: 'api', files }] });
  app = await startAppProcess({
    githubUrl: sim.url,
    secret: SECRET,
    // Transient faults are retried by the queue: three attempts, a short backoff, so the outage cases stay short.
    env: { SHIPREADY_QUEUE_ATTEMPTS: '3', SHIPREADY_QUEUE_BACKOFF_MS: '500' },
  });
}, 240_000);

afterAll(async () => {
  await app?.stop();
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
      await deliver('pull_request', pullRequest('opened', pull.number, pull.head.sha, base, '2026-01-01T00:00:00Z')),
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
        deliver('pull_request', pullRequest('synchronize', prNumber, sha, base, `2026-01-01T00:0${index + 1}:00Z`)),
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
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    expect(app.log()).not.toContain('ghs_');
    expect(app.log()).not.toContain('BEGIN RSA PRIVATE KEY');
  });
});
