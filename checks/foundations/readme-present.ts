import { defineCheck, result } from '../../src/engine/define-check.js';
import { countWords, README_GLOBS, readReadme } from '../lib/community-files.js';

const STUB_WORDS = 100;

export default defineCheck({
  id: 'readme-present',
  category: 'foundations',
  severity: 'high',
  problemTitle: 'The repository has no README',
  title: 'README present',
  description:
    'A README exists at the root, in `.github/` or in `docs/` (any case, any extension). It warns when the README is a stub: fewer than about 100 words of prose, or only a title.',
  rationale:
    'The README is the first thing a user, a new colleague or an on-call engineer opens. Without it nobody knows what the repository is, how to run it or who owns it.',
  remediation: [
    'Add `README.md` at the repository root that says what the project is, how to install and run it, and how to test it:',
    '',
    '```markdown',
    '# my-service',
    '',
    'What it does and who uses it, in two sentences.',
    '',
    '## Quick start',
    '',
    '    npm ci && npm start',
    '',
    '## Tests',
    '',
    '    npm test',
    '```',
  ].join('\n'),
  effort: 'hours',
  scope: 'repository',
  needs: { files: README_GLOBS },
  evaluate({ snapshot }) {
    const readme = readReadme(snapshot);
    if (!readme)
      return result.fail('No README found at the root, in .github/ or in docs/', [
        { message: 'add README.md at the repository root' },
      ]);
    const { path } = readme.entry;
    if (readme.text === undefined) {
      return result.warn(`${path} ${readme.unreadable}`, [
        { message: `${path} ${readme.unreadable}; a README should be plain text or Markdown`, path },
      ]);
    }
    const text = readme.text;
    const words = countWords(text);
    const onlyTitle = text.split('\n').filter((line) => line.trim() && !/^\s*(#|=+$|-+$)/.test(line)).length === 0;
    if (onlyTitle || words < STUB_WORDS) {
      return result.warn(`${path} is a stub (${words} words${onlyTitle ? ', only a title' : ''})`, [
        {
          message: `${path} has ${words} words of prose; say what the project does, how to install, run and test it`,
          path,
          line: 1,
        },
      ]);
    }
    return result.pass(`${path} (${words} words)`);
  },
});
