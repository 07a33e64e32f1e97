import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from './index.js';
import { BlobCache, GitHubSource, QuotaExhaustedError } from '../../src/github/source.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { allChecks } from '../../checks/index.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let sim: Simulator;
let octokit: Octokit;

beforeEach(async () => {
  sim = await startSimulator({
    repos: [
      {
        owner: 'acme',
        name: 'api',
        files: {
          'README.md': '# hi\n',
          'package.json': '{"name":"api","scripts":{"test":"jest"}}\n',
          'src/index.ts': 'export const answer = 42;\n',
          'bin/run': { content: '#!/bin/sh\n', mode: '100755' },
          'docs/current': { symlink: '../README.md' },
          'vendor/lib': { submodule: 'a'.repeat(40) },
          'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
          '.github/shipready.yml': 'profile: service\n',
        },
        settings: { secretScanning: true, license: { spdx_id: 'MIT', name: 'MIT License' } },
      },
    ],
  });
  octokit = new Octokit({ baseUrl: sim.url, auth: 'anything', log: silent });
});

afterEach(async () => {
  await sim.close();
});

const repo = { owner: 'acme', repo: 'api' };

describe('repositories and git data', () => {
  test('GET /repos/{o}/{r} answers default branch, security_and_analysis and license', async () => {
    const { data } = await octokit.rest.repos.get(repo);
    expect(data).toMatchObject({
      full_name: 'acme/api',
      default_branch: 'main',
      private: false,
      license: { spdx_id: 'MIT' },
    });
    expect(data.security_and_analysis).toEqual({
      secret_scanning: { status: 'enabled' },
      secret_scanning_push_protection: { status: 'disabled' },
    });
    sim.repo('acme/api').settings.securityAndAnalysisVisible = false;
    expect((await octokit.rest.repos.get(repo)).data.security_and_analysis).toBeUndefined();
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'nope' })).rejects.toMatchObject({ status: 404 });
    expect(sim.violations).toEqual([]);
  });

  test("trees carry git's real ids and modes; recursive listings can be forced to truncate", async () => {
    const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: 'main', recursive: '1' });
    const byPath = Object.fromEntries(data.tree.map((item) => [item.path, item]));
    // `printf '# hi\n' | git hash-object --stdin`
    expect(byPath['README.md']).toMatchObject({
      type: 'blob',
      mode: '100644',
      sha: '77ebc6577e3fc2c38b5bc7f233510fafba6822ac',
      size: 5,
    });
    expect(byPath['bin/run']).toMatchObject({ mode: '100755' });
    expect(byPath['docs/current']).toMatchObject({ mode: '120000', type: 'blob' });
    expect(byPath['vendor/lib']).toMatchObject({ mode: '160000', type: 'commit', sha: 'a'.repeat(40) });
    expect(byPath.src).toMatchObject({ type: 'tree', mode: '040000' });
    expect(data.truncated).toBe(false);

    const top = await octokit.rest.git.getTree({ ...repo, tree_sha: data.sha });
    expect(top.data.tree.map((item) => item.path)).toEqual([
      '.github',
      'README.md',
      'bin',
      'docs',
      'logo.png',
      'package.json',
      'src',
      'vendor',
    ]);

    sim.repo('acme/api').truncateTreesOver = 3;
    const cut = await octokit.rest.git.getTree({ ...repo, tree_sha: sim.head('acme/api'), recursive: '1' });
    expect(cut.data).toMatchObject({ truncated: true });
    expect(cut.data.tree).toHaveLength(3);
    const notCut = await octokit.rest.git.getTree({ ...repo, tree_sha: data.sha });
    expect(notCut.data.truncated).toBe(false);
  });

  test('commits, branches and pull requests: a pushed fix moves the branch and the PR head', async () => {
    const base = sim.head('acme/api');
    const first = sim.commit('acme/api', { branch: 'fix', changes: { 'SECURITY.md': '# Security\n' } });
    const pull = sim.openPull('acme/api', { head: 'fix', title: 'Add a security policy' });
    const second = sim.commit('acme/api', { branch: 'fix', changes: { 'README.md': null } });
    expect(sim.repo('acme/api').pulls.get(pull.number)?.head.sha).toBe(second);

    const { data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: pull.number });
    expect(pr).toMatchObject({
      number: pull.number,
      head: { ref: 'fix', sha: second },
      base: { ref: 'main', sha: base },
      draft: false,
    });
    const { data: forCommit } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: second,
    });
    expect(forCommit.map((item) => item.number)).toEqual([pull.number]);
    expect(
      (await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: first })).data,
    ).toEqual([]);

    const { data: commit } = await octokit.rest.repos.getCommit({ ...repo, ref: second });
    expect(commit.parents.map((parent) => parent.sha)).toEqual([first]);
    const { data: branch } = await octokit.rest.repos.getBranch({ ...repo, branch: 'fix' });
    expect(branch.commit.sha).toBe(second);
    const tree = await octokit.rest.git.getTree({ ...repo, tree_sha: 'fix', recursive: '1' });
    expect(tree.data.tree.map((item) => item.path)).toContain('SECURITY.md');
    expect(tree.data.tree.map((item) => item.path)).not.toContain('README.md');

    sim.setBranch('acme/api', 'fix', first);
    expect((await octokit.rest.git.getRef({ ...repo, ref: 'heads/fix' })).data.object.sha).toBe(first);
    expect(sim.violations).toEqual([]);
  });

  test('contents API: raw (as Probot context.config asks), JSON, and 404', async () => {
    const raw = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      ...repo,
      path: '.github/shipready.yml',
      mediaType: { format: 'raw' },
    });
    expect(String(raw.data)).toBe('profile: service\n');
    const json = await octokit.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'main' });
    expect(Buffer.from((json.data as { content: string }).content, 'base64').toString()).toBe('# hi\n');
    await expect(octokit.rest.repos.getContent({ ...repo, path: 'missing.yml' })).rejects.toMatchObject({
      status: 404,
    });
  });

  test('a fixture directory becomes the first commit (symlinks and executables kept)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sim-fixture-'));
    try {
      mkdirSync(join(directory, 'src'));
      writeFileSync(join(directory, 'src', 'main.go'), 'package main\n');
      writeFileSync(join(directory, 'run.sh'), '#!/bin/sh\n');
      chmodSync(join(directory, 'run.sh'), 0o755);
      symlinkSync('src/main.go', join(directory, 'link'));
      sim.addRepo({ owner: 'acme', name: 'fixture', fixture: directory });
      const { data } = await octokit.rest.git.getTree({
        owner: 'acme',
        repo: 'fixture',
        tree_sha: 'main',
        recursive: '1',
      });
      expect(data.tree.map((item) => `${item.path}:${item.mode}`)).toEqual([
        'link:120000',
        'run.sh:100755',
        'src:040000',
        'src/main.go:100644',
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('GraphQL', () => {
  test('answers aliased object(expression:) queries: text, binary, truncation, missing paths, unknown repositories', async () => {
    sim.blobTextLimit = 10;
    const head = sim.head('acme/api');
    const data = await octokit.graphql<{ repository: Record<string, unknown> }>(
      `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {
        f0: object(expression: "${head}:README.md") { ... on Blob { text isBinary isTruncated byteSize oid } }
        f1: object(expression: "${head}:logo.png") { ... on Blob { text isBinary byteSize } }
        f2: object(expression: "main:package.json") { ... on Blob { text isTruncated } }
        f3: object(expression: "${head}:nope.txt") { ... on Blob { text } }
        f4: object(expression: "${head}:src") { ... on Blob { text } }
      } }`,
      { owner: 'acme', name: 'api' },
    );
    expect(data.repository).toEqual({
      f0: {
        text: '# hi\n',
        isBinary: false,
        isTruncated: false,
        byteSize: 5,
        oid: '77ebc6577e3fc2c38b5bc7f233510fafba6822ac',
      },
      f1: { text: null, isBinary: true, byteSize: 8 },
      f2: { text: '{"name":"a', isTruncated: true },
      f3: null,
      f4: {},
    });
    await expect(
      octokit.graphql(
        'query { repository(owner: "acme", name: "gone") { f0: object(expression: "main:a") { ... on Blob { text } } } }',
      ),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'NOT_FOUND' })],
    });
    expect(sim.counts).toMatchObject({ graphql: 2, rest: 0, graphqlObjects: 5 });
    expect(sim.violations).toEqual([]);
  });

  test('answers object(oid:) with a named fragment, as GitHubSource asks: blobs, a tree (no Blob fields), an unknown id', async () => {
    const head = sim.head('acme/api');
    const { repository } = await octokit.graphql<{ repository: { f0: { oid: string } } }>(
      `query { repository(owner: "acme", name: "api") { f0: object(expression: "${head}:README.md") { ... on Blob { oid } } } }`,
    );
    const readme = repository.f0.oid;
    const tree = (await octokit.rest.git.getCommit({ ...repo, commit_sha: head })).data.tree.sha;
    sim.resetCounts();
    const data = await octokit.graphql<{ repository: Record<string, unknown> }>(
      `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {
        f0: object(oid: "${readme}") { ...B }
        f1: object(oid: "${tree}") { ...B }
        f2: object(oid: "${'0'.repeat(40)}") { ...B }
      } rateLimit { remaining resetAt } } fragment B on Blob { text isBinary isTruncated byteSize oid }`,
      { owner: 'acme', name: 'api' },
    );
    expect(data.repository).toEqual({
      f0: { text: '# hi\n', isBinary: false, isTruncated: false, byteSize: 5, oid: readme },
      f1: {},
      f2: null,
    });
    expect(sim.counts).toMatchObject({ graphql: 1, graphqlObjects: 3 });
    expect(sim.violations).toEqual([]);
  });

  test('a fragment spread but not defined, defined but not spread, or with an unknown field is an error', async () => {
    const ask = (query: string) => octokit.graphql(query);
    await expect(
      ask('query { repository(owner: "acme", name: "api") { f0: object(expression: "main:README.md") { ...B } } }'),
    ).rejects.toThrow('Fragment B was used, but not defined');
    await expect(
      ask(
        'query { repository(owner: "acme", name: "api") { f0: object(expression: "main:README.md") { ... on Blob { oid } } } } fragment B on Blob { oid }',
      ),
    ).rejects.toThrow('Fragment B was defined, but not used');
    await expect(
      ask(
        'query { repository(owner: "acme", name: "api") { f0: object(expression: "main:README.md") { ...B } } } fragment B on Blob { content }',
      ),
    ).rejects.toThrow("Field 'content' doesn't exist on type 'Blob'");
    expect(sim.violations).toHaveLength(3);
    sim.violations.length = 0;
  });

  test('a query the simulator does not understand is flagged', async () => {
    await expect(octokit.graphql('query { viewer { login } }')).rejects.toThrow(/understands/);
    expect(sim.violations).toHaveLength(1);
  });
});

