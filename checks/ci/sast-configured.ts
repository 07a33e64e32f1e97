import { defineCheck, result } from '../../src/engine/define-check.js';
import { getWorkflows } from '../../src/parsers/workflows.js';
import { CI_NEEDS, findAnyCommand, passUnlessProblems, problemFindings } from '../lib/workflow-checks.js';

const LOOKED_FOR =
  'github/codeql-action, CodeQL default setup, Semgrep, Bandit, gosec, SonarCloud/SonarQube, Snyk Code, Brakeman, njsscan, Microsoft Security DevOps';

export default defineCheck({
  id: 'sast-configured',
  category: 'ci',
  severity: 'medium',
  problemTitle: 'No static security analysis (SAST) runs on the code',
  title: 'Static application security testing configured',
  description:
    'A CodeQL workflow or CodeQL default setup (GitHub source), or Semgrep, Bandit, gosec, Sonar, Snyk Code or another SAST tool runs in CI.',
  rationale:
    'Static analysis finds injection, path traversal, unsafe deserialisation and hard-coded credentials in your own code on every change, before a reviewer or an attacker has to.',
  remediation: [
    'Enable CodeQL default setup (Settings → Code security → Code scanning), or add `.github/workflows/codeql.yml`:',
    '',
    '```yaml',
    'on:',
    '  pull_request:',
    '  push:',
    '    branches: [main]',
    'permissions:',
    '  contents: read',
    'jobs:',
    '  analyze:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 30',
    '    permissions:',
    '      security-events: write',
    '    steps:',
    '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    '      - uses: github/codeql-action/init@<sha> # v3',
    '        with:',
    '          languages: javascript-typescript',
    '      - uses: github/codeql-action/analyze@<sha> # v3',
    '```',
  ].join('\n'),
  effort: 'minutes',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'repository',
  needs: { files: CI_NEEDS, settings: ['codeScanningDefaultSetup'] },
  evaluate({ repository }) {
    const model = getWorkflows(repository);
    const found = findAnyCommand(repository, 'sast');
    if (found)
      return passUnlessProblems(
        `static analysis runs in CI: \`${found.text}\` (${found.tool}) at ${found.where}`,
        model,
      );
    const setup = repository.setting('codeScanningDefaultSetup');
    if (setup.status === 'ok' && setup.value.configured) {
      return passUnlessProblems(
        `CodeQL default setup is configured${setup.value.languages.length ? ` (${setup.value.languages.join(', ')})` : ''}`,
        model,
      );
    }
    const note =
      setup.status === 'ok'
        ? 'CodeQL default setup is not configured'
        : `CodeQL default setup could not be checked (${setup.reason})`;
    return result.fail(`No static security analysis found; ${note}`, [
      { message: `no SAST step in CI (looked for ${LOOKED_FOR}); ${note}` },
      ...problemFindings(model),
    ]);
  },
});
