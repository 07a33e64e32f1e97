import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { ensureCheckRun, type CheckRunAnnotation } from '../../src/github/check-runs.js';
import { chunkAnnotations as chunk } from '../../src/report/check-run.js';
import { SupersededError } from '../../src/github/octokit.js';
import type { Simulator } from '../simulator/index.js';
import { simulatorWithRepo } from './sim-helpers.js';

const NOW = new Date('2026-01-02T03:04:05Z');
const annotation = (line: number): CheckRunAnnotation => ({
  path: '.github/workflows/ci.yml',
  start_line: line,
  end_line: line,
  annotation_level: 'warning',
  title: 'Actions pinned to a commit',
  message: `line ${line}`,
});

describe('ensureCheckRun', () => {
  let sim: Simulator;
  let octokit: Octokit;
  beforeEach(async () => ({ sim, octokit } = await simulatorWithRepo()));
  afterEach(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  it('creates in_progress, then completes it with the output', async () => {
    const headSha = sim.head('acme/api');
    const created = await ensureCheckRun({
      octokit,
      owner: 'acme',
      repo: 'api',
      headSha,
      status: 'in_progress',
      output: { title: 'Evaluating…', summary: 's' },
      now: () => NOW,
    });
    expect(created.appSlug).toBe('shipready');
    await ensureCheckRun({
      octokit,
      owner: 'acme',
      repo: 'api',
      headSha,
      id: created.id,
      status: 'completed',
      conclusion: 'failure',
      output: { title: 'Readiness 40/100', summary: 'sum', text: 'txt', annotations: [annotation(3)] },
      actions: [{ label: 'File issues', description: 'Open issues', identifier: 'file-issues' }],
      now: () => NOW,
    });
    const [run] = sim.repo('acme/api').checkRuns;
    expect(run).toMatchObject({
      name: 'Production readiness',
      head_sha: headSha,
      status: 'completed',
      conclusion: 'failure',
    });
    expect(run.history[0]).toEqual({
      name: 'Production readiness',
      head_sha: headSha,
      status: 'in_progress',
      started_at: NOW.toISOString(),
      output: { title: 'Evaluating…', summary: 's' },
    });
    expect(run.history[1]).toEqual({
      status: 'completed',
      conclusion: 'failure',
      completed_at: NOW.toISOString(),
      output: { title: 'Readiness 40/100', summary: 'sum', text: 'txt', annotations: [annotation(3)] },
      actions: [{ label: 'File issues', description: 'Open issues', identifier: 'file-issues' }],
    });
  });

  it('a run created completed carries when the evaluation began, not only when it ended', async () => {
    const began = new Date(NOW.getTime() - 4_000);
    await ensureCheckRun({
      octokit,
      owner: 'acme',
      repo: 'api',
      headSha: sim.head('acme/api'),
      status: 'completed',
      conclusion: 'success',
      output: { title: 't', summary: 's' },
      startedAt: began,
      now: () => NOW,
    });
    const [run] = sim.repo('acme/api').checkRuns;
    expect(run.history[0]).toMatchObject({
      status: 'completed',
      started_at: began.toISOString(),
      completed_at: NOW.toISOString(),
    });
  });

  it('sends 120 annotations as 50 + 50 + 20 in successive updates', async () => {
    const headSha = sim.head('acme/api');
    const { id } = await ensureCheckRun({ octokit, owner: 'acme', repo: 'api', headSha, status: 'in_progress' });
    const annotations = Array.from({ length: 120 }, (_, index) => annotation(index + 1));
    const result = await ensureCheckRun({
      octokit,
      owner: 'acme',
      repo: 'api',
      headSha,
      id,
      status: 'completed',
      conclusion: 'neutral',
      output: { title: 't', summary: 's', annotations },
    });
    expect(result.requests).toBe(3);
    const [run] = sim.repo('acme/api').checkRuns;
    expect(run.history.slice(1).map((body) => (body.output as { annotations: unknown[] }).annotations.length)).toEqual([
      50, 50, 20,
    ]);
    expect(run.annotations.map((entry) => entry.start_line)).toEqual(annotations.map((entry) => entry.start_line));
    expect(run.output.annotations_count).toBe(120);
  });

  it('writes nothing once the guard says the evaluation was superseded', async () => {
    const guard = () => {
      throw new SupersededError();
    };
    await expect(
      ensureCheckRun({
        octokit,
        owner: 'acme',
        repo: 'api',
        headSha: sim.head('acme/api'),
        status: 'in_progress',
        guard,
      }),
    ).rejects.toThrow(SupersededError);
    expect(sim.repo('acme/api').checkRuns).toEqual([]);
  });

  it('chunk splits evenly and keeps the rest', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 50)).toEqual([]);
  });
});
