/**
 * End to end, the fixes: the simulator (a real HTTP GitHub, every request validated against GitHub's OpenAPI
 * description), the REAL App as a process (`node dist/src/app/server.js`) and signed webhook deliveries.
 * "Open fix PR" opens one pull request with the right files, a later push updates the same one, fixing the checks
 * by hand closes it; a pull request adding an unpinned action gets exactly one suggestion, gone once it pins it.
 * `SHIPREADY_E2E_NO_BUILD=1` skips the build when dist/ is fresh.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSimulator, type SimCheckRun, type Simulator } from '../simulator/index.js';
import { ensureBuilt, startAppProcess, waitFor as waitUntil, type AppProcess } from '../helpers/app-process.js';
import { completedRunOn } from '../helpers/simulator-queries.js';
import { deliver as deliverTo, pullPayload, pushPayload, REPO, requestedActionPayload } from '../helpers/webhooks.js';

const SECRET = 'e2e-fix-secret';
const BRANCH = 'shipready/fixes';

// Pinned, read-only, with a timeout: the workflow checks pass on main, so a PR's additions are what is suggested.
const CI = (checkout: string, extraJob = '') =>
  `name: ci\non: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - uses: actions/checkout@${checkout} # v4.2.2\n      - run: npm test\n${extraJob}`;
const files = (checkout: string) => ({
  'README.md': '# api\n\nA small service.\n',
  'package.json': '{"name":"api","version":"1.0.0","scripts":{"test":"node --test"}}\n',
  '.github/workflows/ci.yml': CI(checkout),
  // What is left to fix on main: the security policy and the .gitignore.
  '.github/shipready.yml': [
    'checks:',
    '  code-of-conduct-present: off',
    '  contributing-guide-present: off',
    '  contribution-templates-present: off',
    '  dependency-update-tool-configured: off',
    'issues:',
    '  file: auto',
    '  max: 30',
    '',
  ].join('\n'),
});

let sim: Simulator;
let app: AppProcess;
let deliveries = 0;
let checkoutSha = '';

async function deliver(event: string, payload: unknown): Promise<number> {
  deliveries += 1;
  return (await deliverTo(app.url, { event, payload, id: `e2e-fix-${deliveries}`, secret: SECRET })).status;
}

const pullRequest = (action: string, number: number, head: string, base: string) =>
  pullPayload({ action, number, branch: 'lint', head, base, updatedAt: new Date().toISOString() });
const clickPayload = (run: SimCheckRun) =>
  requestedActionPayload(run, 'open-fix-pr', { externalId: run.external_id ?? '' });

const waitFor = <T>(what: string, probe: () => T | undefined | false, timeoutMs = 90_000) =>
  waitUntil(what, probe, { timeoutMs, context: () => app.tail(40) });
const completedRun = (sha: string) => completedRunOn(sim, sha, { context: () => app.tail(40) });
const fixPulls = () => [...sim.repo(REPO).pulls.values()].filter((pull) => pull.head.ref === BRANCH);
const filesOf = (sha: string) => sim.objects.flatten(sim.objects.commits.get(sha)!.tree);
/** The paths a commit changes against another, with their texts. */
function changedFiles(sha: string, base: string): Record<string, string> {
  const ours = filesOf(sha);
  const theirs = filesOf(base);
  const changed: Record<string, string> = {};
  for (const [path, entry] of ours)
    if (theirs.get(path)?.sha !== entry.sha) changed[path] = sim.objects.blobs.get(entry.sha)!.toString('utf8');
  return changed;
}

beforeAll(async () => {
  ensureBuilt();
  sim = await startSimulator({
    repos: [{ owner: 'actions', name: 'checkout', files: { 'action.yml': 'name: checkout\n' } }],
  });
  checkoutSha = sim.tag('actions/checkout', 'v4');
  sim.tag('actions/checkout', 'v4.2.2');
  sim.addRepo({ owner: 'acme', name: 'api', files: files(checkoutSha) });
  app = await startAppProcess({ githubUrl: sim.url, secret: SECRET });
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await sim?.close();
});

