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
    ).toEqual({ action: 'closed', number: issue.number });
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
    expect(preview).toEqual({
      items: wanted.map((issue) => ({ key: issue.key, title: issue.title, action: 'open', done: false })),
      deferred: 0,
    });
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
});
