import { describe, expect, it } from '@jest/globals';
import { configSchema } from '../../src/config/schema.js';
import { compareReports } from '../../src/engine/compare.js';
import { diffConfigs } from '../../src/engine/config-diff.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { changesReadinessRules, renderConfigChanges } from '../../src/report/config-changes.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';
import { testReadme, testUser } from '../app/harness.js';

const checks = [testReadme, testUser];
const files = { Dockerfile: 'FROM node:20\n', 'vendor/Dockerfile': 'FROM x\n' };

async function preview(baseInput: object, pullInput: object) {
  const base = configSchema.parse(baseInput);
  const pull = configSchema.parse(pullInput);
  const evaluate = (config: typeof base) =>
    evaluateRepository({ source: new MemorySource(files, { settings: {}, kind: 'github' }), checks, config });
  const head = await evaluate(base);
  return diffConfigs({
    checks,
    base,
    pull,
    headWithBaseRules: head,
    headWithPullRules: await evaluate(pull),
    comparison: compareReports(head, head),
    path: '.github/shipready.yml',
  });
}

describe('diffConfigs', () => {
  it('paths ignored, thresholds, gate mode and min score, each with its direction and effect', async () => {
    const result = await preview(
      { gate: { minScore: 50 }, thresholds: { ready: 95 } },
      { ignore: { paths: ['Docker*'] }, gate: { mode: 'absolute' }, thresholds: { ready: 90 } },
    );
    expect(result.changes.map(({ kind, key, before, after }) => ({ kind, key, before, after }))).toEqual([
      { kind: 'paths-ignored', key: 'ignore.paths', before: undefined, after: 'Docker*' },
      { kind: 'gate-tightened', key: 'gate.mode', before: 'regressions', after: 'absolute' },
      { kind: 'gate-loosened', key: 'gate.minScore', before: '50', after: undefined },
      { kind: 'threshold-loosened', key: 'thresholds.ready', before: '95', after: '90' },
    ]);
    expect(result.changes[0].findingsHidden).toBe(1);
    expect(changesReadinessRules(result)).toBe(true);
  });

  it('nothing that matters changed: no change, and readiness is not changed', async () => {
    const result = await preview({ checks: { 'test-user': 'high' } }, {});
    expect(result.changes).toEqual([]);
    expect(changesReadinessRules(result)).toBe(false);
    expect(renderConfigChanges(result)).toEqual([]);
  });
});

describe('renderConfigChanges', () => {
  it('puts config values from the repository in code spans: no Markdown, no HTML, no mention', () => {
    const lines = renderConfigChanges({
      path: '.github/shipready.yml',
      scoreWithBaseRules: 40,
      scoreWithPullRules: 40,
      changes: [
        { kind: 'paths-ignored', key: 'ignore.paths', after: '<img src=x onerror=alert(1)>/**, @everyone, a|b' },
        { kind: 'other', key: 'profile', before: undefined, after: '__tests__' },
      ],
    });
    expect(lines).toContain('- ignores `<img src=x onerror=alert(1)>/**, @everyone, a\\|b` (`ignore.paths`)');
    expect(lines).toContain('- changes `profile`: not set → `__tests__`');
    expect(lines).toContain("Together they leave this PR's score at 40.");
  });
});
