import { hasDependency } from '../../src/engine/dependencies.js';
import type { Ecosystem } from '../../src/engine/types.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';

/** Dependency names per ecosystem (lower-case, as `listDependencies` reports them; a trailing `*` is a prefix). */
export type DependencyLists = Partial<Record<Ecosystem, readonly string[]>>;

/** The first listed dependency declared by the repository's manifests, with its ecosystem. */
export function findListedDependency(
  snapshot: RepoSnapshot,
  lists: DependencyLists,
): { ecosystem: Ecosystem; name: string } | undefined {
  for (const [ecosystem, names] of Object.entries(lists) as Array<[Ecosystem, readonly string[]]>) {
    const name = hasDependency(snapshot, names);
    if (name) return { ecosystem, name };
  }
  return undefined;
}

/** "node: pino, winston; go: go.uber.org/zap, …" for the ecosystems detected (all listed ones when none). */
export function describeLookedFor(
  lists: DependencyLists,
  ecosystems: readonly Ecosystem[],
  extra: Partial<Record<Ecosystem, string>> = {},
): string {
  const relevant = (Object.keys(lists) as Ecosystem[]).filter(
    (ecosystem) => ecosystems.length === 0 || ecosystems.includes(ecosystem),
  );
  const shown = relevant.length ? relevant : (Object.keys(lists) as Ecosystem[]);
  return shown
    .map(
      (ecosystem) =>
        `${ecosystem}: ${(lists[ecosystem] ?? []).map((name) => name.replace(/\*$/, '…')).join(', ')}${extra[ecosystem] ? `, ${extra[ecosystem]}` : ''}`,
    )
    .join('; ');
}

/** The 1-based line of the first match of `pattern` in `text`, or undefined. */
export function findLine(text: string, pattern: RegExp): number | undefined {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => pattern.test(line));
  return index < 0 ? undefined : index + 1;
}

/** Reads a file the check declared, tolerating one that matched a glob but was past its `max` (not fetched). */
export function readDeclared(snapshot: RepoSnapshot, path: string): string | undefined {
  return snapshot.textIfRead(path);
}
