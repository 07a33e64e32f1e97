import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/ci/ci-runs-tests-on-pull-requests.js';
import { runCheck } from '../../helpers/run-check.js';

const pkg = JSON.stringify({ name: 'app', scripts: { test: 'jest', ci: 'npm run lint && jest --ci' } });
const workflow = (trigger: string, steps: string, jobExtra = '') =>
  `on: ${trigger}\njobs:\n  test:\n    runs-on: ubuntu-latest\n${jobExtra}    steps:\n      - uses: actions/checkout@v4\n${steps}`;

describe('ci-runs-tests-on-pull-requests', () => {
  it('passes when a pull_request workflow runs the tests, naming the line', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow('[pull_request]', '      - run: npm ci\n      - run: npm test\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.github/workflows/ci.yml:8');
  });

  it('finds the test line inside a multi-line run block', async () => {
    const steps =
      '      - name: test\n        run: |\n          pip install -e .[dev]\n          python -m pytest -q\n';
    const report = await runCheck(check, {
      'pyproject.toml': '[project]\nname = "x"\n',
      '.github/workflows/ci.yml': workflow('pull_request', steps),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('python -m pytest -q');
    expect(report.summary).toContain('.github/workflows/ci.yml:10');
  });

  it('resolves npm scripts: `npm run ci` runs jest', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow('pull_request', '      - run: npm run ci\n'),
    });
    expect(report.outcome).toBe('pass');
  });

  it('follows a local reusable workflow into a composite action', async () => {
    const report = await runCheck(check, {
      'go.mod': 'module x\n',
      '.github/workflows/pr.yml': 'on: pull_request\njobs:\n  call:\n    uses: ./.github/workflows/test.yml\n',
      '.github/workflows/test.yml':
        'on: workflow_call\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/go-test\n',
      '.github/actions/go-test/action.yml':
        'runs:\n  using: composite\n  steps:\n    - run: go test ./...\n      shell: bash\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.github/actions/go-test/action.yml:4');
    expect(report.summary).toContain('via .github/workflows/pr.yml:4');
  });

  it('substitutes matrix values into run commands', async () => {
    const jobExtra = '    strategy:\n      matrix:\n        include:\n          - task: cargo test --all\n';
    const report = await runCheck(check, {
      'Cargo.toml': '[package]\nname="x"\n',
      '.github/workflows/ci.yml': workflow('pull_request', '      - run: ${{ matrix.task }}\n', jobExtra),
    });
    expect(report.outcome).toBe('pass');
  });

  it('warns, annotating the step, when the test step has continue-on-error: true', async () => {
    const steps = '      - run: npm test\n        continue-on-error: true\n';
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow('pull_request', steps),
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: '.github/workflows/ci.yml', line: 7 });
    expect(report.findings[0].message).toContain('continue-on-error');
  });

  it('warns when the job has continue-on-error or the command ends in || true', async () => {
    const job = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow('pull_request', '      - run: npm test\n', '    continue-on-error: true\n'),
    });
    expect(job.outcome).toBe('warn');
    const orTrue = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow(
        'pull_request',
        '      - run: |\n          npm ci\n          npm test || true\n',
      ),
    });
    expect(orTrue.outcome).toBe('warn');
    expect(orTrue.findings[0]).toMatchObject({ line: 9 });
    expect(orTrue.findings[0].message).toContain('|| true');
  });

  it('warns when tests run on push only, pointing at the triggers', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow('push', '      - run: npm test\n'),
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: '.github/workflows/ci.yml', line: 1 });
  });

  it('fails when the pull-request workflow only builds', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow('pull_request', '      - run: npm run build\n'),
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0]).toMatchObject({ path: '.github/workflows/ci.yml', line: 1 });
    expect(report.findings[0].message).toContain('pytest');
  });

  it('does not count the npm placeholder test script', async () => {
    const placeholder = JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } });
    const report = await runCheck(check, {
      'package.json': placeholder,
      '.github/workflows/ci.yml': workflow('pull_request', '      - run: npm test\n'),
    });
    expect(report.outcome).toBe('fail');
  });

  it('counts well-known test actions', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/e2e.yml': workflow('pull_request', '      - uses: cypress-io/github-action@v6\n'),
    });
    expect(report.outcome).toBe('pass');
  });

  it('falls back to other CI systems', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.gitlab-ci.yml': 'test:\n  script:\n    - npm ci\n    - npm test\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.gitlab-ci.yml:4');
  });

  it('is not applicable to a documentation repository', async () => {
    const report = await runCheck(check, { 'README.md': '# docs\n' }, { config: { profile: 'docs' } });
    expect(report.outcome).toBe('not-applicable');
  });

  it('reports malformed workflows as findings', async () => {
    const report = await runCheck(check, { 'package.json': pkg, '.github/workflows/ci.yml': 'on: [pull_request\n' });
    expect(report.outcome).toBe('fail');
    expect(
      report.findings.some(
        (finding) => finding.path === '.github/workflows/ci.yml' && /not valid YAML/.test(finding.message),
      ),
    ).toBe(true);
  });
});

describe('ci-runs-tests-on-pull-requests trigger types', () => {
  it('does not count a pull_request workflow that runs only when the pull request is closed', async () => {
    const text =
      'on:\n  pull_request:\n    types: [closed]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: npm test\n';
    const report = await runCheck(check, {
      'package.json': '{"scripts":{"test":"jest"}}',
      '.github/workflows/after.yml': text,
    });
    expect(report.outcome).toBe('warn');
    expect(report.summary).toContain('not on pull requests');
  });

  it('counts pull_request with synchronize among its types', async () => {
    const text =
      'on:\n  pull_request:\n    types: [opened, synchronize]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: npm test\n';
    const report = await runCheck(check, {
      'package.json': '{"scripts":{"test":"jest"}}',
      '.github/workflows/ci.yml': text,
    });
    expect(report.outcome).toBe('pass');
  });
});
