/**
 * The fix pull request, through the App (in-process) against the simulator: "Open fix PR" on the default branch's
 * Check Run opens one pull request from `shipready/fixes` made through the Git Data API; later pushes update it in
 * place; fixing the checks by hand closes it; without `contents: write` the run says so and gives the CLI command.
 */
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { maintainFixPull } from '../../src/app/flow/fix-pull.js';
import { allChecks } from '../../checks/index.js';
import { configSchema } from '../../src/config/schema.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';
import { FIX_BRANCH } from '../../src/github/fix-pull.js';
import { appsClosedAfterEach } from '../helpers/in-process-app.js';
import { pushPayload, REPO, requestedActionPayload } from '../helpers/webhooks.js';

const CI =
  'name: ci\non: [push]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';
const files = {
  'README.md': '# api\n\nA small service.\n',
  'package.json': '{"name":"api","version":"1.0.0","scripts":{"test":"node --test"}}\n',
  '.gitignore': 'node_modules\n',
  '.github/workflows/ci.yml': CI,
  // Two fixable failures are enough: no security policy, a job without a timeout.
  '.github/shipready.yml': [
    'checks:',
    '  code-of-conduct-present: off',
    '  contributing-guide-present: off',
    '  contribution-templates-present: off',
    '  dependency-update-tool-configured: off',
    '',
  ].join('\n'),
};

const startApp = appsClosedAfterEach();
const start = () => startApp({ repos: [{ owner: 'acme', name: 'api', files }] });

describe('the fix pull request', () => {
  it('opens on the click, updates in place on the next push, and closes once the checks are fixed by hand', async () => {
    const { sim, receive } = await start();
    const first = sim.head(REPO);
    await receive('push', pushPayload(first));
    const run = sim.repo(REPO).checkRuns.find((candidate) => candidate.head_sha === first)!;
    expect(run.actions.map((action) => action.identifier)).toContain('open-fix-pr');
    expect(sim.repo(REPO).pulls.size).toBe(0);

    await receive('check_run', requestedActionPayload(run));
    const pulls = () => [...sim.repo(REPO).pulls.values()];
    expect(pulls()).toHaveLength(1);
    const [pull] = pulls();
    expect(pull).toMatchObject({ state: 'open', head: { ref: FIX_BRANCH }, base: { ref: 'main' } });
    expect(pull.body).toContain('score');
    expect(pull.body).toContain('`security-policy-present`');
    const branchFiles = (sha: string) => sim.objects.flatten(sim.objects.commits.get(sha)!.tree);
    const changed = (sha: string, base: string) => {
      const ours = branchFiles(sha);
      const theirs = branchFiles(base);
      return [...ours.keys()].filter((path) => ours.get(path)?.sha !== theirs.get(path)?.sha).sort();
    };
    let fixSha = sim.head(REPO, FIX_BRANCH);
    expect(sim.objects.commits.get(fixSha)!.parents).toEqual([first]);
    expect(changed(fixSha, first)).toEqual(['.github/workflows/ci.yml', 'SECURITY.md']);
    const clicked = sim.repo(REPO).checkRuns.find((candidate) => candidate.id === run.id)!;
    expect(clicked.output.summary ?? '').toContain(
      `Opened the fix pull request \\#${pull.number} (https://github.com/${REPO}/pull/${pull.number})`,
    );

    // A push to main: the same pull request, its branch rebuilt on the new head.
    const second = sim.commit(REPO, { changes: { 'docs/notes.md': 'notes\n' } });
    await receive('push', pushPayload(second, first));
    expect(pulls()).toHaveLength(1);
    fixSha = sim.head(REPO, FIX_BRANCH);
    expect(sim.objects.commits.get(fixSha)!.parents).toEqual([second]);
    expect(changed(fixSha, second)).toEqual(['.github/workflows/ci.yml', 'SECURITY.md']);

    // The same commit evaluated again writes nothing to the branch or the pull request.
    sim.resetCounts();
    await receive('check_run', requestedActionPayload({ id: run.id, head_sha: second }));
    expect(sim.head(REPO, FIX_BRANCH)).toBe(fixSha);
    expect(sim.requests.filter((request) => request.route?.includes('/git/') && request.method !== 'GET')).toEqual([]);

    // Someone fixes both checks by hand: nothing is left, the pull request is closed and its branch deleted.
    const fixedText = (path: string) => sim.objects.blobs.get(branchFiles(fixSha).get(path)!.sha)!.toString();
    const third = sim.commit(REPO, {
      changes: {
        'SECURITY.md': fixedText('SECURITY.md'),
        '.github/workflows/ci.yml': fixedText('.github/workflows/ci.yml'),
      },
    });
    await receive('push', pushPayload(third, second));
    expect(pulls()[0].state).toBe('closed');
    expect(sim.repo(REPO).branches.has(FIX_BRANCH)).toBe(false);
    const last = sim.repo(REPO).checkRuns.find((candidate) => candidate.head_sha === third)!;
    expect(last.output.summary ?? '').toContain(
      `Closed the fix pull request \\#${pull.number} (https://github.com/${REPO}/pull/${pull.number})`,
    );
    expect(sim.violations).toEqual([]);
  });

  it('without contents: write the click says which permission is missing and gives the CLI command', async () => {
    const { sim, receive } = await start();
    const head = sim.head(REPO);
    await receive('push', pushPayload(head));
    const run = sim.repo(REPO).checkRuns.find((candidate) => candidate.head_sha === head)!;
    sim.failNext({
      path: '/git/blobs',
      status: 403,
      times: Infinity,
      message: 'Resource not accessible by integration',
    });
    await receive('check_run', requestedActionPayload(run));
    const clicked = sim.repo(REPO).checkRuns.find((candidate) => candidate.id === run.id)!;
    expect(clicked.output.summary ?? '').toContain('needs the `contents: write` permission');
    expect(clicked.output.summary ?? '').toContain('`npx shipready fix --yes`');
    expect(sim.repo(REPO).pulls.size).toBe(0);
    expect(sim.violations).toEqual([]);
  });
});

describe('maintainFixPull', () => {
  it('offers the CLI instead of planning on a tree too large for the App, without a request', async () => {
    const source = new MemorySource({ 'README.md': '# x\n', 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const requests: string[] = [];
    const octokit = {
      request: async (route: string) => {
        requests.push(route);
        throw new Error('no request expected');
      },
    } as never;
    const step = await maintainFixPull({
      octokit,
      target: {
        owner: 'acme',
        repo: 'api',
        defaultBranch: 'main',
        headSha: 'a'.repeat(40),
        ref: 'main',
        isDefaultBranch: true,
        fixPull: 'open',
      },
      head: { checks: [], projects: [] } as never,
      source,
      config: configSchema.parse({}),
      checks: allChecks,
      guard: () => {},
      log: pino({ level: 'silent' }),
      maxFiles: 2,
    });
    expect(step.note).toBe(
      'The repository has 3 files, too many to prepare the fix pull request inside the App; run `npx shipready fix --yes` in a checkout instead.',
    );
    expect(requests).toEqual([]);
  });
});
