import { describe, expect, it } from '@jest/globals';
import { getWorkflows, parseWorkflowText, WORKFLOW_BUDGETS } from '../../src/parsers/workflows.js';
import { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { FileText, TreeEntry } from '../../src/snapshot/types.js';

function snapshotOf(files: Record<string, string>): RepoSnapshot {
  const entries: TreeEntry[] = Object.keys(files)
    .sort()
    .map((path) => ({ path, kind: 'file', size: files[path].length, mode: '100644' }));
  const texts = new Map<string, FileText>(
    Object.entries(files).map(([path, text]) => [
      path,
      { path, text, binary: false, truncated: false, size: text.length },
    ]),
  );
  return new RepoSnapshot({ source: 'local', entries, files: texts });
}

describe('workflow model budgets', () => {
  it('models at most the job budget per workflow and says what it left out', () => {
    const jobs = Array.from(
      { length: WORKFLOW_BUDGETS.jobsPerWorkflow + 100 },
      (_, index) => `  j${index}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${index}`,
    );
    const parsed = parseWorkflowText('.github/workflows/many.yml', `on: push\njobs:\n${jobs.join('\n')}\n`);
    expect(parsed.value?.kind === 'workflow' && parsed.value.jobs.length).toBe(WORKFLOW_BUDGETS.jobsPerWorkflow);
    expect(parsed.problems.map((problem) => problem.message)).toContain(
      `.github/workflows/many.yml: jobs: ${WORKFLOW_BUDGETS.jobsPerWorkflow + 100}, only the first ${WORKFLOW_BUDGETS.jobsPerWorkflow} modelled`,
    );
  });

  it('models at most the step budget per job', () => {
    const steps = Array.from({ length: WORKFLOW_BUDGETS.stepsPerJob + 5 }, (_, index) => `      - run: echo ${index}`);
    const parsed = parseWorkflowText(
      '.github/workflows/long.yml',
      `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps.join('\n')}\n`,
    );
    expect(parsed.value?.kind === 'workflow' && parsed.value.jobs[0].steps.length).toBe(WORKFLOW_BUDGETS.stepsPerJob);
    expect(parsed.problems.some((problem) => problem.message.startsWith('job `build`: steps:'))).toBe(true);
  });

  it('models at most the file budget and names the first file left out', () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < WORKFLOW_BUDGETS.files + 3; index += 1)
      files[`.github/workflows/w${String(index).padStart(5, '0')}.yml`] =
        'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: "true"\n';
    const model = getWorkflows(snapshotOf(files));
    expect(model.workflows).toHaveLength(WORKFLOW_BUDGETS.files);
    expect(model.problems.map((problem) => problem.message)).toContain(
      `more than ${WORKFLOW_BUDGETS.files} workflow and action files: .github/workflows/w0${WORKFLOW_BUDGETS.files}.yml and the rest were not modelled`,
    );
  });
});
