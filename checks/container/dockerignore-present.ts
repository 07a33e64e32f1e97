import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import type { Dockerfile } from '../../src/parsers/dockerfile.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { COMPOSE_GLOBS } from '../../src/parsers/compose.js';
import {
  DOCKERFILE_GLOBS,
  DOCKERIGNORE_GLOBS,
  NO_DOCKERFILE,
  getDockerfilesIn,
  isIgnored,
  listNames,
  parseDockerignore,
  servicesBuilding,
} from '../lib/container.js';

import { splitLines } from '../../src/fix/apply.js';
import { insertBefore } from '../../src/fix/edits.js';
import type { FileEdit } from '../../src/fix/types.js';
import type { Ecosystem } from '../../src/engine/types.js';

const join = (directory: string, name: string) => (directory ? `${directory}/${name}` : name);

/** What a new .dockerignore leaves out: VCS data and secrets always, then what the ecosystems' tools write locally. */
const ALWAYS_IGNORED = ['.git', '.env', '.env.*', '!.env.example', '*.log'];
const ECOSYSTEM_IGNORED: Partial<Record<Ecosystem, string[]>> = {
  node: ['node_modules', 'npm-debug.log*', 'coverage'],
  python: ['__pycache__', '*.pyc', '.venv', '.pytest_cache'],
  rust: ['target'],
  java: ['.gradle'],
};

