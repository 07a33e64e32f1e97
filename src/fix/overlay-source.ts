import { toFileText } from '../snapshot/file-text.js';
import type {
  FileText,
  ReadLimits,
  SettingKey,
  Settings,
  SnapshotSource,
  Target,
  TreeEntry,
  TreeListing,
} from '../snapshot/types.js';

/**
 * A source seen through a set of changed files: the score after a fix is computed on exactly what the fix would
 * write, before anything is written (`--dry-run`, the fix pull request's body).
 */
export class OverlaySource implements SnapshotSource {
  readonly kind: 'local' | 'github';
  private readonly changed: Map<string, string>;

  constructor(
    private readonly base: SnapshotSource,
    changed: ReadonlyMap<string, string>,
  ) {
    this.kind = base.kind;
    this.changed = new Map(changed);
  }

  target(): Target {
    return this.base.target();
  }

  async listTree(): Promise<TreeListing> {
    const listing = await this.base.listTree();
    const present = new Set(listing.entries.map((entry) => entry.path));
    const entries: TreeEntry[] = listing.entries.map((entry) => {
      const text = this.changed.get(entry.path);
      if (text === undefined) return entry;
      const { sha: _stale, ...rest } = entry;
      return { ...rest, size: Buffer.byteLength(text) };
    });
    for (const [path, text] of this.changed)
      if (!present.has(path)) entries.push({ path, kind: 'file', size: Buffer.byteLength(text), mode: '100644' });
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { ...listing, entries };
  }

  async readFiles(entries: TreeEntry[], limits: ReadLimits): Promise<Map<string, FileText>> {
    const fromBase = entries.filter((entry) => !this.changed.has(entry.path));
    const texts = await this.base.readFiles(fromBase, limits);
    for (const entry of entries) {
      const text = this.changed.get(entry.path);
      if (text === undefined) continue;
      const bytes = Buffer.from(text);
      texts.set(entry.path, toFileText(entry.path, bytes, bytes.byteLength, limits.maxFileBytes));
    }
    return texts;
  }

  readSettings(keys: SettingKey[]): Promise<Settings> {
    return this.base.readSettings(keys);
  }
}
