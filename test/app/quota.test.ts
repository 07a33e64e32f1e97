import { afterEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../../src/app/index.js';
import { QuotaTracker } from '../../src/app/evaluate-flow.js';
import { MemoryJobQueue } from '../../src/app/queue.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { fixture } from './harness.js';

/** The real GitHubSource against the simulator, with an installation quota nearly used up. */
describe('out of quota', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
  });

  it('stops reading before the quota runs out and completes the Check Run with "paused" from the reserve', async () => {
    sim = await startSimulator({
      // 6 requests above the reserve of 25: fewer than this push's reads need (the token, the org config, the tree,
      // the settings…), so the reads stop before the end.
      rateLimit: 30,
      repos: [{ owner: 'acme', name: 'api', files: { 'README.md': '# api\n' } }],
    });
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const logger = pino({ level: 'silent' });
    // One attempt: no retry follows, so the run is completed as paused (queue-quota.test.ts: the job waits instead).
    const queue = new MemoryJobQueue({ logger, maxAttempts: 1 });
    const app = createApp({ logger, queue, quota: new QuotaTracker({ reserve: 25 }) });
    const probot = new Probot({
      appId: 1,
      privateKey,
      baseUrl: sim.url,
      log: logger,
      Octokit: ProbotOctokit.defaults({ throttle: { enabled: false } }),
    });
    await probot.load(app);
    const head = sim.head('acme/api');
    const payload = fixture('push');
    Object.assign(payload, { after: head, ref: 'refs/heads/main', installation: { id: 1 } });
    payload.repository = {
      ...payload.repository,
      name: 'api',
      full_name: 'acme/api',
      owner: { ...payload.repository.owner, login: 'acme' },
      default_branch: 'main',
    };
    await probot.receive({ id: 'quota', name: 'push', payload });
    await app.queue.onIdle();
    const [run] = sim.repo('acme/api').checkRuns;
    expect(run).toMatchObject({
      head_sha: head,
      status: 'completed',
      conclusion: 'neutral',
      output: { title: 'Paused: the installation is out of GitHub API quota' },
    });
    expect(run.output.summary).toMatch(/is used up until \d{4}-\d\d-\d\dT/);
    expect(sim.violations).toEqual([]);
  });
});
