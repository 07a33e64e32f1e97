import { defineCheck } from '../../src/engine/define-check.js';
import { evaluateToggle } from '../lib/settings.js';

export default defineCheck({
  id: 'dependabot-alerts-enabled',
  category: 'security',
  severity: 'high',
  problemTitle: 'Dependabot alerts are turned off',
  title: 'Dependabot alerts enabled',
  description:
    'Dependabot alerts (vulnerability alerts for dependencies in the dependency graph) are enabled. `not-supported` when the source cannot tell (a local directory, or an App without the needed permission).',
  rationale:
    'Most vulnerabilities a service ships come from its dependencies. Dependabot alerts match the dependency graph against the GitHub Advisory Database and tell maintainers the day an advisory is published; without them a known-vulnerable version can stay in production for months.',
  remediation: [
    'Turn them on under **Settings → Code security → Dependabot alerts**, or with the API:',
    '',
    '```sh',
    'gh api -X PUT repos/OWNER/REPO/vulnerability-alerts',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { settings: ['dependabotAlerts'] },
  evaluate({ snapshot }) {
    return evaluateToggle(snapshot.setting('dependabotAlerts'), {
      what: 'Dependabot alerts are enabled',
      setting: 'Dependabot alerts',
      on: 'Dependabot alerts are enabled',
      off: 'Dependabot alerts are disabled',
      fix: 'enable Dependabot alerts in Settings → Code security',
    });
  },
});
