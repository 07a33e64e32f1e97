/**
 * The published texts of each scenario #7 names, compared exactly with the files beside this test. Regenerate with
 * `UPDATE_GOLDEN=1 NODE_OPTIONS=--experimental-vm-modules npx jest test/golden`, then read every changed line.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allChecks } from '../../checks/index.js';
import type { SimSettings } from '../simulator/index.js';
import { runChecks } from '../helpers/run-check.js';
import { compareWithGolden, publishedTexts, requestedAction, startScenario, type Scenario } from './harness.js';

const OWNER = 'acme';
const NAME = 'api';

/**
 * A TypeScript service that passes the whole catalog (test/fixtures/repos/golden-orders-api, 100/100 with these
 * settings): each scenario changes one thing, so its texts show that thing.
 */
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'repos', 'golden-orders-api');
const SETTINGS: SimSettings = {
  secretScanning: true,
  secretPushProtection: true,
  dependabotAlerts: true,
  privateVulnerabilityReporting: true,
  rulesets: {
    main: [
      { type: 'pull_request', parameters: { required_approving_review_count: 1 } },
      {
        type: 'required_status_checks',
        parameters: { required_status_checks: [{ context: 'test' }], strict_required_status_checks_policy: true },
      },
      { type: 'non_fast_forward' },
      { type: 'deletion' },
    ],
  },
};
const fixtureFile = (path: string) => readFileSync(join(FIXTURE, path), 'utf8');
const WORKFLOW = fixtureFile('.github/workflows/ci.yml');

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.close();
  scenario = undefined;
});

async function service(extra: Record<string, string> = {}): Promise<Scenario> {
  scenario = await startScenario({ owner: OWNER, name: NAME, fixture: FIXTURE, settings: SETTINGS });
  if (Object.keys(extra).length) scenario.sim.commit(scenario.fullName, { changes: extra });
  return scenario;
}

function expectGolden(name: string, current: Scenario): void {
  expect(compareWithGolden(name, publishedTexts(current))).toEqual([]);
  expect(current.sim.violations).toEqual([]);
}

