import { afterEach, describe, expect, it } from '@jest/globals';
import { allChecks } from '../../checks/index.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import {
  EvaluationPool,
  EvaluationTimeoutError,
  evaluateBySize,
  partsOf,
  poolSettingsFromEnv,
} from '../../src/engine/worker-pool.js';
import type { AnyCheckDefinition } from '../../src/engine/types.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';
import type { SnapshotSource } from '../../src/snapshot/types.js';

// Workers run the TypeScript source through test/helpers/ts-worker.mjs (Node 20 cannot run .ts in a worker), and
// the pool-test checks come from a JavaScript module both threads import: check definitions cannot cross threads.
const workerUrl = new URL('../helpers/ts-worker.mjs', import.meta.url);
const checksModule = new URL('../helpers/pool-checks.mjs', import.meta.url).href;
const { allChecks: poolChecks } = (await import(checksModule)) as { allChecks: AnyCheckDefinition[] };
const WORKER_TIMEOUT = 120_000;

const pools: EvaluationPool[] = [];
function pool(options: ConstructorParameters<typeof EvaluationPool>[0] = {}): EvaluationPool {
  const created = new EvaluationPool({ workerUrl, ...options });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
});

const repository = {
  'README.md': '# demo\n\nA demo service.\n\n## Install\n\n```sh\nnpm ci\n```\n',
  'package.json': JSON.stringify({ name: 'demo', scripts: { test: 'jest', lint: 'eslint .' } }),
  'package-lock.json': '{}',
  Dockerfile: 'FROM node:20-slim\nUSER node\nCMD ["node", "index.js"]\n',
  '.github/workflows/ci.yml':
    'on: [pull_request]\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n',
  'src/index.js': 'console.log(process.env.PORT);\n',
  'packages/a/package.json': JSON.stringify({ name: 'a' }),
  'packages/a/src/a.js': 'export const a = 1;\n',
};

