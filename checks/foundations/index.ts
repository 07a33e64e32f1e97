import type { CheckDefinition } from '../../src/engine/types.js';
import readmePresent from './readme-present.js';

/** Every check of the foundations category. The catalog test keeps this list equal to the files beside it. */
export const foundationsChecks: CheckDefinition<any>[] = [readmePresent]; // eslint-disable-line @typescript-eslint/no-explicit-any