describe('App auth', () => {
  test('installation tokens, installation lookups', async () => {
    const token = await octokit.rest.apps.createInstallationAccessToken({ installation_id: 1 });
    expect(token.status).toBe(201);
    expect(token.data.token).toMatch(/^ghs_/);
    expect((await octokit.rest.apps.getInstallation({ installation_id: 1 })).data.id).toBe(1);
    expect((await octokit.rest.apps.getRepoInstallation(repo)).data.id).toBe(1);
    expect((await octokit.rest.apps.getAuthenticated()).data?.slug).toBe('shipready');
    expect(sim.violations).toEqual([]);
  });
});

describe('recorded writes', () => {
  test('check runs: create, update (annotations appended), list for a ref', async () => {
    const head = sim.head('acme/api');
    const created = await octokit.rest.checks.create({
      ...repo,
      name: 'Production readiness',
      head_sha: head,
      status: 'in_progress',
    });
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: created.data.id,
      status: 'completed',
      conclusion: 'failure',
      output: {
        title: 'Readiness 40/100',
        summary: 's',
        annotations: [{ path: 'README.md', start_line: 1, end_line: 1, annotation_level: 'warning', message: 'm' }],
      },
    });
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: created.data.id,
      output: {
        title: 'Readiness 40/100',
        summary: 's',
        annotations: [{ path: 'bin/run', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'n' }],
      },
    });
    const run = sim.repo('acme/api').checkRuns[0];
    expect(run).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Readiness 40/100', annotations_count: 2 },
    });
    expect(run.annotations.map((annotation) => annotation.path)).toEqual(['README.md', 'bin/run']);
    expect(run.history).toHaveLength(3);
    const listed = await octokit.rest.checks.listForRef({ ...repo, ref: 'main', check_name: 'Production readiness' });
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]).toMatchObject({
      id: created.data.id,
      conclusion: 'failure',
      app: { slug: 'shipready' },
    });
    expect(sim.counts.writes).toBe(3);
    expect(sim.violations).toEqual([]);
  });

  test('comments: create, update, list with pagination (octokit.paginate follows the link header)', async () => {
    const pull = sim.openPull('acme/api', { head: 'main' });
    const ids: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      ids.push(
        (await octokit.rest.issues.createComment({ ...repo, issue_number: pull.number, body: `c${index}` })).data.id,
      );
    }
    await octokit.rest.issues.updateComment({ ...repo, comment_id: ids[2], body: '<!-- shipready:comment --> edited' });
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      ...repo,
      issue_number: pull.number,
      per_page: 2,
    });
    expect(all.map((comment) => comment.body)).toEqual(['c0', 'c1', '<!-- shipready:comment --> edited', 'c3', 'c4']);
    expect(all[0].user?.login).toBe('shipready[bot]');
    expect(sim.counts.byRoute['GET /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(3);
    expect(sim.violations).toEqual([]);
  });

  test('issues and labels: create with labels, update state, list by state/labels/creator, search, duplicate label 422', async () => {
    await octokit.rest.issues.createLabel({ ...repo, name: 'shipready', color: '0e8a16' });
    await expect(
      octokit.rest.issues.createLabel({ ...repo, name: 'ShipReady', color: '0e8a16' }),
    ).rejects.toMatchObject({ status: 422 });
    const one = await octokit.rest.issues.create({
      ...repo,
      title: 'Add a license',
      body: '<!-- shipready:check=license-present -->',
      labels: ['shipready', 'severity:high'],
    });
    await octokit.rest.issues.create({ ...repo, title: 'Other', body: 'by someone', labels: [] });
    await octokit.rest.issues.update({
      ...repo,
      issue_number: one.data.number,
      state: 'closed',
      state_reason: 'completed',
    });
    expect(sim.repo('acme/api').issues.get(one.data.number)).toMatchObject({
      state: 'closed',
      state_reason: 'completed',
      labels: ['shipready', 'severity:high'],
    });

    const open = await octokit.rest.issues.listForRepo({ ...repo, state: 'open' });
    expect(open.data.map((issue) => issue.title)).toEqual(['Other']);
    const ours = await octokit.rest.issues.listForRepo({
      ...repo,
      state: 'all',
      labels: 'shipready',
      creator: 'shipready[bot]',
    });
    expect(ours.data.map((issue) => issue.number)).toEqual([one.data.number]);
    const labels = await octokit.rest.issues.listLabelsForRepo(repo);
    expect(labels.data.map((label) => label.name).sort()).toEqual(['severity:high', 'shipready']);
    const found = await octokit.rest.search.issuesAndPullRequests({
      q: 'repo:acme/api is:issue "shipready:check=license-present"',
    });
    expect(found.data.items.map((issue) => issue.number)).toEqual([one.data.number]);
    expect(sim.violations).toEqual([]);
  });
});

