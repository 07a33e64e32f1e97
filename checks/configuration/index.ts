import type { AnyCheckDefinition } from '../../src/engine/types.js';
import envExamplePresent from './env-example-present.js';
import lockfileCommitted from './lockfile-committed.js';
import noCommittedEnvFiles from './no-committed-env-files.js';
import packageManifestPresent from './package-manifest-present.js';

/** Every check of the configuration category. The catalog test keeps this list equal to the files beside it. */
export const configurationChecks: AnyCheckDefinition[] = [
  packageManifestPresent,
  lockfileCommitted,
  envExamplePresent,
  noCommittedEnvFiles,
];
