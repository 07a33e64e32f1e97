/**
 * Concurrent evaluations of one repository share what they fetch: four cold PRs opened at once on the same base
 * make no more GraphQL blob queries than one PR alone, and list the base commit's tree once (the real App and
 * GitHubSource against the simulator, the requests counted by the simulator).
 */
import { describe, expect, it } from '@jest/globals';
import { appsClosedAfterEach } from '../helpers/in-process-app.js';
import { pullPayload, REPO } from '../helpers/webhooks.js';

const TREES = 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}';
const WORKFLOW = (index: number) =>
  `name: ci-${index}\non: [push]\npermissions: read-all\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n      - run: npm test -- --shard ${index}\n`;

/** 300 workflows and a few files every PR reads. */
function files(): Record<string, string> {
  const tree: Record<string, string> = {
    'README.md': '# api\n',
    'package.json': '{"name":"api","version":"1.0.0","scripts":{"test":"node --test"}}\n',
    Dockerfile: 'FROM node:20\nUSER node\nCMD ["node","index.js"]\n',
  };
  for (let index = 0; index < 300; index += 1) tree[`.github/workflows/ci-${index}.yml`] = WORKFLOW(index);
  return tree;
}

const startApp = appsClosedAfterEach();
const start = () => startApp({ repos: [{ owner: 'acme', name: 'api', files: files() }] });

/** `count` PRs on main, each adding a note of the same text (one blob), so every PR wants the same blobs, delivered at once. */
async function openPulls(count: number) {
  const { sim, app, probot } = await start();
  const base = sim.head(REPO);
  const pulls = Array.from({ length: count }, (_, index) => {
    sim.commit(REPO, { branch: `topic-${index}`, changes: { [`notes/${index}.txt`]: 'the same note in every PR\n' } });
    return sim.openPull(REPO, { head: `topic-${index}`, title: `Topic ${index}` });
  });
  sim.resetCounts();
  await Promise.all(
    pulls.map((pull, index) =>
      probot.receive({
        id: `pull-${index}`,
        name: 'pull_request',
        payload: pullPayload({ number: pull.number, branch: `topic-${index}`, head: pull.head.sha, base }),
      }),
    ),
  );
  await app.queue.onIdle();
  const runs = sim.repo(REPO).checkRuns;
  expect(runs).toHaveLength(count);
  expect(runs.every((run) => run.status === 'completed')).toBe(true);
  expect(sim.violations).toEqual([]);
  if (process.env.DEBUG_LOG)
    for (const r of sim.requests.filter((r) => r.route === '/graphql'))
      console.log(String(JSON.stringify(r.body)).slice(0, 600));
  return { graphql: sim.counts.graphql, trees: sim.counts.byRoute[TREES] ?? 0, base };
}

describe('concurrent evaluations of one repository', () => {
  it('four cold PRs at once make no more GraphQL blob queries than one, and list the shared base once', async () => {
    const one = await openPulls(1);
    expect(one.graphql).toBeGreaterThanOrEqual(1);
    const four = await openPulls(4);
    expect(four.graphql).toBe(one.graphql);
    // One listing per head, and the base commit's listed once for the four.
    expect(one.trees).toBe(2);
    expect(four.trees).toBe(5);
  }, 120_000);
});
