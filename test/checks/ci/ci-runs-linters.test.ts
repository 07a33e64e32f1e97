import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/ci/ci-runs-linters.js';
import { runCheck } from '../../helpers/run-check.js';

const pkg = JSON.stringify({ name: 'app', scripts: { check: 'eslint . && tsc --noEmit' } });
const workflow = (trigger: string, steps: string) =>
  `on: ${trigger}\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

describe('ci-runs-linters', () => {
  it('passes with ruff in a pull-request workflow', async () => {
    const report = await runCheck(check, {
      'pyproject.toml': '[project]\nname="x"\n',
      '.github/workflows/ci.yml': workflow('pull_request', '      - run: ruff check .\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.github/workflows/ci.yml:6');
  });

  it('passes with a lint action', async () => {
    const report = await runCheck(check, {
      'go.mod': 'module x\n',
      '.github/workflows/ci.yml': workflow('pull_request', '      - uses: golangci/golangci-lint-action@v6\n'),
    });
    expect(report.outcome).toBe('pass');
  });

  it('warns when the linter cannot fail the build', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow('pull_request', '      - run: npx eslint . || true\n'),
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: '.github/workflows/ci.yml', line: 6 });
  });

  it('fails when nothing lints', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow('pull_request', '      - run: npm test\n'),
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('eslint');
  });

  // The amended catalog: in a docs repository, Markdown, prose and link linters run by a PR workflow count.
  it('applies to a documentation repository and counts prose linters', async () => {
    const bare = await runCheck(check, { 'README.md': '# docs\n' }, { config: { profile: 'docs' } });
    expect(bare.outcome).toBe('fail');
    const linted = await runCheck(
      check,
      {
        'README.md': '# docs\n',
        '.github/workflows/lint.yml':
          'on: pull_request\njobs:\n  lint:\n    runs-on: x\n    steps:\n      - run: vale docs/\n      - run: npx remark --frail .\n',
      },
      { config: { profile: 'docs' } },
    );
    expect(linted.outcome).toBe('pass');
  });

  it('reports malformed workflows as findings', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': 'on: pull_request\njobs:\n  a: [\n',
    });
    expect(
      report.findings.some((finding) => finding.path === '.github/workflows/ci.yml' && finding.line !== undefined),
    ).toBe(true);
  });
});
