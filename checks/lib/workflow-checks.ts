/** Shared pieces of the ci and workflows checks: other CI systems, parse problems as findings, summaries. */
import { result } from '../../src/engine/define-check.js';
import type { CheckResult, Finding } from '../../src/engine/types.js';
import { getWorkflows, NEEDS, type Workflow, type WorkflowModel } from '../../src/parsers/workflows.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import {
  classifyShellLine,
  describeHit,
  findCommands,
  FOLLOWED_COMMAND_NEEDS,
  logicalLines,
  PULL_REQUEST_EVENTS,
  type CommandKind,
} from './commands.js';

/** CI systems besides GitHub Actions, by the files that configure them. */
export const OTHER_CI: Array<{ name: string; globs: string[] }> = [
  { name: 'GitLab CI', globs: ['.gitlab-ci.yml', '.gitlab-ci.yaml', '.gitlab/ci/*.{yml,yaml}'] },
  { name: 'CircleCI', globs: ['.circleci/config.yml', '.circleci/config.yaml'] },
  { name: 'Jenkins', globs: ['Jenkinsfile', 'jenkins/Jenkinsfile', '*.Jenkinsfile', 'Jenkinsfile.*'] },
  {
    name: 'Azure Pipelines',
    globs: [
      'azure-pipelines.yml',
      'azure-pipelines.yaml',
      '.azure-pipelines/*.{yml,yaml}',
      '.azuredevops/*.{yml,yaml}',
    ],
  },
  { name: 'Travis CI', globs: ['.travis.yml', '.travis.yaml'] },
  { name: 'Buildkite', globs: ['.buildkite/pipeline.yml', '.buildkite/pipeline.yaml', '.buildkite/*.{yml,yaml}'] },
  { name: 'Drone', globs: ['.drone.yml', '.drone.yaml', '.drone.star'] },
  { name: 'Bitbucket Pipelines', globs: ['bitbucket-pipelines.yml'] },
  { name: 'Woodpecker', globs: ['.woodpecker.yml', '.woodpecker.yaml', '.woodpecker/*.{yml,yaml}'] },
  { name: 'AppVeyor', globs: ['appveyor.yml', '.appveyor.yml'] },
  { name: 'Cirrus CI', globs: ['.cirrus.yml'] },
  { name: 'Semaphore', globs: ['.semaphore/semaphore.yml'] },
  { name: 'Google Cloud Build', globs: ['cloudbuild.yaml', 'cloudbuild.yml'] },
  { name: 'AWS CodeBuild', globs: ['buildspec.yml', 'buildspec.yaml'] },
  { name: 'TeamCity', globs: ['.teamcity/settings.kts', '.teamcity/pom.xml'] },
];

export const OTHER_CI_GLOBS = OTHER_CI.flatMap((ci) => ci.globs);

/** Needs of a check that reads workflows and, as a fallback, other CI configuration. */
export const CI_NEEDS = [...NEEDS, ...OTHER_CI_GLOBS, ...FOLLOWED_COMMAND_NEEDS];

export const OTHER_CI_NAMES = OTHER_CI.map((ci) => ci.name).join(', ');

/** The other CI configurations present: name and file. */
export function findOtherCi(snapshot: RepoSnapshot): Array<{ name: string; path: string }> {
  // Five checks ask, some twice: the globs run once per snapshot, and each caller gets its own copy.
  const found = snapshot.memo('workflow-checks:other-ci', () => {
    const all: Array<{ name: string; path: string }> = [];
    for (const ci of OTHER_CI)
      for (const entry of snapshot.glob(ci.globs))
        if (entry.kind === 'file') all.push({ name: ci.name, path: entry.path });
    return all;
  });
  return found.map((ci) => ({ ...ci }));
}

