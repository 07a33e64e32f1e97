import { describe, expect, it } from '@jest/globals';
import {
  expandMatrix,
  getWorkflows,
  parseActionText,
  parseWorkflowText,
  walkJobSteps,
  type StepVisit,
} from '../../src/parsers/workflows.js';
import { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { FileText, TreeEntry } from '../../src/snapshot/types.js';

function snapshotOf(files: Record<string, string>): RepoSnapshot {
  const entries: TreeEntry[] = Object.entries(files).map(([path, text]) => ({
    path,
    kind: 'file',
    size: text.length,
    mode: '100644',
  }));
  const texts = new Map<string, FileText>(
    Object.entries(files).map(([path, text]) => [
      path,
      { path, text, binary: false, truncated: false, size: text.length },
    ]),
  );
  return new RepoSnapshot({ source: 'local', entries, files: texts });
}

const CI = [
  'name: CI', // 1
  'on:', // 2
  '  push:', // 3
  '    branches: [main]', // 4
  '  pull_request:', // 5
  'permissions:', // 6
  '  contents: read', // 7
  'jobs:', // 8
  '  test:', // 9
  '    runs-on: ${{ matrix.os }}', // 10
  '    timeout-minutes: 15', // 11
  '    strategy:', // 12
  '      matrix:', // 13
  '        os: [ubuntu-latest, windows-latest]', // 14
  '        include:', // 15
  '          - command: npm test', // 16
  '    steps:', // 17
  '      - uses: actions/checkout@v4', // 18
  '      - name: Test', // 19
  '        run: |', // 20
  '          npm ci', // 21
  '', // 22
  '          ${{ matrix.command }} || true', // 23
  '        continue-on-error: true', // 24
  '      - run: "echo one"', // 25
  '  call:', // 26
  '    uses: ./.github/workflows/reusable.yml', // 27
  '',
].join('\n');

describe('parseWorkflowText', () => {
  const { value: workflow, problems } = parseWorkflowText('.github/workflows/ci.yml', CI);

  it('parses triggers, permissions and jobs with their lines', () => {
    expect(problems).toEqual([]);
    expect(workflow?.name).toBe('CI');
    expect(workflow?.triggers.map((trigger) => [trigger.event, trigger.line])).toEqual([
      ['push', 3],
      ['pull_request', 5],
    ]);
    expect(workflow?.triggers[0].config).toEqual({ branches: ['main'] });
    expect(workflow?.permissions).toEqual({
      line: 6,
      kind: 'scopes',
      scopes: { contents: { value: 'read', line: 7 } },
    });
    expect(workflow?.jobs.map((job) => [job.id, job.line])).toEqual([
      ['test', 9],
      ['call', 26],
    ]);
    expect(workflow?.jobs[0].timeoutMinutes).toEqual({ value: 15, line: 11 });
    expect(workflow?.jobs[1].uses).toEqual({ value: './.github/workflows/reusable.yml', line: 27 });
  });

  it('maps every line of a multi-line run block to its file line', () => {
    const step = workflow!.jobs[0].steps[1];
    expect(step.line).toBe(19);
    expect(step.run?.line).toBe(20);
    expect(step.run?.lines).toEqual([
      { text: 'npm ci', line: 21 },
      { text: '', line: 22 },
      { text: '${{ matrix.command }} || true', line: 23 },
    ]);
    expect(step.continueOnError).toBe(true);
    expect(step.continueOnErrorLine).toBe(24);
    expect(workflow!.jobs[0].steps[2].run?.lines).toEqual([{ text: 'echo one', line: 25 }]);
    expect(workflow!.jobs[0].steps[0].uses).toEqual({ value: 'actions/checkout@v4', line: 18 });
  });

  it('collects matrix values and expands matrix references', () => {
    const job = workflow!.jobs[0];
    expect(job.hasMatrix).toBe(true);
    expect(job.matrix).toEqual({ os: ['ubuntu-latest', 'windows-latest'], command: ['npm test'] });
    expect(expandMatrix('${{ matrix.command }} -- --ci', job)).toEqual(['npm test -- --ci']);
    expect(expandMatrix('echo plain', job)).toEqual(['echo plain']);
  });

  it('accepts on: as a string and as a list', () => {
    expect(parseWorkflowText('w.yml', 'on: push\njobs: {}\n').value?.triggers).toEqual([
      { event: 'push', line: 1, config: null },
    ]);
    expect(
      parseWorkflowText('w.yml', 'on: [push, pull_request]\njobs: {}\n').value?.triggers.map(
        (trigger) => trigger.event,
      ),
    ).toEqual(['push', 'pull_request']);
  });

  it('recognises read-all, write-all, {} and expressions as permissions', () => {
    expect(parseWorkflowText('w.yml', 'on: push\npermissions: write-all\njobs: {}\n').value?.permissions).toEqual({
      line: 2,
      kind: 'write-all',
      scopes: {},
    });
    expect(parseWorkflowText('w.yml', 'on: push\npermissions: {}\njobs: {}\n').value?.permissions?.kind).toBe('none');
    expect(parseWorkflowText('w.yml', 'on: push\npermissions: ${{ x }}\njobs: {}\n').value?.permissions?.kind).toBe(
      'expression',
    );
  });

  it('reports malformed YAML as a problem with its line instead of throwing', () => {
    const parsed = parseWorkflowText(
      '.github/workflows/bad.yml',
      'on: push\njobs:\n  a:\n    steps: [\n      - run: x\n',
    );
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0].message).toMatch(/not valid YAML/);
    expect(parsed.problems[0].line).toBeGreaterThan(1);
  });

  it('reports structural problems and keeps the rest', () => {
    const parsed = parseWorkflowText(
      'w.yml',
      'on: push\njobs:\n  a: 3\n  b:\n    runs-on: x\n    steps:\n      - run: ok\n',
    );
    expect(parsed.problems.map((problem) => [problem.message, problem.line])).toEqual([
      ['job `a` is not a mapping', 3],
    ]);
    expect(parsed.value?.jobs[1].steps[0].run?.value).toBe('ok');
    expect(parseWorkflowText('w.yml', '- a\n- b\n').problems[0].message).toMatch(/top level is not a mapping/);
  });

  it('keeps lines of quoted multi-line scalars and folded blocks', () => {
    const parsed = parseWorkflowText(
      'w.yml',
      'on: push\njobs:\n  a:\n    steps:\n      - run: >\n          echo a\n          echo b\n      - run: "echo c\n          echo d"\n',
    );
    expect(parsed.value?.jobs[0].steps[0].run?.lines).toEqual([
      { text: 'echo a', line: 6 },
      { text: 'echo b', line: 7 },
    ]);
    expect(parsed.value?.jobs[0].steps[1].run?.lines).toEqual([
      { text: 'echo c', line: 8 },
      { text: 'echo d', line: 9 },
    ]);
  });
});

