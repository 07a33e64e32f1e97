import { describe, expect, it } from '@jest/globals';
import { publish, report, type Spec } from './report-fixtures.js';

/** Twenty passing checks make a repository that scores in the nineties with one failure. */
const healthy: Spec[] = Array.from({ length: 20 }, (_, index): Spec => [`ok-${index}`, 'pass', 'high']);

describe('the Check Run title leads with the gate and the worst item', () => {
  it('a critical regression on an otherwise excellent repository: ✗, the regression, then the capped rating', () => {
    const base = report([...healthy, ['workflow-triggers-safe', 'pass', 'critical']]);
    const head = report([...healthy, ['workflow-triggers-safe', 'fail', 'critical']]);
    expect(head.score).toBeGreaterThanOrEqual(90);
    const { run, comment, gate } = publish(head, base);
    expect(gate.conclusion).toBe('failure');
    expect(run.title).toBe(`✗ 1 critical regression · ${head.score}/100 · needs-work`);
    expect(run.summary).toContain(
      'Rating capped by `workflow-triggers-safe`: a failing critical check caps the rating at needs-work (the score alone would rate excellent).',
    );
    expect(comment).toContain(`### shipready · ✗ 1 critical regression · ${head.score}/100 · needs-work`);
    expect(comment).toContain('Rating capped by `workflow-triggers-safe`');
  });

  it('several regressions: the count and how many are at the worst severity', () => {
    const base = report([
      ['a', 'pass', 'critical'],
      ['b', 'pass', 'high'],
      ['c', 'pass', 'medium'],
    ]);
    const head = report([
      ['a', 'fail', 'critical'],
      ['b', 'fail', 'high'],
      ['c', 'fail', 'medium'],
    ]);
    expect(publish(head, base).run.title).toMatch(/^✗ 3 regressions \(1 critical\) · 0\/100 · poor$/);
  });

  it('a fix-only PR: ✓ and what it fixed', () => {
    const base = report([
      ['a', 'fail'],
      ['b', 'fail', 'medium'],
      ['c', 'fail', 'low'],
    ]);
    const head = report([
      ['a', 'pass'],
      ['b', 'pass', 'medium'],
      ['c', 'fail', 'low'],
    ]);
    const { run, gate, comment } = publish(head, base);
    expect(gate.conclusion).toBe('success');
    expect(run.title).toBe(`✓ fixes 2 checks · ${head.score}/100 · ${head.rating}`);
    // The summary and the comment say what it fixed, by name, and lead with the same title.
    expect(run.summary).toContain('### What this PR fixed or improved');
    expect(run.summary).toMatch(/- ✅ \*\*a title\*\* `a` · high · fail → pass/);
    expect(run.summary).toMatch(/- ✅ \*\*b title\*\* `b` · medium · fail → pass/);
    expect(comment).toContain(`### shipready · ✓ fixes 2 checks · ${head.score}/100 · ${head.rating}`);
    expect(comment).toContain('**This PR fixes or improves (2)**');
  });

  it('a push compared with the previous commit says "this push", never "this PR"', () => {
    const base = report([['a', 'fail']]);
    const head = report([['a', 'pass']]);
    const { run } = publish(head, base, { event: 'push' });
    expect(run.summary).toContain('### What this push fixed or improved');
    expect(run.summary).toContain('on the previous commit)');
    expect(`${run.summary}\n${run.text}`).not.toMatch(/this PR|pull request/);
  });

  it('a failing critical check is always in the title, also when the PR did not cause it', () => {
    const base = report([
      ['no-committed-env-files', 'fail', 'critical', { title: 'No committed env files' }],
      ['a', 'fail'],
    ]);
    const head = report([
      ['no-committed-env-files', 'fail', 'critical', { title: 'No committed env files' }],
      ['a', 'pass'],
    ]);
    expect(publish(head, base).run.title).toBe(
      `✓ fixes 1 check · critical: No committed env files still fails · ${head.score}/100 · poor`,
    );
  });

  it('a push without a base: the failing critical check by name, then the other failures', () => {
    const env: Spec = ['no-committed-env-files', 'fail', 'critical', { title: 'No committed env files' }];
    const alone = report([env, ['readme-present', 'pass', 'low'], ['x', 'warn', 'low']]);
    const { run, gate } = publish(alone);
    expect(gate.conclusion).toBe('neutral');
    expect(run.title).toBe(`✗ critical: No committed env files fails · ${alone.score}/100 · poor`);
    const more = report([env, ['a', 'fail', 'low'], ['b', 'fail', 'high'], ['c', 'pass']]);
    expect(publish(more).run.title).toBe(
      `✗ critical: No committed env files fails · 3 failing checks · ${more.score}/100 · poor`,
    );
  });

  it('nothing changed: no change; nothing fails without a base: no failing checks', () => {
    const clean = report([['a', 'pass']]);
    expect(publish(clean, clean).run.title).toBe('✓ no change · 100/100 · excellent');
    expect(publish(clean).run.title).toBe('✓ no failing checks · 100/100 · excellent');
  });
});
