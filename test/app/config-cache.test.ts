/**
 * The config's contents requests: none for the repository's own file when the default branch's head has none in
 * its tree (a push to that branch), and the org `.github` fallback read once per owner for a while.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import { allChecks } from '../../checks/index.js';
import { ConfigFileCache, OrgConfigCache } from '../../src/app/config.js';
import { loadConfiguration } from '../../src/app/flow/configuration.js';
import { readConfigFile, readConfigFilesAtHead } from '../../src/github/config-file.js';
import { GitHubSource } from '../../src/github/source.js';
import type { Target } from '../../src/app/flow/types.js';
import { packListing } from '../../src/snapshot/packed-listing.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { simulatorWithRepo } from '../github/sim-helpers.js';
import type { Simulator } from '../simulator/index.js';

const CONFIG = '.github/shipready.yml';
const ORG_CONFIG = 'comment:\n  mode: always\n';
const README: TreeEntry = { path: 'README.md', kind: 'file', size: 6, mode: '100644', sha: 'b'.repeat(40) };
const CONFIG_ENTRY: TreeEntry = { path: CONFIG, kind: 'file', size: 20, mode: '100644', sha: 'a'.repeat(40) };

const treesOf = (entries: TreeEntry[]) => ({
  head: packListing({ entries, truncated: false, warnings: [] }),
  headSignature: 'signature',
});

const pushTo = (repo: string, ref = 'main'): Target => ({
  owner: 'acme',
  repo,
  defaultBranch: 'main',
  headSha: 'c'.repeat(40),
  ref,
  isDefaultBranch: ref === 'main',
});

describe('loadConfiguration: contents requests', () => {
  let sim: Simulator;
  let octokit: Octokit;
  const contentsReads = () =>
    sim.requests.filter((request) => request.route === '/repos/{owner}/{repo}/contents/{path}').map((r) => r.url);
  const graphqlReads = () => sim.requests.filter((request) => request.route === '/graphql').length;
  beforeEach(async () => {
    ({ sim, octokit } = await simulatorWithRepo());
    sim.addRepo({ owner: 'acme', name: '.github', files: { [CONFIG]: ORG_CONFIG } });
    sim.resetCounts();
  });
  afterEach(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  it('a push to the default branch without the file in its tree reads only the org fallback, then nothing', async () => {
    const orgConfigs = new OrgConfigCache();
    const input = { octokit, target: pushTo('api'), trees: treesOf([README]), checks: allChecks, orgConfigs };
    const first = await loadConfiguration(input);
    expect(first.config.comment.mode).toBe('always');
    expect(first.note).toContain('acme/.github');
    expect(contentsReads()).toEqual([expect.stringContaining('/repos/acme/.github/contents/')]);
    sim.resetCounts();
    const second = await loadConfiguration(input);
    expect(second).toEqual(first);
    expect(contentsReads()).toEqual([]);
  });

  it('reads the repository file when the tree has it, and on other branches and pull requests', async () => {
    sim.commit('acme/api', { changes: { [CONFIG]: 'comment:\n  mode: never\n' } });
    sim.resetCounts();
    const present = await loadConfiguration({
      octokit,
      target: pushTo('api'),
      trees: treesOf([CONFIG_ENTRY, README]),
      checks: allChecks,
    });
    expect(present.config.comment.mode).toBe('never');
    // Neither file known (no caches): both in one GraphQL query.
    expect(contentsReads()).toEqual([]);
    expect(graphqlReads()).toBe(1);
    sim.resetCounts();
    // Another branch's tree says nothing of the default branch's file: it is read.
    const other = await loadConfiguration({
      octokit,
      target: pushTo('api', 'feature'),
      trees: treesOf([README]),
      checks: allChecks,
    });
    expect(other.config.comment.mode).toBe('never');
    expect(graphqlReads()).toBe(1);
  });

  it('without the cache, the org fallback is read every time', async () => {
    const input = { octokit, target: pushTo('api'), trees: treesOf([README]), checks: allChecks };
    await loadConfiguration(input);
    await loadConfiguration(input);
    expect(contentsReads()).toHaveLength(2);
  });

  it('an evaluation of the org .github default branch forgets the cached fallback', async () => {
    const orgConfigs = new OrgConfigCache();
    const input = { octokit, target: pushTo('api'), trees: treesOf([README]), checks: allChecks, orgConfigs };
    await loadConfiguration(input);
    sim.commit('acme/.github', { changes: { [CONFIG]: 'comment:\n  mode: never\n' } });
    expect((await loadConfiguration(input)).config.comment.mode).toBe('always');
    await loadConfiguration({
      octokit,
      target: pushTo('.github'),
      trees: treesOf([{ ...CONFIG_ENTRY }]),
      checks: allChecks,
      orgConfigs,
    });
    expect((await loadConfiguration(input)).config.comment.mode).toBe('never');
  });

  it('caches that the org has no fallback, per owner, and not a failed read', async () => {
    const orgConfigs = new OrgConfigCache();
    sim.addRepo({ owner: 'other', name: 'svc', files: { 'README.md': '# svc\n' } });
    const target = { ...pushTo('svc'), owner: 'other' };
    const input = { octokit, target, trees: treesOf([README]), checks: allChecks, orgConfigs };
    sim.failNext({ path: '/repos/other/.github/contents/', status: 500 });
    await expect(loadConfiguration(input)).rejects.toMatchObject({ status: 500 });
    sim.resetCounts();
    expect((await loadConfiguration(input)).note).toBeUndefined();
    expect((await loadConfiguration(input)).note).toBeUndefined();
    expect(contentsReads()).toEqual([expect.stringContaining('/repos/other/.github/contents/')]);
  });

  it("a pull request's evaluations reuse the default branch's file until the branch, a re-run or the TTL says otherwise", async () => {
    sim.commit('acme/api', { changes: { [CONFIG]: 'comment:\n  mode: never\n' } });
    sim.resetCounts();
    const ownConfigs = new ConfigFileCache();
    const pullTarget: Target = {
      ...pushTo('api', 'feature'),
      isDefaultBranch: false,
      pull: {
        number: 7,
        headSha: 'c'.repeat(40),
        headRef: 'feature',
        baseSha: 'd'.repeat(40),
        baseRef: 'main',
        draft: false,
        fork: false,
      },
      base: { sha: 'd'.repeat(40), ref: 'main' },
    };
    const trees = { ...treesOf([CONFIG_ENTRY, README]), base: { signature: 'base', configBlob: CONFIG_ENTRY.sha } };
    const input = { octokit, target: pullTarget, trees, checks: allChecks, ownConfigs };
    expect((await loadConfiguration(input)).config.comment.mode).toBe('never');
    expect((await loadConfiguration(input)).config.comment.mode).toBe('never');
    // The repository's file and the org's, unknown both, in one query; then neither.
    expect(graphqlReads()).toBe(1);
    expect(contentsReads()).toEqual([]);

    // The default branch changes the file: until this process evaluates that push, the PR is judged as before …
    sim.commit('acme/api', { changes: { [CONFIG]: 'comment:\n  mode: always\n' } });
    expect((await loadConfiguration(input)).config.comment.mode).toBe('never');
    // … a re-run (fresh) reads it again …
    expect((await loadConfiguration({ ...input, fresh: true })).config.comment.mode).toBe('always');
    expect(graphqlReads() + contentsReads().length).toBe(2);
    // … and so does the default branch's own evaluation, whose fresh read the next PR evaluation reuses.
    sim.commit('acme/api', { changes: { [CONFIG]: 'comment:\n  mode: never\n' } });
    sim.resetCounts();
    const push = { octokit, target: pushTo('api'), trees: treesOf([CONFIG_ENTRY, README]), checks: allChecks };
    expect((await loadConfiguration({ ...push, ownConfigs })).config.comment.mode).toBe('never');
    expect(graphqlReads()).toBe(1);
    expect((await loadConfiguration(input)).config.comment.mode).toBe('never');
    expect(graphqlReads() + contentsReads().length).toBe(1);
    // A PR that changes the file has its own version read at its head, never from the cache.
    const changing = { ...input, trees: { ...trees, base: { signature: 'base', configBlob: 'e'.repeat(40) } } };
    sim.resetCounts();
    await loadConfiguration(changing);
    const ownReads = contentsReads().filter((url) => url.includes('/repos/acme/api/'));
    expect(ownReads).toEqual([expect.stringContaining(`ref=${pullTarget.headSha}`)]);
  });
});

describe('readConfigFilesAtHead: several config files in one GraphQL query, as the contents requests read them', () => {
  let sim: Simulator;
  let octokit: Octokit;
  beforeEach(async () => {
    ({ sim, octokit } = await simulatorWithRepo());
  });
  afterEach(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });

  it('answers text, missing file, missing repository, directory and too large like the contents requests', async () => {
    sim.commit('acme/api', { changes: { [CONFIG]: 'comment:\n  mode: never\n', 'dir/.github/shipready.yml/x': 'x' } });
    sim.addRepo({ owner: 'acme', name: 'big', files: { [CONFIG]: `# ${'x'.repeat(300 * 1024)}\n` } });
    sim.addRepo({ owner: 'acme', name: 'empty', files: { 'README.md': '#\n' } });
    const files = [
      { owner: 'acme', repo: 'api', path: CONFIG },
      { owner: 'acme', repo: 'empty', path: CONFIG },
      { owner: 'acme', repo: '.github', path: CONFIG },
      { owner: 'acme', repo: 'api', path: 'dir/.github/shipready.yml' },
      { owner: 'acme', repo: 'big', path: CONFIG },
    ];
    sim.resetCounts();
    const answers = await readConfigFilesAtHead(octokit, files);
    expect(sim.counts.byRoute).toEqual({ 'POST /graphql': 1 });
    expect(answers).toEqual([
      { kind: 'text', text: 'comment:\n  mode: never\n' },
      { kind: 'missing' },
      // No `.github` repository at all: GitHub's NOT_FOUND says so (the contents request's 404 cannot).
      { kind: 'missing', noRepository: true },
      { kind: 'directory' },
      { kind: 'too-large' },
    ]);
    const contents = await Promise.all(files.map((file) => readConfigFile(octokit, file)));
    expect(contents).toEqual(
      answers.map((answer) => ({ kind: answer.kind, ...('text' in answer ? { text: answer.text } : {}) })),
    );
  });

  it('the org cache then knows the owner has no .github repository, and the source asks nothing for its files', async () => {
    const orgConfigs = new OrgConfigCache();
    await loadConfiguration({
      octokit,
      target: pushTo('api', 'feature'),
      trees: treesOf([README]),
      checks: allChecks,
      orgConfigs,
    });
    expect(orgConfigs.knowsNoRepository('ACME')).toBe(true);
    const source = new GitHubSource({
      octokit,
      owner: 'acme',
      repo: 'api',
      sha: sim.head('acme/api'),
      defaultBranch: 'main',
      knownMissingRepository: (owner, repo) => repo === '.github' && orgConfigs.knowsNoRepository(owner),
    });
    sim.resetCounts();
    expect(await source.readSettings(['orgCommunityFiles'])).toEqual({
      orgCommunityFiles: { status: 'ok', value: { repository: 'acme/.github', paths: [] } },
    });
    expect(sim.counts.total).toBe(0);
    // With the repository there, the answer is only that its file is missing: its files are asked for.
    sim.addRepo({ owner: 'acme', name: '.github', files: { 'SECURITY.md': '# s\n' } });
    orgConfigs.forget('acme');
    await loadConfiguration({
      octokit,
      target: pushTo('api', 'feature'),
      trees: treesOf([README]),
      checks: allChecks,
      orgConfigs,
    });
    expect(orgConfigs.knowsNoRepository('acme')).toBe(false);
  });
});
