/**
 * Hostile configs through the real App (server, Probot, the GitHub source) against the simulator: a 50 MB file
 * behind `_extends`, 10^5 levels of nesting, deep block nesting, an alias bomb and a 150-file `_extends` chain
 * each end, within seconds, as a failing Check Run naming the problem and the line — and while one is handled,
 * deliveries for another repository are still acknowledged promptly (the event loop is not held).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { startServer, type ShipreadyServer } from '../../src/app/server.js';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { fixture } from './harness.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const SECRET = ['guard', 'webhook', 'secret'].join('-');
const CONFIG = '.github/shipready.yml';

function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= levels; level += 1)
    lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

const deepKeys = Array.from({ length: 300 }, (_, depth) => `${' '.repeat(depth)}k${depth}:`).join('\n');

/** Each scenario: the repository's config, extra repositories, and what the Check Run must say. */
const SCENARIOS: Array<{
  name: string;
  config: string;
  extra?: Array<{ name: string; files: Record<string, string> }>;
  title: string;
  summary: string;
}> = [
  {
    name: 'huge-extends',
    config: '# org defaults\n_extends: huge-defaults\n',
    extra: [{ name: 'huge-defaults', files: { [CONFIG]: 'profile: service\n'.repeat(3_200_000) } }], // ~54 MB
    title:
      'Invalid .github/shipready.yml at line 2: _extends: `acme/huge-defaults:.github/shipready.yml` is larger than the 262,144-byte limit for a config file: not read',
    summary: '- `_extends` (line 2): `acme/huge-defaults:.github/shipready.yml` is larger than the 262,144-byte limit',
  },
  {
    name: 'deep-flow',
    config: `profile: service\nchecks: ${'['.repeat(100_000)}\n`,
    title: 'Invalid .github/shipready.yml at line 2: YAML nested more than 200 levels deep: not parsed',
    summary: '- `(root)` (line 2): YAML nested more than 200 levels deep: not parsed',
  },
  {
    name: 'deep-block',
    config: `${deepKeys}\n`,
    title: 'Invalid .github/shipready.yml at line 201: YAML nested more than 200 levels deep: not parsed',
    summary: '- `(root)` (line 201): YAML nested more than 200 levels deep',
  },
  {
    name: 'alias-bomb',
    config: aliasBomb(9),
    title:
      'Invalid .github/shipready.yml at line 5: YAML aliases would expand to more than 100,000 nodes (an alias bomb): not parsed',
    summary: '- `(root)` (line 5): YAML aliases would expand to more than 100,000 nodes',
  },
  {
    name: 'long-chain',
    config: '_extends: chain-1\n',
    extra: Array.from({ length: 150 }, (_, index) => ({
      name: `chain-${index + 1}`,
      files: { [CONFIG]: `_extends: chain-${index + 2}\n` },
    })),
    title:
      'Invalid acme/chain-10:.github/shipready.yml at line 1: _extends: `_extends` goes more than 10 files deep (`.github/shipready.yml` → `acme/chain-1:.github/shipready.yml` →',
    summary: '`acme/chain-10:.github/shipready.yml`, which `.github/shipready.yml` extends (line 1), is invalid',
  },
];

let sim: Simulator;
let server: ShipreadyServer;

function pushPayload(repo: string, id: number, branch = 'main') {
  const payload = fixture('push');
  Object.assign(payload, { after: sim.head(`acme/${repo}`), ref: `refs/heads/${branch}`, installation: { id: 1 } });
  payload.repository = {
    ...payload.repository,
    id,
    name: repo,
    full_name: `acme/${repo}`,
    owner: { ...payload.repository.owner, login: 'acme' },
    default_branch: 'main',
  };
  return payload;
}

/** Delivers a signed webhook over HTTP and returns how long the acknowledgement took. */
async function deliver(event: string, payload: unknown): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const response = await fetch(`${server.url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': `delivery-${Math.random()}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

beforeAll(async () => {
  sim = await startSimulator({
    repos: [
      { owner: 'acme', name: 'other', files: { 'README.md': '# other\n' } },
      ...SCENARIOS.flatMap((scenario) => [
        { owner: 'acme', name: scenario.name, files: { 'README.md': '# x\n', [CONFIG]: scenario.config } },
        ...(scenario.extra ?? []).map((extra) => ({ owner: 'acme', name: extra.name, files: extra.files })),
      ]),
    ],
  });
  server = await startServer({
    env: {
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: new URL(sim.url).host,
      GHE_PROTOCOL: 'http',
    },
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
  });
}, 60_000);

afterAll(async () => {
  await server?.close('test over');
  await sim?.close();
});

describe('hostile configs through the App', () => {
  it.each(SCENARIOS.map((scenario, index) => [scenario.name, scenario, index] as const))(
    '%s: a failing Check Run naming the problem and the line, within seconds, other deliveries acknowledged',
    async (_name, scenario, index) => {
      const started = Date.now();
      const first = await deliver('push', pushPayload(scenario.name, 1000 + index));
      expect(first.status).toBe(200);
      // While the bad config is handled, another repository's deliveries keep being acknowledged promptly (pushes
      // to a feature branch: acknowledged and not evaluated, so they measure the event loop, not the queue).
      const acks: number[] = [];
      let done = false;
      const pinger = (async () => {
        while (!done) {
          acks.push((await deliver('push', pushPayload('other', 999, 'feature'))).ms);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      let run = sim.repo(`acme/${scenario.name}`).checkRuns.find((candidate) => candidate.status === 'completed');
      while (!run && Date.now() - started < 15_000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        run = sim.repo(`acme/${scenario.name}`).checkRuns.find((candidate) => candidate.status === 'completed');
      }
      done = true;
      await pinger;
      expect(run).toBeDefined();
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(run!.conclusion).toBe('failure');
      expect(run!.output.title?.startsWith(scenario.title)).toBe(true);
      expect(run!.output.summary).toContain(scenario.summary);
      expect(run!.annotations.length).toBeGreaterThan(0);
      expect(run!.annotations[0]).toMatchObject({ path: CONFIG, annotation_level: 'failure' });
      expect(acks.length).toBeGreaterThan(0);
      expect(Math.max(...acks)).toBeLessThan(1_000);
    },
    30_000,
  );

  it('sent no request GitHub would refuse', async () => {
    await server.queue.onIdle();
    expect(sim.violations).toEqual([]);
  });
});
