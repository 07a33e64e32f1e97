import type { Logger } from 'pino';
import type { OctokitLike } from '../../github/octokit.js';
import { packListing, unpackListing, type PackedTreeListing } from '../../snapshot/packed-listing.js';
import { ENTRIES_PER_TURN, nextTurn } from '../../snapshot/turns.js';
import type { FileText, SettingKey, Settings, SnapshotSource } from '../../snapshot/types.js';
import type { FlowDeps, SourceFactory, Target } from './types.js';

// Step 3 (with trees.ts): the snapshot sources of the head and the base.

/** A source of this flow: it always has the packed listing (memoised). */
export type FlowSource = SnapshotSource & { listPackedTree(): Promise<PackedTreeListing> };

export interface Sources {
  head: FlowSource;
  base?: FlowSource;
  requests(): { rest: number; graphql: number };
}

/**
 * The head and base sources, with the listing memoised (the tree is listed before the config is known, and the
 * engine lists it again) and settings shared: they belong to the repository, not to a commit.
 */
export function createSources({
  octokit,
  target,
  deps,
  log,
  fresh,
}: {
  octokit: OctokitLike;
  target: Target;
  deps: FlowDeps;
  log: Logger;
  fresh: boolean;
}): Sources {
  const raw: Array<ReturnType<SourceFactory>> = [];
  let settings: Promise<Settings> | undefined;
  let settingKeys = '';
  const repository = `${target.owner}/${target.repo}`;
  if (fresh) deps.settings?.forget(repository);
  const wrap = (sha: string, ref?: string): FlowSource => {
    const source = deps.createSource({
      octokit,
      owner: target.owner,
      repo: target.repo,
      sha,
      ref,
      defaultBranch: target.defaultBranch,
      log,
    });
    raw.push(source);
    let packed: Promise<PackedTreeListing> | undefined;
    // The listing is held packed: hashing, the config's blob id and posting it to the worker never build 100,000
    // objects on this thread (which answers webhooks).
    const listPackedTree = () =>
      (packed ??= source.listPackedTree
        ? source.listPackedTree()
        : source.listTree().then((listing) => packListing(listing)));
    // Texts already read, by path: a second evaluation of the same commit (the PR's own config, previewed) reads
    // only what the first did not.
    const texts = new Map<string, FileText>();
    return {
      kind: source.kind,
      target: () => source.target(),
      listTree: async () => unpackListing(await listPackedTree()),
      listPackedTree,
      readFiles: async (entries, limits) => {
        const missing: typeof entries = [];
        for (const [index, entry] of entries.entries()) {
          if (index > 0 && index % ENTRIES_PER_TURN === 0) await nextTurn();
          if (!texts.has(entry.path)) missing.push(entry);
        }
        if (missing.length) {
          const read = await source.readFiles(missing, limits);
          await nextTurn();
          for (const [path, text] of read) texts.set(path, text);
        }
        const result = new Map<string, FileText>();
        for (const [index, entry] of entries.entries()) {
          if (index > 0 && index % ENTRIES_PER_TURN === 0) await nextTurn();
          const text = texts.get(entry.path);
          if (text) result.set(entry.path, text);
        }
        return result;
      },
      readSettings: (keys: SettingKey[]) => {
        const wanted = [...keys].sort().join(',');
        if (!settings || wanted !== settingKeys) {
          settingKeys = wanted;
          settings = deps.settings
            ? deps.settings.read(repository, wanted, () => source.readSettings(keys))
            : source.readSettings(keys);
        }
        return settings;
      },
    };
  };
  const head = wrap(target.headSha, target.ref);
  let base: FlowSource | undefined;
  return {
    head,
    get base() {
      if (!target.base) return undefined;
      return (base ??= wrap(target.base.sha, target.base.ref));
    },
    requests: () =>
      raw.reduce(
        (sum, source) => ({
          rest: sum.rest + (source.stats?.rest ?? 0),
          graphql: sum.graphql + (source.stats?.graphql ?? 0),
        }),
        { rest: 0, graphql: 0 },
      ),
  };
}
