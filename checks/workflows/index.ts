import type { CheckDefinition } from '../../src/engine/types.js';
import workflowActionsPinned from './workflow-actions-pinned.js';
import workflowJobsHaveTimeouts from './workflow-jobs-have-timeouts.js';
import workflowPermissionsRestricted from './workflow-permissions-restricted.js';
import workflowTriggersSafe from './workflow-triggers-safe.js';

/** Every check of the workflows category. The catalog test keeps this list equal to the files beside it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const workflowsChecks: CheckDefinition<any>[] = [
  workflowPermissionsRestricted,
  workflowActionsPinned,
  workflowTriggersSafe,
  workflowJobsHaveTimeouts,
];
