/**
 * Golden files of everything shipready publishes, scenario by scenario: the real App (the catalog, the GitHub
 * source, the flow, the renderers, the `ensure*` writers) in this process, answering webhooks delivered to Probot,
 * against the GitHub API simulator over real HTTP. What the simulator received — the Check Run's title, summary,
 * text, annotations and buttons, the sticky comment, the issues — is written to `test/golden/<scenario>/` and
 * compared exactly. `UPDATE_GOLDEN=1` rewrites the files; review the diff line by line before committing it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp, type ShipreadyApp } from '../../src/app/index.js';
import { EvaluationQueue } from '../../src/app/queue.js';
import type { SimFile } from '../simulator/git.js';
import { startSimulator, type SimRepoInit, type Simulator } from '../simulator/index.js';

const here = dirname(fileURLToPath(import.meta.url));
export const NOW = new Date('2026-03-04T05:06:07.000Z');
export const UPDATE = process.env.UPDATE_GOLDEN === '1';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fixture(name: string): any {
  return JSON.parse(readFileSync(join(here, '..', 'fixtures', 'webhooks', `${name}.json`), 'utf8'));
}

let key: string | undefined;
function privateKey(): string {
  key ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return key;
}

export interface Scenario {
  sim: Simulator;
  app: ShipreadyApp;
  probot: Probot;
  fullName: string;
  /** Delivers a webhook and waits until every evaluation it queued has finished. */
  deliver(name: string, payload: unknown): Promise<void>;
  push(sha: string, before: string): Promise<void>;
  openPull(input: { branch: string; changes: Record<string, SimFile | null>; title?: string }): Promise<number>;
  close(): Promise<void>;
}

let deliveries = 0;

export async function startScenario(init: SimRepoInit): Promise<Scenario> {
  const sim = await startSimulator({ repos: [init] });
  const fullName = `${init.owner}/${init.name}`;
  const logger = pino({ level: 'silent' });
  const app = createApp({
    queue: new EvaluationQueue({ concurrency: 2, logger }),
    now: () => NOW,
    logger,
  });
  const probot = new Probot({
    appId: 1,
    privateKey: privateKey(),
    secret: 'golden',
    baseUrl: sim.url,
    log: logger,
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
  });
  await probot.load(app);
  const simRepo = sim.repo(fullName);
  const repository = () => ({
    ...fixture('push').repository,
    id: simRepo.id,
    name: init.name,
    full_name: fullName,
    private: false,
    owner: { ...fixture('push').repository.owner, login: init.owner, name: init.owner },
    default_branch: simRepo.defaultBranch,
    master_branch: simRepo.defaultBranch,
  });
  const deliver = async (name: string, payload: unknown) => {
    deliveries += 1;
    await probot.receive({ id: `golden-${deliveries}`, name, payload } as Parameters<Probot['receive']>[0]);
    await app.queue.onIdle();
  };
  return {
    sim,
    app,
    probot,
    fullName,
    deliver,
    push: (sha, before) =>
      deliver('push', {
        ...fixture('push'),
        ref: `refs/heads/${simRepo.defaultBranch}`,
        before,
        after: sha,
        deleted: false,
        created: false,
        forced: false,
        repository: repository(),
        installation: { id: 1 },
      }),
    openPull: async ({ branch, changes, title }) => {
      sim.commit(fullName, { branch, changes });
      const pull = sim.openPull(fullName, { head: branch, base: simRepo.defaultBranch, title: title ?? branch });
      const payload = fixture('pull_request.opened');
      payload.number = pull.number;
      Object.assign(payload.pull_request, {
        number: pull.number,
        title: pull.title,
        state: 'open',
        draft: false,
        head: { ...payload.pull_request.head, ref: branch, sha: pull.head.sha, repo: repository() },
        base: { ...payload.pull_request.base, ref: simRepo.defaultBranch, sha: pull.base.sha, repo: repository() },
      });
      payload.repository = repository();
      payload.installation = { id: 1 };
      await deliver('pull_request', payload);
      return pull.number;
    },
    close: () => sim.close(),
  };
}

/** The `check_run.requested_action` delivery of a button on one of our Check Runs. */
export function requestedAction(scenario: Scenario, runId: number, identifier: string): unknown {
  const payload = fixture('check_run.requested_action');
  const run = scenario.sim.repo(scenario.fullName).checkRuns.find((candidate) => candidate.id === runId)!;
  const repo = scenario.sim.repo(scenario.fullName);
  payload.check_run = {
    ...payload.check_run,
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    pull_requests: [],
    check_suite: { ...payload.check_run.check_suite, head_branch: repo.defaultBranch, head_sha: run.head_sha },
  };
  payload.requested_action = { identifier };
  payload.repository = {
    ...fixture('push').repository,
    id: repo.id,
    name: repo.name,
    full_name: scenario.fullName,
    owner: { ...fixture('push').repository.owner, login: repo.owner, name: repo.owner },
    default_branch: repo.defaultBranch,
  };
  payload.installation = { id: 1 };
  return payload;
}

/** Every text the simulator received, as the files of one scenario (name → content). */
export function publishedTexts(scenario: Scenario): Record<string, string> {
  const repo = scenario.sim.repo(scenario.fullName);
  const files: Record<string, string> = {};
  repo.checkRuns.forEach((run, index) => {
    const prefix = `check-run-${index + 1}`;
    files[`${prefix}.json`] = `${JSON.stringify(
      {
        head_sha: run.head_sha,
        status: run.status,
        conclusion: run.conclusion,
        title: run.output.title,
        actions: run.actions,
        annotations: run.annotations,
      },
      null,
      2,
    )}\n`;
    files[`${prefix}.summary.md`] = `${run.output.summary ?? ''}\n`;
    if (run.output.text) files[`${prefix}.text.md`] = `${run.output.text}\n`;
  });
  for (const comment of repo.comments) files[`comment-${comment.id}.md`] = `${comment.body}\n`;
  for (const issue of [...repo.issues.values()].sort((a, b) => a.number - b.number)) {
    files[`issue-${issue.number}.md`] =
      `<!-- title: ${issue.title} · ${issue.state} · labels: ${issue.labels.join(', ')} -->\n${issue.body ?? ''}\n`;
    repo.comments
      .filter((comment) => comment.issue_number === issue.number)
      .forEach((comment, index) => (files[`issue-${issue.number}.comment-${index + 1}.md`] = `${comment.body}\n`));
  }
  return files;
}

/**
 * Compares the scenario's texts with `test/golden/<name>/` (or writes them with UPDATE_GOLDEN=1). Returns the
 * differences: a missing, extra or changed file each, so the failure names the file.
 */
export function compareWithGolden(name: string, files: Record<string, string>): string[] {
  const dir = join(here, name);
  if (UPDATE) {
    if (existsSync(dir)) rmSync(dir, { recursive: true });
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
    return [];
  }
  const problems: string[] = [];
  const committed = existsSync(dir) ? readdirSync(dir) : [];
  for (const file of committed) if (!(file in files)) problems.push(`${name}/${file}: no longer published`);
  for (const [file, content] of Object.entries(files)) {
    const path = join(dir, file);
    if (!existsSync(path)) problems.push(`${name}/${file}: published but not in the golden files`);
    else if (readFileSync(path, 'utf8') !== content) problems.push(`${name}/${file}: differs`);
  }
  return problems;
}
