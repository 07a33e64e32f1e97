/** Shared pieces of the ci and workflows checks: other CI systems, parse problems as findings, summaries. */
import type { CheckResult, Finding } from '../../src/engine/types.js';
import { NEEDS, type WorkflowModel } from '../../src/parsers/workflows.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { classifyShellLine, logicalLines, type CommandKind } from './commands.js';

/** CI systems besides GitHub Actions, by the files that configure them. */
export const OTHER_CI: Array<{ name: string; globs: string[] }> = [
  { name: 'GitLab CI', globs: ['.gitlab-ci.yml', '.gitlab-ci.yaml', '.gitlab/ci/*.{yml,yaml}'] },
  { name: 'CircleCI', globs: ['.circleci/config.yml', '.circleci/config.yaml'] },
  { name: 'Jenkins', globs: ['Jenkinsfile', 'jenkins/Jenkinsfile', '*.Jenkinsfile', 'Jenkinsfile.*'] },
  { name: 'Azure Pipelines', globs: ['azure-pipelines.yml', 'azure-pipelines.yaml', '.azure-pipelines/*.{yml,yaml}', '.azuredevops/*.{yml,yaml}'] },
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
export const CI_NEEDS = [...NEEDS, ...OTHER_CI_GLOBS];

export const OTHER_CI_NAMES = OTHER_CI.map((ci) => ci.name).join(', ');

/** The other CI configurations present: name and file. */
export function findOtherCi(snapshot: RepoSnapshot): Array<{ name: string; path: string }> {
  const found: Array<{ name: string; path: string }> = [];
  for (const ci of OTHER_CI) for (const entry of snapshot.glob(ci.globs)) if (entry.kind === 'file') found.push({ name: ci.name, path: entry.path });
  return found;
}

/** Lines of other CI configurations that run a command of `kind` (their triggers are not modelled). */
export function scanOtherCi(snapshot: RepoSnapshot, kind: CommandKind): Array<{ name: string; path: string; line: number; text: string }> {
  const hits: Array<{ name: string; path: string; line: number; text: string }> = [];
  for (const ci of findOtherCi(snapshot)) {
    const text = snapshot.text(ci.path);
    if (!text) continue;
    const lines = text.split(/\r?\n/).map((line, index) => ({ text: line.replace(/^\s*-\s+/, '').replace(/^\s*(?:script|run|command|sh|bat)\s*[:(]\s*['"]?/, ''), line: index + 1 }));
    for (const logical of logicalLines(lines)) {
      if (classifyShellLine(logical.text).some((item) => item.kind === kind)) hits.push({ ...ci, line: logical.line, text: logical.text.trim() });
    }
  }
  return hits;
}

/** Parse problems of workflow and action files, as findings with their lines. */
export function problemFindings(model: WorkflowModel): Finding[] {
  return model.problems.map((problem) => ({ message: problem.message, path: problem.path, ...(problem.line ? { line: problem.line } : {}) }));
}

/** A pass that becomes a warn when some workflow files could not be parsed (the verdict covers only the rest). */
export function passUnlessProblems(summary: string, model: WorkflowModel, findings: Finding[] = []): CheckResult {
  const problems = problemFindings(model);
  if (!problems.length) return { outcome: 'pass', summary, findings };
  return { outcome: 'warn', summary: `${summary}; ${problems.length} workflow file problem(s) left parts unchecked`, findings: [...findings, ...problems] };
}

/** `a, b and 3 more` for summaries. */
export function listSome(items: readonly string[], max = 3): string {
  const unique = [...new Set(items)];
  if (unique.length <= max) return unique.join(', ');
  return `${unique.slice(0, max).join(', ')} and ${unique.length - max} more`;
}

/** True when the model holds no workflow at all (parsed or broken). */
export function hasNoWorkflows(model: WorkflowModel): boolean {
  return model.workflows.length === 0 && !model.problems.some((problem) => problem.path.startsWith('.github/workflows/'));
}
