import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { ensureComment } from '../../src/github/comments.js';
import { PublishedMemory } from '../../src/github/published-memory.js';
import { COMMENT_MARKER } from '../../src/report/markers.js';
import type { Simulator } from '../simulator/index.js';
import { simulatorWithRepo } from './sim-helpers.js';

const MARKER = COMMENT_MARKER;

describe('ensureComment', () => {
  let sim: Simulator;
  let octokit: Octokit;
  let number: number;
  beforeEach(async () => {
    ({ sim, octokit } = await simulatorWithRepo({ latencyMs: 5 }));
    sim.commit('acme/api', { branch: 'feature', changes: { 'a.txt': 'a\n' } });
    number = sim.openPull('acme/api', { head: 'feature' }).number;
  });
  afterEach(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  it('creates once, edits in place, and leaves an identical body alone', async () => {
    const input = { octokit, owner: 'acme', repo: 'api', number, marker: MARKER };
    expect(await ensureComment({ ...input, body: `${MARKER}\nfirst` })).toMatchObject({ action: 'created' });
    expect(await ensureComment({ ...input, body: `${MARKER}\nsecond` })).toMatchObject({ action: 'updated' });
    expect(await ensureComment({ ...input, body: `${MARKER}\nsecond` })).toMatchObject({ action: 'unchanged' });
    const comments = sim.repo('acme/api').comments;
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toBe(`${MARKER}\nsecond`);
  });

  it('ignores other comments and adds the marker when the body lacks it', async () => {
    await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'acme',
      repo: 'api',
      issue_number: number,
      body: 'LGTM',
    });
    await ensureComment({ octokit, owner: 'acme', repo: 'api', number, marker: MARKER, body: 'report' });
    const bodies = sim.repo('acme/api').comments.map((comment) => comment.body);
    expect(bodies).toEqual(['LGTM', `${MARKER}\nreport`]);
  });

  it('does not take a comment that only mentions the marker inside a line (a quote, a hostile paste) for ours', async () => {
    await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'acme',
      repo: 'api',
      issue_number: number,
      body: `> ${MARKER}\n> quoted from shipready, @everyone look`,
    });
    expect(
      await ensureComment({ octokit, owner: 'acme', repo: 'api', number, marker: MARKER, body: 'report' }),
    ).toMatchObject({ action: 'created' });
    const bodies = sim.repo('acme/api').comments.map((comment) => comment.body);
    expect(bodies).toEqual([`> ${MARKER}\n> quoted from shipready, @everyone look`, `${MARKER}\nreport`]);
  });

  it('never duplicates under concurrent calls for the same PR', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        ensureComment({ octokit, owner: 'acme', repo: 'api', number, marker: MARKER, body: `${MARKER}\nrun ${index}` }),
      ),
    );
    expect(results.map((result) => result.action).sort()).toEqual([
      'created',
      'updated',
      'updated',
      'updated',
      'updated',
    ]);
    const comments = sim.repo('acme/api').comments;
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toBe(`${MARKER}\nrun 4`);
  });

  it('with create: false only edits an existing comment', async () => {
    expect(
      await ensureComment({ octokit, owner: 'acme', repo: 'api', number, marker: MARKER, body: 'x', create: false }),
    ).toEqual({ action: 'skipped' });
    expect(sim.repo('acme/api').comments).toHaveLength(0);
  });

  describe('with the memory of what it published', () => {
    const routes = () => sim.requests.map((request) => `${request.method} ${request.route}`);

    it('lists once, then writes only when the body changes, straight to the remembered comment', async () => {
      const memory = new PublishedMemory();
      const input = { octokit, owner: 'acme', repo: 'api', number, marker: MARKER, memory };
      expect(await ensureComment({ ...input, body: `${MARKER}\nfirst` })).toMatchObject({ action: 'created' });
      sim.resetCounts();
      expect(await ensureComment({ ...input, body: `${MARKER}\nfirst` })).toMatchObject({ action: 'unchanged' });
      expect(sim.requests).toEqual([]);
      expect(await ensureComment({ ...input, body: `${MARKER}\nsecond` })).toMatchObject({ action: 'updated' });
      expect(routes()).toEqual(['PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}']);
      expect(sim.repo('acme/api').comments.map((comment) => comment.body)).toEqual([`${MARKER}\nsecond`]);
    });

    it('remembers a comment it found by listing (another process made it)', async () => {
      const id = (await ensureComment({ octokit, owner: 'acme', repo: 'api', number, marker: MARKER, body: 'one' })).id;
      const memory = new PublishedMemory();
      const input = { octokit, owner: 'acme', repo: 'api', number, marker: MARKER, memory, body: 'one' };
      expect(await ensureComment(input)).toEqual({ action: 'unchanged', id });
      sim.resetCounts();
      expect(await ensureComment(input)).toEqual({ action: 'unchanged', id });
      expect(sim.requests).toEqual([]);
    });

    it('falls back to listing, then creating, when the remembered comment was deleted', async () => {
      const memory = new PublishedMemory();
      const input = { octokit, owner: 'acme', repo: 'api', number, marker: MARKER, memory };
      await ensureComment({ ...input, body: 'first' });
      sim.repo('acme/api').comments.length = 0;
      sim.resetCounts();
      expect(await ensureComment({ ...input, body: 'second' })).toMatchObject({ action: 'created' });
      expect(routes()).toEqual([
        'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
        'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      ]);
      expect(sim.repo('acme/api').comments.map((comment) => comment.body)).toEqual([`${MARKER}\nsecond`]);
      sim.resetCounts();
      await ensureComment({ ...input, body: 'second' });
      expect(sim.requests).toEqual([]);
    });

    it('keeps pull requests apart', async () => {
      const memory = new PublishedMemory();
      sim.commit('acme/api', { branch: 'other', changes: { 'b.txt': 'b\n' } });
      const other = sim.openPull('acme/api', { head: 'other' }).number;
      const input = { octokit, owner: 'acme', repo: 'api', marker: MARKER, memory, body: 'same' };
      await ensureComment({ ...input, number });
      expect(await ensureComment({ ...input, number: other })).toMatchObject({ action: 'created' });
      expect(sim.repo('acme/api').comments).toHaveLength(2);
    });
  });
});

