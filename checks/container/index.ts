import type { CheckDefinition } from '../../src/engine/types.js';
import composeServicesHealthy from './compose-services-healthy.js';
import containerImageScanned from './container-image-scanned.js';
import dockerfileBaseImagePinned from './dockerfile-base-image-pinned.js';
import dockerfileFreeOfSecrets from './dockerfile-free-of-secrets.js';
import dockerfileHealthcheck from './dockerfile-healthcheck.js';
import dockerfileMultiStage from './dockerfile-multi-stage.js';
import dockerfilePresent from './dockerfile-present.js';
import dockerfileRunsAsNonRoot from './dockerfile-runs-as-non-root.js';
import dockerignorePresent from './dockerignore-present.js';

/** Every check of the container category, in catalog order. The catalog test keeps this list equal to the files beside it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const containerChecks: CheckDefinition<any>[] = [
  dockerfilePresent,
  dockerfileRunsAsNonRoot,
  dockerfileMultiStage,
  dockerfileHealthcheck,
  dockerfileBaseImagePinned,
  dockerignorePresent,
  dockerfileFreeOfSecrets,
  containerImageScanned,
  composeServicesHealthy,
];
