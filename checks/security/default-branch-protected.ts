import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import type { BranchProtection } from '../../src/snapshot/types.js';
import { unknownSetting } from '../lib/settings.js';

/**
 * The rules and the share of the score each one carries. Reviews weigh most (they are what stops a bad change);
 * status checks next; blocking force pushes and deletions protect the history itself and are cheap to turn on.
 * An approval only counts when pull requests are required (it is a pull-request rule).
 */
export const BRANCH_RULES: Array<{
  id: string;
  weight: number;
  label: string;
  met: (protection: BranchProtection) => boolean;
  fix: string;
}> = [
  {
    id: 'pull-request',
    weight: 0.3,
    label: 'pull requests required before merging',
    met: (protection) => protection.requiresPullRequest,
    fix: 'require a pull request before merging',
  },
  {
    id: 'approval',
    weight: 0.25,
    label: 'at least 1 approving review',
    met: (protection) => protection.requiresPullRequest && protection.requiredApprovals >= 1,
    fix: 'require at least 1 approving review',
  },
  {
    id: 'status-checks',
    weight: 0.2,
    label: 'status checks required to pass',
    met: (protection) => protection.requiresStatusChecks,
    fix: 'require status checks to pass (select the CI jobs)',
  },
  {
    id: 'force-push',
    weight: 0.15,
    label: 'force pushes blocked',
    met: (protection) => protection.blocksForcePushes,
    fix: 'block force pushes',
  },
  {
    id: 'deletion',
    weight: 0.1,
    label: 'deletion blocked',
    met: (protection) => protection.blocksDeletions,
    fix: 'restrict deletions',
  },
];

function describeSource(protection: BranchProtection): string {
  if (protection.source === 'ruleset') {
    const names = protection.rulesets?.length ? ` ${protection.rulesets.map((name) => `"${name}"`).join(', ')}` : '';
    return `ruleset${(protection.rulesets?.length ?? 0) > 1 ? 's' : ''}${names}`;
  }
  return 'classic branch protection';
}

export default defineCheck({
  id: 'default-branch-protected',
  category: 'security',
  severity: 'high',
  problemTitle: 'The default branch is not protected',
  title: 'Default branch protected',
  description: [
    'The default branch is protected — by rulesets first, classic branch protection second (the two are merged) — with these rules, each carrying a share of the score:',
    'pull requests required (0.30), at least 1 approving review (0.25; counts only with pull requests required), required status checks (0.20), force pushes blocked (0.15), deletions blocked (0.10).',
    'All five pass; some warn with the sum of their shares as the score; none (or no protection at all) fails. Findings name each missing rule.',
    '`not-supported` when the source cannot tell (a local directory, or an App without the Administration read permission).',
  ].join(' '),
  rationale:
    'An unprotected default branch lets anyone with write access push untested, unreviewed code straight to what gets deployed, rewrite its history or delete it. Reviews and required checks are the controls every other readiness check relies on.',
  remediation: [
    'Add a branch ruleset under **Settings → Rules → Rulesets → New branch ruleset** targeting the default branch, with *Restrict deletions*, *Block force pushes*, *Require a pull request before merging* (1 approval) and *Require status checks to pass*. Or with the API:',
    '',
    '```sh',
    "gh api -X POST repos/OWNER/REPO/rulesets --input - <<'JSON'",
    '{ "name": "default branch", "target": "branch", "enforcement": "active",',
    '  "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] } },',
    '  "rules": [ { "type": "deletion" }, { "type": "non_fast_forward" },',
    '    { "type": "pull_request", "parameters": { "required_approving_review_count": 1, "dismiss_stale_reviews_on_push": true,',
    '      "require_code_owner_review": false, "require_last_push_approval": false, "required_review_thread_resolution": false } },',
    '    { "type": "required_status_checks", "parameters": { "strict_required_status_checks_policy": false,',
    '      "required_status_checks": [ { "context": "test" } ] } } ] }',
    'JSON',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { settings: ['branchProtection'] },
  evaluate({ snapshot }) {
    const state = snapshot.setting('branchProtection');
    if (state.status !== 'ok')
      return unknownSetting('the default branch is protected', 'branch protection and rulesets', state);
    const protection = state.value;
    const branch = protection.branch || 'the default branch';
    if (protection.source === 'none') {
      return result.fail(`${branch} is not protected: no ruleset or classic branch protection applies`, [
        {
          message: `${branch} has no protection; add a ruleset that ${BRANCH_RULES.map((rule) => rule.fix).join(', ')}`,
        },
      ]);
    }
    const missing = BRANCH_RULES.filter((rule) => !rule.met(protection));
    const score =
      Math.round(
        BRANCH_RULES.filter((rule) => rule.met(protection)).reduce((sum, rule) => sum + rule.weight, 0) * 100,
      ) / 100;
    const by = describeSource(protection);
    if (missing.length === 0) {
      return result.pass(
        `${branch} is protected by ${by}: pull requests with ${protection.requiredApprovals} approval(s), status checks, no force pushes or deletions`,
      );
    }
    const findings: Finding[] = missing.map((rule) => ({
      message:
        rule.id === 'approval' && protection.requiresPullRequest
          ? `${branch}: pull requests need 0 approvals; ${rule.fix}`
          : `${branch}: missing rule "${rule.label}"; ${rule.fix}`,
    }));
    const summary = `${branch} is protected by ${by} but lacks ${missing.map((rule) => rule.label).join(', ')}`;
    return score === 0 ? result.fail(summary, findings) : result.warn(summary, findings, score);
  },
});
