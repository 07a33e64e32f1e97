import type { AnyCheckDefinition } from '../../src/engine/types.js';
import apiDocsPresent from './api-docs-present.js';
import architectureDocsPresent from './architecture-docs-present.js';
import readmeHasQuickstart from './readme-has-quickstart.js';
import runbookPresent from './runbook-present.js';

/** Every check of the documentation category. The catalog test keeps this list equal to the files beside it. */
export const documentationChecks: AnyCheckDefinition[] = [
  readmeHasQuickstart,
  architectureDocsPresent,
  apiDocsPresent,
  runbookPresent,
];
