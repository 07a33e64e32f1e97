import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import check from '../../../checks/ci/ci-runs-tests-on-pull-requests.js';
import { configSchema } from '../../../src/config/schema.js';
import { evaluateRepository } from '../../../src/engine/runner.js';
import { LocalSource } from '../../../src/snapshot/local-source.js';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'quality-ripgrep');

describe('ci-runs-tests-on-pull-requests on BurntSushi/ripgrep', () => {
  it('reads `${{ env.CARGO }} test` as cargo test, through the job env (CARGO: cargo)', async () => {
    const report = await evaluateRepository({
      source: new LocalSource(fixture),
      checks: [check],
      config: configSchema.parse({}),
    });
    const [result] = report.checks;
    expect(result.outcome).toBe('pass');
    expect(result.summary).toContain('.github/workflows/ci.yml:48');
    expect(result.summary).toContain('cargo test');
  });
});