describe('EvaluationPool', () => {
  it(
    'gets a report with many projects in parts, whole and in the same key order as in-process',
    async () => {
      const workspace: Record<string, string> = {
        ...repository,
        'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      };
      for (let index = 0; index < 60; index += 1) {
        workspace[`packages/p${index}/package.json`] = JSON.stringify({ name: `p${index}`, main: 'index.js' });
        workspace[`packages/p${index}/index.js`] = `module.exports = ${index};\n`;
      }
      const inProcess = await evaluateRepository({ source: new MemorySource(workspace), checks: allChecks });
      expect(inProcess.projects?.length).toBeGreaterThan(50);
      // More than one part of ~500,000 characters.
      expect(JSON.stringify(inProcess.projects).length).toBeGreaterThan(1_000_000);
      const pooled = await pool().evaluate({ source: new MemorySource(workspace), checks: allChecks });
      expect(JSON.stringify(pooled)).toBe(JSON.stringify(inProcess));
    },
    WORKER_TIMEOUT,
  );

  it(
    'gets a read answer larger than one message part whole (posted in parts, gathered in the worker)',
    async () => {
      // Three 1.5M-character READMEs-to-be: each answer part holds at most ~1M characters, so this is several parts.
      const big = {
        ...repository,
        'README.md': `${repository['README.md']}${'words '.repeat(250_000)}\n`,
        'docs/a.md': `# a\n${'a'.repeat(1_500_000)}\n`,
        'docs/b.md': `# b\n${'b'.repeat(1_500_000)}\n`,
      };
      const inProcess = await evaluateRepository({ source: new MemorySource(big), checks: allChecks });
      const source = new MemorySource(big);
      let largestAnswer = 0;
      const readFiles = source.readFiles.bind(source);
      source.readFiles = async (entries, limits) => {
        const files = await readFiles(entries, limits);
        largestAnswer = Math.max(largestAnswer, [...partsOf(files, 1_000_000)].length);
        return files;
      };
      const pooled = await pool().evaluate({ source, checks: allChecks });
      expect(largestAnswer).toBeGreaterThan(1);
      expect(pooled).toEqual(inProcess);
    },
    WORKER_TIMEOUT,
  );

  it(
    'returns the report evaluateRepository returns in-process, for the whole registry',
    async () => {
      const settings = { secretScanning: { status: 'ok' as const, value: true } };
      const inProcess = await evaluateRepository({
        source: new MemorySource(repository, { settings }),
        checks: allChecks,
      });
      const stages: string[] = [];
      const pooled = await pool().evaluate({
        source: new MemorySource(repository, { settings }),
        checks: allChecks,
        onProgress: (stage) => stages.push(stage),
      });
      expect(pooled).toEqual(inProcess);
      expect(pooled.checks).toHaveLength(allChecks.length);
      expect(stages).toEqual([
        'listing files',
        `reading files (${Object.keys(repository).length} in the tree)`,
        'evaluating checks',
      ]);
    },
    WORKER_TIMEOUT,
  );

  it(
    'terminates a worker that runs past the budget, names the check and file, and replaces the worker',
    async () => {
      const evaluations = pool({ size: 1, timeoutMs: 400, checksModule });
      const started = Date.now();
      const error = await evaluations
        .evaluate({
          source: new MemorySource({ 'README.md': '# x\n', 'docs/FOREVER.md': 'loop\n' }),
          checks: poolChecks,
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EvaluationTimeoutError);
      expect((error as EvaluationTimeoutError).file).toBe('docs/FOREVER.md');
      expect((error as EvaluationTimeoutError).activity).toBe('check pool-forever');
      expect((error as Error).message).toBe(
        'the evaluation exceeded its time budget of 400 ms on file docs/FOREVER.md (check pool-forever)',
      );
      // Worker start-up is not busy time of the job; the kill comes once the loop has run the budget.
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(evaluations.stats).toMatchObject({ timedOut: 1, busy: 0 });

      // The replacement evaluates the next repository.
      const report = await evaluations.evaluate({
        source: new MemorySource({ 'README.md': '# y\n' }),
        checks: poolChecks,
      });
      expect(report.checks.map((check) => [check.id, check.outcome])).toEqual([
        ['pool-readme', 'pass'],
        ['pool-slow', 'not-applicable'],
        ['pool-forever', 'pass'],
      ]);
      expect(evaluations.stats).toMatchObject({ workers: 1, completed: 1, timedOut: 1, crashed: 0 });
    },
    WORKER_TIMEOUT,
  );

  it(
    'runs concurrent evaluations on separate workers and returns each its own report',
    async () => {
      const evaluations = pool({ size: 2, checksModule });
      const sources = (<Array<Record<string, string>>>[
        { 'README.md': 'a'.repeat(10), SLOW: '300' },
        { 'README.md': 'b'.repeat(20) },
        { 'README.md': 'c'.repeat(30), SLOW: '100' },
        { 'README.md': 'd'.repeat(40) },
      ]).map((files) => new MemorySource(files));
      const reports = await Promise.all(sources.map((source) => evaluations.evaluate({ source, checks: poolChecks })));
      expect(reports.map((report) => report.checks[0].summary)).toEqual([
        'README.md has 10 characters',
        'README.md has 20 characters',
        'README.md has 30 characters',
        'README.md has 40 characters',
      ]);
      expect(reports.map((report) => report.checks[1].summary)).toEqual([
        'busy for 300 ms',
        'no SLOW file',
        'busy for 100 ms',
        'no SLOW file',
      ]);
      expect(evaluations.stats).toMatchObject({ workers: 2, busy: 0, waiting: 0, completed: 4 });
    },
    WORKER_TIMEOUT,
  );

  it(
    'does not count the time the worker waits for the main thread to read files',
    async () => {
      const evaluations = pool({ size: 1, timeoutMs: 300, checksModule });
      const memory = new MemorySource({ 'README.md': '# slow disk\n' });
      const slowSource: SnapshotSource = {
        kind: memory.kind,
        target: () => memory.target(),
        listTree: () => memory.listTree(),
        readFiles: async (entries, limits) => {
          await new Promise((resolve) => setTimeout(resolve, 800));
          return memory.readFiles(entries, limits);
        },
        readSettings: (keys) => memory.readSettings(keys),
      };
      const report = await evaluations.evaluate({ source: slowSource, checks: poolChecks });
      expect(report.checks[0]).toMatchObject({ outcome: 'pass', summary: 'README.md has 12 characters' });
    },
    WORKER_TIMEOUT,
  );

  it(
    "rethrows the main thread's read error itself, so callers can tell API and quota errors apart",
    async () => {
      class QuotaLike extends Error {}
      const thrown = new QuotaLike('quota used up');
      const memory = new MemorySource({ 'README.md': '# x\n' });
      const failing: SnapshotSource = {
        kind: memory.kind,
        target: () => memory.target(),
        listTree: () => memory.listTree(),
        readFiles: async () => {
          throw thrown;
        },
        readSettings: (keys) => memory.readSettings(keys),
      };
      const evaluations = pool({ size: 1, checksModule });
      await expect(evaluations.evaluate({ source: failing, checks: poolChecks })).rejects.toBe(thrown);
      // The worker survives a failed evaluation.
      await expect(
        evaluations.evaluate({ source: new MemorySource({ 'README.md': '# x\n' }), checks: poolChecks }),
      ).resolves.toMatchObject({ checks: expect.any(Array) });
      expect(evaluations.stats).toMatchObject({ workers: 1, crashed: 0 });
    },
    WORKER_TIMEOUT,
  );

  it(
    "refuses checks that are not in the workers' registry",
    async () => {
      const custom = { ...poolChecks[0], id: 'not-in-the-registry' };
      await expect(
        pool({ size: 1, checksModule }).evaluate({ source: new MemorySource({}), checks: [custom] }),
      ).rejects.toThrow('check "not-in-the-registry" is not in the evaluation workers\' registry');
    },
    WORKER_TIMEOUT,
  );

  it('rejects evaluations once closed', async () => {
    const evaluations = pool({ size: 1, checksModule });
    await evaluations.close();
    await expect(evaluations.evaluate({ source: new MemorySource({}), checks: poolChecks })).rejects.toThrow(
      'the evaluation pool is closed',
    );
  });
});

describe('partsOf', () => {
  const text = (path: string, chars: number) => ({
    path,
    text: 'x'.repeat(chars),
    binary: false,
    truncated: false,
    size: chars,
  });
  it('cuts a large answer into parts of at most the bound, each file whole and in order', () => {
    const files = new Map([
      ['a', text('a', 40)],
      ['b', text('b', 40)],
      ['c', text('c', 150)],
      ['d', text('d', 10)],
    ]);
    const parts = [...partsOf(files, 100)];
    expect(parts.map((part) => [...part.keys()])).toEqual([['a', 'b'], ['c'], ['d']]);
    expect([...partsOf(new Map(), 100)]).toEqual([new Map()]);
  });
});

describe('evaluateBySize (the CLI)', () => {
  it('evaluates a small tree in-process, without starting a worker', async () => {
    const report = await evaluateBySize(
      { source: new MemorySource({ 'README.md': '# x\n' }), checks: poolChecks },
      // A worker that cannot start: using it would fail the evaluation.
      { workers: 1, timeoutMs: 1000, minFiles: 2, pool: { workerUrl: new URL('file:///nonexistent/worker.mjs') } },
    );
    expect(report.checks[0].summary).toBe('README.md has 4 characters');
  });

  it(
    'evaluates a tree at the threshold in a worker, with the budget',
    async () => {
      const error = await evaluateBySize(
        { source: new MemorySource({ 'README.md': '# x\n', 'docs/FOREVER.md': 'x' }), checks: poolChecks },
        { workers: 1, timeoutMs: 300, minFiles: 2, pool: { workerUrl, checksModule } },
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EvaluationTimeoutError);
    },
    WORKER_TIMEOUT,
  );

  it('reads its settings from the environment', () => {
    expect(
      poolSettingsFromEnv({
        SHIPREADY_EVALUATION_WORKERS: '0',
        SHIPREADY_EVALUATION_TIMEOUT_MS: '1500',
        SHIPREADY_EVALUATION_POOL_MIN_FILES: '10',
      }),
    ).toEqual({ workers: 0, timeoutMs: 1500, minFiles: 10 });
    const defaults = poolSettingsFromEnv({ SHIPREADY_EVALUATION_TIMEOUT_MS: 'soon' });
    expect(defaults.timeoutMs).toBe(60_000);
    expect(defaults.minFiles).toBe(5_000);
    expect(defaults.workers).toBeGreaterThanOrEqual(2);
  });
});