describe('settings endpoints', () => {
  test('rules, classic protection, vulnerability alerts, private vulnerability reporting, code scanning default setup', async () => {
    const settings = sim.repo('acme/api').settings;
    settings.rulesets = { main: [{ type: 'pull_request', parameters: { required_approving_review_count: 1 } }] };
    settings.classicProtection = { main: { required_status_checks: { contexts: ['ci'] } } };
    settings.dependabotAlerts = true;
    settings.codeScanning = { state: 'configured', languages: ['python'] };
    expect((await octokit.rest.repos.getBranchRules({ ...repo, branch: 'main' })).data).toEqual([
      expect.objectContaining({ type: 'pull_request', ruleset_id: 1, ruleset_source: 'acme/api' }),
    ]);
    expect(
      (await octokit.rest.repos.getBranchProtection({ ...repo, branch: 'main' })).data.required_status_checks,
    ).toMatchObject({ contexts: ['ci'] });
    await expect(octokit.rest.repos.getBranchProtection({ ...repo, branch: 'dev' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('Branch not protected'),
    });
    expect((await octokit.rest.repos.checkVulnerabilityAlerts(repo)).status).toBe(204);
    settings.dependabotAlerts = false;
    await expect(octokit.rest.repos.checkVulnerabilityAlerts(repo)).rejects.toMatchObject({ status: 404 });
    expect((await octokit.rest.repos.checkPrivateVulnerabilityReporting(repo)).data).toEqual({ enabled: false });
    expect((await octokit.rest.codeScanning.getDefaultSetup(repo)).data).toMatchObject({
      state: 'configured',
      languages: ['python'],
    });
    expect(sim.violations).toEqual([]);
  });
});

describe('counters, faults and validation', () => {
  test('counts REST and GraphQL separately, by route, and resets', async () => {
    await octokit.rest.repos.get(repo);
    await octokit.rest.repos.get(repo);
    await octokit.graphql('query { rateLimit { remaining } }');
    expect(sim.counts).toMatchObject({
      total: 3,
      rest: 2,
      graphql: 1,
      writes: 0,
      byRoute: { 'GET /repos/{owner}/{repo}': 2, 'POST /graphql': 1 },
    });
    expect(sim.requests.map((request) => request.route)).toEqual([
      '/repos/{owner}/{repo}',
      '/repos/{owner}/{repo}',
      '/graphql',
    ]);
    sim.resetCounts();
    expect(sim.counts).toMatchObject({ total: 0, rest: 0, graphql: 0, byRoute: {} });
    expect(sim.requests).toEqual([]);
  });

  test('latency is added to every response', async () => {
    sim.latencyMs = 60;
    const started = Date.now();
    await octokit.rest.repos.get(repo);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  test('5xx on the next N requests matching a path, then normal answers', async () => {
    sim.failNext({ path: '/git/trees/', status: 502, times: 2 });
    await expect(octokit.rest.git.getTree({ ...repo, tree_sha: 'main' })).rejects.toMatchObject({ status: 502 });
    await expect(octokit.rest.repos.get(repo)).resolves.toMatchObject({ status: 200 });
    await expect(octokit.rest.git.getTree({ ...repo, tree_sha: 'main' })).rejects.toMatchObject({ status: 502 });
    await expect(octokit.rest.git.getTree({ ...repo, tree_sha: 'main' })).resolves.toMatchObject({ status: 200 });
  });

  test('403 secondary rate limit with retry-after', async () => {
    sim.secondaryRateLimit({ retryAfter: 7 });
    const error = (await octokit.rest.repos.get(repo).catch((caught: unknown) => caught)) as {
      status: number;
      response: { headers: Record<string, string> };
      message: string;
    };
    expect(error.status).toBe(403);
    expect(error.response.headers['retry-after']).toBe('7');
    expect(error.message).toMatch(/secondary rate limit/);
  });

  test('exhausted primary quota: 403 with x-ratelimit-remaining 0 and the reset; GraphQL RATE_LIMITED; GitHubSource says QuotaExhaustedError', async () => {
    const resetAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 900_000);
    sim.exhaustQuota(resetAt);
    const error = (await octokit.rest.repos.get(repo).catch((caught: unknown) => caught)) as {
      status: number;
      response: { headers: Record<string, string> };
    };
    expect(error.status).toBe(403);
    expect(error.response.headers['x-ratelimit-remaining']).toBe('0');
    expect(error.response.headers['x-ratelimit-reset']).toBe(String(resetAt.getTime() / 1000));
    await expect(octokit.graphql('query { rateLimit { remaining } }')).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'RATE_LIMITED' })],
    });
    const github = new GitHubSource({
      octokit,
      owner: 'acme',
      repo: 'api',
      sha: sim.head('acme/api'),
      defaultBranch: 'main',
    });
    const failure = await github.listTree().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(QuotaExhaustedError);
    expect((failure as QuotaExhaustedError).resetAt).toEqual(resetAt);
    sim.restoreQuota();
    await expect(octokit.rest.repos.get(repo)).resolves.toMatchObject({ status: 200 });
  });

  test('GitHubSource reads a text the GraphQL API cut through the git blobs API', async () => {
    sim.blobTextLimit = 1000;
    const lock = JSON.stringify({
      lockfileVersion: 3,
      packages: Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`p${index}`, index])),
    });
    const sha = sim.commit('acme/api', { changes: { 'package-lock.json': lock } });
    const github = new GitHubSource({ octokit, owner: 'acme', repo: 'api', sha, defaultBranch: 'main' });
    const entries = (await github.listTree()).entries.filter((entry) => entry.path === 'package-lock.json');
    const files = await github.readFiles(entries, { maxFileBytes: 1 << 20 });
    expect(files.get('package-lock.json')).toMatchObject({ text: lock, truncated: false, size: lock.length });
    expect(sim.counts.byRoute['GET /repos/{owner}/{repo}/git/blobs/{file_sha}']).toBe(1);
    expect(sim.violations).toEqual([]);
  });

  test('a 403 fault can play a missing App permission', async () => {
    sim.failNext({
      path: /vulnerability-alerts$/,
      status: 403,
      times: Infinity,
      message: 'Resource not accessible by integration',
      headers: { 'x-accepted-github-permissions': 'administration=read' },
    });
    const github = new GitHubSource({
      octokit,
      owner: 'acme',
      repo: 'api',
      sha: sim.head('acme/api'),
      defaultBranch: 'main',
    });
    const settings = await github.readSettings(['dependabotAlerts']);
    expect(settings.dependabotAlerts).toMatchObject({
      status: 'not-supported',
      reason: expect.stringContaining('"administration: read"'),
    });
  });

  test('an invalid body is answered 400 and recorded; a valid one passes', async () => {
    const head = sim.head('acme/api');
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/check-runs', {
        ...repo,
        name: 'x',
        head_sha: head,
        status: 'bogus' as 'queued',
      }),
    ).rejects.toMatchObject({ status: 400 });
    expect(sim.violations).toHaveLength(1);
    expect(sim.violations[0]).toMatchObject({
      kind: 'invalid-request',
      method: 'POST',
      url: '/repos/acme/api/check-runs',
    });
    expect(sim.violations[0].errors.join('\n')).toMatch(/body\/status must be equal to one of the allowed values/);
    expect(sim.repo('acme/api').checkRuns).toHaveLength(0);

    // 51 annotations break GitHub's limit of 50 per request.
    const annotations = Array.from({ length: 51 }, () => ({
      path: 'README.md',
      start_line: 1,
      end_line: 1,
      annotation_level: 'notice' as const,
      message: 'm',
    }));
    await expect(
      octokit.rest.checks.create({
        ...repo,
        name: 'x',
        head_sha: head,
        output: { title: 't', summary: 's', annotations },
      }),
    ).rejects.toMatchObject({ status: 400 });
    expect(sim.violations[1].errors.join('\n')).toMatch(/annotations must NOT have more than 50 items/);

    await expect(
      octokit.rest.checks.create({ ...repo, name: 'x', head_sha: head, status: 'queued' }),
    ).resolves.toMatchObject({ status: 201 });
    expect(sim.violations).toHaveLength(2);
  });

  test('bad path parameters, undescribed query parameters and unknown routes are recorded', async () => {
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
        ...repo,
        issue_number: 'abc' as unknown as number,
      }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { ...repo, tree_sha: 'main', recursve: '1' }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(octokit.request('GET /repos/{owner}/{repo}/nonsense', repo)).rejects.toMatchObject({ status: 404 });
    expect(sim.violations.map((violation) => violation.kind)).toEqual([
      'invalid-request',
      'invalid-request',
      'unknown-route',
    ]);
    expect(sim.violations[0].errors.join()).toMatch(/path parameter "issue_number" must be integer/);
    expect(sim.violations[1].errors.join()).toMatch(/query parameter "recursve" is not described/);
  });
});

