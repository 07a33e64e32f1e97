import { it } from '@jest/globals';
import { join } from 'node:path';
import { evaluateRepository } from '../../../src/engine/runner.js';
import { LocalSource } from '../../../src/snapshot/local-source.js';
import { configurationChecks } from '../../../checks/configuration/index.js';
import { qualityChecks } from '../../../checks/quality/index.js';
import { testingChecks } from '../../../checks/testing/index.js';
it('probe', async () => {
  for (const name of (process.env.FIXTURES ?? '').split(',')) {
    const report = await evaluateRepository({
      source: new LocalSource(join(import.meta.dirname, '../../fixtures/repos', name)),
      checks: [...configurationChecks, ...qualityChecks, ...testingChecks],
    });
    const show = (checks: typeof report.checks) =>
      checks
        .map(
          (c) =>
            `${c.id}: ${c.outcome} — ${c.summary} ${JSON.stringify(c.findings.map((f) => [f.path, f.line, f.message.slice(0, 100)]))}`,
        )
        .join('\n');
    console.log(
      name,
      report.profile,
      report.ecosystems,
      '\n' +
        show(report.checks) +
        '\n' +
        (report.projects ?? []).map((p) => `--- ${p.path}\n${show(p.checks)}`).join('\n'),
    );
  }
});
