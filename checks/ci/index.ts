import type { CheckDefinition } from '../../src/engine/types.js';
import ciRunsLinters from './ci-runs-linters.js';
import ciRunsTestsOnPullRequests from './ci-runs-tests-on-pull-requests.js';
import ciWorkflowPresent from './ci-workflow-present.js';
import dependencyUpdateToolConfigured from './dependency-update-tool-configured.js';
import dependencyVulnerabilityScanning from './dependency-vulnerability-scanning.js';
import deploymentPipelinePresent from './deployment-pipeline-present.js';
import sastConfigured from './sast-configured.js';
import sbomGenerated from './sbom-generated.js';

/** Every check of the ci category. The catalog test keeps this list equal to the files beside it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ciChecks: CheckDefinition<any>[] = [
  ciWorkflowPresent,
  ciRunsTestsOnPullRequests,
  ciRunsLinters,
  deploymentPipelinePresent,
  dependencyUpdateToolConfigured,
  dependencyVulnerabilityScanning,
  sastConfigured,
  sbomGenerated,
];
