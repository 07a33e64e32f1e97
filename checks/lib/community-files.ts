import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { TreeEntry } from '../../src/snapshot/types.js';

/** The places GitHub looks for community-health files, in GitHub's order of precedence. */
export const COMMUNITY_DIRECTORIES = ['.github/', '', 'docs/'] as const;

/** A case-insensitive glob for a base name: `caseInsensitiveGlob('readme')` → `[Rr][Ee][Aa][Dd][Mm][Ee]`. */
export function caseInsensitiveGlob(name: string): string {
  return [...name].map((char) => (/[a-z]/i.test(char) ? `[${char.toUpperCase()}${char.toLowerCase()}]` : char)).join('');
}

/** Globs for a community file in every community place, e.g. `communityGlobs('security')`. */
export function communityGlobs(baseName: string): string[] {
  return COMMUNITY_DIRECTORIES.map((directory) => `${directory}${caseInsensitiveGlob(baseName)}{,.*}`);
}

/** The community files named `baseName` (any case, any extension) in the community places, in precedence order. */
export function findCommunityFiles(snapshot: RepoSnapshot, baseName: string): TreeEntry[] {
  const found: TreeEntry[] = [];
  const pattern = new RegExp(`^${baseName.replace(/[-_]/g, '[-_]?')}(\\.[a-z0-9]+)?$`, 'i');
  for (const directory of COMMUNITY_DIRECTORIES) {
    for (const entry of snapshot.entries) {
      if (!entry.path.startsWith(directory)) continue;
      const rest = entry.path.slice(directory.length);
      if (!rest.includes('/') && pattern.test(rest) && entry.kind !== 'submodule') found.push(entry);
    }
  }
  return found;
}

/**
 * Where the org's `.github` repository provides the file (GitHub source only), a sentence for the finding;
 * undefined otherwise.
 */
export function orgFallback(snapshot: RepoSnapshot, baseName: string): string | undefined {
  const state = snapshot.setting('orgCommunityFiles');
  if (state.status !== 'ok') return undefined;
  const pattern = new RegExp(`^(\\.github/|docs/)?${baseName.replace(/[-_]/g, '[-_]?')}(\\.[a-z0-9]+)?$`, 'i');
  const path = state.value.paths.find((candidate) => pattern.test(candidate));
  return path ? `${state.value.repository}/${path}` : undefined;
}

/** Counts words of prose, skipping code blocks, HTML tags, badges and link targets. */
export function countWords(markdown: string): number {
  const prose = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\]\([^)]*\)/g, ']');
  return prose.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}