describe('ensureComment remembering an absence', () => {
  let sim: Simulator;
  let octokit: Octokit;
  let number: number;
  beforeEach(async () => {
    ({ sim, octokit } = await simulatorWithRepo());
    sim.commit('acme/api', { branch: 'feature', changes: { 'a.txt': 'a\n' } });
    number = sim.openPull('acme/api', { head: 'feature' }).number;
  });
  afterEach(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  it('skips the listing for an edit-only call once none was found, and lists again to create', async () => {
    const memory = new PublishedMemory();
    const input = { octokit, owner: 'acme', repo: 'api', number, marker: MARKER, memory, body: 'x' };
    expect(await ensureComment({ ...input, create: false })).toEqual({ action: 'skipped' });
    sim.resetCounts();
    expect(await ensureComment({ ...input, create: false })).toEqual({ action: 'skipped' });
    expect(sim.requests).toEqual([]);
    // A creation lists first: a comment made meanwhile (a person's, another process's) is edited, not duplicated.
    await ensureComment({ octokit, owner: 'acme', repo: 'api', number, marker: MARKER, body: 'made elsewhere' });
    expect(await ensureComment({ ...input, create: true })).toMatchObject({ action: 'updated' });
    expect(sim.repo('acme/api').comments).toHaveLength(1);
  });

  it('does not remember an absence when other processes publish too', async () => {
    const memory = new PublishedMemory({ rememberAbsence: false });
    const input = { octokit, owner: 'acme', repo: 'api', number, marker: MARKER, memory, body: 'x', create: false };
    await ensureComment(input);
    await ensureComment({ octokit, owner: 'acme', repo: 'api', number, marker: MARKER, body: 'made elsewhere' });
    expect(await ensureComment(input)).toMatchObject({ action: 'updated' });
    expect(sim.repo('acme/api').comments.map((comment) => comment.body)).toEqual([`${MARKER}\nx`]);
  });

  it('a webhook saying the PR has no comment skips the edit-only listing, unless this process published since', async () => {
    const memory = new PublishedMemory();
    const input = { octokit, owner: 'acme', repo: 'api', number, marker: MARKER, memory, body: 'x' };
    sim.resetCounts();
    expect(await ensureComment({ ...input, create: false, noneAtDelivery: true })).toEqual({ action: 'skipped' });
    expect(sim.requests).toEqual([]);
    // A creation still lists first, then creates; a later delivery made before it (still saying 0) edits that one.
    expect(await ensureComment({ ...input, body: 'y', noneAtDelivery: true })).toMatchObject({ action: 'created' });
    expect(await ensureComment({ ...input, body: 'z', create: false, noneAtDelivery: true })).toMatchObject({
      action: 'updated',
    });
    expect(sim.repo('acme/api').comments.map((comment) => comment.body)).toEqual([`${MARKER}\nz`]);
  });

  it('with other processes publishing, the webhook count does not skip the listing', async () => {
    const memory = new PublishedMemory({ rememberAbsence: false });
    const input = { octokit, owner: 'acme', repo: 'api', number, marker: MARKER, memory, body: 'x' };
    await ensureComment({ octokit, owner: 'acme', repo: 'api', number, marker: MARKER, body: 'made elsewhere' });
    expect(await ensureComment({ ...input, create: false, noneAtDelivery: true })).toMatchObject({ action: 'updated' });
  });
});
