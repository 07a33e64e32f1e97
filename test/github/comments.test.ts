import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { ensureComment } from '../../src/github/comments.js';
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
});
