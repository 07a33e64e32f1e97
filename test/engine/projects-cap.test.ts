import { describe, expect, it } from '@jest/globals';
import { configSchema } from '../../src/config/schema.js';
import { defineCheck, result } from '../../src/engine/define-check.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { renderNotCovered } from '../../src/report/check-run.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { renderText } from '../../src/report/render-text.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';

function workspace(members: number, extra: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ private: true, workspaces: ['packages/*'] }),
    ...extra,
  };
  for (let index = 0; index < members; index += 1)
    files[`packages/p${String(index).padStart(4, '0')}/package.json`] = '{}';
  return files;
}

describe('projects beyond the bound (issue 9: "a finding says how many were left out and how to set projects:")', () => {
  it('comes first among the notes, so the Check Run’s capped list never hides it, and every output shows it', async () => {
    // Twenty files with over-long lines give twenty notes before it: the Check Run lists at most 15.
    const long = Object.fromEntries(
      Array.from({ length: 20 }, (_, index) => [`packages/p0000/min${index}.js`, `${'x'.repeat(5000)}\n`]),
    );
    // A check that reads them (the notes are about files read).
    const reader = defineCheck({
      id: 'readme-present',
      category: 'foundations',
      severity: 'low',
      title: 'reads the minified files',
      description: 'test',
      rationale: 'test',
      remediation: 'test',
      effort: 'minutes',
      scope: 'repository',
      needs: { files: ['packages/p0000/*.js'] },
      evaluate: () => result.pass('read'),
    });
    const report = await evaluateRepository({
      source: new MemorySource(workspace(1002, long)),
      checks: [reader],
      config: configSchema.parse({}),
    });
    expect(report.warnings.length).toBeGreaterThan(15);
    const note = report.warnings[0];
    expect(note).toMatch(
      /^2 project\(s\) left out: .* found 1002 .*`packages\/p1000`, `packages\/p1001`\).*`projects:`/,
    );
    expect(renderNotCovered(report).join('\n')).toContain('2 project(s) left out');
    expect(renderMarkdown(report)).toContain('2 project(s) left out');
    expect(renderText(report)).toContain('2 project(s) left out');
  });

  it('says the configured list is cut when `projects:` itself lists more than the bound', async () => {
    const projects = Array.from({ length: 1001 }, (_, index) => `packages/p${String(index).padStart(4, '0')}`);
    const report = await evaluateRepository({
      source: new MemorySource(workspace(1001)),
      checks: [],
      config: configSchema.parse({ projects }),
    });
    expect(report.projects).toHaveLength(1000);
    expect(report.warnings[0]).toBe(
      '1 project(s) left out: `projects:` in .github/shipready.yml lists more than the 1000 projects shipready evaluates one by one; the ones after the first 1000 (sorted: `packages/p1000`) were not evaluated — shorten the list',
    );
  });
});
