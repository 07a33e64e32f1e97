import type { CheckDefinition } from '../../src/engine/types.js';

/** Every check of the testing category. The catalog test keeps this list equal to the files beside it. */
export const testingChecks: CheckDefinition<any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
