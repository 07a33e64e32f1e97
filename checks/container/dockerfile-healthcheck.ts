import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { describeStage, finalStage, type Dockerfile } from '../../src/parsers/dockerfile.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { NEEDS as WORKFLOW_NEEDS } from '../../src/parsers/workflows.js';
import { COMPOSE_GLOBS } from '../../src/parsers/compose.js';
import { K8S_NEED } from '../../src/parsers/k8s.js';
import {
  DOCKERFILE_GLOBS,
  NO_DOCKERFILE,
  composeHealthcheck,
  getDockerfilesIn,
  k8sContainersFor,
  listNames,
  servicesBuilding,
} from '../lib/container.js';

/** Where something outside the Dockerfile checks the health of the container it builds, if anywhere. */
function healthElsewhere(
  repository: RepoSnapshot,
  repositoryPath: string,
  dockerfile: Dockerfile,
  dockerfileCount: number,
): string | undefined {
  for (const service of servicesBuilding(repository, repositoryPath)) {
    const defining = composeHealthcheck(repository, service);
    if (defining)
      return `the compose service "${service.name}" that builds it defines a healthcheck (${defining.file}:${defining.healthcheck!.line})`;
  }
  const probed = k8sContainersFor(
    repository,
    {
      ...dockerfile,
      path: repositoryPath,
      directory: repositoryPath.includes('/') ? repositoryPath.slice(0, repositoryPath.lastIndexOf('/')) : '',
    },
    dockerfileCount,
  ).find((container) => container.probes.length);
  if (probed)
    return `the Kubernetes workload running ${probed.image} defines ${probed.probes.join(' and ')} (${probed.file}:${probed.line})`;
  return undefined;
}

export default defineCheck({
  id: 'dockerfile-healthcheck',
  category: 'container',
  severity: 'medium',
  problemTitle: 'The container defines no health check',
  title: 'Container health check defined',
  description:
    "The final stage of each Dockerfile has a `HEALTHCHECK` (not `HEALTHCHECK NONE`; inherited through `FROM <stage>` counts), or the compose service that builds the Dockerfile defines `healthcheck:`, or a Kubernetes workload running the image defines liveness/readiness/startup probes; the summary says which. A workload runs the image when its image name matches the Dockerfile's directory or suffix, the compose service that builds it, the tags CI builds it with (`docker build -t`, `docker/build-push-action`, `docker/metadata-action`) or the project's manifest name; a templated image (Helm) counts when the repository has one Dockerfile.",
  rationale:
    'Without a health check the orchestrator only knows that the process exists, not that it serves: a hung server keeps receiving traffic, rolling deploys promote broken versions, and nothing restarts it.',
  remediation: [
    "Add a `HEALTHCHECK` to the final stage of the Dockerfile that calls the service's health endpoint with a tool the image has:",
    '',
    '```dockerfile',
    'HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\',
    '  CMD curl -fsS http://localhost:8080/healthz || exit 1',
    '```',
    '',
    'Or define it where the container runs, e.g. in `compose.yaml`:',
    '',
    '```yaml',
    'services:',
    '  api:',
    '    build: .',
    '    healthcheck:',
    '      test: ["CMD", "curl", "-fsS", "http://localhost:8080/healthz"]',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'project',
  needs: { files: [...DOCKERFILE_GLOBS, ...COMPOSE_GLOBS, K8S_NEED, ...WORKFLOW_NEEDS] },
  evaluate({ snapshot, repository, projectPath }) {
    const { all, usable, unusable } = getDockerfilesIn(snapshot);
    if (!all.length) return result.notApplicable(NO_DOCKERFILE);
    const missing: Finding[] = [];
    const notes: string[] = [];
    for (const dockerfile of usable) {
      const final = finalStage(dockerfile)!;
      const own = final.healthcheck;
      if (own && !own.none) {
        const inherited =
          own.stageIndex !== final.index ? `, inherited from ${describeStage(dockerfile.stages[own.stageIndex])}` : '';
        notes.push(`${dockerfile.path} (HEALTHCHECK on line ${own.line}${inherited})`);
        continue;
      }
      const repositoryPath = projectPath ? `${projectPath}/${dockerfile.path}` : dockerfile.path;
      const elsewhere = healthElsewhere(repository, repositoryPath, dockerfile, all.length);
      if (elsewhere) {
        notes.push(`${dockerfile.path} (${elsewhere})`);
        continue;
      }
      const earlier = dockerfile.stages.find(
        (stage) =>
          stage !== final &&
          stage.healthcheck &&
          !stage.healthcheck.none &&
          stage.healthcheck.stageIndex === stage.index,
      );
      const hint = earlier
        ? `; the HEALTHCHECK on line ${earlier.healthcheck!.line} is in ${describeStage(earlier)}, which the final stage is not built FROM`
        : '';
      missing.push(
        own?.none
          ? {
              message: `${dockerfile.path}: HEALTHCHECK NONE on line ${own.line} disables the health check of the final stage`,
              path: dockerfile.path,
              line: own.line,
            }
          : {
              message: `${dockerfile.path}: the final ${describeStage(final)} (line ${final.line}; the one built when no \`--target\` is given) has no HEALTHCHECK, and no compose service or Kubernetes workload for it defines one${hint}`,
              path: dockerfile.path,
              line: final.line,
            },
      );
    }
    if (missing.length)
      return result.fail(
        `${missing.length} of ${all.length} Dockerfile(s) without a health check: ${listNames(missing.map((finding) => finding.path!))}`,
        [...missing, ...unusable],
      );
    if (unusable.length) return result.warn(`${unusable.length} Dockerfile(s) could not be evaluated`, unusable);
    return result.pass(`Health checked: ${listNames(notes, 4)}`);
  },
});
