import { defineCheck, result } from '../../src/engine/define-check.js';
import { DOCKERFILE_GLOBS, NO_DOCKERFILE, listNames } from '../lib/container.js';
import { getDockerfiles } from '../../src/parsers/dockerfile.js';
import type { Finding } from '../../src/engine/types.js';
import { detectProfile } from '../../src/engine/detect.js';

export default defineCheck({
  id: 'dockerfile-present',
  category: 'container',
  severity: 'medium',
  problemTitle: 'The service has no Dockerfile',
  title: 'Dockerfile present',
  description:
    'A service has a `Dockerfile` or `Containerfile` (also `Dockerfile.<variant>`, `<name>.Dockerfile`, or one in a sub-directory), outside test fixtures, examples and vendored code. Syntax problems in it (unknown instructions, a broken JSON form, an unclosed heredoc) are listed as findings.',
  rationale:
    "A container image is the unit most platforms deploy, scan and roll back. Without a Dockerfile in the repository the build of what runs in production lives on someone's machine or in a wiki, and cannot be reviewed or reproduced.",
  remediation: [
    'Add a `Dockerfile` at the root of the service. A minimal multi-stage example for a Node service:',
    '',
    '```dockerfile',
    'FROM node:22-slim AS build',
    'WORKDIR /app',
    'COPY package*.json ./',
    'RUN npm ci',
    'COPY . .',
    'RUN npm run build && npm prune --omit=dev',
    '',
    'FROM node:22-slim',
    'WORKDIR /app',
    'COPY --from=build /app /app',
    'USER node',
    'HEALTHCHECK CMD node -e "fetch(\'http://localhost:3000/health\').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"',
    'CMD ["node", "dist/server.js"]',
    '```',
  ].join('\n'),
  effort: 'hours',
  profiles: ['service'],
  scope: 'project',
  needs: { files: [...DOCKERFILE_GLOBS] },
  evaluate({ snapshot, projectPath }) {
    const dockerfiles = getDockerfiles(snapshot);
    if (!dockerfiles.length && projectPath) {
      // The profile is the repository's; a monorepo's library packages need no image of their own.
      const own = detectProfile(snapshot);
      if (own.profile !== 'service')
        return result.notApplicable(
          `project ${projectPath} is a ${own.profile} (${own.reason}), not a deployable service`,
        );
    }
    if (!dockerfiles.length)
      return result.fail(`No Dockerfile: ${NO_DOCKERFILE}`, [
        { message: 'add a Dockerfile (or Containerfile) at the root of the service' },
      ]);
    const problems: Finding[] = dockerfiles.flatMap((dockerfile) =>
      dockerfile.problems.map((problem) => ({
        message: `${dockerfile.path}: ${problem.message}`,
        path: dockerfile.path,
        ...(problem.line ? { line: problem.line } : {}),
      })),
    );
    const paths = dockerfiles.map((dockerfile) => dockerfile.path);
    const noted = problems.length ? ` (${problems.length} syntax problem${problems.length > 1 ? 's' : ''} noted)` : '';
    return result.pass(
      `${paths.length} Dockerfile${paths.length > 1 ? 's' : ''}: ${listNames(paths)}${noted}`,
      problems,
    );
  },
});
