import type { AnyCheckDefinition } from '../../src/engine/types.js';
import formatterConfigured from './formatter-configured.js';
import linterConfigured from './linter-configured.js';
import preCommitHooksConfigured from './pre-commit-hooks-configured.js';
import typeCheckingEnabled from './type-checking-enabled.js';

/** Every check of the quality category. The catalog test keeps this list equal to the files beside it. */
export const qualityChecks: AnyCheckDefinition[] = [
  linterConfigured,
  formatterConfigured,
  typeCheckingEnabled,
  preCommitHooksConfigured,
];
