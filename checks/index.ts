import type { AnyCheckDefinition } from '../src/engine/types.js';
import { ciChecks } from './ci/index.js';
import { configurationChecks } from './configuration/index.js';
import { containerChecks } from './container/index.js';
import { documentationChecks } from './documentation/index.js';
import { foundationsChecks } from './foundations/index.js';
import { operationsChecks } from './operations/index.js';
import { qualityChecks } from './quality/index.js';
import { securityChecks } from './security/index.js';
import { testingChecks } from './testing/index.js';
import { workflowsChecks } from './workflows/index.js';

/** The registry: every check shipready runs, in catalog order. */
export const allChecks: readonly AnyCheckDefinition[] = [
  ...foundationsChecks,
  ...configurationChecks,
  ...qualityChecks,
  ...testingChecks,
  ...ciChecks,
  ...workflowsChecks,
  ...securityChecks,
  ...containerChecks,
  ...documentationChecks,
  ...operationsChecks,
];
