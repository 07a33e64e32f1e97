/**
 * Which image names CI gives the Dockerfiles it builds: `docker build -t name -f path context` in `run:` steps
 * (with shell variables assigned earlier in the same script or in `env:` resolved), `docker/build-push-action`
 * `tags`/`file`/`context`, and `docker/metadata-action` `images` in the same job. Used to recognise a Kubernetes
 * workload that runs the image a Dockerfile builds.
 */
import { posix } from 'node:path';
import { getWorkflows, walkJobSteps, type ScalarText } from '../../src/parsers/workflows.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';

export interface ImageBuild {
  /** The Dockerfile built, repository-relative. */
  dockerfile: string;
  /** Image names given to it (`-t`, `tags`, metadata-action `images`), as written after variable substitution. */
  tags: string[];
  /** Where the build is written. */
  path: string;
  line: number;
}

function normalize(path: string): string {
  const joined = posix.normalize(path.replace(/^\.\//, '') || '.');
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

function dockerfileOf(context: string, file: string | undefined): string {
  const base = normalize(context);
  // `-f` is relative to the working directory, which is the repository root in CI unless a step says otherwise.
  if (file) return normalize(file);
  return base ? `${base}/Dockerfile` : 'Dockerfile';
}

function substitute(text: string, variables: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (match, name: string) => variables.get(name) ?? match);
}

function envOf(env: Record<string, ScalarText>): Map<string, string> {
  return new Map(Object.entries(env).map(([name, value]) => [name, value.value]));
}

/** Splits a shell command line into words (quotes removed; good enough for `docker build` arguments). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]);
}

function parseDockerBuild(command: string): { tags: string[]; file?: string; context: string } | undefined {
  // `${{ github.sha }}` holds spaces: squeeze expressions into one word first.
  const tokens = words(
    command.replace(/\$\{\{((?:(?!\$\{\{).)*?)\}\}/g, (_match, inner: string) => `\${{${inner.replace(/\s+/g, '')}}}`),
  );
  const start = tokens.findIndex(
    (token, index) =>
      token === 'build' &&
      (tokens[index - 1] === 'docker' || (tokens[index - 1] === 'buildx' && tokens[index - 2] === 'docker')),
  );
  if (start < 0) return undefined;
  const tags: string[] = [];
  let file: string | undefined;
  const positional: string[] = [];
  for (let index = start + 1; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (/^(&&|\|\||;|\||>|2>)$/.test(token)) break;
    const inline = /^(--tag|-t|--file|-f)=(.+)$/.exec(token);
    if (inline) {
      if (inline[1] === '--tag' || inline[1] === '-t') tags.push(inline[2]);
      else file = inline[2];
      continue;
    }
    if (token === '-t' || token === '--tag') tags.push(tokens[++index] ?? '');
    else if (token === '-f' || token === '--file') file = tokens[++index];
    else if (/^--?[\w-]+=/.test(token) || /^--(push|load|pull|no-cache|quiet|rm|squash)$/.test(token) || token === '-q')
      continue;
    else if (token.startsWith('-'))
      index += 1; // an option with a separate value (--build-arg X=Y, --platform p …)
    else if (token !== '\\') positional.push(token);
  }
  return { tags: tags.filter(Boolean), ...(file ? { file } : {}), context: positional[0] ?? '.' };
}

/** Shell lines with trailing-backslash continuations joined (the line number of the first is kept). */
function joinContinuations(
  lines: ReadonlyArray<{ text: string; line: number }>,
): Array<{ text: string; line: number }> {
  const joined: Array<{ text: string; line: number }> = [];
  let pending: { text: string; line: number } | undefined;
  for (const line of lines) {
    const text = pending ? `${pending.text} ${line.text.trim()}` : line.text;
    const current = { text, line: pending?.line ?? line.line };
    if (/\\\s*$/.test(text)) pending = { text: text.replace(/\\\s*$/, ''), line: current.line };
    else {
      joined.push(current);
      pending = undefined;
    }
  }
  if (pending) joined.push(pending);
  return joined;
}

/** Every image build the repository's workflows perform, memoised. Declare the workflow NEEDS. */
export function getImageBuilds(repository: RepoSnapshot): ImageBuild[] {
  return repository.memo('container:image-builds', () => {
    const model = getWorkflows(repository);
    const builds: ImageBuild[] = [];
    for (const workflow of model.workflows) {
      for (const job of workflow.jobs) {
        const jobBuilds: ImageBuild[] = [];
        const metadataImages: string[] = [];
        walkJobSteps(model, workflow, job, ({ step, path }) => {
          const variables = new Map([...envOf(workflow.env), ...envOf(job.env), ...envOf(step.env)]);
          const uses = step.uses?.value.toLowerCase() ?? '';
          if (uses.startsWith('docker/build-push-action')) {
            const tags = (step.with.tags?.value ?? '')
              .split(/[\n,]/)
              .map((tag) => tag.trim())
              .filter(Boolean);
            const context = step.with.context?.value.trim() || '.';
            const file = step.with.file?.value.trim();
            jobBuilds.push({
              dockerfile: dockerfileOf(/^(git|https?):/.test(context) ? '.' : context, file),
              tags: tags.map((tag) => substitute(tag, variables)),
              path,
              line: step.uses!.line,
            });
          } else if (uses.startsWith('docker/metadata-action')) {
            metadataImages.push(
              ...(step.with.images?.value ?? '')
                .split(/\n/)
                .map((image) =>
                  substitute(
                    image
                      .split(',')[0]
                      .replace(/^name=/, '')
                      .trim(),
                    variables,
                  ),
                )
                .filter(Boolean),
            );
          }
          for (const line of joinContinuations(step.run?.lines ?? [])) {
            const assignment = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))\s*$/.exec(
              line.text,
            );
            if (assignment)
              variables.set(
                assignment[1],
                substitute(assignment[3] ?? assignment[4] ?? assignment[5] ?? '', variables),
              );
            const build = parseDockerBuild(line.text);
            if (build)
              jobBuilds.push({
                dockerfile: dockerfileOf(
                  substitute(build.context, variables),
                  build.file ? substitute(build.file, variables) : undefined,
                ),
                tags: build.tags.map((tag) => substitute(tag, variables)),
                path,
                line: line.line,
              });
          }
        });
        for (const build of jobBuilds) build.tags.push(...metadataImages);
        builds.push(...jobBuilds);
      }
    }
    return builds;
  });
}
