import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/foundations/readme-present.js';
import { runCheck } from '../../helpers/run-check.js';

const prose = (words: number) => Array.from({ length: words }, (_, index) => `word${index}`).join(' ');

describe('readme-present', () => {
  it('passes with a README.md of real content at the root', async () => {
    const report = await runCheck(check, { 'README.md': `# Title\n\n${prose(150)}\n` });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('README.md');
  });

  it('finds a lower-case readme in docs/', async () => {
    const report = await runCheck(check, { 'docs/readme.rst': prose(120) });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('docs/readme.rst');
  });

  it('fails without a README', async () => {
    const report = await runCheck(check, { 'src/index.js': 'export {}' });
    expect(report.outcome).toBe('fail');
    expect(report.score).toBe(0);
  });

  it('warns on a stub with only a title', async () => {
    const report = await runCheck(check, { 'README.md': '# my-project\n' });
    expect(report.outcome).toBe('warn');
    expect(report.summary).toMatch(/stub .*only a title/);
    expect(report.findings[0]).toMatchObject({ path: 'README.md', line: 1 });
  });

  it('warns, without crashing, on a binary README', async () => {
    const report = await runCheck(check, { 'README.md': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]) });
    expect(report.outcome).toBe('warn');
    expect(report.summary).toContain('binary');
  });
});
