import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/engine/types.js';
import { configSchema } from '../../src/config/schema.js';
import { publish, report } from './report-fixtures.js';

const WORKFLOW = '.github/workflows/ci.yml';

function unpinned(count: number, from: number, what = 'some/action@v1'): Finding[] {
  return Array.from({ length: count }, (_, index) => ({
    message: `${what} is not pinned to a commit SHA`,
    path: WORKFLOW,
    line: from + index,
    lineKey: `${what}#${from + index}`,
  }));
}

describe('annotations: what the PR adds first, never dropped by the cap; what was there as notices', () => {
  const old = unpinned(300, 1);
  const evil: Finding = {
    message: 'evil-corp/deploy-action@main is not pinned to a commit SHA',
    path: WORKFLOW,
    line: 400,
    lineKey: 'evil-corp/deploy-action@main',
  };
  const added = [evil, ...unpinned(90, 500, 'other/new@main')];
  const base = report([['actions-pinned', 'fail', 'high', { findings: old }]]);
  const head = report([['actions-pinned', 'fail', 'high', { findings: [...old, ...added] }]]);

  it('annotates the 91 new findings first and fills the cap with pre-existing ones at notice', () => {
    const { run, comparison } = publish(head, base);
    expect(comparison.findingsAdded.map((change) => change.id)).toEqual(['actions-pinned']);
    expect(run.annotations).toHaveLength(200);
    const first = run.annotations.slice(0, 91);
    expect(first.map((annotation) => annotation.start_line)).toEqual(added.map((finding) => finding.line));
    expect(first.every((annotation) => annotation.annotation_level === 'failure')).toBe(true);
    expect(first[0].raw_details).toMatch(/^New in this pull request\./);
    const rest = run.annotations.slice(91);
    expect(rest.every((annotation) => annotation.annotation_level === 'notice')).toBe(true);
    expect(rest[0].raw_details).toMatch(/^Already on the base: shown here, not blamed on this pull request\./);
    expect(run.annotationsOmitted).toBe(300 - 109);
  });

  it('keeps every new finding even when the cap is smaller than what the PR adds', () => {
    const { run } = publish(head, base, { maxAnnotations: 10 });
    expect(run.annotations).toHaveLength(91);
    expect(run.annotations.filter((annotation) => annotation.annotation_level === 'failure')).toHaveLength(91);
    expect(run.annotationsOmitted).toBe(300);
  });

  it('lists what the PR adds to the failing check in the summary and says the rest is not blamed', () => {
    const { run } = publish(head, base);
    expect(run.title).toBe(`✗ 91 new findings in 1 failing check · ${head.score}/100 · ${head.rating}`);
    expect(run.summary).toContain('### What this PR adds to checks that already fail');
    expect(run.summary).toContain('`actions-pinned` · high · 91 new findings:');
    expect(run.summary).toContain('evil-corp/deploy-action@main is not pinned to a commit SHA');
    expect(run.summary).toContain('- … and 81 more new findings');
    expect(run.summary).toContain(
      '109 findings already on the base are annotated at most as notices: shown where they are, not blamed on this PR.',
    );
  });

  it('annotations.preexisting raises the ceiling for pre-existing findings, never above the check’s own level', () => {
    const warning = publish(head, base, { preexistingAnnotations: 'warning' }).run.annotations;
    expect(warning.slice(91).every((annotation) => annotation.annotation_level === 'warning')).toBe(true);
    const failure = publish(head, base, { preexistingAnnotations: 'failure' }).run.annotations;
    expect(failure.every((annotation) => annotation.annotation_level === 'failure')).toBe(true);
    const low = report([['x', 'warn', 'low', { findings: unpinned(1, 1) }]]);
    const lowHead = report([['x', 'warn', 'low', { findings: unpinned(2, 1) }]]);
    const levels = publish(lowHead, low, { preexistingAnnotations: 'failure' }).run.annotations.map(
      (annotation) => annotation.annotation_level,
    );
    expect(levels).toEqual(['notice', 'notice']);
  });

  it('is a config key with notice as the default', () => {
    expect(configSchema.parse({}).annotations).toEqual({ preexisting: 'notice' });
    expect(configSchema.parse({ annotations: { preexisting: 'failure' } }).annotations.preexisting).toBe('failure');
    expect(() => configSchema.parse({ annotations: { preexisting: 'error' } })).toThrow();
  });

  it('without a base (a push) nothing is pre-existing: levels follow the check', () => {
    const { run } = publish(head);
    expect(run.annotations.every((annotation) => annotation.annotation_level === 'failure')).toBe(true);
    expect(run.annotations[0].raw_details).not.toMatch(/pull request/);
    expect(run.summary).not.toContain('not blamed on this PR');
  });
});
