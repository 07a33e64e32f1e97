import { defineCheck } from '../../src/engine/define-check.js';
import { communityFilePresence } from '../lib/community-files.js';

export default defineCheck({
  id: 'contributing-guide-present',
  category: 'foundations',
  severity: 'medium',
  problemTitle: 'There is no contributing guide',
  title: 'Contributing guide present',
  description:
    "A CONTRIBUTING file (any case, any extension) exists at the root, in `.github/` or in `docs/` — or, from the GitHub source, in the organisation's `.github` repository, which GitHub shows on every repository (the finding says so).",
  rationale:
    'A contributing guide tells people how to set up the project, run the tests and propose a change. Without it every contributor guesses, and reviewers repeat the same comments on every pull request.',
  remediation: [
    'Add `CONTRIBUTING.md` at the repository root (or in `.github/`) with the setup, test and review steps:',
    '',
    '```markdown',
    '# Contributing',
    '',
    '## Set up',
    '',
    '    npm ci',
    '',
    '## Before opening a pull request',
    '',
    '    npm test && npm run lint',
    '',
    'One change per pull request; describe what and why. A maintainer reviews within a week.',
    '```',
  ].join('\n'),
  effort: 'hours',
  scope: 'repository',
  needs: { settings: ['orgCommunityFiles'] },
  evaluate({ snapshot }) {
    return communityFilePresence(snapshot, {
      baseNames: ['contributing'],
      label: 'contributing guide',
      fileName: 'CONTRIBUTING.md',
    });
  },
});
