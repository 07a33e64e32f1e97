import type { CheckDefinition } from '../../src/engine/types.js';
import healthEndpointPresent from './health-endpoint-present.js';
import k8sWorkloadsHardened from './k8s-workloads-hardened.js';
import metricsInstrumented from './metrics-instrumented.js';
import structuredLoggingUsed from './structured-logging-used.js';

/** Every check of the operations category. The catalog test keeps this list equal to the files beside it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const operationsChecks: CheckDefinition<any>[] = [
  healthEndpointPresent,
  metricsInstrumented,
  structuredLoggingUsed,
  k8sWorkloadsHardened,
];
