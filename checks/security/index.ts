import type { CheckDefinition } from '../../src/engine/types.js';
import defaultBranchProtected from './default-branch-protected.js';
import dependabotAlertsEnabled from './dependabot-alerts-enabled.js';
import noBinaryArtifacts from './no-binary-artifacts.js';
import noHardcodedSecrets from './no-hardcoded-secrets.js';
import privateVulnerabilityReportingEnabled from './private-vulnerability-reporting-enabled.js';
import secretPushProtectionEnabled from './secret-push-protection-enabled.js';
import secretScanningEnabled from './secret-scanning-enabled.js';

/** Every check of the security category. The catalog test keeps this list equal to the files beside it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const securityChecks: CheckDefinition<any>[] = [
  defaultBranchProtected,
  secretScanningEnabled,
  secretPushProtectionEnabled,
  dependabotAlertsEnabled,
  privateVulnerabilityReportingEnabled,
  noHardcodedSecrets,
  noBinaryArtifacts,
];
