import { defineCheck } from '../../src/engine/define-check.js';
import { communityFilePresence } from '../lib/community-files.js';
import { projectCommandsOf } from '../lib/contributing-commands.js';

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
  fixable: "adds a short CONTRIBUTING.md that names the project's own setup, test and lint commands",
  fix({ repository, ecosystems }) {
    const commands = projectCommandsOf(repository, ecosystems);
    const block = (command: string) => ['```sh', command, '```'];
    const checks = [commands.test, commands.lint].filter((command): command is string => command !== undefined);
    const text = [
      '# Contributing',
      '',
      'Thank you for helping. This guide says how to set up the project and what to run before you open a pull request.',
      '',
      '## Set up',
      '',
      ...(commands.setup ? block(commands.setup) : ['Describe how to install the dependencies here.']),
      '',
      '## Before opening a pull request',
      '',
      ...(checks.length ? block(checks.join(' && ')) : ['Describe how to run the tests and the linter here.']),
      '',
      '## Proposing a change',
      '',
      '- Open an issue first for anything larger than a small fix, so we can agree on the approach.',
      '- Keep one change per pull request and describe what it changes and why.',
      '- Add or update tests for the behaviour you change.',
      '',
    ].join('\n');
    const missing = [!commands.setup && 'setup', !checks.length && 'test'].filter(Boolean);
    return {
      edits: [{ kind: 'create', path: 'CONTRIBUTING.md', text }],
      ...(missing.length
        ? {
            notes: [
              `CONTRIBUTING.md: no ${missing.join(' or ')} command was found in the manifest; fill in those sections`,
            ],
          }
        : {}),
    };
  },
});
