import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { NEEDS as WORKFLOW_NEEDS, getWorkflows, walkJobSteps, type Step } from '../../src/parsers/workflows.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { splitCommands } from '../../src/parsers/shell.js';
import { classifyShellLine, logicalLines } from '../lib/commands.js';
import { matchWords, star, words } from '../lib/word-pattern.js';
import { DOCKERFILE_GLOBS, NO_DOCKERFILE, getDockerfilesIn, listNames } from '../lib/container.js';
import { isExcludedFromProject } from '../../src/engine/file-classes.js';

/** CI systems besides GitHub Actions, read as text. */
const OTHER_CI = [
  '.gitlab-ci.yml',
  '.gitlab/**/*.{yml,yaml}',
  '.circleci/config.yml',
  'Jenkinsfile',
  '**/Jenkinsfile',
  'azure-pipelines.yml',
  '.azure-pipelines/**/*.{yml,yaml}',
  'bitbucket-pipelines.yml',
  '.buildkite/**/*.{yml,yaml}',
  '.drone.yml',
  '.travis.yml',
  'cloudbuild.{yml,yaml}',
];

/** The scanner a CI line runs against an image, if any: shell commands as `checks/lib/commands.ts` knows them, and
 * GitLab's container-scanning template, which is configuration rather than a command. */
function imageScanTool(text: string): string | undefined {
  const command = classifyShellLine(text).find((classified) => classified.kind === 'image-scan');
  if (command) return command.tool;
  return /Container-Scanning\.gitlab-ci\.yml|\bcontainer_scanning\b/.test(text)
    ? 'GitLab container scanning'
    : undefined;
}
/** `trivy fs …` (flags first allowed), `grype dir:…`, `snyk test`: scans of the source tree, not of an image. */
const TRIVY_SOURCE_SCAN = words([
  '(?:\\S*/)?trivy',
  star('-\\S+'),
  '(?:fs|filesystem|repo|repository|config)(?:\\W.*)?',
]);
const isSourceOnlyScan = (text: string) =>
  /\bgrype\s+dir:|\bsnyk\s+test\b/.test(text) ||
  splitCommands(text).some((commandWords) => matchWords(TRIVY_SOURCE_SCAN, commandWords));
/** The scanner's word and the next one (`trivy fs`), to name a source-only scan. */
function scannerWords(text: string): string | undefined {
  const parts = text.split(/\s+/);
  const at = parts.findIndex((part) => /trivy|grype|snyk/.test(part));
  return at >= 0 && parts[at + 1] ? `${parts[at]} ${parts[at + 1]}` : undefined;
}

/** Actions that scan images, with a predicate on their inputs (trivy-action's default scan-type is `image`). */
function actionScan(step: Step): { tool: string } | { sourceOnly: string } | undefined {
  const uses = step.uses?.value.toLowerCase() ?? '';
  const input = (name: string) => step.with[name]?.value.trim().toLowerCase();
  if (uses.startsWith('aquasecurity/trivy-action')) {
    const type = input('scan-type') ?? 'image';
    return type === 'image' ? { tool: 'trivy-action' } : { sourceOnly: `trivy-action with scan-type: ${type}` };
  }
  if (uses.startsWith('anchore/scan-action'))
    return input('image') ? { tool: 'anchore/scan-action' } : { sourceOnly: 'anchore/scan-action on a path' };
  if (uses.startsWith('docker/scout-action')) return { tool: 'docker/scout-action' };
  if (uses.startsWith('snyk/actions/docker')) return { tool: 'snyk/actions/docker' };
  if (
    /^(crazy-max\/ghaction-container-scan|azure\/container-scan|sysdiglabs\/scan-action|lacework\/lw-scanner-action|neuvector\/scan-action|aquasecurity\/trivy-action|wiz-sec\/.*|prisma-cloud|palo-alto-networks\/prisma-cloud-scan|jfrog\/.*xray)/.test(
      uses,
    )
  ) {
    return { tool: uses.split('@')[0] };
  }
  if (uses.startsWith('docker://aquasec/trivy'))
    return /\bimage\b/.test(input('args') ?? '') ? { tool: 'trivy (docker)' } : { sourceOnly: 'trivy container' };
  return undefined;
}

interface Hit {
  tool: string;
  path: string;
  line: number;
  nonBlocking: boolean;
}

function scanWorkflows(repository: RepoSnapshot): {
  hits: Hit[];
  sourceOnly: Hit[];
  problems: Array<{ path: string; message: string; line?: number }>;
} {
  const model = getWorkflows(repository);
  const hits: Hit[] = [];
  const sourceOnly: Hit[] = [];
  for (const workflow of model.workflows) {
    for (const job of workflow.jobs) {
      walkJobSteps(model, workflow, job, ({ step, path, nonBlocking }) => {
        const action = actionScan(step);
        if (action && 'tool' in action) hits.push({ tool: action.tool, path, line: step.uses!.line, nonBlocking });
        else if (action) sourceOnly.push({ tool: action.sourceOnly, path, line: step.uses!.line, nonBlocking });
        // Logical lines: a scanner command often spans `\`-continued lines (`docker run … aquasec/trivy \` / `image …`).
        for (const line of logicalLines(step.run?.lines ?? [])) {
          const tool = imageScanTool(line.text);
          if (tool) hits.push({ tool, path, line: line.line, nonBlocking });
          else if (isSourceOnlyScan(line.text))
            sourceOnly.push({
              tool: scannerWords(line.text) ?? 'source scan',
              path,
              line: line.line,
              nonBlocking,
            });
        }
      });
    }
  }
  return { hits, sourceOnly, problems: model.problems };
}

