import type { PackedTreeListing } from './packed-listing.js';

/** What a snapshot source can tell about one commit (GitHub) or one directory (local). */

export type EntryKind = 'file' | 'symlink' | 'submodule';

export interface TreeEntry {
  /** Repository-relative, forward slashes, no leading './'. */
  path: string;
  kind: EntryKind;
  /** Bytes; 0 for submodules. */
  size: number;
  /** Git mode: '100644', '100755', '120000' (symlink), '160000' (submodule). */
  mode: string;
  /** Git blob id when the source knows it (GitHub, or a local git checkout). */
  sha?: string;
}

export interface FileText {
  path: string;
  /** The text, or null when the file is binary, unreadable or not a regular file. */
  text: string | null;
  binary: boolean;
  /** A binary file's first bytes (up to 8, lower-case hex), for format magic (ELF, Mach-O, PE). */
  magic?: string;
  /** True when only the first `maxFileBytes` were read. */
  truncated: boolean;
  size: number;
  /** Why the text is missing, when it is (unreadable, symlink, too large, API error). */
  error?: string;
  /**
   * Set when some lines were longer than the line budget: `text` then has those lines cut to the budget (what
   * line-oriented matchers see), `fullText` is the text as read (what the structured parsers parse).
   */
  longLines?: { count: number; longest: number; fullText: string };
}

export interface BranchProtection {
  branch: string;
  /** Which mechanism protects the branch; 'none' when neither rulesets nor classic protection apply. */
  source: 'ruleset' | 'classic' | 'none';
  requiresPullRequest: boolean;
  requiredApprovals: number;
  requiresStatusChecks: boolean;
  blocksForcePushes: boolean;
  blocksDeletions: boolean;
  /** Names of the rulesets that apply, when source is 'ruleset'. */
  rulesets?: string[];
}

export interface SettingValues {
  branchProtection: BranchProtection;
  secretScanning: boolean;
  secretPushProtection: boolean;
  dependabotAlerts: boolean;
  privateVulnerabilityReporting: boolean;
  codeScanningDefaultSetup: { configured: boolean; languages: string[] };
  detectedLicense: { spdxId: string | null; name: string | null; path: string | null } | null;
  /** Community-health files of the org's `.github` repository (fallbacks GitHub shows on every repo). */
  orgCommunityFiles: { repository: string; paths: string[] };
}
export type SettingKey = keyof SettingValues;

export type SettingState<T> = { status: 'ok'; value: T } | { status: 'not-supported'; reason: string };
export type Settings = { [K in SettingKey]?: SettingState<SettingValues[K]> };

export interface Target {
  source: 'local' | 'github';
  path?: string;
  repository?: string;
  ref?: string;
  sha?: string;
}

export interface TreeListing {
  entries: TreeEntry[];
  /** True when the source could not list the whole tree (the report says so). */
  truncated: boolean;
  /** Messages for the report: unreadable directories, symlink loops skipped, walked sub-trees… */
  warnings: string[];
}

export interface ReadLimits {
  /** Bytes read per file at most; the rest is cut and `truncated` set. */
  maxFileBytes: number;
}

/** One commit's or one directory's data. Checks never see this: the engine fetches through it once. */
export interface SnapshotSource {
  readonly kind: 'local' | 'github';
  target(): Target;
  listTree(): Promise<TreeListing>;
  /**
   * The same listing in columns (packed-listing.ts), for sources that can produce it without building one object per
   * entry: the App's main thread holds and posts listings only in this form.
   */
  listPackedTree?(): Promise<PackedTreeListing>;
  readFiles(entries: TreeEntry[], limits: ReadLimits): Promise<Map<string, FileText>>;
  readSettings(keys: SettingKey[]): Promise<Settings>;
}
