import { defineCheck, result } from '../../src/engine/define-check.js';
import { DOCKERFILE_GLOBS, NO_DOCKERFILE, listNames, getDockerfilesIn } from '../lib/container.js';

export default defineCheck({
  id: 'dockerfile-multi-stage',
  category: 'container',
  severity: 'low',
  problemTitle: 'The Docker image ships its build tools (no multi-stage build)',
  title: 'Multi-stage Dockerfile',
  description:
    'Each Dockerfile has more than one `FROM` stage, so compilers, dev dependencies and build caches stay out of the shipped image. It warns when only some Dockerfiles are multi-stage (the score is the share that are).',
  rationale:
    'A single-stage image ships its build tool-chain: more megabytes to pull on every deploy, more packages for scanners to flag, and more tools for an attacker who gets a shell.',
  remediation: [
    'Split the Dockerfile into a build stage and a small runtime stage that copies only the build output:',
    '',
    '```dockerfile',
    'FROM golang:1.23 AS build',
    'WORKDIR /src',
    'COPY . .',
    'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
    '',
    'FROM gcr.io/distroless/static:nonroot',
    'COPY --from=build /out/app /app',
    'ENTRYPOINT ["/app"]',
    '```',
  ].join('\n'),
  effort: 'hours',
  scope: 'project',
  needs: { files: [...DOCKERFILE_GLOBS] },
  evaluate({ snapshot }) {
    const { all, usable, unusable } = getDockerfilesIn(snapshot);
    if (!all.length) return result.notApplicable(NO_DOCKERFILE);
    const single = usable.filter((dockerfile) => dockerfile.stages.length < 2);
    const multi = usable.filter((dockerfile) => dockerfile.stages.length >= 2);
    const findings = single.map((dockerfile) => ({
      message: `${dockerfile.path} has a single stage (FROM ${dockerfile.stages[0].from.raw}): build tools ship in the image`,
      path: dockerfile.path,
      line: dockerfile.stages[0].line,
    }));
    const described = multi.map((dockerfile) => `${dockerfile.path} (${dockerfile.stages.length} stages)`);
    if (!usable.length) return result.warn('No Dockerfile could be evaluated', unusable);
    if (!multi.length)
      return result.fail(`${listNames(single.map((dockerfile) => dockerfile.path))}: single-stage`, [
        ...findings,
        ...unusable,
      ]);
    if (single.length || unusable.length) {
      return result.warn(
        `${multi.length} of ${usable.length} Dockerfile(s) are multi-stage: ${listNames(described)}`,
        [...findings, ...unusable],
        multi.length / usable.length,
      );
    }
    return result.pass(`Multi-stage: ${listNames(described)}`);
  },
});
