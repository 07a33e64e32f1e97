import { toFileText } from './file-text.js';
import type {
  FileText,
  ReadLimits,
  SettingKey,
  Settings,
  SnapshotSource,
  Target,
  TreeEntry,
  TreeListing,
} from './types.js';

export interface MemoryFile {
  content: string | Uint8Array;
  kind?: 'file' | 'symlink' | 'submodule';
  mode?: string;
}

/**
 * A repository held in memory: used by check tests and the benchmark. Files are path → text (or bytes, or a
 * MemoryFile for symlinks, submodules and executables). Settings are returned as given.
 */
export class MemorySource implements SnapshotSource {
  readonly kind: 'local' | 'github';
  private readonly files: Map<string, MemoryFile>;
  private readonly settings: Settings;
  readonly requestedPaths: string[][] = [];

  constructor(
    files: Record<string, string | Uint8Array | MemoryFile>,
    options: { settings?: Settings; kind?: 'local' | 'github' } = {},
  ) {
    this.files = new Map(
      Object.entries(files).map(([path, value]) => [
        path,
        typeof value === 'string' || value instanceof Uint8Array ? { content: value } : value,
      ]),
    );
    this.settings = options.settings ?? {};
    this.kind = options.kind ?? (options.settings ? 'github' : 'local');
  }

  target(): Target {
    return this.kind === 'github'
      ? { source: 'github', repository: 'example/repo', sha: '0'.repeat(40) }
      : { source: 'local', path: '/memory' };
  }

  async listTree(): Promise<TreeListing> {
    const entries: TreeEntry[] = [...this.files].map(([path, file]) => {
      const kind = file.kind ?? 'file';
      const size = typeof file.content === 'string' ? Buffer.byteLength(file.content) : file.content.byteLength;
      const mode = file.mode ?? (kind === 'symlink' ? '120000' : kind === 'submodule' ? '160000' : '100644');
      return { path, kind, size: kind === 'submodule' ? 0 : size, mode };
    });
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { entries, truncated: false, warnings: [] };
  }

  async readFiles(entries: TreeEntry[], limits: ReadLimits): Promise<Map<string, FileText>> {
    this.requestedPaths.push(entries.map((entry) => entry.path));
    const texts = new Map<string, FileText>();
    for (const entry of entries) {
      const file = this.files.get(entry.path);
      if (!file || entry.kind !== 'file') {
        texts.set(entry.path, {
          path: entry.path,
          text: null,
          binary: false,
          truncated: false,
          size: entry.size,
          error: `${entry.kind} not followed`,
        });
        continue;
      }
      const bytes = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
      texts.set(entry.path, toFileText(entry.path, bytes, bytes.byteLength, limits.maxFileBytes));
    }
    return texts;
  }

  async readSettings(keys: SettingKey[]): Promise<Settings> {
    const settings: Settings = {};
    for (const key of keys) {
      (settings as Record<string, unknown>)[key] = this.settings[key] ?? {
        status: 'not-supported',
        reason: this.kind === 'local' ? 'repository settings are only known to the GitHub source' : 'not provided',
      };
    }
    return settings;
  }
}
