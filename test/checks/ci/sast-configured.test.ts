import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/ci/sast-configured.js';
import { runCheck } from '../../helpers/run-check.js';

const pkg = JSON.stringify({ name: 'app' });
const workflow = (steps: string) =>
  `on: pull_request\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

describe('sast-configured', () => {
  it('passes with a CodeQL workflow', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/codeql.yml': workflow(
        '      - uses: github/codeql-action/init@v3\n      - uses: github/codeql-action/analyze@v3\n',
      ),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.github/workflows/codeql.yml:6');
  });

  it.each([
    '      - run: semgrep ci\n',
    '      - run: bandit -r src -ll\n',
    '      - run: gosec ./...\n',
    '      - uses: SonarSource/sonarcloud-github-action@v2\n',
  ])('recognises %s', async (steps) => {
    const report = await runCheck(check, { 'package.json': pkg, '.github/workflows/sast.yml': workflow(steps) });
    expect(report.outcome).toBe('pass');
  });

  it('passes with CodeQL default setup', async () => {
    const report = await runCheck(
      check,
      { 'package.json': pkg },
      { settings: { codeScanningDefaultSetup: { status: 'ok', value: { configured: true, languages: ['python'] } } } },
    );
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('python');
  });

  it('does not count installing a tool without running it', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow('      - run: pip install bandit\n'),
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('Semgrep');
  });

  it('is not applicable to documentation repositories', async () => {
    const report = await runCheck(check, { 'README.md': '# docs\n' }, { config: { profile: 'docs' } });
    expect(report.outcome).toBe('not-applicable');
  });

  it('reports malformed workflows as findings', async () => {
    const report = await runCheck(check, { 'package.json': pkg, '.github/workflows/a.yml': 'on: [push\n' });
    expect(report.findings.some((finding) => finding.path === '.github/workflows/a.yml')).toBe(true);
  });
});