describe('fixes end to end', () => {
  let main = '';

  it('"Open fix PR" opens one pull request from shipready/fixes with the right files', async () => {
    main = sim.head(REPO);
    expect(await deliver('push', pushPayload(main, '0'.repeat(40)))).toBe(200);
    const run = await completedRun(main);
    expect(run.actions.map((action) => action.identifier)).toContain('open-fix-pr');
    const issues = await waitFor('the remediation issue', () => {
      const found = [...sim.repo(REPO).issues.values()].filter((issue) =>
        issue.body?.includes('<!-- shipready:check=security-policy-present -->'),
      );
      return found.length > 0 && found;
    });
    expect(issues[0].body).toContain('Press **Open fix PR** on');

    expect(await deliver('check_run', clickPayload(run))).toBe(200);
    const [pull] = await waitFor('the fix pull request', () => fixPulls().length > 0 && fixPulls());
    expect(pull).toMatchObject({ state: 'open', base: { ref: 'main' }, user: { login: 'shipready[bot]' } });
    expect(sim.objects.commits.get(pull.head.sha)!.parents).toEqual([main]);
    const changed = changedFiles(pull.head.sha, main);
    expect(Object.keys(changed).sort()).toEqual(['.gitignore', 'SECURITY.md']);
    expect(changed['SECURITY.md']).toContain(`https://github.com/${REPO}/security/advisories/new`);
    expect(changed['.gitignore']).toContain('node_modules');
    expect(pull.body).toContain(`Resolves #${issues[0].number}`);
    expect(pull.body).toContain('`security-policy-present`');
    const clicked = await waitFor('the clicked run to say so', () => {
      const current = sim.repo(REPO).checkRuns.find((candidate) => candidate.id === run.id)!;
      return (current.output.summary ?? '').includes('Opened the fix pull request') && current;
    });
    expect(clicked.output.summary).toContain(`pull/${pull.number}`);
  }, 180_000);

  it('a later push to main updates the same pull request in place', async () => {
    const before = main;
    main = sim.commit(REPO, { changes: { 'docs/notes.md': 'notes\n' } });
    expect(await deliver('push', pushPayload(main, before))).toBe(200);
    await completedRun(main);
    const [pull] = await waitFor('the fix branch rebuilt on the new head', () => {
      const pulls = fixPulls();
      return pulls.length === 1 && sim.objects.commits.get(pulls[0].head.sha)!.parents[0] === main && pulls;
    });
    expect(pull.state).toBe('open');
    expect(Object.keys(changedFiles(pull.head.sha, main)).sort()).toEqual(['.gitignore', 'SECURITY.md']);
  }, 180_000);

  it('fixing the checks by hand closes it', async () => {
    const [pull] = fixPulls();
    const before = main;
    main = sim.commit(REPO, { changes: changedFiles(pull.head.sha, before) });
    expect(await deliver('push', pushPayload(main, before))).toBe(200);
    await completedRun(main);
    await waitFor('the fix pull request to close', () => fixPulls()[0].state === 'closed');
    expect(fixPulls()).toHaveLength(1);
    expect(sim.repo(REPO).branches.has(BRANCH)).toBe(false);
  }, 180_000);

  it('a PR adding an unpinned action gets exactly one suggestion, which disappears when the PR pins it', async () => {
    const lint = (ref: string) =>
      `  lint:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - uses: actions/checkout@${ref}\n      - run: npm run lint\n`;
    let head = sim.commit(REPO, {
      branch: 'lint',
      changes: { '.github/workflows/ci.yml': CI(checkoutSha, lint('v4')) },
    });
    const pull = sim.openPull(REPO, { head: 'lint', title: 'Lint in CI' });
    expect(await deliver('pull_request', pullRequest('opened', pull.number, head, main))).toBe(200);
    await completedRun(head);
    const reviewComments = () => sim.repo(REPO).reviewComments.filter((comment) => comment.pull_number === pull.number);
    const [suggestion] = await waitFor('the suggestion', () => reviewComments().length > 0 && reviewComments());
    expect(reviewComments()).toHaveLength(1);
    expect(suggestion).toMatchObject({ path: '.github/workflows/ci.yml', original_line: 16 });
    expect(suggestion.body).toContain(
      `\`\`\`suggestion\n      - uses: actions/checkout@${checkoutSha} # v4.2.2\n\`\`\``,
    );
    expect(sim.repo(REPO).reviews.filter((review) => review.pull_number === pull.number)).toHaveLength(1);

    // A re-delivery of the same head (edited) adds nothing.
    expect(await deliver('pull_request', pullRequest('edited', pull.number, head, main))).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await waitFor('every run completed', () => sim.repo(REPO).checkRuns.every((run) => run.status === 'completed'));
    expect(reviewComments()).toHaveLength(1);

    head = sim.commit(REPO, {
      branch: 'lint',
      changes: { '.github/workflows/ci.yml': CI(checkoutSha, lint(`${checkoutSha} # v4.2.2`)) },
    });
    expect(await deliver('pull_request', pullRequest('synchronize', pull.number, head, main))).toBe(200);
    await completedRun(head);
    await waitFor('the suggestion to go', () => reviewComments().length === 0);
    expect(sim.repo(REPO).reviews.filter((review) => review.pull_number === pull.number)).toHaveLength(1);
  }, 240_000);

  it('made no request that violates GitHub’s OpenAPI description', () => {
    expect(sim.violations).toEqual([]);
    expect(app.log()).not.toContain('fix suggestions could not be published');
    expect(app.log()).not.toContain('fix pull request could not be updated');
  });
});
