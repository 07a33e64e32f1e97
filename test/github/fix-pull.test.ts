import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { ensureFixPull, FIX_BRANCH, gitBlobSha, type EnsureFixPullInput } from '../../src/github/fix-pull.js';
import { FIX_PULL_MARKER } from '../../src/report/markers.js';
import type { Simulator } from '../simulator/index.js';
import { simulatorWithRepo } from './sim-helpers.js';

describe('ensureFixPull', () => {
  let sim: Simulator;
  let octokit: Octokit;
  const input = (over: Partial<EnsureFixPullInput> = {}): EnsureFixPullInput => ({
    octokit,
    owner: 'acme',
    repo: 'api',
    defaultBranch: 'main',
    baseSha: sim.head('acme/api'),
    files: [{ path: 'SECURITY.md', text: '# Security\n' }],
    title: 'shipready: fixes',
    body: 'the fixes',
    commitMessage: 'Fix things',
    create: true,
    ...over,
  });
  const branchFile = (path: string) => {
    const files = sim.objects.flatten(sim.objects.commits.get(sim.head('acme/api', FIX_BRANCH))!.tree);
    const entry = files.get(path);
    return entry && sim.objects.blobs.get(entry.sha)!.toString();
  };
  beforeEach(async () => {
    ({ sim, octokit } = await simulatorWithRepo());
  });
  afterEach(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  it('creates the branch and the pull request once; the same files again write nothing', async () => {
    expect(await ensureFixPull(input())).toMatchObject({ action: 'created', number: 1 });
    const pull = sim.repo('acme/api').pulls.get(1)!;
    expect(pull).toMatchObject({ head: { ref: FIX_BRANCH }, base: { ref: 'main' }, title: 'shipready: fixes' });
    expect(pull.body).toBe(`the fixes\n\n${FIX_PULL_MARKER}`);
    expect(branchFile('SECURITY.md')).toBe('# Security\n');
    expect(branchFile('README.md')).toBe('# api\n');
    sim.resetCounts();
    expect(await ensureFixPull(input())).toMatchObject({ action: 'unchanged', number: 1 });
    expect(sim.counts.writes).toBe(0);
  });

  it('never opens two pull requests for concurrent runs', async () => {
    const results = await Promise.all([ensureFixPull(input()), ensureFixPull(input()), ensureFixPull(input())]);
    expect(results.map((result) => result.action).sort()).toEqual(['created', 'unchanged', 'unchanged']);
    expect(sim.repo('acme/api').pulls.size).toBe(1);
  });

  it('rebuilds the branch on a new base and edits the pull request in place', async () => {
    await ensureFixPull(input());
    const base = sim.commit('acme/api', { changes: { 'src/index.js': 'x\n' } });
    const result = await ensureFixPull(
      input({ baseSha: base, files: [{ path: '.gitignore', text: 'node_modules\n' }], body: 'other fixes' }),
    );
    expect(result).toMatchObject({ action: 'updated', number: 1 });
    expect(sim.objects.commits.get(sim.head('acme/api', FIX_BRANCH))!.parents).toEqual([base]);
    expect(branchFile('SECURITY.md')).toBeUndefined();
    expect(branchFile('.gitignore')).toBe('node_modules\n');
    expect(sim.repo('acme/api').pulls.get(1)!.body).toContain('other fixes');
  });

  it('keeps only an open one up to date without the button, and closes it when nothing is left', async () => {
    expect(await ensureFixPull(input({ create: false }))).toEqual({ action: 'none' });
    expect(sim.repo('acme/api').branches.has(FIX_BRANCH)).toBe(false);
    await ensureFixPull(input());
    expect(await ensureFixPull(input({ files: [], create: false }))).toMatchObject({ action: 'closed', number: 1 });
    expect(sim.repo('acme/api').pulls.get(1)!.state).toBe('closed');
    expect(sim.repo('acme/api').branches.has(FIX_BRANCH)).toBe(false);
    expect(await ensureFixPull(input({ files: [], create: false }))).toEqual({ action: 'none' });
  });

  it('computes git blob ids as git does', () => {
    expect(gitBlobSha('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
});
