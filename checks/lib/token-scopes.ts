import type { Job } from '../../src/parsers/workflows.js';

type ScopeNeed = Record<string, 'write'>;

/**
 * Actions known to write with the GITHUB_TOKEN, by `owner/repo` (or `owner/repo/path` where one repository holds
 * several actions), and the scopes they need. Read from their documentation; an action not listed is assumed to
 * need no write scope, and a job that hands the token to one is named in a note to review.
 */
const NONE: ScopeNeed = {};

const ACTION_SCOPES: Record<string, ScopeNeed | ((step: Job['steps'][number]) => ScopeNeed)> = {
  'softprops/action-gh-release': { contents: 'write' },
  'ncipollo/release-action': { contents: 'write' },
  'actions/create-release': { contents: 'write' },
  'actions/upload-release-asset': { contents: 'write' },
  'googleapis/release-please-action': { contents: 'write', 'pull-requests': 'write', issues: 'write' },
  'google-github-actions/release-please-action': { contents: 'write', 'pull-requests': 'write', issues: 'write' },
  'changesets/action': { contents: 'write', 'pull-requests': 'write' },
  'peter-evans/create-pull-request': { contents: 'write', 'pull-requests': 'write' },
  'stefanzweifel/git-auto-commit-action': { contents: 'write' },
  'EndBug/add-and-commit': { contents: 'write' },
  'ad-m/github-push-action': { contents: 'write' },
  'peaceiris/actions-gh-pages': { contents: 'write' },
  'JamesIves/github-pages-deploy-action': { contents: 'write' },
  'actions/deploy-pages': { pages: 'write', 'id-token': 'write' },
  'github/codeql-action/analyze': { 'security-events': 'write' },
  'github/codeql-action/upload-sarif': { 'security-events': 'write' },
  'ossf/scorecard-action': { 'security-events': 'write', 'id-token': 'write' },
  'actions/attest-build-provenance': { 'id-token': 'write', attestations: 'write' },
  'actions/attest': { 'id-token': 'write', attestations: 'write' },
  'peter-evans/create-or-update-comment': { 'pull-requests': 'write', issues: 'write' },
  'marocchino/sticky-pull-request-comment': { 'pull-requests': 'write' },
  'thollander/actions-comment-pull-request': { 'pull-requests': 'write' },
  'actions/labeler': { 'pull-requests': 'write' },
  'actions/stale': { issues: 'write', 'pull-requests': 'write' },
  'actions/first-interaction': { issues: 'write', 'pull-requests': 'write' },
  'docker/login-action': (step) => (/ghcr\.io/.test(step.with.registry?.value ?? '') ? { packages: 'write' } : NONE),
  'aws-actions/configure-aws-credentials': (step) =>
    step.with['role-to-assume'] && !step.with['aws-secret-access-key'] ? { 'id-token': 'write' } : NONE,
  'google-github-actions/auth': (step) => (step.with.workload_identity_provider ? { 'id-token': 'write' } : NONE),
  'azure/login': (step) => (step.with['client-id'] && !step.with.creds ? { 'id-token': 'write' } : NONE),
  'pypa/gh-action-pypi-publish': (step) => (step.with.password ? NONE : { 'id-token': 'write' }),
};

/** Shell commands that write with the token: `git push`, the `gh` verbs that create or change things. */
const RUN_SCOPES: Array<{ test: (line: string) => boolean; scopes: ScopeNeed }> = [
  { test: (line) => line.includes('git push'), scopes: { contents: 'write' } },
  { test: (line) => line.includes('gh release '), scopes: { contents: 'write' } },
  {
    test: (line) => /\bgh pr (create|merge|comment|edit|review|close)\b/.test(line),
    scopes: { 'pull-requests': 'write' },
  },
  { test: (line) => /\bgh issue (create|comment|edit|close)\b/.test(line), scopes: { issues: 'write' } },
  { test: (line) => line.includes('--provenance'), scopes: { 'id-token': 'write' } },
];

const TOKEN = /secrets\.GITHUB_TOKEN|github\.token/;

/** The action's key in ACTION_SCOPES: `owner/repo/path` when listed, else `owner/repo`; case as written. */
function actionKey(uses: string): string | undefined {
  const at = uses.indexOf('@');
  const name = at < 0 ? uses : uses.slice(0, at);
  if (name.startsWith('./') || name.startsWith('docker://')) return undefined;
  const lower = name.toLowerCase();
  const match = Object.keys(ACTION_SCOPES).find((key) => key.toLowerCase() === lower);
  if (match) return match;
  const [owner, repo] = name.split('/');
  const short = `${owner}/${repo}`.toLowerCase();
  return Object.keys(ACTION_SCOPES).find((key) => key.toLowerCase() === short);
}

/**
 * The write scopes a job's steps need, and what could not be judged (the token handed to an action shipready does
 * not know, `actions/github-script`, `gh api`): the fixer grants the first and names the second in a note.
 */
export function writeScopesOf(job: Job): { scopes: Set<string>; unsure: string[] } {
  const scopes = new Set<string>();
  const unsure: string[] = [];
  const add = (need: ScopeNeed) => Object.keys(need).forEach((scope) => scopes.add(scope));
  for (const step of job.steps) {
    if (step.uses) {
      const key = actionKey(step.uses.value);
      const known = key ? ACTION_SCOPES[key] : undefined;
      if (known) add(typeof known === 'function' ? known(step) : known);
      else if (
        step.uses.value.startsWith('actions/github-script') ||
        Object.values(step.with).some((value) => TOKEN.test(value.value))
      )
        unsure.push(`\`${step.uses.value}\` (line ${step.uses.line})`);
    }
    for (const line of step.run?.lines ?? []) {
      for (const rule of RUN_SCOPES) if (rule.test(line.text)) add(rule.scopes);
      if (line.text.includes('gh api')) unsure.push(`\`gh api\` (line ${line.line})`);
    }
  }
  return { scopes, unsure };
}
