import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { defineCheck, result } from '../../src/engine/define-check.js';
import { createApp, type AppDeps, type ShipreadyApp } from '../../src/app/index.js';
import { ReportCache } from '../../src/app/evaluate-flow.js';
import { EvaluationQueue } from '../../src/app/queue.js';
import { MemorySource, type MemoryFile } from '../../src/snapshot/memory-source.js';
import { defaultConfig } from '../../src/config/schema.js';
import { compareReports, decideGate } from '../../src/engine/compare.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { renderCheckRun } from '../../src/report/check-run.js';
import { renderCheckIssue } from '../../src/report/issue-body.js';
import { renderPrComment } from '../../src/report/pr-comment.js';

const here = dirname(fileURLToPath(import.meta.url));
export const NOW = new Date('2026-01-02T03:04:05.000Z');
export const API = 'https://api.github.com';

/** A real payload from test/fixtures/webhooks (a fresh copy each time: tests may edit it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(here, '..', 'fixtures', 'webhooks', `${name}.json`), 'utf8')) as T;
}

/** Two small checks, so the exact bodies do not depend on the catalog. */
export const testReadme = defineCheck({
  id: 'test-readme',
  category: 'foundations',
  severity: 'high',
  title: 'README present',
  description: 'A README.md at the root.',
  rationale: 'People need to know what this is.',
  remediation: 'Add `README.md`.',
  effort: 'minutes',
  scope: 'repository',
  needs: { files: ['README.md'] },
  evaluate: ({ snapshot }) =>
    snapshot.has('README.md')
      ? result.pass('README.md exists')
      : result.fail('No README.md', [{ message: 'add README.md' }]),
});

export const testUser = defineCheck({
  id: 'test-user',
  category: 'container',
  severity: 'high',
  title: 'Container runs as non-root',
  description: 'The Dockerfile sets USER.',
  rationale: 'Root in a container is root on a bad day.',
  remediation: 'Add `USER app` to the Dockerfile.',
  effort: 'minutes',
  scope: 'repository',
  needs: { files: ['Dockerfile'] },
  evaluate: ({ snapshot }) => {
    if (!snapshot.has('Dockerfile')) return result.notApplicable('No Dockerfile');
    const lines = (snapshot.text('Dockerfile') ?? '').split('\n');
    if (lines.some((line) => /^USER\s+(?!root\b)/.test(line))) return result.pass('USER is set');
    return result.fail('The image runs as root', [
      { message: 'no USER instruction: the container runs as root', path: 'Dockerfile', line: 1 },
    ]);
  },
});

export type Commits = Record<string, Record<string, string | MemoryFile>>;

let key: string | undefined;
function privateKey(): string {
  // Generated at test time: no key is ever committed.
  key ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return key;
}

/** A Probot with retries and throttling off (nock answers once), the App wired to in-memory commits by sha. */
export async function createTestApp(
  commits: Commits,
  deps: Partial<AppDeps> = {},
): Promise<{ probot: Probot; app: ShipreadyApp }> {
  const logger = pino({ level: 'silent' });
  const app = createApp({
    checks: [testReadme, testUser],
    queue: new EvaluationQueue({ concurrency: 4, logger }),
    now: () => NOW,
    reports: new ReportCache(),
    createSource: ({ sha }) => {
      const files = commits[sha];
      if (!files) throw new Error(`test: no commit ${sha}`);
      return new MemorySource(files, { settings: {}, kind: 'github' });
    },
    ...deps,
    // The request sequences these tests assert create the Check Run in progress first (the grace period is tested in
    // check-run-grace.test.ts).
    env: { SHIPREADY_CHECK_RUN_GRACE_MS: '0', ...deps.env },
  });
  const probot = new Probot({
    appId: 1,
    privateKey: privateKey(),
    secret: 'test-secret',
    log: logger,
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
  });
  await probot.load(app);
  return { probot, app };
}

/** The installation token every delivery's Octokit asks for first. */
export function mockToken(scope: nock.Scope, installationId: number): nock.Scope {
  return scope.post(`/app/installations/${installationId}/access_tokens`).reply(201, {
    token: 'ghs_test',
    expires_at: '2099-01-01T00:00:00Z',
    permissions: {},
    repository_selection: 'all',
  });
}

/** Captures each JSON body nock matched, in order, so a test can assert it exactly. */
export function capture(into: unknown[]): (body: unknown) => boolean {
  return (body) => {
    into.push(body);
    return true;
  };
}

export const CONFIG = '/contents/.github%2Fshipready.yml';

/**
 * No repository config, no org `.github` config: the defaults. `ownRead: false` for an evaluation of the default
 * branch's head, whose tree already says the repository has no file (only the org's is asked for); `orgRead: false`
 * once the App has read the org's within its cache's TTL.
 */