describe('getWorkflows and walkJobSteps', () => {
  const files = {
    '.github/workflows/ci.yml': CI,
    '.github/workflows/reusable.yml':
      'on:\n  workflow_call:\njobs:\n  inner:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/setup\n',
    '.github/actions/setup/action.yml':
      'name: setup\nruns:\n  using: composite\n  steps:\n    - run: make test\n      shell: bash\n',
    '.github/workflows/broken.yaml': 'on: [push\n',
    'node_modules/x/action.yml': 'runs:\n  using: node20\n',
    'test/fixtures/broken/action.yml': 'runs: [\n',
  };
  const snapshot = snapshotOf(files);
  const model = getWorkflows(snapshot);

  it('parses every workflow and local action once, and records broken files as problems', () => {
    expect(model.workflows.map((workflow) => workflow.path)).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/reusable.yml',
    ]);
    expect(model.actions.map((action) => [action.directory, action.using?.value])).toEqual([
      ['.github/actions/setup', 'composite'],
    ]);
    expect(model.problems.map((problem) => problem.path)).toEqual(['.github/workflows/broken.yaml']);
    expect(getWorkflows(snapshot)).toBe(model);
  });

  it('follows local reusable workflows and composite actions, carrying the via chain', () => {
    const workflow = model.workflows[0];
    const visits: StepVisit[] = [];
    walkJobSteps(model, workflow, workflow.jobs[1], (visit) => visits.push(visit));
    expect(
      visits.map((visit) => [visit.path, visit.step.line, visit.via.map((hop) => `${hop.path}:${hop.line}`)]),
    ).toEqual([
      ['.github/workflows/reusable.yml', 7, ['.github/workflows/ci.yml:27']],
      ['.github/actions/setup/action.yml', 5, ['.github/workflows/ci.yml:27', '.github/workflows/reusable.yml:7']],
    ]);
    expect(visits[1].step.run?.lines).toEqual([{ text: 'make test', line: 5 }]);
  });

  it('marks steps under continue-on-error as non-blocking', () => {
    const workflow = model.workflows[0];
    const visits: StepVisit[] = [];
    walkJobSteps(model, workflow, workflow.jobs[0], (visit) => visits.push(visit));
    expect(visits.map((visit) => visit.nonBlocking)).toEqual([false, true, false]);
    expect(visits[1].nonBlockingAt).toEqual({ path: '.github/workflows/ci.yml', line: 24 });
  });
});

describe('parseActionText', () => {
  it('reads docker actions and their image', () => {
    const parsed = parseActionText('action.yml', "name: x\nruns:\n  using: docker\n  image: 'docker://alpine:3'\n");
    expect(parsed.value).toMatchObject({
      directory: '',
      using: { value: 'docker', line: 3 },
      image: { value: 'docker://alpine:3', line: 4 },
    });
  });
});
