import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { Octokit } from '@octokit/rest';
import { BlobCache, GitHubApiError, GitHubSource, QuotaExhaustedError } from '../../src/github/source.js';
import type { TreeEntry } from '../../src/snapshot/types.js';

const API = 'https://api.github.test';
const SHA = 'c0ffee'.padEnd(40, '0');
const REPO = '/repos/acme/app';
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const unmatched: string[] = [];

function source(
  options: {
    cache?: BlobCache;
    batch?: { maxAliases?: number; maxQueryChars?: number; maxExpectedBytes?: number };
  } = {},
) {
  const octokit = new Octokit({ baseUrl: API, auth: 'test-token', log: silent });
  return new GitHubSource({
    octokit,
    owner: 'acme',
    repo: 'app',
    sha: SHA,
    ref: 'refs/heads/main',
    defaultBranch: 'main',
    ...options,
  });
}

function blob(path: string, sha: string, size = 10, mode = '100644') {
  return { path, mode, type: 'blob', sha, size, url: '' };
}

function file(path: string, sha: string, size = 10): TreeEntry {
  return { path, kind: 'file', size, mode: '100644', sha };
}

interface GraphqlBody {
  query: string;
  variables: Record<string, unknown>;
}

/** Pulls the aliases and what each names (`oid` or `expression`) out of a GitHubSource query. */
function aliases(query: string): Array<{ alias: string; oid?: string; expression?: string }> {
  return [...query.matchAll(/(f\d+): object\((oid|expression): ("(?:[^"\\]|\\.)*")\) \{ \.\.\.B \}/g)].map((match) => ({
    alias: match[1],
    [match[2]]: JSON.parse(match[3]) as string,
  }));
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on('no match', (request: { method?: string; path?: string }) =>
    unmatched.push(`${request.method} ${request.path}`),
  );
});

afterEach(() => {
  const pending = nock.pendingMocks();
  const missed = [...unmatched];
  nock.cleanAll();
  unmatched.length = 0;
  expect(pending).toEqual([]);
  expect(missed).toEqual([]);
});

afterAll(() => {
  nock.enableNetConnect();
  nock.emitter.removeAllListeners('no match');
});

describe('listTree', () => {
  test('one recursive tree request; directories left out; symlinks, submodules and executables kept with their modes', async () => {
    const scope = nock(API)
      .get(`${REPO}/git/trees/${SHA}`)
      .query({ recursive: '1' })
      .reply(
        200,
        {
          sha: 'root',
          truncated: false,
          tree: [
            blob('README.md', 'b1', 12),
            { path: 'src', mode: '040000', type: 'tree', sha: 't1' },
            blob('src/index.ts', 'b2', 40),
            blob('bin/run', 'b3', 5, '100755'),
            blob('current', 'b4', 7, '120000'),
            { path: 'vendor/lib', mode: '160000', type: 'commit', sha: 'deadbeef' },
          ],
        },
        { 'x-ratelimit-remaining': '4321', 'x-ratelimit-reset': '1900000000' },
      );
    const github = source();
    const listing = await github.listTree();
    expect(scope.isDone()).toBe(true);
    expect(listing.truncated).toBe(false);
    expect(listing.warnings).toEqual([]);
    expect(listing.entries).toEqual([
      { path: 'README.md', kind: 'file', size: 12, mode: '100644', sha: 'b1' },
      { path: 'bin/run', kind: 'file', size: 5, mode: '100755', sha: 'b3' },
      { path: 'current', kind: 'symlink', size: 7, mode: '120000', sha: 'b4' },
      { path: 'src/index.ts', kind: 'file', size: 40, mode: '100644', sha: 'b2' },
      { path: 'vendor/lib', kind: 'submodule', size: 0, mode: '160000', sha: 'deadbeef' },
    ]);
    expect(github.stats).toMatchObject({ rest: 1, graphql: 0 });
    expect(github.stats.rateLimit.core).toEqual({ remaining: 4321, resetAt: new Date(1900000000 * 1000) });
  });

  test('a truncated recursive tree is walked sub-tree by sub-tree, recursing again where a sub-tree is still truncated', async () => {
    nock(API)
      .get(`${REPO}/git/trees/${SHA}`)
      .query({ recursive: '1' })
      .reply(200, { sha: 'root', truncated: true, tree: [blob('README.md', 'b1')] })
      // the root, one level
      .get(`${REPO}/git/trees/root`)
      .reply(200, {
        sha: 'root',
        truncated: false,
        tree: [
          blob('README.md', 'b1'),
          { path: 'src', mode: '040000', type: 'tree', sha: 'tsrc' },
          { path: 'big', mode: '040000', type: 'tree', sha: 'tbig' },
        ],
      })
      .get(`${REPO}/git/trees/tsrc`)
      .query({ recursive: '1' })
      .reply(200, {
        sha: 'tsrc',
        truncated: false,
        tree: [blob('a.ts', 'b2'), { path: 'lib', mode: '040000', type: 'tree', sha: 'tlib' }, blob('lib/b.ts', 'b3')],
      })
      .get(`${REPO}/git/trees/tbig`)
      .query({ recursive: '1' })
      .reply(200, { sha: 'tbig', truncated: true, tree: [] })
      .get(`${REPO}/git/trees/tbig`)
      .reply(200, {
        sha: 'tbig',
        truncated: false,
        tree: [blob('top.txt', 'b4'), { path: 'inner', mode: '040000', type: 'tree', sha: 'tinner' }],
      })
      .get(`${REPO}/git/trees/tinner`)
      .query({ recursive: '1' })
      .reply(200, {
        sha: 'tinner',
        truncated: false,
        tree: [blob('deep.txt', 'b5'), { path: 'link', mode: '120000', type: 'blob', sha: 'b6', size: 3 }],
      });
    const github = source();
    const listing = await github.listTree();
    expect(listing.entries.map((entry) => `${entry.path}:${entry.kind}`)).toEqual([
      'README.md:file',
      'big/inner/deep.txt:file',
      'big/inner/link:symlink',
      'big/top.txt:file',
      'src/a.ts:file',
      'src/lib/b.ts:file',
    ]);
    expect(listing.truncated).toBe(false);
    expect(listing.warnings.join('\n')).toMatch(/truncated the recursive tree listing.*sub-tree by sub-tree/);
    expect(github.stats.rest).toBe(6);
  });

  test('a directory GitHub cannot list in full leaves the listing marked truncated', async () => {
    nock(API)
      .get(`${REPO}/git/trees/${SHA}`)
      .query({ recursive: '1' })
      .reply(200, { sha: 'root', truncated: true, tree: [] })
      .get(`${REPO}/git/trees/root`)
      .reply(200, { sha: 'root', truncated: true, tree: [blob('a.txt', 'b1')] });
    const listing = await source().listTree();
    expect(listing.truncated).toBe(true);
    expect(listing.entries.map((entry) => entry.path)).toEqual(['a.txt']);
    expect(listing.warnings.join('\n')).toMatch(/too large for GitHub to list in full/);
  });
});

