import { defineCheck } from '../../src/engine/define-check.js';
import { communityFilePresence } from '../lib/community-files.js';
import {
  CONTRIBUTOR_COVENANT_2_1,
  CONTRIBUTOR_COVENANT_CONTACT_PLACEHOLDER,
} from '../../src/fix/templates/contributor-covenant.js';

export default defineCheck({
  id: 'code-of-conduct-present',
  category: 'foundations',
  severity: 'low',
  problemTitle: 'There is no code of conduct',
  title: 'Code of conduct present',
  description:
    "A CODE_OF_CONDUCT file (also `CODE-OF-CONDUCT`, `CodeOfConduct`, `CONDUCT`; any case, any extension) exists at the root, in `.github/` or in `docs/` — or, from the GitHub source, in the organisation's `.github` repository (the finding says so).",
  rationale:
    'A code of conduct says what behaviour is expected in issues and reviews and whom to contact when it is not met, so that problems are handled the same way every time rather than ad hoc.',
  remediation: [
    'Add `CODE_OF_CONDUCT.md` at the repository root (or in `.github/`). Adopting the Contributor Covenant is the common choice — fill in the contact:',
    '',
    '```markdown',
    '# Code of Conduct',
    '',
    'This project follows the [Contributor Covenant 2.1](https://www.contributor-covenant.org/version/2/1/code_of_conduct/).',
    '',
    'Report unacceptable behaviour to conduct@example.com; reports are handled confidentially.',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { settings: ['orgCommunityFiles'] },
  evaluate({ snapshot }) {
    return communityFilePresence(snapshot, {
      baseNames: ['code_of_conduct', 'conduct'],
      label: 'code of conduct',
      fileName: 'CODE_OF_CONDUCT.md',
    });
  },
  fixable:
    'adds CODE_OF_CONDUCT.md: the Contributor Covenant 2.1 with its attribution, the contact left for you to fill',
  fix() {
    return {
      edits: [{ kind: 'create', path: 'CODE_OF_CONDUCT.md', text: CONTRIBUTOR_COVENANT_2_1 }],
      notes: [
        `CODE_OF_CONDUCT.md: replace ${CONTRIBUTOR_COVENANT_CONTACT_PLACEHOLDER} with the address or form that receives reports`,
      ],
    };
  },
});
