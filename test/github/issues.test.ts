import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Octokit } from '@octokit/rest';
import {
  ensureIssue,
  ensureIssueClosing,
  listTrackedIssues,
  reconcileIssues,
  type DesiredIssue,
} from '../../src/github/issues.js';
import { checkMarker, fingerprintMarker, issueKeyOf } from '../../src/report/markers.js';
import type { Simulator } from '../simulator/index.js';
import { simulatorWithRepo } from './sim-helpers.js';

const desired = (key: string, fingerprint: string): DesiredIssue => ({
  key,
  title: `Production readiness: ${key}`,
  body: `What is wrong with ${key}.\n\n${checkMarker(key)}\n${fingerprintMarker(fingerprint)}`,
  fingerprint,
});

describe('remediation issues', () => {
  let sim: Simulator;
  let octokit: Octokit;
  const base = () => ({ octokit, owner: 'acme', repo: 'api' });
  beforeEach(async () => ({ sim, octokit } = await simulatorWithRepo()));
  afterEach(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });
  const writes = () =>
    sim.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.route}`);

  it('files, leaves an unchanged fingerprint alone, updates, closes with a comment and reopens', async () => {
    const labels = ['shipready', 'readiness'];
    const created = await ensureIssue({ ...base(), issue: desired('license-present', 'aaa'), labels, create: true });
    expect(created.action).toBe('created');
    const issue = sim.repo('acme/api').issues.get(created.number!)!;
    expect(issue).toMatchObject({ title: 'Production readiness: license-present', state: 'open', labels });
    expect(sim.repo('acme/api').labels.map((label) => label.name)).toEqual(labels);

    let tracked = await listTrackedIssues({ ...base(), creator: 'shipready[bot]' });
    sim.resetCounts();
    expect(
      await ensureIssue({
        ...base(),
        issue: desired('license-present', 'aaa'),
        existing: tracked.get('license-present'),
        labels,
        create: true,
      }),
    ).toMatchObject({ action: 'unchanged' });
    expect(writes()).toEqual([]);

    expect(
      await ensureIssue({
        ...base(),
        issue: desired('license-present', 'bbb'),
        existing: tracked.get('license-present'),
        labels,
        create: true,
      }),
    ).toMatchObject({ action: 'updated' });
    expect(issue.body).toContain(fingerprintMarker('bbb'));

    tracked = await listTrackedIssues({ ...base(), creator: 'shipready[bot]' });
    sim.resetCounts();
    expect(
      await ensureIssueClosing({ ...base(), existing: tracked.get('license-present'), comment: 'Fixed in abc1234.' }),
    ).toEqual({ action: 'closed', number: issue.number, url: `https://github.com/acme/api/issues/${issue.number}` });
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(sim.repo('acme/api').comments.at(-1)).toMatchObject({
      issue_number: issue.number,
      body: 'Fixed in abc1234.',
    });
    expect(writes()).toEqual([
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
    ]);

    tracked = await listTrackedIssues({ ...base(), creator: 'shipready[bot]' });
    expect(
      await ensureIssue({
        ...base(),
        issue: desired('license-present', 'ccc'),
        existing: tracked.get('license-present'),
        labels,
        create: false,
        reopenComment: 'Fails again.',
      }),
    ).toMatchObject({
      action: 'reopened',
      number: issue.number,
    });
    expect(issue.state).toBe('open');
    expect(sim.repo('acme/api').issues.size).toBe(1);
  });

  it('finds issues by marker, not by title (a renamed issue is still ours; a look-alike title is not)', async () => {
    const ours = await ensureIssue({
      ...base(),
      issue: desired('readme-present', 'f1'),
      labels: ['shipready'],
      create: true,
    });
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...base(),
      issue_number: ours.number!,
      title: 'Renamed by a maintainer',
    });
    await octokit.request('POST /repos/{owner}/{repo}/issues', {
      ...base(),
      title: 'Production readiness: license-present',
      body: 'hand-written',
    });
    const tracked = await listTrackedIssues({ ...base(), label: 'shipready' });
    expect([...tracked.keys()]).toEqual(['readme-present']);
    expect(tracked.get('readme-present')).toMatchObject({ number: ours.number, fingerprint: 'f1', state: 'open' });
    expect(issueKeyOf('<!-- shipready:dashboard -->')).toBe('dashboard');
    expect(issueKeyOf('nothing')).toBeUndefined();
  });

  it('keys an issue by its own trailing marker, not by a forged one quoted from repository text', async () => {
    const body = `- \\<!-- shipready:check=default-branch-protected --> in a finding message\n\n${checkMarker('readme-present')}\n${fingerprintMarker('f1')}`;
    await octokit.request('POST /repos/{owner}/{repo}/issues', {
      ...base(),
      title: 'ours',
      body,
      labels: ['shipready'],
    });
    const tracked = await listTrackedIssues({ ...base(), label: 'shipready' });
    expect([...tracked.keys()]).toEqual(['readme-present']);
    expect(tracked.get('readme-present')?.fingerprint).toBe('f1');
  });

  it('reconcile: preview writes nothing new, filing respects the cap, passing checks close', async () => {
    const wanted = ['a-check', 'b-check', 'c-check'].map((key) => desired(key, key));
    const preview = await reconcileIssues({
      ...base(),
      labels: ['shipready'],
      desired: wanted,
      resolved: [],
      create: false,
      max: 2,
    });
    expect(preview.items).toEqual(
      wanted.map((issue) => ({
        key: issue.key,
        title: issue.title,
        action: 'open',
        done: false,
        deferredBy: 'not-requested',
      })),
    );
    expect(preview).toMatchObject({ opened: [], deferred: 0, deferredByCap: [], max: 2 });
    expect(preview.notRequested.map((item) => item.key)).toEqual(['a-check', 'b-check', 'c-check']);
    expect(sim.repo('acme/api').issues.size).toBe(0);

    const filed = await reconcileIssues({
      ...base(),
      creator: 'shipready[bot]',
      labels: ['shipready'],
      desired: wanted,
      resolved: [],
      create: true,
      max: 2,
    });
    expect(filed.items.map((item) => `${item.key}:${item.action}:${item.done}`)).toEqual([
      'a-check:open:true',
      'b-check:open:true',
      'c-check:open:false',
    ]);
    expect(filed.deferred).toBe(1);

    const next = await reconcileIssues({
      ...base(),
      creator: 'shipready[bot]',
      labels: ['shipready'],
      desired: wanted.slice(1),
      resolved: [{ key: 'a-check', comment: 'passes now' }],
      create: true,
      max: 2,
    });
    expect(next.items.map((item) => `${item.key}:${item.action}`)).toEqual([
      'b-check:unchanged',
      'c-check:open',
      'a-check:close',
    ]);
    expect([...sim.repo('acme/api').issues.values()].map((issue) => `${issue.title}:${issue.state}`)).toEqual([
      'Production readiness: a-check:closed',
      'Production readiness: b-check:open',
      'Production readiness: c-check:open',
    ]);
  });

  it('reconcile reports exactly what it did: numbers and links of what it opened, and what the cap deferred', async () => {
    const wanted = Array.from({ length: 8 }, (_, index) => desired(`check-${index}`, `f${index}`));
    const result = await reconcileIssues({
      ...base(),
      creator: 'shipready[bot]',
      labels: ['shipready'],
      desired: wanted,
      resolved: [],
      create: true,
      max: 5,
    });
    const created = [...sim.repo('acme/api').issues.values()];
    expect(created).toHaveLength(5);
    expect(result.opened).toEqual(
      created.map((issue, index) => ({
        key: `check-${index}`,
        title: `Production readiness: check-${index}`,
        number: issue.number,
        url: `https://github.com/acme/api/issues/${issue.number}`,
      })),
    );
    expect(result.deferredByCap.map((item) => `${item.key}:${item.action}:${item.deferredBy}`)).toEqual([
      'check-5:open:cap',
      'check-6:open:cap',
      'check-7:open:cap',
    ]);
    expect(result).toMatchObject({ deferred: 3, max: 5, reopened: [], updated: [], closed: [], notRequested: [] });
    expect(result.items.filter((item) => item.done)).toHaveLength(5);
  });

  it('reopening counts against the cap, posts the issue’s own reopen comment, and what it left is deferred with its number', async () => {
    const filed = await reconcileIssues({
      ...base(),
      creator: 'shipready[bot]',
      labels: ['shipready'],
      desired: ['a-check', 'b-check'].map((key) => desired(key, key)),
      resolved: [],
      create: true,
      max: 5,
    });
    const [a, b] = filed.opened;
    await reconcileIssues({
      ...base(),
      creator: 'shipready[bot]',
      labels: ['shipready'],
      desired: [],
      resolved: [
        { key: 'a-check', comment: 'passes' },
        { key: 'b-check', comment: 'passes' },
      ],
      create: true,
      max: 5,
    });
    const again = await reconcileIssues({
      ...base(),
      creator: 'shipready[bot]',
      labels: ['shipready'],
      desired: [
        { ...desired('a-check', 'a2'), reopenComment: 'Fails again at `Dockerfile:4`.' },
        { ...desired('b-check', 'b2'), reopenComment: 'unused' },
        desired('c-check', 'c'),
      ],
      resolved: [],
      create: true,
      max: 1,
    });
    expect(again.reopened).toEqual([
      { key: 'a-check', title: 'Production readiness: a-check', number: a.number, url: a.url },
    ]);
    expect(again.deferredByCap).toEqual([
      {
        key: 'b-check',
        title: 'Production readiness: b-check',
        action: 'reopen',
        number: b.number,
        url: b.url,
        done: false,
        deferredBy: 'cap',
      },
      { key: 'c-check', title: 'Production readiness: c-check', action: 'open', done: false, deferredBy: 'cap' },
    ]);
    expect(again.opened).toEqual([]);
    const repo = sim.repo('acme/api');
    expect(repo.issues.get(a.number)!.state).toBe('open');
    expect(repo.issues.get(b.number)!.state).toBe('closed');
    expect(repo.comments.at(-1)).toMatchObject({ issue_number: a.number, body: 'Fails again at `Dockerfile:4`.' });
  });

  it('updates and closes are always done and reported with their numbers, whatever the cap', async () => {
    const filed = await reconcileIssues({
      ...base(),
      creator: 'shipready[bot]',
      labels: ['shipready'],
      desired: ['a-check', 'b-check', 'c-check'].map((key) => desired(key, key)),
      resolved: [],
      create: true,
      max: 3,
    });
    const next = await reconcileIssues({
      ...base(),
      creator: 'shipready[bot]',
      labels: ['shipready'],
      desired: [desired('a-check', 'a-changed'), desired('b-check', 'b-check')],
      resolved: [{ key: 'c-check', comment: 'passes now' }],
      create: false,
      max: 1,
    });
    expect(next.updated.map((ref) => ref.number)).toEqual([filed.opened[0].number]);
    expect(next.unchanged.map((ref) => ref.number)).toEqual([filed.opened[1].number]);
    expect(next.closed).toEqual([
      {
        key: 'c-check',
        title: 'Production readiness: c-check',
        number: filed.opened[2].number,
        url: filed.opened[2].url,
      },
    ]);
    expect(next).toMatchObject({ opened: [], reopened: [], deferred: 0, notRequested: [] });
  });
});
