import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/workflows/workflow-triggers-safe.js';
import { runCheck } from '../../helpers/run-check.js';

describe('workflow-triggers-safe', () => {
  it('passes when untrusted values go through env and only safe contexts are interpolated', async () => {
    const text = [
      'on: pull_request',
      'jobs:',
      '  a:',
      '    runs-on: x',
      '    steps:',
      '      - env:',
      '          TITLE: ${{ github.event.pull_request.title }}',
      '        run: |',
      '          echo "$TITLE"',
      '          echo "PR ${{ github.event.pull_request.number }} at ${{ github.event.pull_request.head.sha }}"',
      "      - if: contains(github.event.pull_request.body, 'x')",
      '        run: echo ok',
      '',
    ].join('\n');
    const report = await runCheck(check, { '.github/workflows/ci.yml': text });
    expect(report.outcome).toBe('pass');
  });

  it('flags each interpolated untrusted line, inside multi-line run blocks too', async () => {
    const text = [
      'on: [issues, issue_comment]', // 1
      'jobs:', // 2
      '  triage:', // 3
      '    runs-on: x', // 4
      '    steps:', // 5
      '      - run: |', // 6
      '          echo start', // 7
      '          echo "${{ github.event.issue.title }}"', // 8
      '          echo "${{ github.event.comment.body }}" > c.txt', // 9
      '      - run: echo "${{ github.head_ref }}"', // 10
      '      - uses: actions/github-script@v7', // 11
      '        with:', // 12
      '          script: |', // 13
      '            const labels = "${{ join(github.event.issue.labels.*.name) }}"', // 14
      '',
    ].join('\n');
    const report = await runCheck(check, { '.github/workflows/triage.yml': text });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => finding.line)).toEqual([8, 9, 10, 14]);
    expect(report.findings[0].message).toContain('github.event.issue.title');
  });

  it('flags a pull_request_target job that checks out the head, through a reusable workflow too', async () => {
    const target = [
      'on: pull_request_target', // 1
      'jobs:', // 2
      '  build:', // 3
      '    runs-on: x', // 4
      '    steps:', // 5
      '      - uses: actions/checkout@v4', // 6
      '        with:', // 7
      '          ref: ${{ github.event.pull_request.head.sha }}', // 8
      '      - run: npm ci && npm test', // 9
      '  reuse:', // 10
      '    uses: ./.github/workflows/build.yml', // 11
      '',
    ].join('\n');
    const reusable =
      'on: workflow_call\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: gh pr checkout ${{ github.event.pull_request.number }}\n';
    const report = await runCheck(check, {
      '.github/workflows/target.yml': target,
      '.github/workflows/build.yml': reusable,
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => `${finding.path}:${finding.line}`)).toEqual([
      '.github/workflows/build.yml:6',
      '.github/workflows/target.yml:8',
    ]);
    expect(report.findings[1].message).toContain('pull_request_target');
  });

  it('flags untrusted interpolation in local composite actions', async () => {
    const report = await runCheck(check, {
      'action.yml':
        'runs:\n  using: composite\n  steps:\n    - run: echo "${{ github.event.head_commit.message }}"\n      shell: bash\n',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: 'action.yml', line: 4 });
  });

  it('is not applicable without workflows', async () => {
    expect((await runCheck(check, { 'README.md': '# x' })).outcome).toBe('not-applicable');
  });

  it('reports malformed workflows as findings', async () => {
    const report = await runCheck(check, { '.github/workflows/bad.yml': 'on: [\n' });
    expect(report.findings[0].path).toBe('.github/workflows/bad.yml');
    expect(report.outcome).toBe('warn');
  });
});
