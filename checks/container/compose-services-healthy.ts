import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { finalStage, getDockerfile } from '../../src/parsers/dockerfile.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { COMPOSE_GLOBS, getComposeFiles, type ComposeFile, type ComposeService } from '../../src/parsers/compose.js';
import { DOCKERFILE_GLOBS, listNames } from '../lib/container.js';

const directoryOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/**
 * Compose merges files given together (`compose.yaml` + `compose.override.yaml`, `-f base -f prod`): a service's
 * healthcheck or limits may sit in a sibling file of the same directory, so look there too.
 */
function siblingsOf(files: readonly ComposeFile[], service: ComposeService): ComposeService[] {
  const directory = directoryOf(service.file);
  return files
    .filter((file) => directoryOf(file.path) === directory)
    .flatMap((file) => file.services.filter((candidate) => candidate.name === service.name));
}

function resolveFrom(
  files: readonly ComposeFile[],
  service: ComposeService,
  pick: (candidate: ComposeService) => boolean,
  depth = 0,
): ComposeService | undefined {
  const same = siblingsOf(files, service);
  const found = same.find(pick);
  if (found || depth > 3) return found;
  const parentName = same.map((candidate) => candidate.extends).find(Boolean);
  const parent = parentName
    ? files.find((file) => file.path === service.file)?.services.find((candidate) => candidate.name === parentName)
    : undefined;
  return parent ? resolveFrom(files, parent, pick, depth + 1) : undefined;
}

/** The HEALTHCHECK of the stage a compose service builds (its `build.target`, else the final stage), as `path:line`. */
function dockerfileHealthcheck(snapshot: RepoSnapshot, service: ComposeService): string | undefined {
  const path = service.build?.dockerfile;
  if (!path || !snapshot.has(path)) return undefined;
  const dockerfile = getDockerfile(snapshot, path);
  const target = service.build?.target?.toLowerCase();
  const stage = target ? dockerfile.stages.find((candidate) => candidate.name === target) : finalStage(dockerfile);
  const healthcheck = stage?.healthcheck;
  return healthcheck && !healthcheck.none
    ? `${path}:${healthcheck.line}${target ? ` (target "${target}")` : ''}`
    : undefined;
}

export default defineCheck({
  id: 'compose-services-healthy',
  category: 'container',
  severity: 'low',
  problemTitle: 'Compose services have no health checks',
  title: 'Compose services define health checks and limits',
  description:
    'Every service of every compose file (`compose.yaml`, `docker-compose.yml`, `docker-compose.<env>.yml` …) defines a `healthcheck` that is not disabled (or builds a Dockerfile whose final stage, or `build.target` stage, has a `HEALTHCHECK`), and resource limits (`deploy.resources.limits`, `mem_limit` or `cpus`). Files of one directory are read together, as Compose merges overrides, and `extends` is followed. A missing healthcheck fails; missing limits warn; a malformed file is a finding with its line.',
  rationale:
    'Compose starts dependants as soon as a container exists unless `depends_on: condition: service_healthy` can ask a health check; without one, apps race their databases and restart loops hide real failures. Without limits one leaking service takes the memory of the whole host.',
  remediation: [
    'Give each service in the compose file a `healthcheck` and limits, and make dependants wait for health:',
    '',
    '```yaml',
    'services:',
    '  db:',
    '    image: postgres:17',
    '    healthcheck:',
    '      test: ["CMD-SHELL", "pg_isready -U postgres"]',
    '      interval: 10s',
    '      retries: 5',
    '    deploy:',
    '      resources:',
    '        limits: { cpus: "1", memory: 512M }',
    '  api:',
    '    build: .',
    '    depends_on:',
    '      db: { condition: service_healthy }',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'project',
  needs: { files: [...COMPOSE_GLOBS, ...DOCKERFILE_GLOBS] },
  evaluate({ snapshot }) {
    const files = getComposeFiles(snapshot);
    if (!files.length)
      return result.notApplicable(
        'no compose file found (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.*.yml and compose.*.yaml)',
      );
    const broken: Finding[] = files
      .filter((file) => !file.ok)
      .map((file) => ({
        message: `${file.path} could not be parsed: ${file.error}`,
        path: file.path,
        ...(file.errorLine ? { line: file.errorLine } : {}),
      }));
    const unhealthy: Finding[] = [];
    const unlimited: Finding[] = [];
    const seen = new Set<string>();
    const notes: string[] = [];
    let services = 0;
    for (const file of files) {
      for (const service of file.services) {
        const key = `${directoryOf(file.path)}\u0000${service.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        services += 1;
        const at = { path: service.file, line: service.line };
        const health = resolveFrom(files, service, (candidate) => candidate.healthcheck !== undefined);
        const built = health
          ? undefined
          : resolveFrom(files, service, (candidate) => candidate.build?.dockerfile !== undefined);
        const fromImage = built ? dockerfileHealthcheck(snapshot, built) : undefined;
        if (fromImage) notes.push(`"${service.name}" uses the HEALTHCHECK of ${fromImage}`);
        else if (!health)
          unhealthy.push({ message: `${service.file}: service "${service.name}" has no healthcheck`, ...at });
        else if (health.healthcheck!.disabled) {
          unhealthy.push({
            message: `${health.file}: service "${service.name}" disables its healthcheck`,
            path: health.file,
            line: health.healthcheck!.line,
          });
        }
        if (!resolveFrom(files, service, (candidate) => candidate.limits !== undefined)) {
          unlimited.push({
            message: `${service.file}: service "${service.name}" sets no resource limits (deploy.resources.limits, mem_limit or cpus)`,
            ...at,
          });
        }
      }
    }
    const names = (findings: Finding[]) =>
      listNames(findings.map((finding) => /service "([^"]+)"/.exec(finding.message)?.[1] ?? '?'));
    if (unhealthy.length)
      return result.fail(
        `${unhealthy.length} of ${services} compose service(s) without a healthcheck: ${names(unhealthy)}`,
        [...unhealthy, ...broken, ...unlimited],
      );
    if (broken.length || unlimited.length) {
      const parts = [
        broken.length ? `${broken.length} compose file(s) could not be parsed` : '',
        unlimited.length
          ? `${unlimited.length} of ${services} service(s) without resource limits: ${names(unlimited)}`
          : '',
      ];
      return result.warn(
        parts.filter(Boolean).join('; '),
        [...broken, ...unlimited],
        unlimited.length && services ? (services - unlimited.length) / services : undefined,
      );
    }
    if (!services) return result.pass('The compose files define no services');
    const noted = notes.length ? ` (${listNames(notes, 2)})` : '';
    return result.pass(`All ${services} compose service(s) define a healthcheck and resource limits${noted}`);
  },
});
