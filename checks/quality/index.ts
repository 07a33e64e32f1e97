import type { CheckDefinition } from '../../src/engine/types.js';

/** Every check of the quality category. The catalog test keeps this list equal to the files beside it. */
export const qualityChecks: CheckDefinition<any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