describe('golden files of what shipready publishes', () => {
  it('regression PR: a pull_request_target workflow checks out the PR head', async () => {
    const current = await service();
    await current.openPull({
      branch: 'preview-deploy',
      changes: {
        '.github/workflows/preview.yml': [
          'name: preview',
          'on: pull_request_target',
          'permissions:',
          '  contents: read',
          'jobs:',
          '  preview:',
          '    runs-on: ubuntu-latest',
          '    timeout-minutes: 10',
          '    steps:',
          '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
          '        with:',
          '          ref: ${{ github.event.pull_request.head.sha }}',
          '      - run: npm ci && npm run build',
          '',
        ].join('\n'),
      },
    });
    expectGolden('regression-pr', current);
  });

  it('fix-only PR: adds what was missing', async () => {
    const current = await service();
    current.sim.commit(current.fullName, { changes: { 'SECURITY.md': null, LICENSE: null } });
    await current.openPull({
      branch: 'policies',
      changes: { 'SECURITY.md': fixtureFile('SECURITY.md'), LICENSE: fixtureFile('LICENSE') },
    });
    expectGolden('fix-only-pr', current);
  });

  it('config-loosening PR: turns failing checks off, lowers a severity, loosens the gate', async () => {
    const current = await service();
    current.sim.commit(current.fullName, {
      changes: { 'SECURITY.md': null, LICENSE: null, 'test/server.test.ts': null },
    });
    await current.openPull({
      branch: 'quiet',
      changes: {
        '.github/shipready.yml': [
          'checks:',
          '  security-policy-present: off',
          '  license-present: off',
          '  tests-present: low',
          'gate:',
          '  failOn: critical',
          '',
        ].join('\n'),
      },
    });
    expectGolden('config-loosening-pr', current);
  });

  it('new finding inside a check that already fails: an unpinned action beside old ones', async () => {
    const unpinned = WORKFLOW.replace(/actions\/checkout@\w+ # v4\.2\.2/g, 'actions/checkout@v4').replace(
      /actions\/setup-node@\w+ # v4\.1\.0/,
      'actions/setup-node@v4',
    );
    const current = await service({ '.github/workflows/ci.yml': unpinned });
    await current.openPull({
      branch: 'deploy',
      changes: {
        '.github/workflows/ci.yml': unpinned.replace(
          '      - run: npm test\n',
          '      - run: npm test\n      - uses: evil-corp/deploy-action@main\n',
        ),
      },
    });
    expectGolden('new-finding-in-failing-check', current);
  });

  it('push to the default branch that commits a .env with a live-looking key', async () => {
    const current = await service();
    const before = current.sim.head(current.fullName);
    await current.push(before, '0'.repeat(40));
    const after = current.sim.commit(current.fullName, {
      changes: { '.env': 'STRIPE_KEY=sk_live_51H8b2KJt7W9xYz3QmNpLrVsTuWxYz0123456789abcdef\n' },
    });
    await current.push(after, before);
    expectGolden('push-with-critical', current);
  });

  it('monorepo with 300+ findings across projects', async () => {
    const packages: Record<string, string> = {
      'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
      'package.json': '{"name":"mono","private":true,"scripts":{"test":"pnpm -r test"}}\n',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    };
    for (let index = 1; index <= 12; index += 1) {
      packages[`packages/pkg-${index}/package.json`] =
        `{"name":"@acme/pkg-${index}","version":"1.0.0","main":"index.js","dependencies":{"lodash":"^4.17.21"}}\n`;
      packages[`packages/pkg-${index}/index.js`] = 'module.exports = {};\n';
      packages[`packages/pkg-${index}/Dockerfile`] = 'FROM node:latest\nCOPY . .\nCMD ["node","index.js"]\n';
      for (let workflow = 1; workflow <= 2; workflow += 1)
        packages[`.github/workflows/pkg-${index}-${workflow}.yml`] =
          `on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n      - run: pnpm --filter @acme/pkg-${index} build\n`;
    }
    scenario = await startScenario({ owner: OWNER, name: 'mono', files: packages });
    await scenario.push(scenario.sim.head(scenario.fullName), '0'.repeat(40));
    expectGolden('monorepo-300-findings', scenario);
    // What the golden files must show, said as rules: the same engine on the same files finds 300+ findings.
    const local = await runChecks(allChecks, packages);
    const findings = [...local.checks, ...(local.projects ?? []).flatMap((project) => project.checks)].reduce(
      (sum, check) => sum + check.findings.length,
      0,
    );
    expect(findings).toBeGreaterThanOrEqual(300);
    const text = scenario.sim.repo(scenario.fullName).checkRuns[0].output.text ?? '';
    // Section headings (a remediation's example CHANGELOG has `###` lines of its own, inside a code fence).
    const headings = text.split('\n').filter((line) => /^### \S+ .* — `[a-z0-9-]+`/.test(line));
    const ids = headings.map((line) => /`([a-z0-9-]+)`/.exec(line)![1]);
    // One section and one "How to fix" per check, however many projects it fails in; none left empty.
    expect(new Set(ids).size).toBe(ids.length);
    expect(text.match(/<summary>How to fix<\/summary>/g)).toHaveLength(ids.length);
    expect(text).not.toMatch(/<details><summary>[^<]*<\/summary>\s*<\/details>/);
    // The cut note names every check it left out, and none it kept.
    const note = text.slice(text.indexOf('> ✂️'));
    const left = [...note.matchAll(/`([a-z0-9-]+)` \((critical|high|medium|low)\)/g)].map((match) => match[1]);
    expect(left.length).toBeGreaterThan(0);
    for (const id of left) expect(ids).not.toContain(id);
    expect(note).toContain(`This text details ${ids.length} checks`);
  });

  it('"File issues" click with issues.max: 5', async () => {
    const current = await service({
      '.github/shipready.yml': 'issues:\n  file: on-request\n  minSeverity: low\n  max: 5\n',
    });
    current.sim.commit(current.fullName, {
      changes: {
        LICENSE: null,
        'SECURITY.md': null,
        '.github/dependabot.yml': null,
        'test/server.test.ts': null,
        '.gitignore': null,
        '.env.example': null,
        'eslint.config.js': null,
        'CHANGELOG.md': null,
        'CONTRIBUTING.md': null,
        '.github/CODEOWNERS': null,
        'CODE_OF_CONDUCT.md': null,
      },
    });
    const sha = current.sim.head(current.fullName);
    await current.push(sha, '0'.repeat(40));
    const run = current.sim.repo(current.fullName).checkRuns.at(-1)!;
    await current.deliver('check_run', requestedAction(current, run.id, 'file-issues'));
    expectGolden('file-issues-click', current);
  });

  it('invalid config in a PR', async () => {
    const current = await service();
    await current.openPull({
      branch: 'bad-config',
      changes: {
        '.github/shipready.yml': [
          'checks:',
          '  test-present: off',
          '  license-present: sometimes',
          'gate:',
          '  failOn: urgent',
          '',
        ].join('\n'),
      },
    });
    expectGolden('invalid-config', current);
  });

  it('hostile file names and contents', async () => {
    const current = await service();
    await current.openPull({
      branch: 'hostile',
      changes: {
        '.github/workflows/<img src=x onerror=alert(1)>.yml': [
          'name: "@everyone ](javascript:alert(1))"',
          'on: push',
          'jobs:',
          '  __tests__:',
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: "@org/team-action@main"',
          '      - uses: docker-compose.*.yml/and-compose.*.yaml@main',
          '',
        ].join('\n'),
        '.env.production': 'SECRET=@everyone\n',
      },
    });
    expectGolden('hostile-file-names', current);
  });
});
