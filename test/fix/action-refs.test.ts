import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { Octokit } from '@octokit/rest';
import { createActionRefResolver } from '../../src/github/action-refs.js';

const API = 'https://api.github.test';
const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';
const unmatched: string[] = [];
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const resolver = () => createActionRefResolver(new Octokit({ baseUrl: API, log: silent, request: { retries: 0 } }));

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
  expect({ pending, missed }).toEqual({ pending: [], missed: [] });
});
afterAll(() => {
  nock.enableNetConnect();
  nock.emitter.removeAllListeners('no match');
});

describe('createActionRefResolver', () => {
  it('resolves a major tag to its commit and the most specific tag there', async () => {
    nock(API)
      .get('/repos/actions/checkout/commits/v4')
      .reply(200, { sha: SHA })
      .get('/repos/actions/checkout/tags')
      .query({ per_page: 100 })
      .reply(200, [
        { name: 'v4', commit: { sha: SHA } },
        { name: 'v4.2', commit: { sha: SHA } },
        { name: 'v4.2.2', commit: { sha: SHA } },
        { name: 'v4.2.1', commit: { sha: 'f'.repeat(40) } },
        { name: 'v5.0.0', commit: { sha: SHA } },
      ]);
    expect(await resolver()('actions', 'checkout', 'v4')).toEqual({ sha: SHA, tag: 'v4.2.2' });
  });

  it('resolves a branch or a full version without listing tags, and a missing ref to undefined', async () => {
    nock(API)
      .get('/repos/o/r/commits/main')
      .reply(200, { sha: SHA })
      .get('/repos/o/r/commits/v1.2.3')
      .reply(200, { sha: SHA })
      .get('/repos/o/r/commits/v9')
      .reply(422, { message: 'No commit found for SHA: v9' });
    const resolve = resolver();
    expect(await resolve('o', 'r', 'main')).toEqual({ sha: SHA });
    expect(await resolve('o', 'r', 'v1.2.3')).toEqual({ sha: SHA });
    expect(await resolve('o', 'r', 'v9')).toBeUndefined();
  });
});
