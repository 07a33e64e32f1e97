import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/foundations/gitignore-present.js';
import { runCheck } from '../../helpers/run-check.js';

describe('gitignore-present', () => {
  it('passes with a root .gitignore', async () => {
    const report = await runCheck(check, { '.gitignore': 'node_modules/\n' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('.gitignore at the root');
  });

  it('fails when only sub-directories have one', async () => {
    const report = await runCheck(check, { 'web/.gitignore': 'dist/\n', 'README.md': '# x' });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toContain('1 .gitignore file(s) in sub-directories');
  });

  it('fails on a repository without one', async () => {
    const report = await runCheck(check, { 'main.go': 'package main' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('add .gitignore');
  });

  it('accepts a symlinked .gitignore, and a binary one does not crash it', async () => {
    expect(
      (await runCheck(check, { '.gitignore': { content: 'shared/gitignore', kind: 'symlink' } })).summary,
    ).toContain('symlink');
    expect((await runCheck(check, { '.gitignore': new Uint8Array([0, 1, 2]) })).outcome).toBe('pass');
  });

  it('is not applicable when turned off', async () => {
    const report = await runCheck(check, {}, { config: { checks: { 'gitignore-present': 'off' } } });
    expect(report.outcome).toBe('not-applicable');
  });
});
