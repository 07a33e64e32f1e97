import { z } from 'zod';
import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { DOCKERFILE_GLOBS, NO_DOCKERFILE, getDockerfilesIn } from '../lib/container.js';

const options = z.strictObject({
  /** `tag`: every FROM names a tag other than `latest` (or a digest); `digest`: every FROM is pinned to an `@sha256:` digest. */
  require: z
    .enum(['tag', 'digest'])
    .default('tag')
    .describe('`tag`: a tag other than `latest` (or a digest); `digest`: an `@sha256:` digest on every FROM'),
});

export default defineCheck({
  id: 'dockerfile-base-image-pinned',
  category: 'container',
  severity: 'medium',
  problemTitle: 'Docker base images float on latest',
  title: 'Base images pinned',
  description:
    'No `FROM` uses `latest`, a tag that begins with `latest` (`latest-alpine`, `latest-$ARCH`), or leaves the tag out (which means `latest`). `${VAR}` in FROM is resolved from the ARGs declared before the first FROM; references to earlier stages and `scratch` are exempt. With `require: digest` every FROM must carry an `@sha256:` digest. It warns when a FROM uses a variable with no default, since the image is then chosen at build time.',
  rationale:
    '`latest` changes under you: the same commit builds a different image tomorrow, a rebuild pulls an untested major version, and a rollback does not roll back the base. Pinning makes builds reproducible and base upgrades visible in review (Dependabot and Renovate update pinned tags and digests).',
  remediation: [
    'Name an explicit version on the `FROM` line the finding points at, and for the strongest guarantee a digest as well:',
    '',
    '```dockerfile',
    '# before',
    'FROM node',
    '# after',
    'FROM node:22.11-slim@sha256:<digest from `docker buildx imagetools inspect node:22.11-slim`>',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'project',
  options,
  needs: { files: [...DOCKERFILE_GLOBS] },
  evaluate({ snapshot, options: { require } }) {
    const { all, usable, unusable } = getDockerfilesIn(snapshot);
    if (!all.length) return result.notApplicable(NO_DOCKERFILE);
    const unpinned: Finding[] = [];
    const unknown: Finding[] = [];
    let images = 0;
    for (const dockerfile of usable) {
      for (const stage of dockerfile.stages) {
        const { from } = stage;
        const at = { path: dockerfile.path, line: from.line };
        const shown = from.raw === from.resolved ? from.raw : `${from.raw} (= ${from.resolved})`;
        if (from.kind === 'stage' || from.kind === 'scratch') continue;
        if (from.kind === 'unresolved') {
          if (!from.raw) {
            unknown.push({ message: `${dockerfile.path}: FROM names no image`, ...at });
            continue;
          }
          unknown.push({
            message: `${dockerfile.path}: FROM ${from.raw} uses ${from.unresolvedVariables?.map((name) => `$${name}`).join(', ') ?? 'a variable'} with no default, so the image is chosen at build time`,
            ...at,
          });
          continue;
        }
        images += 1;
        const image = from.image!;
        if (image.digest) continue;
        if (image.tag === undefined)
          unpinned.push({ message: `${dockerfile.path}: FROM ${shown} has no tag, which means \`latest\``, ...at });
        else if (image.tag.toLowerCase() === 'latest')
          unpinned.push({ message: `${dockerfile.path}: FROM ${shown} uses \`latest\``, ...at });
        else if (/^latest[-_.]/i.test(image.tag))
          // `latest-alpine`, `latest-$ARCH`: a moving `latest` with a variant suffix (CATALOG).
          unpinned.push({
            message: `${dockerfile.path}: FROM ${shown} uses \`${image.tag}\`, a \`latest\` tag with a variant suffix that moves like \`latest\``,
            ...at,
          });
        else if (require === 'digest')
          unpinned.push({
            message: `${dockerfile.path}: FROM ${shown} is not pinned to a digest (require: digest)`,
            ...at,
          });
      }
    }
    const wanted = require === 'digest' ? 'pinned to a digest' : 'pinned to a tag';
    if (unpinned.length)
      return result.fail(`${unpinned.length} FROM line(s) not ${wanted}`, [...unpinned, ...unknown, ...unusable]);
    if (unknown.length || unusable.length)
      return result.warn(`${unknown.length + unusable.length} base image(s) cannot be told`, [...unknown, ...unusable]);
    if (!images) return result.pass('Every FROM is a build stage or scratch');
    const byDigest = usable
      .flatMap((dockerfile) => dockerfile.stages)
      .filter((stage) => stage.from.image?.digest).length;
    const digestNote = require === 'tag' && byDigest ? ` (${byDigest} by digest)` : '';
    return result.pass(`All ${images} base image(s) ${wanted}${digestNote}`);
  },
});