describe('fidelity', () => {
  test("the simulator's answers have the shape GitHub's response schemas describe (missing required fields are filled)", async () => {
    const checked = await startSimulator({
      validateResponses: true,
      repos: [
        {
          owner: 'acme',
          name: 'api',
          files: { 'README.md': '# hi\n', 'a/b.txt': 'x' },
          settings: {
            license: { spdx_id: 'MIT', name: 'MIT License' },
            rulesets: { main: [{ type: 'deletion' }] },
            classicProtection: { main: { required_status_checks: { strict: true, contexts: ['ci'] } } },
            dependabotAlerts: true,
          },
        },
      ],
    });
    const o = new Octokit({ baseUrl: checked.url, log: { debug() {}, info() {}, warn() {}, error() {} } });
    const r = { owner: 'acme', repo: 'api' };
    const head = checked.head('acme/api');
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['repos.get', () => o.rest.repos.get(r)],
      ['tree', () => o.rest.git.getTree({ ...r, tree_sha: 'main', recursive: '1' })],
      ['blob', () => o.rest.git.getBlob({ ...r, file_sha: '77ebc6577e3fc2c38b5bc7f233510fafba6822ac' })],
      ['commit', () => o.rest.repos.getCommit({ ...r, ref: head })],
      ['gitcommit', () => o.rest.git.getCommit({ ...r, commit_sha: head })],
      ['ref', () => o.rest.git.getRef({ ...r, ref: 'heads/main' })],
      ['branch', () => o.rest.repos.getBranch({ ...r, branch: 'main' })],
      ['rules', () => o.rest.repos.getBranchRules({ ...r, branch: 'main' })],
      ['protection', () => o.rest.repos.getBranchProtection({ ...r, branch: 'main' })],
      ['pvr', () => o.rest.repos.checkPrivateVulnerabilityReporting(r)],
      ['cs', () => o.rest.codeScanning.getDefaultSetup(r)],
      ['content', () => o.rest.repos.getContent({ ...r, path: 'README.md' })],
      ['token', () => o.rest.apps.createInstallationAccessToken({ installation_id: 1 })],
      ['inst', () => o.rest.apps.getInstallation({ installation_id: 1 })],
      ['repoinst', () => o.rest.apps.getRepoInstallation(r)],
      ['app', () => o.rest.apps.getAuthenticated()],
      [
        'cr',
        async () => {
          const c = await o.rest.checks.create({ ...r, name: 'x', head_sha: head, status: 'in_progress' });
          await o.rest.checks.update({ ...r, check_run_id: c.data.id, conclusion: 'success' });
          await o.rest.checks.get({ ...r, check_run_id: c.data.id });
          await o.rest.checks.listForRef({ ...r, ref: 'main' });
        },
      ],
      [
        'issue',
        async () => {
          const i = await o.rest.issues.create({ ...r, title: 't', labels: ['l'] });
          await o.rest.issues.update({ ...r, issue_number: i.data.number, state: 'closed' });
          await o.rest.issues.get({ ...r, issue_number: i.data.number });
          await o.rest.issues.listForRepo(r);
          const c = await o.rest.issues.createComment({ ...r, issue_number: i.data.number, body: 'b' });
          await o.rest.issues.updateComment({ ...r, comment_id: c.data.id, body: 'c' });
          await o.rest.issues.listComments({ ...r, issue_number: i.data.number });
          await o.rest.issues.createLabel({ ...r, name: 'z' });
          await o.rest.issues.listLabelsForRepo(r);
          await o.rest.search.issuesAndPullRequests({ q: 'repo:acme/api' });
        },
      ],
      [
        'pull',
        async () => {
          checked.commit('acme/api', { branch: 'f', changes: { x: 'y' } });
          const p = checked.openPull('acme/api', { head: 'f' });
          await o.rest.pulls.get({ ...r, pull_number: p.number });
          await o.rest.pulls.list(r);
          await o.rest.repos.listPullRequestsAssociatedWithCommit({ ...r, commit_sha: p.head.sha });
        },
      ],
    ];
    for (const [, call] of calls) await call();
    expect(checked.responseViolations).toEqual([]);
    expect(checked.violations).toEqual([]);
    await checked.close();
  });
});