function scanOtherCi(repository: RepoSnapshot): Hit[] {
  const hits: Hit[] = [];
  for (const entry of repository.glob(OTHER_CI)) {
    if (entry.kind !== 'file' || isExcludedFromProject(entry.path)) continue;
    const text = repository.text(entry.path);
    if (!text) continue;
    text.split(/\r?\n/).forEach((line, index) => {
      const tool = imageScanTool(line);
      if (tool) hits.push({ tool, path: entry.path, line: index + 1, nonBlocking: false });
    });
  }
  return hits;
}

export default defineCheck({
  id: 'container-image-scanned',
  category: 'container',
  severity: 'medium',
  problemTitle: 'The container image is not scanned for vulnerabilities in CI',
  title: 'Container image scanned in CI',
  description:
    'A CI workflow scans the built image for known vulnerabilities: `aquasecurity/trivy-action` (scan-type `image`, its default) or `trivy image`, `anchore/scan-action` with `image:` or `grype <image>`, `docker/scout-action` or `docker scout cves`, `snyk/actions/docker` or `snyk container test`, and other scanners; GitLab container scanning, CircleCI, Jenkins, Azure, Bitbucket, Buildkite, Drone and Travis configs are read too. A source-tree scan (`trivy fs`) does not count. It warns when every scan runs with `continue-on-error: true`, and when no scan is seen but a job calls a reusable workflow of another repository (which shipready cannot read).',
  rationale:
    'Most vulnerabilities in a container come from its base image and OS packages, which dependency audits of the source never see. Scanning the image in CI finds them before deploy, and again when a new CVE lands in an old base.',
  remediation: [
    'Scan the image right after it is built, in the workflow that builds it (e.g. `.github/workflows/docker.yml`):',
    '',
    '```yaml',
    '      - uses: docker/build-push-action@<sha>',
    '        with: { context: ., load: true, tags: "app:${{ github.sha }}" }',
    '      - uses: aquasecurity/trivy-action@<sha>',
    '        with:',
    '          image-ref: app:${{ github.sha }}',
    '          severity: CRITICAL,HIGH',
    '          exit-code: "1"',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'project',
  needs: { files: [...DOCKERFILE_GLOBS, ...WORKFLOW_NEEDS, ...OTHER_CI] },
  evaluate({ snapshot, repository, projectPath }) {
    const { all } = getDockerfilesIn(snapshot);
    if (!all.length) return result.notApplicable(NO_DOCKERFILE);
    const { hits: workflowHits, sourceOnly, problems } = scanWorkflows(repository);
    const hits = [...workflowHits, ...scanOtherCi(repository)];
    // Workflow files live at the repository root: inside a project's report they are named in the message only.
    // Workflows live at the repository root: in a project view their paths are repository-relative.
    const at = (path: string, line?: number) => ({
      path,
      ...(line ? { line } : {}),
      ...(projectPath ? { repositoryPath: true as const } : {}),
    });
    const describe = (hit: Hit) => `${hit.tool} (${hit.path}:${hit.line})`;
    const blocking = hits.filter((hit) => !hit.nonBlocking);
    if (blocking.length) return result.pass(`Image scanned by ${listNames(blocking.map(describe))}`);
    if (hits.length) {
      return result.warn(
        `Image scans run with continue-on-error: true, so a vulnerable image still passes`,
        hits.map((hit) => ({
          message: `${hit.path}: ${hit.tool} on line ${hit.line} cannot fail the build (continue-on-error: true)`,
          ...at(hit.path, hit.line),
        })),
      );
    }
    const findings: Finding[] = [
      {
        message: `no image scan in CI for ${listNames(all.map((dockerfile) => dockerfile.path))} (looked for trivy image/trivy-action, grype/anchore scan-action, docker scout, snyk container and other scanners in .github/workflows and other CI configs)`,
      },
      ...sourceOnly.map((hit) => ({
        message: `${hit.path}: ${hit.tool} on line ${hit.line} scans the source tree, not the built image`,
        ...at(hit.path, hit.line),
      })),
      ...problems.map((problem) => ({
        message: `workflow not read: ${problem.message}`,
        ...at(problem.path, problem.line),
      })),
    ];
    // A job that calls a reusable workflow of another repository may scan there, where shipready cannot look.
    const remote = getWorkflows(repository).workflows.flatMap((workflow) =>
      workflow.jobs
        .filter((job) => job.uses && !job.uses.value.startsWith('./'))
        .map((job) => ({ path: workflow.path, line: job.uses!.line, uses: job.uses!.value })),
    );
    if (remote.length) {
      return result.warn(
        `No image scan seen; ${remote.length} job(s) call reusable workflows of other repositories, which may scan the image`,
        [
          ...remote.map((call) => ({
            message: `${call.path}: line ${call.line} calls ${call.uses}, which shipready cannot read; if it scans the image, silence this check with a comment`,
            ...at(call.path, call.line),
          })),
          ...findings,
        ],
      );
    }
    return result.fail('No CI step scans the container image', findings);
  },
});
