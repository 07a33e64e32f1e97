import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/workflows/workflow-triggers-safe.js';
import { runCheck } from '../../helpers/run-check.js';

// The shape of a real labeller/release workflow: `pull_request_target` that never builds the PR, interpolating only
// values the base repository controls.
describe('workflow-triggers-safe: trusted contexts', () => {
  it('passes a pull_request_target workflow that interpolates only trusted values and checks out the base', async () => {
    const workflow = [
      'name: label',
      'on:',
      '  pull_request_target:',
      '    types: [opened, synchronize]',
      '  push:',
      '    branches: [main]',
      'permissions: {}',
      'jobs:',
      '  label:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          ref: ${{ github.event.repository.default_branch }}',
      '      - id: meta',
      '        run: echo "dir=${{ runner.temp }}/out" >> "$GITHUB_OUTPUT"',
      '      - run: |',
      '          git fetch origin ${{ github.event.repository.default_branch }}',
      '          echo "base ${{ github.event.repository.default_branch }} in ${{ steps.meta.outputs.dir }}"',
      '          echo "pr ${{ github.event.pull_request.number }} sha ${{ github.event.pull_request.head.sha }}"',
      '  tag:',
      "    if: github.event_name == 'push'",
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "tagging ${{ github.ref_name }} of ${{ github.repository }}"',
      '',
    ].join('\n');
    const report = await runCheck(check, { '.github/workflows/label.yml': workflow });
    expect(report.findings).toEqual([]);
    expect(report.outcome).toBe('pass');
  });

  it('still flags the head repository’s default branch, which the fork’s owner names', async () => {
    const workflow = [
      'on: pull_request_target',
      'jobs:',
      '  a:',
      '    runs-on: x',
      '    steps:',
      '      - run: echo "${{ github.event.pull_request.head.repo.default_branch }}"',
      '',
    ].join('\n');
    const report = await runCheck(check, { '.github/workflows/a.yml': workflow });
    expect(report.outcome).toBe('fail');
    expect(report.findings.map((finding) => finding.line)).toEqual([6]);
  });
});
