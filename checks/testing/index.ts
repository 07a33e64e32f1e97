import type { AnyCheckDefinition } from '../../src/engine/types.js';
import coverageConfigured from './coverage-configured.js';
import coverageThresholdEnforced from './coverage-threshold-enforced.js';
import testFrameworkConfigured from './test-framework-configured.js';
import testsPresent from './tests-present.js';

/** Every check of the testing category. The catalog test keeps this list equal to the files beside it. */
export const testingChecks: AnyCheckDefinition[] = [
  testFrameworkConfigured,
  testsPresent,
  coverageConfigured,
  coverageThresholdEnforced,
];
