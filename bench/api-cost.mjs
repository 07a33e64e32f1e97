#!/usr/bin/env node
/**
 * API cost of one pull request evaluation, counted by the GitHub simulator (test/simulator): cold (a fresh
 * process: no blob cache, no base report) and warm (the next `synchronize`, which changes one file).
 * Writes bench/api-cost.md.
 *
 *   node bench/api-cost.mjs            (compiles the simulator and the App into bench/out/api-cost-build first)
 *
 * The App runs in this process on the real GitHubSource, with Probot's throttling off (it changes when requests
 * are sent, not how many).
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', 'out');
const build = join(out, 'api-cost-build');
mkdirSync(out, { recursive: true });

// 1. Compile only what the bench imports (the simulator is TypeScript); the output stays inside the project so
//    that node_modules resolve.
const tsconfig = join(out, 'tsconfig.api-cost.json');
writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: '../../tsconfig.json',
    compilerOptions: { noEmit: false, outDir: './api-cost-build', rootDir: '../..', sourceMap: false },
    files: ['../../test/simulator/index.ts', '../../src/app/index.ts'],
    include: [],
  }),
);
try {
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], { cwd: root, stdio: 'pipe' });
} catch (error) {
  // tsc emits despite type errors elsewhere in the tree; only a missing output is fatal.
  process.stderr.write(`tsc reported problems (output still used):\n${String(error.stdout ?? '').slice(0, 2000)}\n`);
}
const { startSimulator } = await import(pathToFileURL(join(build, 'test/simulator/index.js')).href);
const { createApp } = await import(pathToFileURL(join(build, 'src/app/index.js')).href);
const { Probot, ProbotOctokit } = await import('probot');
const { pino } = await import('pino');

// 2. A repository: a real project's files (httpx, from test/fixtures/repos) plus 2,000 generated source files, so
//    the tree is not toy-sized (the files checks never ask for must cost nothing).
function readFixture(directory) {
  const files = {};
  const walk = (path) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name !== 'SOURCE.md') files[relative(directory, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(directory);
  return files;
}
const files = readFixture(join(root, 'test/fixtures/repos/testing-httpx'));
for (let index = 0; index < 2000; index += 1)
  files[`httpx/generated/module_${String(index).padStart(4, '0')}.py`] = `VALUE = ${index}\n`;

const sim = await startSimulator({ repos: [{ owner: 'acme', name: 'httpx', files }] });
const REPO = 'acme/httpx';
const base = sim.head(REPO);
const first = sim.commit(REPO, {
  branch: 'feature',
  changes: { 'httpx/_feature.py': 'def feature():\n    return 1\n' },
});
const pull = sim.openPull(REPO, { head: 'feature', title: 'Add a feature' });

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const logger = pino({ level: 'silent' });
const app = createApp({ logger });
const probot = new Probot({
  appId: 1,
  privateKey,
  baseUrl: sim.url,
  log: logger,
  Octokit: ProbotOctokit.defaults({ throttle: { enabled: false } }),
});
await probot.load(app);

const template = JSON.parse(readFileSync(join(root, 'test/fixtures/webhooks/pull_request.opened.json'), 'utf8'));
function payload(action, headSha, updatedAt) {
  const repository = {
    ...template.repository,
    name: 'httpx',
    full_name: REPO,
    owner: { ...template.repository.owner, login: 'acme' },
    default_branch: 'main',
  };
  return {
    ...template,
    action,
    number: pull.number,
    repository,
    installation: { id: 1 },
    pull_request: {
      ...template.pull_request,
      number: pull.number,
      state: 'open',
      draft: false,
      updated_at: updatedAt,
      // What GitHub's webhook says of the PR's comments when it is sent: the simulator's counts now.
      comments: sim.repo(REPO).comments.filter((comment) => comment.issue_number === pull.number).length,
      review_comments: sim.repo(REPO).reviewComments.filter((comment) => comment.pull_number === pull.number).length,
      head: { ...template.pull_request.head, ref: 'feature', sha: headSha, repo: repository },
      base: { ...template.pull_request.base, ref: 'main', sha: base, repo: repository },
    },
  };
}

function classify(byRoute) {
  const groups = { token: 0, snapshot: 0, config: 0, publish: 0, other: 0 };
  const rows = [];
  for (const [route, count] of Object.entries(byRoute).sort(([a], [b]) => (a < b ? -1 : 1))) {
    let group = 'other';
    if (route.includes('/access_tokens')) group = 'token';
    else if ((/^(POST|PATCH|PUT|DELETE) /.test(route) && route !== 'POST /graphql') || route.endsWith('/comments'))
      group = 'publish';
    else if (route.includes('/contents/')) group = 'config';
    else group = 'snapshot';
    groups[group] += count;
    rows.push({ route, count, group });
  }
  return { groups, rows };
}

async function measure(label, action, headSha, updatedAt) {
  sim.resetCounts();
  const started = performance.now();
  await probot.receive({ id: `bench-${label}`, name: 'pull_request', payload: payload(action, headSha, updatedAt) });
  await app.queue.onIdle();
  const ms = Math.round(performance.now() - started);
  const counts = JSON.parse(JSON.stringify(sim.counts));
  const run = sim
    .repo(REPO)
    .checkRuns.filter((candidate) => candidate.head_sha === headSha)
    .at(-1);
  return { label, ms, counts, run, ...classify(counts.byRoute) };
}

const cold = await measure('cold', 'opened', first, '2026-01-01T00:00:00Z');
const second = sim.commit(REPO, {
  branch: 'feature',
  changes: { 'httpx/_feature.py': 'def feature():\n    return 2\n' },
});
const warm = await measure('warm', 'synchronize', second, '2026-01-01T00:01:00Z');
const violations = sim.violations.length;
await sim.close();

const reads = (result) => result.groups.snapshot + result.groups.config;
const restReads = (result) => reads(result) - (result.counts.byRoute['POST /graphql'] ?? 0);
const line = (result) =>
  `| ${result.label} | ${result.counts.total} | ${restReads(result)} | ${result.counts.byRoute['POST /graphql'] ?? 0} | ${result.groups.config} | ${result.groups.publish} | ${result.groups.token} | ${result.counts.graphqlObjects} | ${result.ms} |`;
const table = (result) =>
  [
    '| route | requests | kind |',
    '| --- | ---: | --- |',
    ...result.rows.map((row) => `| \`${row.route}\` | ${row.count} | ${row.group} |`),
  ].join('\n');

const markdown = `# API cost of one pull request evaluation

Measured by \`node bench/api-cost.mjs\` on ${new Date().toISOString().slice(0, 10)}: the App (\`createApp\`, the real
\`GitHubSource\`) in one process, Probot pointed at the GitHub simulator (\`test/simulator\`), which counts every request
and validates it against GitHub's OpenAPI description (${violations} violations in this run).

Repository: the httpx fixture (\`test/fixtures/repos/testing-httpx\`) plus 2,000 generated Python modules —
${Object.keys(files).length} files in the tree. Pull request #${pull.number} adds one file; the warm run is the
\`synchronize\` after a push that changes that one file.

| run | all requests | REST reads | GraphQL | of which config | publish | token | blobs asked in GraphQL | ms |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${line(cold)}
${line(warm)}

- **REST reads / GraphQL** are what evaluating costs: trees, settings, the config file (\`context.config\`: the repo's
  file on its default branch, then the org's \`.github\` repository when the repo has none; each answer is kept five
  minutes — the org's per owner, the repo's for its pull request evaluations, read again by an evaluation of the
  default branch, a settings event or a re-run; a push to the default branch whose tree has no config file does not
  ask for the repo's; when neither the repo's nor the org's answer is known, both are one GraphQL query — counted
  under GraphQL, not under "of which config", which counts contents requests — whose NOT_FOUND for a missing org
  \`.github\` repository also answers the org's community-health fallbacks), and the file texts in GraphQL batches.
- **publish**: the Check Run (created completed, in one request, by an evaluation that ends within the grace period —
  \`SHIPREADY_CHECK_RUN_GRACE_MS\`, 10 s by default; a longer one creates it in progress when the period ends, then
  completes it: two) and the sticky PR comment (the PR's comments
  listed to find it by its marker; created or edited only when the PR changes readiness, \`comment.mode: on-change\`;
  the process remembers the comment's id and body, or that there is none, so warm lists neither the comments nor
  the review comments; with the in-process queue, a webhook saying the PR has no comment / no review comment
  spares those listings cold too, unless a creation needs one). **token**: the installation token, cached by Probot for an hour — paid once per installation, not per
  evaluation.
- Cold evaluates the head **and** the base commit (the base is needed to tell regressions from pre-existing
  problems). Warm reuses the base report (cached by commit sha) and the blob texts (cached by blob sha): only the
  head's tree and the one changed blob are fetched again. Repository settings are read once per evaluation (shared
  by head and base) and reused for five minutes by pull request evaluations; settings events, pushes to the default
  branch and re-runs read them fresh.
- Conclusion of the cold run: \`${cold.run?.conclusion}\` (“${cold.run?.output?.title}”); warm: \`${warm.run?.conclusion}\`.

## Next to OpenSSF Scorecard

Scorecard documents about **66 REST + 4 GraphQL** calls for one repository scan (its published figure, for one
repository at one commit, reads only). shipready's reads for a cold pull request evaluation — two commits, head and
base — are **${restReads(cold)} REST + ${cold.counts.byRoute['POST /graphql'] ?? 0} GraphQL**; the warm re-evaluation
after a push costs **${restReads(warm)} REST + ${warm.counts.byRoute['POST /graphql'] ?? 0} GraphQL** reads, plus
${warm.groups.publish} request${warm.groups.publish === 1 ? '' : 's'} to publish.

## Cold, by route

${table(cold)}

## Warm, by route

${table(warm)}
`;
writeFileSync(join(root, 'bench', 'api-cost.md'), markdown);
process.stdout.write(`${markdown}\n`);
// The figure the issue tracks, last: every request of each evaluation, writes and the token included.
process.stdout.write(`api cost: cold ${cold.counts.total}, warm ${warm.counts.total}\n`);
