import { isTwoLevelDirectory } from '../lib/tree-queries.js';
import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { orgFilesMatching } from '../lib/community-files.js';
import type { FileEdit } from '../../src/fix/types.js';

/** An issue form (GitHub renders it as fields; the required one keeps reports from arriving empty). */
const BUG_REPORT_FORM = [
  'name: Bug report',
  'description: Something does not work as documented',
  'labels: [bug]',
  'body:',
  '  - type: textarea',
  '    id: what-happened',
  '    attributes:',
  '      label: What happened, and what did you expect?',
  '    validations:',
  '      required: true',
  '  - type: textarea',
  '    id: steps',
  '    attributes:',
  '      label: Steps to reproduce',
  '  - type: input',
  '    id: version',
  '    attributes:',
  '      label: Version',
  '',
].join('\n');

const PULL_REQUEST_TEMPLATE = [
  '## What and why',
  '',
  '<!-- What does this change, and why? Link the issue it closes. -->',
  '',
  '## How it was tested',
  '',
  '<!-- The tests added or run, and anything a reviewer should try by hand. -->',
  '',
].join('\n');

/** Single-file templates GitHub reads at the root, in `.github/` or in `docs/`, and template folders (any case). */
const ISSUE_FILE = /^(\.github\/|docs\/)?issue[-_]template(\.(md|markdown|txt))?$/i;
const ISSUE_FOLDER = /^(\.github\/|docs\/)?issue[-_]template\/([^/]+)$/i;
const GITLAB_ISSUE = /^\.gitlab\/issue_templates\/[^/]+\.md$/i;
const PR_FILE = /^(\.github\/|docs\/)?pull[-_]request[-_]template(\.(md|markdown|txt))?$/i;
const PR_FOLDER = /^(\.github\/|docs\/)?pull[-_]request[-_]template\/[^/]+\.(md|markdown|txt)$/i;
const GITLAB_MR = /^\.gitlab\/merge_request_templates\/[^/]+\.md$/i;
/** The chooser's settings file is not a template. */
const CHOOSER_CONFIG = /\/config\.ya?ml$/i;

function isIssueTemplate(path: string): boolean {
  if (ISSUE_FILE.test(path) || GITLAB_ISSUE.test(path)) return true;
  const folder = ISSUE_FOLDER.exec(path);
  return Boolean(folder && /\.(md|markdown|ya?ml)$/i.test(folder[2]) && !CHOOSER_CONFIG.test(path));
}

function isPullRequestTemplate(path: string): boolean {
  return PR_FILE.test(path) || PR_FOLDER.test(path) || GITLAB_MR.test(path);
}

function find(snapshot: RepoSnapshot, test: (path: string) => boolean): { local: string[]; org: string[] } {
  // Every template path is anchored at the root, at most two folders down: only those entries are tested.
  const local = snapshot.index
    .where('two-levels', { directory: isTwoLevelDirectory })
    .filter((entry) => entry.kind !== 'submodule' && test(entry.path))
    .map((entry) => entry.path);
  return { local, org: local.length ? [] : orgFilesMatching(snapshot, test) };
}

export default defineCheck({
  id: 'contribution-templates-present',
  category: 'foundations',
  severity: 'low',
  problemTitle: 'Issue or pull request templates are missing',
  title: 'Issue and pull request templates present',
  description:
    "An issue template (a form or Markdown file in `.github/ISSUE_TEMPLATE/`, or `issue_template.md` at the root, in `.github/` or in `docs/`) and a pull request template (`pull_request_template.md` in the same places, or a `PULL_REQUEST_TEMPLATE/` folder) exist; GitLab's `.gitlab/issue_templates/` and `.gitlab/merge_request_templates/` count too. From the GitHub source, templates of the organisation's `.github` repository count (the finding says so). `ISSUE_TEMPLATE/config.yml` alone is not a template. Fails, with half the score, when only one of the two exists.",
  rationale:
    'Templates ask reporters for the version, the steps to reproduce and the expected result, and ask authors how a change was tested. Without them, maintainers spend the first round of every issue and review asking for the same facts.',
  remediation: [
    'Add an issue form `.github/ISSUE_TEMPLATE/bug_report.yml` and a pull request template `.github/pull_request_template.md`:',
    '',
    '```yaml',
    '# .github/ISSUE_TEMPLATE/bug_report.yml',
    'name: Bug report',
    'description: Something does not work as documented',
    'body:',
    '  - type: textarea',
    '    attributes: { label: What happened, and what did you expect? }',
    '    validations: { required: true }',
    '  - type: input',
    '    attributes: { label: Version }',
    '```',
    '',
    '```markdown',
    '<!-- .github/pull_request_template.md -->',
    '## What and why',
    '',
    '## How it was tested',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { settings: ['orgCommunityFiles'] },
  evaluate({ snapshot }) {
    const issues = find(snapshot, isIssueTemplate);
    const pulls = find(snapshot, isPullRequestTemplate);
    const describe = (found: { local: string[]; org: string[] }) =>
      found.local.length
        ? `${found.local.length > 1 ? `${found.local.length} files in ${found.local[0].replace(/\/[^/]+$/, '/')}` : found.local[0]}`
        : `inherited from the org's .github repository (${found.org[0]})`;
    const hasIssue = issues.local.length + issues.org.length > 0;
    const hasPull = pulls.local.length + pulls.org.length > 0;
    if (hasIssue && hasPull)
      return result.pass(`Issue template: ${describe(issues)}; pull request template: ${describe(pulls)}`);
    const findings: Finding[] = [];
    const chooserOnly = snapshot.index
      .where('two-levels', { directory: isTwoLevelDirectory })
      .find((entry) => /^(\.github\/|docs\/)?issue[-_]template\/config\.ya?ml$/i.test(entry.path));
    if (!hasIssue) {
      findings.push({
        message: `no issue template: looked for .github/ISSUE_TEMPLATE/*.{yml,md} and issue_template.md at the root, in .github/ and in docs/${chooserOnly ? ` (${chooserOnly.path} only configures the template chooser)` : ''}; add .github/ISSUE_TEMPLATE/bug_report.yml`,
        ...(chooserOnly ? { path: chooserOnly.path } : {}),
      });
    }
    if (!hasPull) {
      findings.push({
        message:
          'no pull request template: looked for pull_request_template.md at the root, in .github/ and in docs/, and .github/PULL_REQUEST_TEMPLATE/; add .github/pull_request_template.md',
      });
    }
    if (!hasIssue && !hasPull) return result.fail('No issue template and no pull request template', findings);
    const summary = hasIssue
      ? `Issue template (${describe(issues)}) but no pull request template`
      : `Pull request template (${describe(pulls)}) but no issue template`;
    return { outcome: 'fail', summary, findings, score: 0.5 };
  },
  fixable: 'adds the missing issue form (.github/ISSUE_TEMPLATE/bug_report.yml) and pull request template',
  fix({ snapshot }) {
    const hasIssue = find(snapshot, isIssueTemplate);
    const hasPull = find(snapshot, isPullRequestTemplate);
    const edits: FileEdit[] = [];
    if (!hasIssue.local.length && !hasIssue.org.length)
      edits.push({ kind: 'create', path: '.github/ISSUE_TEMPLATE/bug_report.yml', text: BUG_REPORT_FORM });
    if (!hasPull.local.length && !hasPull.org.length)
      edits.push({ kind: 'create', path: '.github/pull_request_template.md', text: PULL_REQUEST_TEMPLATE });
    return { edits };
  },
});
