import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Ecosystem } from '../../src/engine/types.js';

/** What each ecosystem's tools write into a checkout (github/gitignore's templates, cut to the directories). */
const ECOSYSTEM_PATTERNS: Partial<Record<Ecosystem, { title: string; patterns: string[] }>> = {
  node: { title: 'Node', patterns: ['node_modules/', 'dist/', 'coverage/', '*.tsbuildinfo', 'npm-debug.log*'] },
  python: {
    title: 'Python',
    patterns: [
      '__pycache__/',
      '*.py[cod]',
      '.venv/',
      'venv/',
      '*.egg-info/',
      'dist/',
      'build/',
      '.pytest_cache/',
      '.coverage',
    ],
  },
  go: { title: 'Go', patterns: ['*.test', '*.out', 'vendor/'] },
  rust: { title: 'Rust', patterns: ['target/'] },
  java: { title: 'Java', patterns: ['target/', 'build/', '.gradle/', '*.class'] },
  ruby: { title: 'Ruby', patterns: ['.bundle/', 'vendor/bundle/', 'log/', 'tmp/'] },
  php: { title: 'PHP', patterns: ['vendor/'] },
  dotnet: { title: '.NET', patterns: ['bin/', 'obj/', '*.user'] },
  elixir: { title: 'Elixir', patterns: ['_build/', 'deps/'] },
  dart: { title: 'Dart', patterns: ['.dart_tool/', 'build/'] },
  swift: { title: 'Swift', patterns: ['.build/', 'DerivedData/'] },
};
const COMMON = ['.env', '.env.*', '!.env.example', '.DS_Store', '*.log'];

/** The glob a .gitignore pattern stands for, to test it against the tree ('dir/' ignores the directory anywhere). */
function treeGlob(pattern: string): string[] {
  const name = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  return [`**/${name}`, `**/${name}/**`];
}

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
    const nested = snapshot.index
      .namedOneOf(['.gitignore'])
      .filter((candidate) => candidate.path.endsWith('/.gitignore')).length;
    const note = nested ? ` (${nested} .gitignore file(s) in sub-directories only cover those directories)` : '';
    return result.fail(`No .gitignore at the repository root${note}`, [
      { message: `add .gitignore at the repository root${note}` },
    ]);
  },
  fixable: 'adds a root .gitignore for the detected ecosystems (never a pattern that would hide a committed file)',
  fix({ repository, ecosystems }) {
    // In a git checkout only committed files (those with a blob id) count: untracked build output is what the
    // .gitignore is for.
    const fromGit = repository.entries.some((entry) => entry.sha !== undefined);
    const committed = (entry: { sha?: string }) => !fromGit || entry.sha !== undefined;
    const lines: string[] = [];
    const kept = new Set<string>();
    const hidden: string[] = [];
    // A pattern that matches a file already in the tree would hide it from `git add` (vendored code, a committed
    // `.env` the Symfony way): such patterns are left out and named.
    const add = (pattern: string) => {
      if (kept.has(pattern)) return false;
      if (!pattern.startsWith('!') && repository.glob(treeGlob(pattern)).some(committed)) {
        if (!hidden.includes(pattern)) hidden.push(pattern);
        return false;
      }
      kept.add(pattern);
      return true;
    };
    for (const ecosystem of ecosystems) {
      const group = ECOSYSTEM_PATTERNS[ecosystem];
      if (!group) continue;
      const patterns = group.patterns.filter(add);
      if (patterns.length) lines.push(`# ${group.title}`, ...patterns, '');
    }
    const common = COMMON.filter(add);
    lines.push('# Local settings and secrets', ...common, '');
    return {
      edits: [{ kind: 'create', path: '.gitignore', text: lines.join('\n') }],
      ...(hidden.length ? { notes: [`.gitignore leaves out ${hidden.join(', ')}: files in the tree match them`] } : {}),
    };
  },
});
