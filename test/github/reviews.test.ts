import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { PublishedMemory } from '../../src/github/published-memory.js';
import { ensureSuggestions, type DesiredReviewComment } from '../../src/github/reviews.js';
import { reviewMarker, suggestionMarker } from '../../src/report/markers.js';
import type { Simulator } from '../simulator/index.js';
import { simulatorWithRepo } from './sim-helpers.js';

const WORKFLOW =
  'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

const pin = (key = KEY_A, text = 'pin it'): DesiredReviewComment => ({
  key,
  path: '.github/workflows/ci.yml',
  startLine: 6,
  line: 6,
  body: `${text}\n\n\`\`\`suggestion\n      - uses: actions/checkout@abc # v4\n\`\`\`\n\n${suggestionMarker(key)}`,
});

describe('ensureSuggestions', () => {
  let sim: Simulator;
  let octokit: Octokit;
  let number: number;
  const ensure = (
    headSha: string,
    comments: DesiredReviewComment[],
    memory?: PublishedMemory,
    noneAtDelivery?: boolean,
  ) =>
    ensureSuggestions({
      ...(memory ? { memory } : {}),
      ...(noneAtDelivery ? { noneAtDelivery } : {}),
      octokit,
      owner: 'acme',
      repo: 'api',
      number,
      headSha,
      comments,
      reviewBody: 'shipready has fixes',
      outdatedBody: 'outdated',
    });
  beforeEach(async () => {
    ({ sim, octokit } = await simulatorWithRepo());
    sim.commit('acme/api', { branch: 'feature', changes: { '.github/workflows/ci.yml': WORKFLOW } });
    number = sim.openPull('acme/api', { head: 'feature' }).number;
  });
  afterEach(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  it('posts the suggestions in one review for the head, and a second run writes nothing', async () => {
    const head = sim.head('acme/api', 'feature');
    const multi = { ...pin(KEY_B), startLine: 3, line: 4 };
    expect(await ensure(head, [pin(), multi])).toMatchObject({ created: 2, deleted: 0 });
    const repo = sim.repo('acme/api');
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviews[0].body).toBe(`shipready has fixes\n\n${reviewMarker(head)}`);
    expect(repo.reviewComments.map((comment) => [comment.original_start_line, comment.original_line])).toEqual([
      [6, 6],
      [3, 4],
    ]);
    sim.resetCounts();
    expect(await ensure(head, [pin(), multi])).toEqual({ created: 0, updated: 0, deleted: 0, kept: 2 });
    expect(sim.counts.writes).toBe(0);
    expect(sim.counts.rest).toBe(1);
  });

  it('never posts twice for concurrent runs on the same head', async () => {
    const head = sim.head('acme/api', 'feature');
    await Promise.all([ensure(head, [pin()]), ensure(head, [pin()]), ensure(head, [pin()])]);
    expect(sim.repo('acme/api').reviews).toHaveLength(1);
    expect(sim.repo('acme/api').reviewComments).toHaveLength(1);
  });

  it('edits a comment whose text changed, in place', async () => {
    const head = sim.head('acme/api', 'feature');
    await ensure(head, [pin()]);
    expect(await ensure(head, [pin(KEY_A, 'pin it, please')])).toMatchObject({ updated: 1, created: 0 });
    expect(sim.repo('acme/api').reviewComments[0].body).toContain('pin it, please');
  });

  it('does not post again on the same head a suggestion someone deleted', async () => {
    const head = sim.head('acme/api', 'feature');
    await ensure(head, [pin()]);
    sim.repo('acme/api').reviewComments.length = 0;
    expect(await ensure(head, [pin()])).toMatchObject({ created: 0 });
    expect(sim.repo('acme/api').reviews).toHaveLength(1);
  });

  it('removes a suggestion the PR no longer needs and says the old review is outdated', async () => {
    await ensure(sim.head('acme/api', 'feature'), [pin()]);
    const fixed = sim.commit('acme/api', {
      branch: 'feature',
      changes: { '.github/workflows/ci.yml': WORKFLOW.replace('@v4', '@abc # v4') },
    });
    expect(await ensure(fixed, [])).toMatchObject({ deleted: 1, created: 0 });
    const repo = sim.repo('acme/api');
    expect(repo.reviewComments).toEqual([]);
    expect(repo.reviews).toHaveLength(1);
    expect(repo.reviews[0].body).toContain('outdated');
    sim.resetCounts();
    await ensure(fixed, []);
    expect(sim.counts.writes).toBe(0);
  });

  it('moves a wanted suggestion whose lines changed into the new head’s review', async () => {
    const first = sim.head('acme/api', 'feature');
    await ensure(first, [pin()]);
    const next = sim.commit('acme/api', {
      branch: 'feature',
      changes: { '.github/workflows/ci.yml': WORKFLOW.replace('checkout@v4', 'checkout@v5') },
    });
    const moved = {
      ...pin(KEY_B),
      body: pin(KEY_B).body.replace('# v4', '# v5'),
    };
    expect(await ensure(next, [moved])).toMatchObject({ deleted: 1, created: 1 });
    const repo = sim.repo('acme/api');
    expect(repo.reviews.map((review) => review.commit_id)).toEqual([first, next]);
    expect(repo.reviews[0].body).toContain('outdated');
    expect(repo.reviewComments).toHaveLength(1);
  });

  it('with the memory that none of ours is left, wanting none lists nothing; with one left, it lists', async () => {
    const memory = new PublishedMemory();
    const head = sim.head('acme/api', 'feature');
    await ensure(head, [pin()], memory);
    sim.resetCounts();
    // A suggestion of ours is on the PR: wanting none must list it to delete it.
    expect(await ensure(head, [], memory)).toMatchObject({ deleted: 1 });
    expect(sim.counts.rest).toBeGreaterThan(1);
    sim.resetCounts();
    expect(await ensure(head, [], memory)).toEqual({ created: 0, updated: 0, deleted: 0, kept: 0 });
    expect(sim.requests).toEqual([]);
    // Wanting one again always lists (and posts nothing twice on this head: it was deleted).
    await ensure(head, [pin()], memory);
    expect(sim.counts.rest).toBeGreaterThan(0);
  });

  it('without the memory (another process, a restart), wanting none still lists once', async () => {
    const memory = new PublishedMemory();
    sim.resetCounts();
    await ensure(sim.head('acme/api', 'feature'), [], memory);
    expect(sim.requests.map((request) => request.route)).toEqual([
      '/repos/{owner}/{repo}/pulls/{pull_number}/comments',
    ]);
  });

  it('does not remember that none is left when other processes publish too', async () => {
    const memory = new PublishedMemory({ rememberAbsence: false });
    const head = sim.head('acme/api', 'feature');
    await ensure(head, [], memory);
    sim.resetCounts();
    await ensure(head, [], memory);
    expect(sim.counts.rest).toBe(1);
  });

  it('a webhook saying the PR has no review comment skips the listing for none wanted, not once ours are posted', async () => {
    const memory = new PublishedMemory();
    const head = sim.head('acme/api', 'feature');
    sim.resetCounts();
    expect(await ensure(head, [], memory, true)).toEqual({ created: 0, updated: 0, deleted: 0, kept: 0 });
    expect(sim.requests).toEqual([]);
    // Ours posted by this process, then a delivery made before that (still saying 0): it lists, and deletes them.
    await ensure(head, [pin()], memory, true);
    sim.resetCounts();
    expect(await ensure(head, [], memory, true)).toMatchObject({ deleted: 1 });
    expect(sim.repo('acme/api').reviewComments).toHaveLength(0);
  });

  it('with other processes publishing, the webhook count does not skip the listing', async () => {
    const memory = new PublishedMemory({ rememberAbsence: false });
    const head = sim.head('acme/api', 'feature');
    sim.resetCounts();
    await ensure(head, [], memory, true);
    expect(sim.counts.rest).toBe(1);
  });
});
