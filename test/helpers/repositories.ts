/** Repositories the App is run on end to end (the simulator's `files`). */

/** The CI workflow of `ONE_FAILURE_TO_FILE` (no `permissions:`), with more jobs or top-level keys when given. */
export const WORKFLOW = (extra = '', permissions = '') =>
  `name: ci\non: [push]\n${permissions}jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n${extra}`;

/**
 * A small service with one high-severity failure left to file (workflow-permissions-restricted), so the issue
 * lifecycle is readable: the checks that would fail besides it are turned off, and issues are filed automatically.
 */
export const ONE_FAILURE_TO_FILE: Record<string, string> = {
  'README.md': '# api\n\nA small service.\n',
  'package.json':
    '{"name":"api","version":"1.0.0","scripts":{"test":"node --test"},"dependencies":{"express":"^4.19.0"}}\n',
  Dockerfile: 'FROM node:20\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node","index.js"]\n',
  '.github/workflows/ci.yml': WORKFLOW(),
  '.github/shipready.yml': [
    'checks:',
    '  license-present: off',
    '  security-policy-present: off',
    '  lockfile-committed: off',
    '  dependency-update-tool-configured: off',
    '  dependency-vulnerability-scanning: off',
    '  default-branch-protected: off',
    '  secret-scanning-enabled: off',
    '  dependabot-alerts-enabled: off',
    // A manifest without source or tests is a skeleton whose tests-present fails (high); not what these tests file.
    '  tests-present: off',
    'issues:',
    '  file: auto',
    '',
  ].join('\n'),
};
