import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { describeStage, finalStage, type Dockerfile } from '../../src/parsers/dockerfile.js';
import { DOCKERFILE_GLOBS, NO_DOCKERFILE, listNames, getDockerfilesIn } from '../lib/container.js';

/** Base images whose default user is not root (so a missing USER is fine). */
function nonRootBase(image: string): string | undefined {
  if (/^gcr\.io\/distroless\/[^:]+:(?:[^]*-)?nonroot(?:-[^]*)?$/.test(image))
    return 'the distroless `nonroot` tag runs as UID 65532';
  if (/^cgr\.dev\/chainguard\//.test(image) && !/-dev(@|$)/.test(image))
    return 'Chainguard images run as a non-root user by default';
  return undefined;
}

type Verdict = { level: 'pass' | 'warn' | 'fail'; finding: Finding; note?: string };

function judge(dockerfile: Dockerfile): Verdict {
  const final = finalStage(dockerfile)!;
  const where = `${dockerfile.path}: the final ${describeStage(final)} (line ${final.line}; a \`--target\` build is not known, so the final stage counts)`;
  const user = final.user;
  if (!user) {
    const image = final.from.image ? final.from.resolved : undefined;
    const base = image ? nonRootBase(image) : undefined;
    if (base)
      return {
        level: 'pass',
        finding: { message: `${dockerfile.path}: no USER, but ${base}`, path: dockerfile.path, line: final.line },
        note: `${dockerfile.path} (${base})`,
      };
    const earlier = dockerfile.stages
      .filter((stage) => stage !== final && stage.user && !stage.user.root)
      .map(
        (stage) =>
          `USER ${stage.user!.raw} on line ${stage.user!.line} is in ${describeStage(stage)}, which the final stage is not built FROM`,
      );
    return {
      level: 'fail',
      finding: {
        message: `${where} sets no USER, so the container runs as root${earlier.length ? `; ${earlier[0]}` : ''}`,
        path: dockerfile.path,
        line: final.line,
      },
    };
  }
  const inherited =
    user.stageIndex !== final.index ? ` (inherited from ${describeStage(dockerfile.stages[user.stageIndex])})` : '';
  if (user.root === true) {
    return {
      level: 'fail',
      finding: {
        message: `${dockerfile.path}: USER ${user.raw} on line ${user.line}${inherited} runs the final stage as root`,
        path: dockerfile.path,
        line: user.line,
      },
    };
  }
  if (user.root === undefined) {
    return {
      level: 'warn',
      finding: {
        message: `${dockerfile.path}: USER ${user.raw} on line ${user.line}${inherited} uses a variable with no default, so whether it is root cannot be told`,
        path: dockerfile.path,
        line: user.line,
      },
    };
  }
  return {
    level: 'pass',
    finding: { message: `${dockerfile.path}: USER ${user.value}`, path: dockerfile.path, line: user.line },
    note: `${dockerfile.path} runs as ${user.value}${inherited}`,
  };
}

export default defineCheck({
  id: 'dockerfile-runs-as-non-root',
  category: 'container',
  severity: 'high',
  problemTitle: 'The container runs as root',
  title: 'Container runs as a non-root user',
  description:
    'The final stage of every Dockerfile sets `USER` to a user that is not root: not `root`, not `0`, not `0:0` or `root:root` (a numeric non-zero UID passes). A USER set in an earlier stage counts only when the final stage is built `FROM` that stage; without a `--target` the final stage is the one that ships. Distroless `nonroot` and Chainguard base images pass without USER.',
  rationale:
    "A process running as root inside a container is root on the host's kernel: a container escape or a mounted volume turns an application bug into a host compromise. Kubernetes `runAsNonRoot` and many platforms refuse such images.",
  remediation: [
    'Create an unprivileged user in the final stage of the Dockerfile and switch to it before `CMD` (or use one the base image provides, such as `node` or `nonroot`):',
    '',
    '```dockerfile',
    'FROM debian:12-slim',
    'RUN useradd --system --uid 10001 --no-create-home app',
    'COPY --from=build --chown=app:app /app /app',
    'USER 10001',
    'CMD ["/app/server"]',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'project',
  needs: { files: [...DOCKERFILE_GLOBS] },
  evaluate({ snapshot }) {
    const { all, usable, unusable } = getDockerfilesIn(snapshot);
    if (!all.length) return result.notApplicable(NO_DOCKERFILE);
    const verdicts = usable.map(judge);
    const failing = verdicts.filter((verdict) => verdict.level === 'fail').map((verdict) => verdict.finding);
    const unknown = verdicts.filter((verdict) => verdict.level === 'warn').map((verdict) => verdict.finding);
    if (failing.length)
      return result.fail(
        `${failing.length} of ${all.length} Dockerfile(s) run as root: ${listNames(failing.map((finding) => finding.path!))}`,
        [...failing, ...unknown, ...unusable],
      );
    if (unknown.length || unusable.length)
      return result.warn(`The user of ${unknown.length + unusable.length} Dockerfile(s) cannot be told`, [
        ...unknown,
        ...unusable,
      ]);
    return result.pass(`Non-root: ${listNames(verdicts.map((verdict) => verdict.note!))}`);
  },
});