describe('GitHubSource against the simulator', () => {
  test('a truncated recursive tree is walked into the same listing; odd paths survive the GraphQL query', async () => {
    const odd = ['docs/say "hi"\\there.md', 'ünïcödé/😀 $name.md', 'a/b/c/d/deep.txt'];
    sim.commit('acme/api', { changes: Object.fromEntries(odd.map((path) => [path, `text of ${path}`])) });
    const sha = sim.head('acme/api');
    const full = await new GitHubSource({ octokit, owner: 'acme', repo: 'api', sha, defaultBranch: 'main' }).listTree();
    sim.repo('acme/api').truncateTreesOver = 4;
    const github = new GitHubSource({ octokit, owner: 'acme', repo: 'api', sha, defaultBranch: 'main' });
    const walked = await github.listTree();
    expect(walked.entries).toEqual(full.entries);
    expect(walked.truncated).toBe(false);
    expect(walked.warnings.join()).toMatch(/sub-tree by sub-tree/);
    const files = await github.readFiles(
      walked.entries.filter((entry) => odd.includes(entry.path)),
      { maxFileBytes: 1000 },
    );
    for (const path of odd) expect(files.get(path)).toMatchObject({ text: `text of ${path}`, truncated: false });
    expect(sim.violations).toEqual([]);
  });

  test('a cold evaluation, then a warm one after a one-file push: counts per category', async () => {
    const cache = new BlobCache();
    const settings = sim.repo('acme/api').settings;
    settings.rulesets = {
      main: [
        { type: 'pull_request', parameters: { required_approving_review_count: 1 } },
        { type: 'required_status_checks' },
        { type: 'non_fast_forward' },
        { type: 'deletion' },
      ],
    };
    sim.addRepo({
      owner: 'acme',
      name: '.github',
      files: { 'SECURITY.md': '# Security\n', '.github/CODE_OF_CONDUCT.md': 'Be kind\n' },
    });
    let quotaBefore = 0;
    const evaluate = async () => {
      const source = new GitHubSource({
        octokit,
        owner: 'acme',
        repo: 'api',
        sha: sim.head('acme/api'),
        ref: 'refs/heads/main',
        defaultBranch: 'main',
        cache,
      });
      sim.resetCounts();
      quotaBefore = sim.quotaUsed;
      const report = await evaluateRepository({ source, checks: allChecks });
      return { report, stats: { ...source.stats }, counts: { ...sim.counts, quota: sim.quotaUsed - quotaBefore } };
    };
    const cold = await evaluate();
    expect(cold.counts.graphql).toBe(1);
    expect(cold.counts.byRoute['GET /repos/{owner}/{repo}/git/trees/{tree_sha}']).toBe(2); // this repo's tree + the org .github tree
    expect(cold.stats).toMatchObject({ rest: cold.counts.rest, graphql: cold.counts.graphql });
    expect(cold.stats.blobsFetched).toBeGreaterThan(0);

    sim.commit('acme/api', {
      changes: { 'package.json': '{"name":"api","scripts":{"test":"jest","lint":"eslint ."}}\n' },
    });
    const warm = await evaluate();
    expect(warm.counts.graphql).toBe(1);
    expect(warm.counts.graphqlObjects).toBe(1);
    expect(warm.stats.blobsFetched).toBe(1);
    // Every other blob comes from the cache (package.json was the one that changed).
    expect(warm.stats.blobsFromCache).toBe(cold.stats.blobsFetched - 1);
    // Settings are conditional requests: unchanged answers are 304s that cost no quota. Only the new commit's
    // tree and the 404 of disabled Dependabot alerts (an error answer has no ETag) use quota.
    expect(warm.counts.notModified).toBe(warm.counts.rest - 2);
    expect(warm.stats.notModified).toBe(warm.counts.notModified);
    expect(warm.counts.quota).toBe(2);

    // The same commit again (a re-requested check run): its tree listing is immutable and comes from the cache.
    const again = await evaluate();
    expect(again.counts.byRoute['GET /repos/{owner}/{repo}/git/trees/{tree_sha}']).toBe(1); // the org .github tree, 304
    expect(again.counts.graphql).toBe(0);
    expect(again.stats.treesFromCache).toBe(1);
    expect(again.counts.notModified).toBe(again.counts.rest - 1);
    expect(again.counts.quota).toBe(1);
    expect(sim.violations).toEqual([]);
    // SIM_COUNTS=1 prints the counts of this small repository (cold, warm after a push, same commit again).
    if (process.env.SIM_COUNTS) {
      const summary = (run: typeof cold) => ({ ...run.counts, ...run.stats, byRoute: undefined });
      console.log(JSON.stringify({ cold: summary(cold), warm: summary(warm), again: summary(again) }));
    }
  });
});
