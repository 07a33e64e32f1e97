import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerChecks } from '../../checks/container/index.js';
import { configSchema } from '../../src/config/schema.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { LocalSource } from '../../src/snapshot/local-source.js';

const root = join(import.meta.dirname, '..', '..');

/** No Docker engine runs on the project's machines: the shipped Dockerfile is held to the project's own checks. */
describe("the App's Dockerfile, read by shipready's container checks", () => {
  it('is multi-stage, non-root, health-checked, pinned, free of secrets, with a .dockerignore', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'shipready-dockerfile-'));
    try {
      for (const file of ['Dockerfile', '.dockerignore', 'package.json'])
        copyFileSync(join(root, file), join(directory, file));
      const report = await evaluateRepository({
        source: new LocalSource(directory),
        checks: containerChecks,
        config: configSchema.parse({ profile: 'service' }),
      });
      const outcomes = Object.fromEntries(report.checks.map((check) => [check.id, check.outcome]));
      expect(outcomes).toMatchObject({
        'dockerfile-present': 'pass',
        'dockerfile-runs-as-non-root': 'pass',
        'dockerfile-multi-stage': 'pass',
        'dockerfile-healthcheck': 'pass',
        'dockerfile-base-image-pinned': 'pass',
        'dockerignore-present': 'pass',
        'dockerfile-free-of-secrets': 'pass',
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
