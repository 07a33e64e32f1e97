import { it } from '@jest/globals';
import { writeSync } from 'node:fs';
import { buildAttackRepository } from './attack-repo.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { allChecks } from '../../checks/index.js';
import { LocalSource } from '../../src/snapshot/local-source.js';
it('x', async () => {
  const dir = buildAttackRepository();
  for (const check of allChecks) {
    const t = performance.now();
    writeSync(2, `start ${check.id}\n`);
    await evaluateRepository({ source: new LocalSource(dir), checks: [check] });
    writeSync(2, `  ${check.id} ${Math.round(performance.now() - t)} ms\n`);
  }
}, 600000);
