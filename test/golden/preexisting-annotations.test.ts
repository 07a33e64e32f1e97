/**
 * `annotations.preexisting` reaches the Check Run (issue #7 point 3): the real App against the simulator, on a PR
 * that adds one unpinned action beside three that were already on the base. By default the old ones are notices;
 * with `annotations.preexisting: warning` in the base's config they are warnings (their check's own level), and the
 * new one is annotated first either way.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startScenario, type Scenario } from './harness.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'repos', 'golden-orders-api');
const WORKFLOW = readFileSync(join(FIXTURE, '.github/workflows/ci.yml'), 'utf8');
const UNPINNED = WORKFLOW.replace(/actions\/checkout@\w+ # v4\.2\.2/g, 'actions/checkout@v4').replace(
  /actions\/setup-node@\w+ # v4\.1\.0/,
  'actions/setup-node@v4',
);

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.close();
  scenario = undefined;
});

async function levelsWith(config?: string): Promise<Array<[number, string]>> {
  scenario = await startScenario({ owner: 'acme', name: 'api', fixture: FIXTURE });
  scenario.sim.commit(scenario.fullName, {
    changes: { '.github/workflows/ci.yml': UNPINNED, ...(config ? { '.github/shipready.yml': config } : {}) },
  });
  await scenario.openPull({
    branch: 'deploy',
    changes: {
      '.github/workflows/ci.yml': UNPINNED.replace(
        '      - run: npm test\n',
        '      - run: npm test\n      - uses: evil-corp/deploy-action@main\n',
      ),
    },
  });
  const run = scenario.sim.repo(scenario.fullName).checkRuns.at(-1)!;
  return run.annotations
    .filter((annotation) => String(annotation.title).includes('workflow-actions-pinned'))
    .map((annotation) => [Number(annotation.start_line), String(annotation.annotation_level)]);
}

describe('annotations.preexisting from the config', () => {
  it('defaults to notice for findings already on the base', async () => {
    expect(await levelsWith()).toEqual([
      [20, 'warning'],
      [13, 'notice'],
      [14, 'notice'],
      [29, 'notice'],
    ]);
  });

  it('raises them to warning when the base config says so', async () => {
    expect(await levelsWith('annotations:\n  preexisting: warning\n')).toEqual([
      [20, 'warning'],
      [13, 'warning'],
      [14, 'warning'],
      [29, 'warning'],
    ]);
  });
});