export function mockNoConfig(
  scope: nock.Scope,
  owner: string,
  repo: string,
  options: { ownRead?: boolean; orgRead?: boolean } = {},
): nock.Scope {
  const own = options.ownRead !== false;
  const org = options.orgRead !== false;
  // Both unknown: read together in one GraphQL query (src/github/config-file.ts), the org's `.github` missing.
  if (own && org) return mockConfigQuery(scope, owner, repo, { own: null, org: 'no-repository' });
  if (own) scope.get(`/repos/${owner}/${repo}${CONFIG}`).reply(404, { message: 'Not Found' });
  if (org) scope.get(`/repos/${owner}/.github${CONFIG}`).reply(404, { message: 'Not Found' });
  return scope;
}

/**
 * The one GraphQL query that reads a repository's config and its org's together: each is a text, null (no such
 * file) or, for the org, 'no-repository' (no `.github` repository: GitHub answers NOT_FOUND for it).
 */
export function mockConfigQuery(
  scope: nock.Scope,
  owner: string,
  repo: string,
  answers: { own: string | null; org: string | null | 'no-repository' },
): nock.Scope {
  const blob = (text: string | null) =>
    text === null
      ? { f: null }
      : { f: { byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false, text } };
  return scope
    .post('/graphql', (body: { variables?: Record<string, string> }) => {
      const variables = body.variables ?? {};
      return variables.o0 === owner && variables.n0 === repo && variables.o1 === owner && variables.n1 === '.github';
    })
    .reply(200, {
      data: { r0: blob(answers.own), r1: answers.org === 'no-repository' ? null : blob(answers.org) },
      ...(answers.org === 'no-repository'
        ? { errors: [{ type: 'NOT_FOUND', path: ['r1'], message: `Could not resolve to a Repository` }] }
        : {}),
    });
}

/**
 * nock for one test file: no real network, and after each test no pending mock and no unmatched request
 * (a request nobody expected fails the test, and so does an expectation nobody used).
 */
export function useNock(hooks: {
  beforeEach: (fn: () => void) => void;
  afterEach: (fn: () => void) => void;
  expect: (value: unknown) => { toEqual: (expected: unknown) => void };
}): void {
  let unmatched: string[] = [];
  const onNoMatch = (request: { method?: string; path?: string; options?: { method?: string; path?: string } }) =>
    unmatched.push(`${request.method ?? request.options?.method} ${request.path ?? request.options?.path}`);
  hooks.beforeEach(() => {
    nock.disableNetConnect();
    unmatched = [];
    nock.emitter.on('no match', onNoMatch);
  });
  hooks.afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    hooks.expect(unmatched).toEqual([]);
    hooks.expect(pending).toEqual([]);
  });
}

export interface Recorded {
  created: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  updates: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The Check Run's create and its updates for one evaluation (run id `id`). */
export function mockCheckRun(scope: nock.Scope, repoPath: string, id: number, updates = 1): Recorded {
  const recorded: Recorded = { created: [], updates: [] };
  scope.post(`${repoPath}/check-runs`, capture(recorded.created)).reply(201, {
    id,
    html_url: `https://github.com${repoPath.replace('/repos', '')}/runs/${id}`,
    app: { slug: 'shipready' },
  });
  for (let index = 0; index < updates; index += 1)
    scope.patch(`${repoPath}/check-runs/${id}`, capture(recorded.updates)).reply(200, { id });
  return recorded;
}

/** What the App should publish for `head` against `base`, computed with the same engine and renderers. */
export async function expectedOutputs(input: {
  head: Commits[string];
  base?: Commits[string];
  repository: string;
  sha: string;
  checkRunUrl?: string;
}) {
  const checks = [testReadme, testUser];
  const config = defaultConfig();
  const evaluate = (files: Commits[string]) =>
    evaluateRepository({ source: new MemorySource(files, { settings: {}, kind: 'github' }), checks, config });
  const head = await evaluate(input.head);
  const base = input.base ? await evaluate(input.base) : undefined;
  const comparison = compareReports(head, base);
  const gate = decideGate({ head, comparison, gate: config.gate, draft: false });
  const links = { repository: input.repository, sha: input.sha };
  return {
    head,
    gate,
    checkRun: renderCheckRun({ report: head, comparison, gate, links }),
    comment: renderPrComment({
      report: head,
      comparison,
      gate,
      links: { ...links, ...(input.checkRunUrl ? { checkRunUrl: input.checkRunUrl } : {}) },
    }),
    issue: (id: string) =>
      renderCheckIssue(
        head.checks.find((check) => check.id === id)!,
        {
          ...links,
          ...(input.checkRunUrl ? { checkRunUrl: input.checkRunUrl } : {}),
        },
      ),
  };
}