/** Lines of other CI configurations that run a command of `kind` (their triggers are not modelled). */
export function scanOtherCi(
  snapshot: RepoSnapshot,
  kind: CommandKind,
): Array<{ name: string; path: string; line: number; text: string }> {
  const hits: Array<{ name: string; path: string; line: number; text: string }> = [];
  for (const ci of findOtherCi(snapshot)) {
    const text = snapshot.text(ci.path);
    if (!text) continue;
    const lines = text.split(/\r?\n/).map((line, index) => ({
      text: line.replace(/^\s*-\s+/, '').replace(/^\s*(?:script|run|command|sh|bat)\s*[:(]\s*['"]?/, ''),
      line: index + 1,
    }));
    for (const logical of logicalLines(lines)) {
      if (classifyShellLine(logical.text).some((item) => item.kind === kind))
        hits.push({ ...ci, line: logical.line, text: logical.text.trim() });
    }
  }
  return hits;
}

/** Parse problems of workflow and action files, as findings with their lines. */
export function problemFindings(model: WorkflowModel): Finding[] {
  return model.problems.map((problem) => ({
    message: problem.message,
    path: problem.path,
    ...(problem.line ? { line: problem.line } : {}),
  }));
}

/** A pass that becomes a warn when some workflow files could not be parsed (the verdict covers only the rest). */
export function passUnlessProblems(summary: string, model: WorkflowModel, findings: Finding[] = []): CheckResult {
  const problems = problemFindings(model);
  if (!problems.length) return { outcome: 'pass', summary, findings };
  return {
    outcome: 'warn',
    summary: `${summary}; ${problems.length} workflow file problem(s) left parts unchecked`,
    findings: [...findings, ...problems],
  };
}

/** `a, b and 3 more` for summaries. */
export function listSome(items: readonly string[], max = 3): string {
  const unique = [...new Set(items)];
  if (unique.length <= max) return unique.join(', ');
  return `${unique.slice(0, max).join(', ')} and ${unique.length - max} more`;
}

/** True when the model holds no workflow at all (parsed or broken). */
export function hasNoWorkflows(model: WorkflowModel): boolean {
  return (
    model.workflows.length === 0 && !model.problems.some((problem) => problem.path.startsWith('.github/workflows/'))
  );
}

const GATING_TYPES = ['opened', 'synchronize', 'reopened'];

/**
 * True when the workflow runs on pull-request changes before they merge: `pull_request` (with no `types`, or types that
 * include opened/synchronize/reopened) or `merge_group`. `types: [closed]` runs after the merge and does not count.
 */
export function checksPullRequestChanges(workflow: Workflow): boolean {
  return workflow.triggers.some((trigger) => {
    if (!PULL_REQUEST_EVENTS.includes(trigger.event)) return false;
    const config = trigger.config as { types?: unknown } | null;
    if (trigger.event !== 'pull_request' || !config || typeof config !== 'object' || config.types === undefined)
      return true;
    const types = Array.isArray(config.types) ? config.types.map(String) : [String(config.types)];
    return types.some((type) => GATING_TYPES.includes(type));
  });
}

/** Wording of the two "does a pull-request workflow run X" checks. */
export interface PullRequestCommandText {
  /** "tests", "linters". */
  what: string;
  /** What was looked for, for the finding when nothing is found. */
  lookedFor: string;
}

/**
 * The shared verdict of ci-runs-tests-on-pull-requests and ci-runs-linters: pass when a pull-request workflow runs a
 * blocking command of `kind`; warn when every such command cannot fail the build, when it runs on push only, or when
 * a remote reusable workflow may hold it; fail otherwise. Other CI systems are scanned as a fallback.
 */
export function evaluatePullRequestCommands(
  repository: RepoSnapshot,
  kind: CommandKind,
  text: PullRequestCommandText,
): CheckResult {
  const model = getWorkflows(repository);
  const problems = problemFindings(model);
  const onPullRequest = checksPullRequestChanges;
  const hits = findCommands(model, [kind], { workflows: onPullRequest, snapshot: repository, onPullRequests: true });
  const blocking = hits.filter((hit) => !hit.nonBlocking);
  if (blocking.length) {
    const first = blocking[0];
    return passUnlessProblems(
      `${text.what} run on pull requests: \`${first.text}\` (${first.tool}) at ${describeHit(first)}${blocking.length > 1 ? ` and ${blocking.length - 1} more` : ''}`,
      model,
    );
  }
  if (hits.length) {
    return result.warn(
      `${text.what} run on pull requests but cannot fail the build`,
      [
        ...hits.map((hit) => ({
          message: `\`${hit.text}\` cannot fail the build (${hit.nonBlockingReason}); remove \`continue-on-error\` / \`|| true\` so a failure blocks the merge`,
          path: hit.path,
          line: hit.line,
        })),
        ...problems,
      ],
      0.5,
    );
  }
  const pushOnly = findCommands(model, [kind], {
    workflows: (workflow) => !onPullRequest(workflow),
    snapshot: repository,
  });
  if (pushOnly.length) {
    return result.warn(
      `${text.what} run only on other events (${listSome(pushOnly.map((hit) => hit.workflow.triggers.map((trigger) => trigger.event).join('/')))}), not on pull requests`,
      [
        ...pushOnly.slice(0, 10).map((hit) => ({
          message: `\`${hit.text}\` runs in ${hit.workflow.path}, which has no \`pull_request\` trigger: add one so changes are checked before they merge`,
          path: hit.workflow.path,
          line: hit.workflow.triggersLine,
        })),
        ...problems,
      ],
      0.5,
    );
  }
  const remote = model.workflows
    .filter(onPullRequest)
    .flatMap((workflow) =>
      workflow.jobs.filter((job) => job.uses && !job.uses.value.startsWith('./')).map((job) => ({ workflow, job })),
    );
  if (remote.length) {
    return result.warn(
      `no ${text.what} found in this repository's pull-request workflows; they may run in a reusable workflow of another repository`,
      [
        ...remote.map(({ workflow, job }) => ({
          message: `job \`${job.id}\` calls \`${job.uses!.value}\`, which shipready cannot read; if it runs ${text.what}, suppress this finding with a comment`,
          path: workflow.path,
          line: job.uses!.line,
        })),
        ...problems,
      ],
      0.5,
    );
  }
  if (!model.workflows.length) {
    const other = scanOtherCi(repository, kind);
    if (other.length) {
      return result.pass(
        `${text.what} run in ${other[0].name}: \`${other[0].text}\` at ${other[0].path}:${other[0].line} (its triggers are not checked)`,
        problems,
      );
    }
  }
  const prWorkflows = model.workflows.filter(onPullRequest);
  const findings: Finding[] = prWorkflows.length
    ? prWorkflows.map((workflow) => ({
        message: `${workflow.path} runs on pull requests but no step runs ${text.what} (looked for ${text.lookedFor})`,
        path: workflow.path,
        line: workflow.triggersLine,
      }))
    : [
        {
          message: `no workflow runs on \`pull_request\`${model.workflows.length ? '' : ' (there is no workflow)'}; looked for ${text.lookedFor}`,
        },
      ];
  return result.fail(`no pull-request workflow runs ${text.what}`, [...findings, ...problems]);
}

/** Where a command of `kind` runs in any workflow (any trigger) or, without workflows, in another CI system. */
export function findAnyCommand(
  repository: RepoSnapshot,
  kind: CommandKind,
): { where: string; tool: string; text: string } | undefined {
  const model = getWorkflows(repository);
  const [hit] = findCommands(model, [kind], { snapshot: repository });
  if (hit) return { where: describeHit(hit), tool: hit.tool, text: hit.text };
  const [other] = scanOtherCi(repository, kind);
  if (other) return { where: `${other.path}:${other.line} (${other.name})`, tool: other.name, text: other.text };
  return undefined;
}
