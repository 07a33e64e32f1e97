import type { Ecosystem } from '../../src/engine/types.js';
import { isRecord, parseJsonText } from '../../src/parsers/structured.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';

export interface ProjectCommands {
  setup?: string;
  test?: string;
  lint?: string;
}

/** npm's placeholder test script: not a test command. */
const NO_TEST = /no test specified/;

/**
 * The root project's own setup, test and lint commands, from its manifest (always read by the engine) and the
 * lockfile in the tree: what a contributing guide should tell newcomers to run. Only what the project declares; an
 * ecosystem's standard tool commands (`go test ./...`, `cargo test`) when the manifest is the whole story.
 */
export function projectCommandsOf(repository: RepoSnapshot, ecosystems: readonly Ecosystem[]): ProjectCommands {
  const manifest = repository.textIfRead('package.json');
  if (manifest !== undefined) {
    const parsed = parseJsonText(manifest);
    const scripts = parsed.ok && isRecord(parsed.value) && isRecord(parsed.value.scripts) ? parsed.value.scripts : {};
    const manager = repository.has('pnpm-lock.yaml')
      ? 'pnpm'
      : repository.has('yarn.lock')
        ? 'yarn'
        : repository.has('bun.lockb') || repository.has('bun.lock')
          ? 'bun'
          : 'npm';
    const setup = {
      npm: repository.has('package-lock.json') ? 'npm ci' : 'npm install',
      pnpm: 'pnpm install',
      yarn: 'yarn install',
      bun: 'bun install',
    }[manager];
    const run = (script: string) => (manager === 'npm' ? `npm run ${script}` : `${manager} run ${script}`);
    const test =
      typeof scripts.test === 'string' && !NO_TEST.test(scripts.test)
        ? manager === 'npm'
          ? 'npm test'
          : `${manager} test`
        : undefined;
    const lint = typeof scripts.lint === 'string' ? run('lint') : undefined;
    return { setup, ...(test ? { test } : {}), ...(lint ? { lint } : {}) };
  }
  if (ecosystems.includes('go') && repository.has('go.mod'))
    return { setup: 'go mod download', test: 'go test ./...', lint: 'go vet ./...' };
  if (ecosystems.includes('rust') && repository.has('Cargo.toml'))
    return { setup: 'cargo build', test: 'cargo test', lint: 'cargo clippy -- -D warnings' };
  return {};
}
