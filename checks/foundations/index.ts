import type { AnyCheckDefinition } from '../../src/engine/types.js';
import changelogPresent from './changelog-present.js';
import codeOfConductPresent from './code-of-conduct-present.js';
import codeownersPresent from './codeowners-present.js';
import contributingGuidePresent from './contributing-guide-present.js';
import contributionTemplatesPresent from './contribution-templates-present.js';
import gitignorePresent from './gitignore-present.js';
import licensePresent from './license-present.js';
import readmePresent from './readme-present.js';
import securityPolicyPresent from './security-policy-present.js';

/** Every check of the foundations category. The catalog test keeps this list equal to the files beside it. */
export const foundationsChecks: AnyCheckDefinition[] = [
  readmePresent,
  licensePresent,
  gitignorePresent,
  contributingGuidePresent,
  codeOfConductPresent,
  securityPolicyPresent,
  changelogPresent,
  codeownersPresent,
  contributionTemplatesPresent,
];
