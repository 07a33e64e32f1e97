import { defineCheck, result } from '../../src/engine/define-check.js';

export default defineCheck({
  id: 'gitignore-present',
  category: 'foundations',
  severity: 'low',
  problemTitle: 'There is no .gitignore at the repository root',
  title: '.gitignore present',
  description: 'A `.gitignore` file exists at the repository root.',
  rationale:
    'Without a root `.gitignore`, build output, dependency folders, editor files and local `.env` files end up in commits — noise in reviews at best, leaked credentials at worst.',
  remediation: [
    'Add `.gitignore` at the repository root, starting from the template for your language (github.com/github/gitignore):',
    '',
    '```gitignore',
    'node_modules/',
    'dist/',
    'coverage/',
    '.env',
    '.env.*',
    '!.env.example',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: {},
  evaluate({ snapshot }) {
    const entry = snapshot.entry('.gitignore');
    if (entry && entry.kind !== 'submodule')
      return result.pass(`.gitignore at the root${entry.kind === 'symlink' ? ' (a symlink)' : ''}`);
    const nested = snapshot.entries.filter((candidate) => candidate.path.endsWith('/.gitignore')).length;
    const note = nested ? ` (${nested} .gitignore file(s) in sub-directories only cover those directories)` : '';
    return result.fail(`No .gitignore at the repository root${note}`, [
      { message: `add .gitignore at the repository root${note}` },
    ]);
  },
});