/** The sources the Dockerfile copies from its context (`COPY`/`ADD` without `--from`). */
function copiedSources(dockerfile: Dockerfile): string[] {
  return dockerfile.instructions
    .filter(
      (instruction) =>
        (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
        !instruction.flags.some((flag) => flag.name === 'from'),
    )
    .flatMap((instruction) => (instruction.json ?? instruction.args).slice(0, -1))
    .map((source) => source.replace(/^\.\//, ''))
    .filter((source) => source && source !== '.' && source !== '*');
}

/** Patterns that would leave out nothing the Dockerfile copies by name, so the fix cannot break its build. */
function safePatterns(patterns: readonly string[], copied: readonly string[]): { kept: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const pattern of patterns) {
    const rules = parseDockerignore([...kept, pattern].join('\n'));
    if (!pattern.startsWith('!') && copied.some((source) => isIgnored(rules, source))) dropped.push(pattern);
    else kept.push(pattern);
  }
  return { kept, dropped };
}
const parentOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

interface Context {
  directory: string;
  /** How the context was found, for messages. */
  why: string;
}

/** The build contexts of a Dockerfile (repository paths): compose `build.context`s, else its own directory. */
function contextsOf(repository: RepoSnapshot, repositoryPath: string): Context[] {
  const contexts = new Map<string, Context>();
  for (const service of servicesBuilding(repository, repositoryPath)) {
    if (service.build?.context !== undefined) {
      contexts.set(service.build.context, {
        directory: service.build.context,
        why: `build.context of compose service "${service.name}" (${service.file}:${service.build.line})`,
      });
    }
  }
  if (!contexts.size)
    contexts.set(parentOf(repositoryPath), { directory: parentOf(repositoryPath), why: "the Dockerfile's directory" });
  return [...contexts.values()];
}

/** The ignore file Docker uses for this Dockerfile and context: `<Dockerfile>.dockerignore` first, then `<context>/.dockerignore`. */
function ignoreFileFor(
  repository: RepoSnapshot,
  repositoryPath: string,
  context: Context,
  viewRoot: string,
): { path: string; assumed?: string } | undefined {
  if (repository.has(`${repositoryPath}.dockerignore`)) return { path: `${repositoryPath}.dockerignore` };
  const own = join(context.directory, '.dockerignore');
  if (repository.has(own)) return { path: own };
  if (!context.why.startsWith('build.context')) {
    // `docker build -f sub/Dockerfile .` is common: accept a .dockerignore in a parent directory inside the view.
    let directory = context.directory;
    while (directory && directory !== viewRoot) {
      directory = parentOf(directory);
      const candidate = join(directory, '.dockerignore');
      const inside = !viewRoot || directory === viewRoot || directory.startsWith(`${viewRoot}/`);
      if (inside && repository.has(candidate)) return { path: candidate, assumed: directory || '.' };
    }
  }
  return undefined;
}

function firstWholeContextCopy(dockerfile: Dockerfile): number | undefined {
  for (const instruction of dockerfile.instructions) {
    if (
      (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') &&
      !instruction.flags.some((flag) => flag.name === 'from')
    ) {
      const sources = (instruction.json ?? instruction.args).slice(0, -1);
      if (sources.some((source) => source === '.' || source === './' || source === '*')) return instruction.line;
    }
  }
  return undefined;
}

export default defineCheck({
  id: 'dockerignore-present',
  category: 'container',
  severity: 'low',
  problemTitle: 'The Docker build context has no .dockerignore',
  title: '.dockerignore present',
  description:
    "Each Dockerfile's build context has a `.dockerignore` (or a Dockerfile-specific `<Dockerfile>.dockerignore`). The context is the compose `build.context` of the services that build the Dockerfile, else the Dockerfile's directory (a `.dockerignore` in a parent directory is accepted, assuming the build runs from there). It warns when the file does not exclude `.git` and `.env`; patterns are matched as Docker does (`**`, `.env*`, `*` with `!` re-includes).",
  rationale:
    'Without a `.dockerignore`, `COPY . .` sends the whole directory to the builder and into the image: the `.git` history, local `.env` files with real credentials, `node_modules` and build output. Images then leak secrets and rebuild on every unrelated change.',
  remediation: [
    'Add `.dockerignore` next to the Dockerfile (in its build context) that leaves out VCS data, secrets and local build output:',
    '',
    '```gitignore',
    '.git',
    '.env',
    '.env.*',
    '!.env.example',
    'node_modules',
    'dist',
    '*.log',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'project',
  needs: { files: [...DOCKERFILE_GLOBS, ...DOCKERIGNORE_GLOBS, ...COMPOSE_GLOBS] },
  evaluate({ snapshot, repository, projectPath }) {
    const { all } = getDockerfilesIn(snapshot);
    if (!all.length) return result.notApplicable(NO_DOCKERFILE);
    const prefix = projectPath ? `${projectPath}/` : '';
    const inView = (path: string) =>
      prefix && path.startsWith(prefix) ? path.slice(prefix.length) : prefix ? undefined : path;
    const missing: Finding[] = [];
    const weak: Finding[] = [];
    const good: string[] = [];
    const checked = new Set<string>();
    for (const dockerfile of all) {
      const repositoryPath = prefix + dockerfile.path;
      for (const context of contextsOf(repository, repositoryPath)) {
        const found = ignoreFileFor(repository, repositoryPath, context, projectPath);
        if (!found) {
          const line = firstWholeContextCopy(dockerfile);
          missing.push({
            message: `${dockerfile.path}: no .dockerignore in its build context ${context.directory || '.'} (${context.why})${line ? `; COPY on line ${line} sends the whole context` : ''}`,
            path: dockerfile.path,
            ...(line ? { line } : {}),
          });
          continue;
        }
        if (checked.has(found.path)) continue;
        checked.add(found.path);
        const text = repository.text(found.path) ?? '';
        const rules = parseDockerignore(text);
        const gaps = ['.git', '.env'].filter((name) => !isIgnored(rules, name) && !isIgnored(rules, `${name}/HEAD`));
        const assumed = found.assumed ? ` (assuming ${dockerfile.path} is built from ${found.assumed})` : '';
        const shown = inView(found.path);
        if (gaps.length) {
          weak.push({
            message: `${found.path} does not exclude ${gaps.join(' or ')}${assumed}: add ${gaps.map((gap) => `\`${gap}\``).join(' and ')}`,
            ...(shown !== undefined ? { path: shown } : {}),
          });
        } else good.push(`${found.path}${assumed}`);
      }
    }
    if (missing.length)
      return result.fail(
        `${missing.length} build context(s) without .dockerignore: ${listNames(missing.map((finding) => finding.path!))}`,
        [...missing, ...weak],
      );
    if (weak.length) return result.warn(`${weak.length} .dockerignore file(s) do not exclude .git and .env`, weak);
    return result.pass(`.dockerignore excludes .git and .env: ${listNames(good)}`);
  },
  fixable:
    'adds a .dockerignore to each build context without one (.git, .env, local build output), or .git and .env to one that lacks them',
  fix({ snapshot, repository, projectPath, ecosystems }) {
    const edits: FileEdit[] = [];
    const notes: string[] = [];
    const skipped: string[] = [];
    const prefix = projectPath ? `${projectPath}/` : '';
    const patterns = [...ALWAYS_IGNORED, ...ecosystems.flatMap((ecosystem) => ECOSYSTEM_IGNORED[ecosystem] ?? [])];
    const seen = new Set<string>();
    for (const dockerfile of getDockerfilesIn(snapshot).all) {
      const repositoryPath = prefix + dockerfile.path;
      const copied = copiedSources(dockerfile);
      for (const context of contextsOf(repository, repositoryPath)) {
        const found = ignoreFileFor(repository, repositoryPath, context, projectPath);
        const target = found?.path ?? join(context.directory, '.dockerignore');
        if (seen.has(target)) continue;
        seen.add(target);
        const existing = found ? repository.textIfRead(found.path) : undefined;
        const present = existing === undefined ? [] : parseDockerignore(existing);
        const wanted = found
          ? ['.git', '.env'].filter((name) => !isIgnored(present, name) && !isIgnored(present, `${name}/HEAD`))
          : patterns;
        if (!wanted.length) continue;
        const { kept, dropped } = safePatterns(wanted, copied);
        if (dropped.some((pattern) => pattern === '.git' || pattern === '.env')) {
          skipped.push(`${target}: ${dockerfile.path} copies ${dropped.join(', ')} by name; exclude secrets by hand`);
          continue;
        }
        if (dropped.length) notes.push(`${target} leaves out ${dropped.join(', ')}: ${dockerfile.path} copies them`);
        if (!found) {
          edits.push({ kind: 'create', path: target, text: `${kept.join('\n')}\n` });
        } else if (existing === undefined) {
          skipped.push(`${found.path} could not be read; add ${wanted.join(' and ')} by hand`);
        } else {
          const { lines } = splitLines(existing);
          edits.push(insertBefore(found.path, lines.length + 1, kept));
        }
      }
    }
    return { edits, notes, skipped };
  },
});