describe('readFiles', () => {
  test('all texts in one GraphQL query with aliases; binary, GitHub-truncated and cut texts marked; quotes and backslashes escaped', async () => {
    let body: GraphqlBody | undefined;
    const odd = 'docs/say "hi"\\there.md';
    nock(API)
      .post('/graphql', (request: GraphqlBody) => {
        body = request;
        return true;
      })
      .reply(200, () => ({
        data: {
          repository: {
            f0: { text: '# app\n', isBinary: false, isTruncated: false, byteSize: 6, oid: 'b1' },
            f1: { text: null, isBinary: true, isTruncated: false, byteSize: 2048, oid: 'b2' },
            f2: { text: 'x'.repeat(100), isBinary: false, isTruncated: true, byteSize: 5_000_000, oid: 'b3' },
            f3: {
              text: '\ufeffé'.repeat(1) + 'a'.repeat(50),
              isBinary: false,
              isTruncated: false,
              byteSize: 54,
              oid: 'b4',
            },
            f4: { text: 'quoted', isBinary: false, isTruncated: false, byteSize: 6, oid: 'b5' },
          },
          rateLimit: { remaining: 4990, resetAt: '2030-01-01T00:00:00Z' },
        },
      }));
    const github = source();
    const files = await github.readFiles(
      [
        file('README.md', 'b1', 6),
        file('logo.png', 'b2', 2048),
        file('huge.json', 'b3', 5_000_000),
        file('bom.txt', 'b4', 54),
        // A source without blob ids (none here for this one) names the blob by revision and path.
        { path: odd, kind: 'file', size: 6, mode: '100644' },
        { path: 'current', kind: 'symlink', size: 3, mode: '120000', sha: 'b6' },
        { path: 'vendor/lib', kind: 'submodule', size: 0, mode: '160000', sha: 'c1' },
      ],
      { maxFileBytes: 20 },
    );
    expect(github.stats).toMatchObject({ rest: 0, graphql: 1, blobsFetched: 5 });
    expect(body?.variables).toEqual({ owner: 'acme', name: 'app' });
    expect(body?.query).toContain('rateLimit { remaining resetAt }');
    expect(github.stats.rateLimit.graphql).toEqual({ remaining: 4990, resetAt: new Date('2030-01-01T00:00:00Z') });
    expect(body?.query).toContain('repository(owner: $owner, name: $name)');
    // One named fragment, spread by every alias; blobs named by their id from the tree.
    expect(body?.query.endsWith(' fragment B on Blob { text isBinary isTruncated byteSize oid }')).toBe(true);
    expect(body?.query).not.toContain('... on Blob');
    expect(aliases(body!.query)).toEqual([
      { alias: 'f0', oid: 'b1' },
      { alias: 'f1', oid: 'b2' },
      { alias: 'f2', oid: 'b3' },
      { alias: 'f3', oid: 'b4' },
      { alias: 'f4', expression: `${SHA}:${odd}` },
    ]);
    expect(body?.query).toContain('say \\"hi\\"\\\\there.md');
    expect(files.get('README.md')).toEqual({
      path: 'README.md',
      text: '# app\n',
      binary: false,
      truncated: false,
      size: 6,
    });
    expect(files.get('logo.png')).toEqual({ path: 'logo.png', text: null, binary: true, truncated: false, size: 2048 });
    expect(files.get('huge.json')).toMatchObject({ truncated: true, size: 5_000_000 });
    expect(files.get('huge.json')?.text).toHaveLength(20);
    // BOM stripped; cut at 20 bytes without splitting the two-byte 'é'.
    expect(files.get('bom.txt')).toMatchObject({ text: 'é' + 'a'.repeat(15), truncated: true });
    expect(files.get(odd)?.text).toBe('quoted');
    expect(files.get('current')).toMatchObject({ text: null, error: 'symlink not followed' });
    expect(files.get('vendor/lib')).toMatchObject({ text: null, error: 'submodule not followed' });
  });

  test('splits into several queries only past the alias, query-size or expected-bytes limits', async () => {
    const seen: number[] = [];
    nock(API)
      .post('/graphql')
      .times(3)
      .reply(200, (_uri, request) => {
        const found = aliases((request as GraphqlBody).query);
        seen.push(found.length);
        return {
          data: {
            repository: Object.fromEntries(
              found.map(({ alias }, index) => [
                alias,
                { text: `t${index}`, isBinary: false, isTruncated: false, byteSize: 2, oid: `o${alias}${seen.length}` },
              ]),
            ),
          },
        };
      });
    const entries = Array.from({ length: 5 }, (_, index) => file(`f${index}.txt`, `s${index}`, 2));
    const github = source({ batch: { maxAliases: 2 } });
    const files = await github.readFiles(entries, { maxFileBytes: 100 });
    expect(seen).toEqual([2, 2, 1]);
    expect(github.stats.graphql).toBe(3);
    expect([...files.values()].every((entry) => entry.text?.startsWith('t'))).toBe(true);

    // Expected bytes: at most 8 MiB of text per query (a blob counts at most 512,000 bytes: GitHub cuts larger texts).
    const sizes: number[] = [];
    nock(API)
      .post('/graphql')
      .times(2)
      .reply(200, (_uri, request) => {
        const found = aliases((request as GraphqlBody).query);
        sizes.push(found.length);
        return {
          data: {
            repository: Object.fromEntries(
              found.map(({ alias }) => [
                alias,
                {
                  text: 'x',
                  isBinary: false,
                  isTruncated: false,
                  byteSize: 6 << 20,
                  oid: `big${alias}${sizes.length}`,
                },
              ]),
            ),
          },
        };
      });
    await source().readFiles(
      Array.from({ length: 17 }, (_, index) => file(`big${index}.json`, `x${index}`, 6 << 20)),
      { maxFileBytes: 100 },
    );
    expect(sizes).toEqual([16, 1]);
  });

  test('the blob cache serves unchanged blobs: a warm evaluation asks only for the changed blob; equal blobs are fetched once', async () => {
    const cache = new BlobCache();
    const queries: string[][] = [];
    const answer = (texts: Record<string, [string, string]>) => (_uri: string, request: nock.Body) => {
      const found = aliases((request as GraphqlBody).query);
      const pathOf = (oid: string) => Object.keys(texts).find((path) => texts[path][1] === oid)!;
      queries.push(found.map((entry) => pathOf(entry.oid!)));
      return {
        data: {
          repository: Object.fromEntries(
            found.map(({ alias, oid: asked }) => {
              const [text, oid] = texts[pathOf(asked!)];
              return [alias, { text, isBinary: false, isTruncated: false, byteSize: text.length, oid }];
            }),
          ),
        },
      };
    };
    nock(API)
      .post('/graphql')
      .reply(200, answer({ 'a.txt': ['A', 'sa'], 'b.txt': ['B', 'sb'] }));
    const cold = source({ cache });
    const first = await cold.readFiles([file('a.txt', 'sa'), file('b.txt', 'sb'), file('copy-of-a.txt', 'sa')], {
      maxFileBytes: 100,
    });
    expect(first.get('copy-of-a.txt')?.text).toBe('A');
    expect(queries).toEqual([['a.txt', 'b.txt']]);

    nock(API)
      .post('/graphql')
      .reply(200, answer({ 'b.txt': ['B2', 'sb2'] }));
    const warm = source({ cache });
    const second = await warm.readFiles([file('a.txt', 'sa'), file('b.txt', 'sb2')], { maxFileBytes: 100 });
    expect(queries[1]).toEqual(['b.txt']);
    expect(second.get('a.txt')?.text).toBe('A');
    expect(second.get('b.txt')?.text).toBe('B2');
    expect(warm.stats).toMatchObject({ graphql: 1, blobsFromCache: 1, blobsFetched: 1 });

    // Fully warm: no request at all.
    const hot = source({ cache });
    const third = await hot.readFiles([file('a.txt', 'sa'), file('b.txt', 'sb2')], { maxFileBytes: 100 });
    expect(third.get('b.txt')?.text).toBe('B2');
    expect(hot.stats).toMatchObject({ rest: 0, graphql: 0, blobsFromCache: 2 });
  });

  test('a text GitHub cut at 512,000 bytes is read whole from the git blobs API when the engine wants more', async () => {
    const full = '{"lockfileVersion":3,"packages":{' + '"x":1,'.repeat(100_000) + '"y":2}}';
    const cache = new BlobCache();
    nock(API)
      .post('/graphql')
      .reply(200, {
        data: {
          repository: {
            f0: {
              text: full.slice(0, 512_000),
              isBinary: false,
              isTruncated: true,
              byteSize: full.length,
              oid: 'lock1',
            },
            f1: { text: 'y'.repeat(512_000), isBinary: false, isTruncated: true, byteSize: 20_000_000, oid: 'data1' },
          },
        },
      })
      .get(`${REPO}/git/blobs/lock1`)
      .reply(200, {
        sha: 'lock1',
        size: full.length,
        encoding: 'base64',
        content: Buffer.from(full).toString('base64'),
      });
    const github = source({ cache });
    const files = await github.readFiles(
      [file('package-lock.json', 'lock1', full.length), file('data.csv', 'data1', 20_000_000)],
      {
        maxFileBytes: 1 << 20,
      },
    );
    expect(files.get('package-lock.json')).toMatchObject({ truncated: false, size: full.length });
    expect(JSON.parse(files.get('package-lock.json')!.text!).packages.y).toBe(2);
    // Too large to be worth it: stays cut, and says so.
    expect(files.get('data.csv')).toMatchObject({ truncated: true, size: 20_000_000 });
    expect(github.stats).toMatchObject({ rest: 1, graphql: 1 });
    // The whole text is what the cache keeps.
    const warm = source({ cache });
    expect(
      (await warm.readFiles([file('package-lock.json', 'lock1', full.length)], { maxFileBytes: 1 << 20 })).get(
        'package-lock.json',
      )?.truncated,
    ).toBe(false);
    expect(warm.stats).toMatchObject({ rest: 0, graphql: 0 });

    // A cut text cached by a read that wanted less is read whole when a later read wants more.
    const cut = full.slice(0, 512_000);
    const small = new BlobCache();
    nock(API)
      .post('/graphql')
      .times(2)
      .reply(200, {
        data: {
          repository: { f0: { text: cut, isBinary: false, isTruncated: true, byteSize: full.length, oid: 'lock1' } },
        },
      })
      .get(`${REPO}/git/blobs/lock1`)
      .reply(200, {
        sha: 'lock1',
        size: full.length,
        encoding: 'base64',
        content: Buffer.from(full).toString('base64'),
      });
    const first = await source({ cache: small }).readFiles([file('package-lock.json', 'lock1', full.length)], {
      maxFileBytes: 1000,
    });
    expect(first.get('package-lock.json')).toMatchObject({ truncated: true });
    const more = await source({ cache: small }).readFiles([file('package-lock.json', 'lock1', full.length)], {
      maxFileBytes: 1 << 20,
    });
    expect(more.get('package-lock.json')).toMatchObject({ truncated: false });
  });

  test('GraphQL partial errors: the missing path gets an error, the others are read', async () => {
    nock(API)
      .post('/graphql')
      .reply(200, {
        data: {
          repository: {
            f0: { text: 'ok', isBinary: false, isTruncated: false, byteSize: 2, oid: 'p0' },
            f1: null,
            f2: {},
          },
        },
        errors: [{ type: 'NOT_FOUND', path: ['repository', 'f1'], message: 'Could not resolve to a Blob' }],
      });
    const files = await source().readFiles([file('a.txt', 'p0'), file('gone.txt', 'p1'), file('dir', 'p2')], {
      maxFileBytes: 100,
    });
    expect(files.get('a.txt')?.text).toBe('ok');
    expect(files.get('gone.txt')).toMatchObject({
      text: null,
      error: expect.stringContaining('Could not resolve to a Blob'),
    });
    expect(files.get('dir')).toMatchObject({ text: null, error: expect.stringContaining('not a file') });
  });

  test("an unreadable repository in GraphQL is an error for the whole read, with GitHub's message", async () => {
    nock(API)
      .post('/graphql')
      .reply(200, {
        data: { repository: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository'],
            message: "Could not resolve to a Repository with the name 'acme/app'.",
          },
        ],
      });
    await expect(source().readFiles([file('a.txt', 'z1')], { maxFileBytes: 100 })).rejects.toThrow(
      /Could not resolve to a Repository/,
    );
  });

  test('GraphQL RATE_LIMITED → QuotaExhaustedError with the reset time', async () => {
    const reset = Math.floor(Date.now() / 1000) + 1800;
    nock(API)
      .post('/graphql')
      .reply(
        200,
        { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      );
    const error = await source()
      .readFiles([file('a.txt', 'q1')], { maxFileBytes: 100 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect((error as QuotaExhaustedError).resetAt.getTime()).toBe(reset * 1000);
  });
});

describe('readSettings', () => {
  const ALL = [
    'branchProtection',
    'secretScanning',
    'secretPushProtection',
    'dependabotAlerts',
    'privateVulnerabilityReporting',
    'codeScanningDefaultSetup',
    'detectedLicense',
    'orgCommunityFiles',
  ] as const;

  test('everything on: one request per endpoint, rulesets complete so classic protection is not asked', async () => {
    nock(API)
      .get(REPO)
      .reply(200, {
        default_branch: 'main',
        license: { key: 'mit', name: 'MIT License', spdx_id: 'MIT' },
        security_and_analysis: {
          secret_scanning: { status: 'enabled' },
          secret_scanning_push_protection: { status: 'enabled' },
        },
      })
      .get(`${REPO}/rules/branches/main`)
      .query({ per_page: '100' })
      .reply(200, [
        {
          type: 'pull_request',
          parameters: { required_approving_review_count: 2 },
          ruleset_id: 7,
          ruleset_source: 'acme/app',
          ruleset_source_type: 'Repository',
        },
        {
          type: 'required_status_checks',
          parameters: { required_status_checks: [{ context: 'ci' }] },
          ruleset_id: 7,
          ruleset_source: 'acme/app',
        },
        { type: 'non_fast_forward', ruleset_id: 9, ruleset_source: 'acme' },
        { type: 'deletion', ruleset_id: 9, ruleset_source: 'acme' },
      ])
      .get(`${REPO}/vulnerability-alerts`)
      .reply(204)
      .get(`${REPO}/private-vulnerability-reporting`)
      .reply(200, { enabled: true })
      .get(`${REPO}/code-scanning/default-setup`)
      .reply(200, { state: 'configured', languages: ['javascript-typescript', 'actions'] })
      .get('/repos/acme/.github')
      .reply(200, { default_branch: 'trunk' })
      .get('/repos/acme/.github/git/trees/trunk')
      .query({ recursive: '1' })
      .reply(200, {
        sha: 'o',
        truncated: false,
        tree: [
          blob('SECURITY.md', 'o1'),
          { path: '.github', mode: '040000', type: 'tree', sha: 'o2' },
          blob('.github/CODE_OF_CONDUCT.md', 'o3'),
          blob('.github/ISSUE_TEMPLATE/bug.yml', 'o4'),
          blob('profile/README.md', 'o5'),
          blob('docs/deep/x.md', 'o6'),
        ],
      });
    const github = source();
    const settings = await github.readSettings([...ALL]);
    expect(settings).toEqual({
      branchProtection: {
        status: 'ok',
        value: {
          branch: 'main',
          source: 'ruleset',
          requiresPullRequest: true,
          requiredApprovals: 2,
          requiresStatusChecks: true,
          blocksForcePushes: true,
          blocksDeletions: true,
          rulesets: ['acme/app#7', 'acme#9'],
        },
      },
      secretScanning: { status: 'ok', value: true },
      secretPushProtection: { status: 'ok', value: true },
      dependabotAlerts: { status: 'ok', value: true },
      privateVulnerabilityReporting: { status: 'ok', value: true },
      codeScanningDefaultSetup: {
        status: 'ok',
        value: { configured: true, languages: ['javascript-typescript', 'actions'] },
      },
      detectedLicense: { status: 'ok', value: { spdxId: 'MIT', name: 'MIT License', path: null } },
      orgCommunityFiles: {
        status: 'ok',
        value: {
          repository: 'acme/.github',
          paths: ['.github/CODE_OF_CONDUCT.md', '.github/ISSUE_TEMPLATE/bug.yml', 'SECURITY.md'],
        },
      },
    });
    expect(github.stats).toMatchObject({ rest: 7, graphql: 0 });
  });

  test('everything off: no rules → classic protection (404 not protected) → none; 404 alerts → false; no .github repository', async () => {
    nock(API)
      .get(REPO)
      .reply(200, {
        default_branch: 'main',
        license: null,
        security_and_analysis: {
          secret_scanning: { status: 'disabled' },
          secret_scanning_push_protection: { status: 'disabled' },
        },
      })
      .get(`${REPO}/rules/branches/main`)
      .query(true)
      .reply(200, [])
      .get(`${REPO}/branches/main/protection`)
      .reply(404, { message: 'Branch not protected' })
      .get(`${REPO}/vulnerability-alerts`)
      .reply(404, { message: 'Vulnerability alerts are disabled.' })
      .get(`${REPO}/private-vulnerability-reporting`)
      .reply(200, { enabled: false })
      .get(`${REPO}/code-scanning/default-setup`)
      .reply(200, { state: 'not-configured', languages: [] })
      .get('/repos/acme/.github')
      .reply(404, { message: 'Not Found' });
    const settings = await source().readSettings([...ALL]);
    expect(settings.branchProtection).toEqual({
      status: 'ok',
      value: {
        branch: 'main',
        source: 'none',
        requiresPullRequest: false,
        requiredApprovals: 0,
        requiresStatusChecks: false,
        blocksForcePushes: false,
        blocksDeletions: false,
      },
    });
    expect(settings.secretScanning).toEqual({ status: 'ok', value: false });
    expect(settings.secretPushProtection).toEqual({ status: 'ok', value: false });
    expect(settings.dependabotAlerts).toEqual({ status: 'ok', value: false });
    expect(settings.privateVulnerabilityReporting).toEqual({ status: 'ok', value: false });
    expect(settings.codeScanningDefaultSetup).toEqual({ status: 'ok', value: { configured: false, languages: [] } });
    expect(settings.detectedLicense).toEqual({ status: 'ok', value: null });
    expect(settings.orgCommunityFiles).toEqual({ status: 'ok', value: { repository: 'acme/.github', paths: [] } });
  });

  test('rulesets that say part of it are completed by classic protection', async () => {
    nock(API)
      .get(`${REPO}/rules/branches/main`)
      .query(true)
      .reply(200, [
        {
          type: 'pull_request',
          parameters: { required_approving_review_count: 1 },
          ruleset_id: 3,
          ruleset_source: 'acme/app',
        },
      ])
      .get(`${REPO}/branches/main/protection`)
      .reply(200, {
        required_status_checks: { strict: true, contexts: ['build'] },
        required_pull_request_reviews: { required_approving_review_count: 2 },
        allow_force_pushes: { enabled: false },
        allow_deletions: { enabled: true },
      });
    const settings = await source().readSettings(['branchProtection']);
    expect(settings.branchProtection).toEqual({
      status: 'ok',
      value: {
        branch: 'main',
        source: 'ruleset',
        requiresPullRequest: true,
        requiredApprovals: 2,
        requiresStatusChecks: true,
        blocksForcePushes: true,
        blocksDeletions: false,
        rulesets: ['acme/app#3'],
      },
    });
  });

  test('forbidden endpoints are not-supported with a reason naming the App permission', async () => {
    const forbidden = {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest',
    };
    nock(API)
      .get(REPO)
      .reply(200, { default_branch: 'main', license: { key: 'other', name: 'Other', spdx_id: 'NOASSERTION' } })
      .get(`${REPO}/rules/branches/main`)
      .query(true)
      .reply(200, [])
      .get(`${REPO}/branches/main/protection`)
      .reply(403, forbidden, { 'x-accepted-github-permissions': 'administration=read' })
      .get(`${REPO}/vulnerability-alerts`)
      .reply(403, forbidden)
      .get(`${REPO}/private-vulnerability-reporting`)
      .reply(403, forbidden)
      .get(`${REPO}/code-scanning/default-setup`)
      .reply(403, forbidden, { 'x-accepted-github-permissions': 'security_events=read' });
    const settings = await source().readSettings([
      'branchProtection',
      'secretScanning',
      'detectedLicense',
      'dependabotAlerts',
      'privateVulnerabilityReporting',
      'codeScanningDefaultSetup',
    ]);
    const reason = (key: keyof typeof settings) => {
      const state = settings[key];
      return state?.status === 'not-supported' ? state.reason : `not not-supported: ${JSON.stringify(state)}`;
    };
    expect(reason('branchProtection')).toMatch(/needs the "administration: read" permission/);
    expect(reason('branchProtection')).toMatch(/Resource not accessible by integration/);
    expect(reason('dependabotAlerts')).toMatch(/needs the "administration: read" permission/);
    expect(reason('privateVulnerabilityReporting')).toMatch(/needs the "administration: read" permission/);
    expect(reason('codeScanningDefaultSetup')).toMatch(/needs the "security_events: read" permission/);
    expect(reason('secretScanning')).toMatch(/security_and_analysis.*"administration: read"/);
    expect(settings.detectedLicense).toEqual({ status: 'ok', value: { spdxId: null, name: 'Other', path: null } });
  });

  test('code scanning unavailable (no Code Security) means default setup is off, not unknown', async () => {
    nock(API)
      .get(`${REPO}/code-scanning/default-setup`)
      .reply(403, { message: 'Code Security must be enabled for this repository to use code scanning.' });
    const settings = await source().readSettings(['codeScanningDefaultSetup']);
    expect(settings.codeScanningDefaultSetup).toEqual({ status: 'ok', value: { configured: false, languages: [] } });
  });

  test('only the asked keys are requested', async () => {
    nock(API).get(`${REPO}/vulnerability-alerts`).reply(204);
    const github = source();
    const settings = await github.readSettings(['dependabotAlerts']);
    expect(Object.keys(settings)).toEqual(['dependabotAlerts']);
    expect(github.stats.rest).toBe(1);
  });

  test('secretScanning and detectedLicense share one GET /repos/{owner}/{repo}', async () => {
    nock(API)
      .get(REPO)
      .once()
      .reply(200, {
        license: { name: 'Apache License 2.0', spdx_id: 'Apache-2.0' },
        security_and_analysis: { secret_scanning: { status: 'enabled' } },
      });
    const github = source();
    const settings = await github.readSettings(['secretScanning', 'secretPushProtection', 'detectedLicense']);
    expect(github.stats.rest).toBe(1);
    expect(settings.secretScanning).toEqual({ status: 'ok', value: true });
    expect(settings.secretPushProtection).toMatchObject({ status: 'not-supported' });
    expect(settings.detectedLicense).toEqual({
      status: 'ok',
      value: { spdxId: 'Apache-2.0', name: 'Apache License 2.0', path: null },
    });
  });
});

describe('shared cache across deliveries', () => {
  test("settings reads are conditional: GitHub's 304 answers come from the cache (they cost no quota)", async () => {
    const cache = new BlobCache();
    nock(API)
      .get(`${REPO}/private-vulnerability-reporting`)
      .reply(200, { enabled: true }, { etag: 'W/"pvr1"' })
      .get(`${REPO}/private-vulnerability-reporting`)
      .matchHeader('if-none-match', 'W/"pvr1"')
      .reply(304);
    const first = source({ cache });
    expect((await first.readSettings(['privateVulnerabilityReporting'])).privateVulnerabilityReporting).toEqual({
      status: 'ok',
      value: true,
    });
    const second = source({ cache });
    expect((await second.readSettings(['privateVulnerabilityReporting'])).privateVulnerabilityReporting).toEqual({
      status: 'ok',
      value: true,
    });
    expect(second.stats).toMatchObject({ rest: 1, notModified: 1 });
  });

  test("a commit's tree listing is kept by commit SHA; walked sub-trees by tree SHA", async () => {
    const cache = new BlobCache();
    nock(API)
      .get(`${REPO}/git/trees/${SHA}`)
      .query({ recursive: '1' })
      .reply(200, { sha: 'root', truncated: false, tree: [blob('a.txt', 'b1')] });
    const first = source({ cache });
    await first.listTree();
    expect(first.treeSha).toBe('root');
    const again = source({ cache });
    const listing = await again.listTree();
    expect(listing.entries.map((entry) => entry.path)).toEqual(['a.txt']);
    expect(again.treeSha).toBe('root');
    expect(again.stats).toMatchObject({ rest: 0, treesFromCache: 1 });

    // A truncated tree walked once: a later commit that shares a sub-tree does not list that sub-tree again.
    const other = 'beef'.padEnd(40, '0');
    const walker = (sha: string) =>
      new GitHubSource({
        octokit: new Octokit({ baseUrl: API, auth: 't', log: silent }),
        owner: 'acme',
        repo: 'app',
        sha,
        defaultBranch: 'main',
        cache,
      });
    const rootOf = (sha: string, root: string, changed: string) =>
      nock(API)
        .get(`${REPO}/git/trees/${sha}`)
        .query({ recursive: '1' })
        .reply(200, { sha: root, truncated: true, tree: [] })
        .get(`${REPO}/git/trees/${root}`)
        .reply(200, {
          sha: root,
          truncated: false,
          tree: [
            { path: 'same', mode: '040000', type: 'tree', sha: 'tsame' },
            { path: 'changed', mode: '040000', type: 'tree', sha: changed },
          ],
        });
    rootOf('1'.repeat(40), 'r1', 'tc1')
      .get(`${REPO}/git/trees/tsame`)
      .query({ recursive: '1' })
      .reply(200, { sha: 'tsame', truncated: false, tree: [blob('x.txt', 'bx')] })
      .get(`${REPO}/git/trees/tc1`)
      .query({ recursive: '1' })
      .reply(200, { sha: 'tc1', truncated: false, tree: [blob('y.txt', 'by1')] });
    expect((await walker('1'.repeat(40)).listTree()).entries.map((entry) => entry.path)).toEqual([
      'changed/y.txt',
      'same/x.txt',
    ]);
    rootOf(other, 'r2', 'tc2')
      .get(`${REPO}/git/trees/tc2`)
      .query({ recursive: '1' })
      .reply(200, { sha: 'tc2', truncated: false, tree: [blob('y.txt', 'by2')] });
    const warm = walker(other);
    const walked = await warm.listTree();
    expect(walked.entries.map((entry) => `${entry.path}@${entry.sha}`)).toEqual(['changed/y.txt@by2', 'same/x.txt@bx']);
    expect(warm.stats).toMatchObject({ rest: 3, treesFromCache: 1 });
  });
});

describe('errors', () => {
  const tree = () => nock(API).get(`${REPO}/git/trees/${SHA}`).query({ recursive: '1' });

  test('primary quota exhausted → QuotaExhaustedError with the reset time', async () => {
    const reset = Math.floor(Date.now() / 1000) + 600;
    tree().reply(
      403,
      { message: 'API rate limit exceeded for installation ID 1.' },
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    );
    const error = await source()
      .listTree()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect((error as QuotaExhaustedError).resetAt).toEqual(new Date(reset * 1000));
    expect((error as Error).message).toMatch(/quota exhausted.*resets at/);
  });

  test('quota exhausted while reading settings stops the read instead of reporting not-supported', async () => {
    nock(API)
      .get(`${REPO}/vulnerability-alerts`)
      .reply(
        429,
        { message: 'API rate limit exceeded' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2000000000' },
      );
    await expect(source().readSettings(['dependabotAlerts'])).rejects.toBeInstanceOf(QuotaExhaustedError);
  });

  test.each([
    [401, { message: 'Bad credentials' }, {}, 'unauthorized', /rejected the credentials.*401: Bad credentials/],
    [404, { message: 'Not Found' }, {}, 'not-found', /was not found \(404: Not Found\)/],
    [422, { message: 'No commit found for SHA' }, {}, 'unprocessable', /could not process.*422: No commit found/],
    [502, { message: 'Server Error' }, {}, 'server', /GitHub failed on .*502.*try again later/],
    [
      403,
      { message: 'You have exceeded a secondary rate limit.' },
      { 'retry-after': '30' },
      'secondary-rate-limit',
      /secondary rate limit.*retry after 30 s/,
    ],
  ] as const)('%i → a clear GitHubApiError', async (status, body, headers, kind, message) => {
    tree().reply(status, body, headers as Record<string, string>);
    const error = await source()
      .listTree()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).kind).toBe(kind);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('GET /repos/{owner}/{repo}/git/trees/{tree_sha}');
  });
});

describe('GraphQL answers parsed natively', () => {
  test('GitHub Enterprise Server: blob texts are read from /api/graphql beside /api/v3, with per-alias errors kept', async () => {
    const ghes = 'https://ghe.example.test';
    const octokit = new Octokit({ baseUrl: `${ghes}/api/v3`, auth: 'test-token', log: silent });
    const github = new GitHubSource({ octokit, owner: 'acme', repo: 'app', sha: SHA, defaultBranch: 'main' });
    const scope = nock(ghes)
      .post('/api/graphql', (body: { query: string; variables: Record<string, string> }) => {
        return body.variables.owner === 'acme' && body.variables.name === 'app' && body.query.includes('f1:');
      })
      .reply(200, {
        data: {
          repository: {
            f0: { text: 'hello', isBinary: false, isTruncated: false, byteSize: 5, oid: 'a1' },
            f1: null,
          },
        },
        errors: [{ type: 'NOT_FOUND', path: ['repository', 'f1'], message: 'Could not resolve to a Blob' }],
      });
    const files = await github.readFiles([file('a.txt', 'a1', 5), file('b.txt', 'b1', 5)], { maxFileBytes: 100 });
    expect(files.get('a.txt')?.text).toBe('hello');
    expect(files.get('b.txt')?.error).toContain('Could not resolve to a Blob');
    expect(scope.isDone()).toBe(true);
  });
});
