import { defineCheck } from '../../src/engine/define-check.js';
import { evaluateToggle } from '../lib/settings.js';

export default defineCheck({
  id: 'secret-scanning-enabled',
  category: 'security',
  severity: 'high',
  problemTitle: 'Secret scanning is turned off',
  title: 'Secret scanning enabled',
  description:
    "GitHub secret scanning is enabled for the repository, so GitHub alerts on credentials in the whole history and its partners revoke leaked tokens. Read from the repository's `security_and_analysis` settings; `not-supported` when the source cannot tell (a local directory, or an App without the needed permission).",
  rationale:
    'Secrets reach repositories despite reviews. Secret scanning covers every commit, issue and pull request with hundreds of provider patterns, and many providers revoke a leaked token automatically — but only if it is turned on.',
  remediation: [
    'Turn it on under **Settings → Code security → Secret Protection** (free for public repositories; GitHub Secret Protection for private ones), or with the API:',
    '',
    '```sh',
    'gh api -X PATCH repos/OWNER/REPO --input - <<< \'{"security_and_analysis":{"secret_scanning":{"status":"enabled"}}}\'',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { settings: ['secretScanning'] },
  evaluate({ snapshot }) {
    return evaluateToggle(snapshot.setting('secretScanning'), {
      what: 'secret scanning is enabled',
      setting: 'secret scanning',
      on: 'secret scanning is enabled',
      off: 'secret scanning is disabled',
      fix: 'enable secret scanning in Settings → Code security',
    });
  },
});
