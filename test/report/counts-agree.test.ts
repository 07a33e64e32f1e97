import { describe, expect, it } from '@jest/globals';
import { publish, report, type Spec } from './report-fixtures.js';

describe('one count on every surface (monorepo)', () => {
  it('title, summary and comment say the same "N failures in M checks across P projects"', () => {
    const projects = Array.from({ length: 6 }, (_, index) => ({
      path: `packages/p${index}`,
      checks: [['lockfile-committed', 'fail', 'high'] as Spec, ['tests-present', 'fail', 'medium'] as Spec],
    }));
    const head = report(
      [
        ['readme-present', 'fail', 'high'],
        ['lockfile-committed', 'pass', 'high'],
      ],
      projects,
    );
    const { run, comment, comparison } = publish(head);
    expect(comparison.counts).toMatchObject({ failures: 13, failingChecks: 3, failingProjects: 6, projects: 6 });
    const phrase = '13 failures in 3 checks across the root and 6 projects';
    expect(run.title).toContain(phrase);
    expect(run.summary).toContain(`**On this commit:** ${phrase}.`);
    expect(comment).toContain(`**On this commit:** ${phrase}.`);
    const tableFailures = head.categories.reduce((sum, category) => sum + category.counts.fail, 0);
    expect(tableFailures).toBe(13);
    expect(run.summary).toContain('Scored across 6 projects');
  });
});
