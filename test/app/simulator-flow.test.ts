/**
 * The real App (real GitHubSource, real catalog) against the GitHub API simulator over HTTP: the requests it makes
 * must match GitHub's OpenAPI description, and the writes are what the simulator records.
 */
import { describe, expect, it } from '@jest/globals';
import { appsClosedAfterEach } from '../helpers/in-process-app.js';
import { pullPayload, pushPayload, REPO, requestedActionPayload } from '../helpers/webhooks.js';

const files = {
  'README.md': '# api\n\nA small service.\n',
  'package.json': '{"name":"api","version":"1.0.0","scripts":{"test":"node --test"}}\n',
  '.gitignore': 'node_modules\n',
  Dockerfile: 'FROM node:20\nUSER node\nCMD ["node","index.js"]\n',
  '.github/shipready.yml': 'issues:\n  max: 2\n',
};

const startApp = appsClosedAfterEach();
const start = () => startApp({ repos: [{ owner: 'acme', name: 'api', files }] });

describe('the App against the simulator', () => {
  it('a push committing a .env is a regression against the commit before; "File issues" then completes that run', async () => {
    const { sim, receive } = await start();
    const before = sim.head(REPO);
    const after = sim.commit(REPO, { changes: { '.env': 'STRIPE_KEY=sk_live_0123456789abcdefghijklmn\n' } });
    await receive('push', pushPayload(after, before), 'sim-push');
    const runs = () => sim.repo(REPO).checkRuns.filter((run) => run.head_sha === after);
    expect(runs()).toHaveLength(1);
    const [run] = runs();
    expect(run.conclusion).toBe('failure');
    expect(run.output.title).toMatch(/regression/);
    expect(run.output.text).toMatch(/`no-committed-env-files` · critical · regression/);
    // The repository has failures shipready can fix (a security policy…): "Open fix PR" is offered beside filing.
    expect(run.actions.map((action) => action.identifier)).toEqual(['file-issues', 'open-fix-pr']);
    const annotations = run.annotations.length;

    // The click, as GitHub delivers it for that run.
    await receive('check_run', requestedActionPayload(run, 'file-issues'), 'sim-click');

    // Still one run on the commit, with its verdict, its annotations once, and no button.
    expect(runs()).toHaveLength(1);
    const [clicked] = runs();
    expect(clicked.id).toBe(run.id);
    expect(clicked.conclusion).toBe('failure');
    expect(clicked.actions.map((action) => action.identifier)).toEqual(['open-fix-pr']);
    expect(clicked.annotations).toHaveLength(annotations);
    const issues = [...sim.repo(REPO).issues.values()];
    expect(issues).toHaveLength(2);
    const summary = clicked.output.summary ?? '';
    expect(summary).toContain('shipready opened 2 issues:');
    for (const issue of issues)
      expect(summary).toContain(`[#${issue.number}](https://github.com/${REPO}/issues/${issue.number})`);
    expect(summary).toMatch(
      /\d+ more issues? (was|were) not opened: `issues\.max: 2` caps how many issues open per run/,
    );
    expect(summary).not.toContain('Use the **File issues** button');
    expect(sim.violations).toEqual([]);
  });

  it("a PR loosening the config is judged by main's rules, previewed, and its head is listed and read once", async () => {
    const { sim, receive } = await start();
    const base = sim.head(REPO);
    const head = sim.commit(REPO, {
      branch: 'loosen',
      changes: {
        '.github/shipready.yml': 'checks:\n  dockerfile-runs-as-non-root: off\ngate:\n  failOn: critical\n',
        Dockerfile: 'FROM node:20\nCMD ["node","index.js"]\n',
      },
    });
    const pull = sim.openPull(REPO, { head: 'loosen', base: 'main' });
    sim.resetCounts();
    await receive('pull_request', pullPayload({ number: pull.number, branch: 'loosen', head, base }), 'sim-pr');

    const [run] = sim.repo(REPO).checkRuns.filter((candidate) => candidate.head_sha === head);
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toContain('### Config changes');
    expect(run.output.summary).toMatch(
      /- turns off `dockerfile-runs-as-non-root`, passing on the base and failing in this PR; score \d+ → \d+ by leaving it out/,
    );
    expect(run.output.summary).toContain('- loosens the gate: `gate.failOn` `high` → `critical`');
    const comments = sim.repo(REPO).comments.filter((comment) => comment.issue_number === pull.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('### Config changes');
    // Two evaluations of the head (its own rules and main's), one listing and one read of its texts (the blobs are
    // asked for by id: the head's own Dockerfile blob names its query).
    const dockerfile = sim.objects.resolvePath(sim.objects.commits.get(head)!.tree, 'Dockerfile')!.sha;
    const trees = sim.requests.filter(
      (request) => request.route === '/repos/{owner}/{repo}/git/trees/{tree_sha}' && request.url.includes(head),
    );
    const texts = sim.requests.filter(
      (request) => request.route === '/graphql' && JSON.stringify(request.body ?? '').includes(dockerfile),
    );
    expect(trees).toHaveLength(1);
    expect(texts).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  });
});
