import { describe, expect, it } from '@jest/globals';
import { renderText, wrapLine } from '../../src/report/render-text.js';
import type { CheckReport, Report } from '../../src/report/types.js';

const entry = (overrides: Partial<CheckReport>): CheckReport => ({
  id: 'x',
  category: 'foundations',
  severity: 'medium',
  title: 'X',
  outcome: 'pass',
  score: 1,
  summary: 'fine',
  findings: [],
  remediation: 'Add X.',
  docs: 'checks/foundations/x.md',
  ...overrides,
});

const hostileName = '.github/workflows/evil\u001b[31mred\r.yml';
const report: Report = {
  schemaVersion: 1,
  tool: { name: 'shipready', version: '1.2.3' },
  target: { source: 'local', path: '/work/demo' },
  profile: 'service',
  profileReason: 'a Dockerfile',
  ecosystems: ['node'],
  score: 55,
  rating: 'poor',
  verdict: 'not-ready',
  coverage: { scored: 2, total: 2 },
  categories: [],
  checks: [
    entry({
      id: 'workflow-actions-pinned',
      category: 'workflows',
      severity: 'high',
      outcome: 'fail',
      score: 0,
      summary: `1 unpinned action in ${hostileName}`,
      findings: [{ message: 'uses foo/bar@main\u001b]0;pwned\u0007', path: hostileName, line: 3 }],
    }),
    entry({
      id: 'readme-has-quickstart',
      category: 'documentation',
      outcome: 'warn',
      score: 0.5,
      summary:
        'README.md: usage "A Simple Example" (line 21) and code blocks, but no install section; a library: add the one install command (npm install <name>, pip install <name>) so a newcomer can start',
    }),
  ],
  projects: [{ path: 'packages/\u001b[2Japi', ecosystems: ['node'], checks: [] }],
  warnings: [`${hostileName}: unreadable`],
};

describe('text report', () => {
  it('says the verdict in words', () => {
    expect(renderText(report, { color: false })).toContain(
      'Not ready for production: fix the critical and high failures below first.',
    );
    expect(renderText({ ...report, verdict: 'ready' }, { color: false })).toContain('Ready for production');
  });

  it('wraps every line to the width, continuation lines indented under the text', () => {
    const text = renderText(report, { color: false, width: 60 });
    // Only a single word longer than the room left (a long path) may overrun.
    const overruns = (line: string) => line.length > 60 && /\S \S/.test(line.trim());
    expect(text.split('\n').filter(overruns)).toEqual([]);
    const lines = text.split('\n');
    const start = lines.findIndex((line) => line.includes('readme-has-quickstart'));
    expect(lines[start + 1]).toMatch(/^ {36}\S/);
    // 100 columns by default: the long summary is not wrapped at 60.
    expect(
      renderText(report, { color: false })
        .split('\n')
        .some((line) => line.length > 60),
    ).toBe(true);
  });

  it('does not count colour codes as columns', () => {
    const text = renderText(report, { color: true, width: 60 });
    // eslint-disable-next-line no-control-regex -- stripping our own colour codes
    const plain = text.split('\n').map((line) => line.replace(/\u001b\[[0-9;]*m/g, ''));
    expect(plain.filter((line) => line.length > 60 && /\S \S/.test(line.trim()))).toEqual([]);
    expect(plain.join('\n')).toBe(renderText(report, { color: false, width: 60 }));
  });

  it('shows control characters and escapes in file names and repository text escaped, never obeyed', () => {
    const text = renderText(report, { color: false });
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text).toContain('.github/workflows/evil\\e[31mred\\x0d.yml:3');
    expect(text).toContain('uses foo/bar@main\\e]0;pwned\\x07');
    expect(text).toContain('Project packages/\\e[2Japi');
    expect(text).toContain('warning: .github/workflows/evil\\e[31mred\\x0d.yml: unreadable');
  });

  it('wrapLine keeps a word longer than the line whole', () => {
    expect(wrapLine(`ab ${'x'.repeat(30)} cd`, 10, 2)).toEqual(['ab', `  ${'x'.repeat(30)}`, '  cd']);
  });
});
