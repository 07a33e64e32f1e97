import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/documentation/runbook-present.js';
import { runCheck } from '../../helpers/run-check.js';

const service = { config: { profile: 'service' as const } };

describe('runbook-present', () => {
  it('passes with RUNBOOK.md for a service', async () => {
    const report = await runCheck(check, { 'RUNBOOK.md': '# Runbook' }, service);
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('runbook: RUNBOOK.md');
  });

  it('passes with docs/runbooks/, docs/operations/ and a Markdown playbook', async () => {
    expect((await runCheck(check, { 'docs/runbooks/high-error-rate.md': 'x' }, service)).summary).toBe(
      'runbooks: docs/runbooks/high-error-rate.md',
    );
    expect((await runCheck(check, { 'docs/operations/deploy.md': 'x' }, service)).summary).toContain('operations docs');
    expect((await runCheck(check, { 'docs/incident-playbook.md': 'x' }, service)).outcome).toBe('pass');
    expect(
      (await runCheck(check, { 'observability/handbook/alert-runbooks/high-latency.md': 'x' }, service)).summary,
    ).toBe('runbooks: observability/handbook/alert-runbooks/high-latency.md');
    expect((await runCheck(check, { 'ops/deploy-runbook.md': 'x' }, service)).summary).toBe(
      'runbook: ops/deploy-runbook.md',
    );
  });

  it('fails for a service without one; an Ansible playbook does not count', async () => {
    const report = await runCheck(
      check,
      { Dockerfile: 'FROM node:20', 'ansible/playbook.yml': '- hosts: all' },
      service,
    );
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('looked for RUNBOOK.md');
  });

  it('is not applicable to a library', async () => {
    const report = await runCheck(check, { 'package.json': '{"name":"lib"}' }, { config: { profile: 'library' } });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toContain('service profile');
  });
});
