import { defineCheck } from '../../src/engine/define-check.js';
import { evaluateToggle } from '../lib/settings.js';

export default defineCheck({
  id: 'secret-push-protection-enabled',
  category: 'security',
  severity: 'medium',
  problemTitle: 'Secret push protection is turned off',
  title: 'Secret push protection enabled',
  description:
    'Secret scanning push protection is enabled, so pushes that contain a supported secret are blocked before the secret enters the history. `not-supported` when the source cannot tell (a local directory, or an App without the needed permission).',
  rationale:
    'Secret scanning finds a leak after the fact, when the credential must already be rotated. Push protection stops it at `git push`, which is the only moment a leak costs nothing.',
  remediation: [
    'Turn it on under **Settings → Code security → Secret Protection → Push protection** (secret scanning must be on), or with the API:',
    '',
    '```sh',
    'gh api -X PATCH repos/OWNER/REPO --input - <<< \'{"security_and_analysis":{"secret_scanning_push_protection":{"status":"enabled"}}}\'',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { settings: ['secretPushProtection'] },
  evaluate({ snapshot }) {
    return evaluateToggle(snapshot.setting('secretPushProtection'), {
      what: 'push protection is enabled',
      setting: 'push protection',
      on: 'secret scanning push protection is enabled',
      off: 'secret scanning push protection is disabled',
      fix: 'enable push protection in Settings → Code security (it needs secret scanning on)',
    });
  },
});
