import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'test/fixtures/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Checks are pure functions of a snapshot: they never talk to GitHub or Probot.
    files: ['checks/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/github/**', '**/app/**', 'probot', '@octokit/*'],
              message: 'Checks must not reach GitHub or Probot: declare needs instead.',
            },
            {
              group: ['node:fs', 'node:fs/*', 'fs', 'node:child_process'],
              message: 'Checks read files through the snapshot only.',
            },
          ],
        },
      ],
    },
  },
);
