import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { TreeEntry } from '../../src/snapshot/types.js';

/** The places GitHub looks for community-health files, in GitHub's order of precedence. */
export const COMMUNITY_DIRECTORIES = ['.github/', '', 'docs/'] as const;

/** A case-insensitive glob for a base name: `caseInsensitiveGlob('readme')` → `[Rr][Ee][Aa][Dd][Mm][Ee]`. */
export function caseInsensitiveGlob(name: string): string {
  return [...name]
    .map((char) => (/[a-z]/i.test(char) ? `[${char.toUpperCase()}${char.toLowerCase()}]` : char))
    .join('');
}

/** Globs for a community file in every community place, e.g. `communityGlobs('security')`. */
export function communityGlobs(baseName: string): string[] {
  return COMMUNITY_DIRECTORIES.map((directory) => `${directory}${caseInsensitiveGlob(baseName)}{,.*}`);
}

/** The community files named `baseName` (any case, any extension) in the community places, in precedence order. */
export function findCommunityFiles(snapshot: RepoSnapshot, baseName: string): TreeEntry[] {
  const found: TreeEntry[] = [];
  const pattern = new RegExp(`^${baseName.replace(/[-_]/g, '[-_]?')}(\\.[a-z0-9]+)?$`, 'i');
  // The entries directly in each community place, from the tree index.
  const index = snapshot.index;
  for (const directory of COMMUNITY_DIRECTORIES) {
    for (const entry of index.childrenOfNumber(
      index.directoryNumber(directory.endsWith('/') ? directory.slice(0, -1) : directory),
    )) {
      const rest = entry.path.slice(directory.length);
      if (pattern.test(rest) && entry.kind !== 'submodule') found.push(entry);
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
    .replace(/<[^<>]+>/g, ' ')
    .replace(/!\[[^[\]]*\]\([^()]*\)/g, ' ')
    .replace(/\]\([^()]*\)/g, ']');
  return prose.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** Where a community file was found: in the repository, or only in the org's `.github` repository. */
export type CommunityFileLocation = { where: 'repository'; entry: TreeEntry } | { where: 'org'; path: string };

/**
 * The first community file named like any of `baseNames` in the repository (GitHub's precedence: `.github/`, root,
 * `docs/`), else the org `.github` fallback when the GitHub source reports one.
 */
export function locateCommunityFile(
  snapshot: RepoSnapshot,
  baseNames: readonly string[],
): CommunityFileLocation | undefined {
  for (const baseName of baseNames) {
    const [entry] = findCommunityFiles(snapshot, baseName);
    if (entry) return { where: 'repository', entry };
  }
  for (const baseName of baseNames) {
    const path = orgFallback(snapshot, baseName);
    if (path) return { where: 'org', path };
  }
  return undefined;
}

/** The places a community file is looked for, for "not found" messages. */
export function describeCommunityPlaces(fileName: string, snapshot: RepoSnapshot): string {
  const org = snapshot.setting('orgCommunityFiles');
  const fallback = org.status === 'ok' ? `, nor in the org's ${org.value.repository} repository` : '';
  return `no ${fileName} at the root, in .github/ or in docs/${fallback}`;
}

/** The org's `.github` repository files matching `pattern` (GitHub source only). */
export function orgFilesMatching(snapshot: RepoSnapshot, pattern: RegExp | ((path: string) => boolean)): string[] {
  const state = snapshot.setting('orgCommunityFiles');
  if (state.status !== 'ok') return [];
  const test = typeof pattern === 'function' ? pattern : (path: string) => pattern.test(path);
  return state.value.paths.filter((candidate) => test(candidate)).map((path) => `${state.value.repository}/${path}`);
}

/** Markdown headings of a document (ATX `#`, setext, reStructuredText underlines, AsciiDoc `=`), with 1-based lines. */
export function listHeadings(text: string): Array<{ title: string; level: number; line: number }> {
  const lines = text.split(/\r?\n/);
  const headings: Array<{ title: string; level: number; line: number }> = [];
  let fence: string | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1][0];
      else if (fenceMatch[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence) continue;
    const atx = atxHeading(line);
    if (atx) {
      headings.push({ title: cleanHeading(atx.text), level: atx.level, line: index + 1 });
      continue;
    }
    const asciidoc = /^(={1,6})\s+(\S.*)$/.exec(line);
    if (asciidoc) {
      headings.push({ title: cleanHeading(asciidoc[2]), level: asciidoc[1].length, line: index + 1 });
      continue;
    }
    const html = /^\s*<h([1-6])[^>]*>(.*?)<\/h\1>/i.exec(line);
    if (html) {
      headings.push({ title: cleanHeading(html[2]), level: Number(html[1]), line: index + 1 });
      continue;
    }
    const next = lines[index + 1];
    if (
      next !== undefined &&
      line.trim() &&
      !/^\s{4}/.test(line) &&
      /^\s{0,3}([=\-~^"'`#*+_:.])\1{2,}\s*$/.test(next) &&
      next.trim().length >= Math.min(3, line.trim().length)
    ) {
      // A line over an underline (setext, or a reStructuredText title); a table rule or list is not a title.
      if (!/^\s*([-*+]|\d+[.)])\s/.test(line) && !/^\s*\|/.test(line)) {
        headings.push({ title: cleanHeading(line), level: next.trim()[0] === '=' ? 1 : 2, line: index + 1 });
        index += 1;
      }
    }
  }
  return headings;
}

function cleanHeading(raw: string): string {
  return raw
    .replace(/<[^<>]+>/g, ' ')
    .replace(/!\[[^[\]]*\]\([^()]*\)/g, ' ')
    .replace(/\[([^[\]]*)\]\([^()]*\)/g, '$1')
    .replace(/[*_`:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The outcome of a "community file present" check: in the repository, from the org fallback, or missing. */
export function communityFilePresence(
  snapshot: RepoSnapshot,
  options: { baseNames: readonly string[]; label: string; fileName: string },
): import('../../src/engine/types.js').CheckResult {
  const location = locateCommunityFile(snapshot, options.baseNames);
  if (!location) {
    return {
      outcome: 'fail',
      summary: `No ${options.label} found`,
      findings: [{ message: `${describeCommunityPlaces(options.fileName, snapshot)}; add ${options.fileName}` }],
    };
  }
  if (location.where === 'org') {
    return {
      outcome: 'pass',
      summary: `${options.label} inherited from the org's .github repository (${location.path})`,
      findings: [],
    };
  }
  const { entry } = location;
  const note = entry.kind === 'symlink' ? ' (a symlink)' : '';
  return { outcome: 'pass', summary: `${entry.path}${note}`, findings: [] };
}

/** Globs of a README in every community place (root, `.github/`, `docs/`), in any case and with any extension. */
export const README_GLOBS = ['.github/', '', 'docs/'].map(
  (directory) => `${directory}${caseInsensitiveGlob('readme')}{,.*}`,
);

/**
 * The README GitHub would show, with its text, or why its text cannot be read (binary, symlink, unreadable).
 * Undefined when there is none.
 */
export function readReadme(
  snapshot: RepoSnapshot,
): { entry: TreeEntry; text?: string; unreadable?: string } | undefined {
  const [entry] = findCommunityFiles(snapshot, 'readme');
  if (!entry) return undefined;
  const file = snapshot.file(entry.path);
  if (file && file.text !== null) return { entry, text: file.text };
  const unreadable = file?.binary
    ? 'is a binary file'
    : entry.kind === 'symlink'
      ? 'is a symlink (not followed)'
      : `could not be read (${file?.error ?? 'unknown error'})`;
  return { entry, unreadable };
}

/** An ATX heading (`## Title ##`): level and text without the closing hashes. Trimmed in code, not by a lazy regex. */
function atxHeading(line: string): { level: number; text: string } | undefined {
  const open = /^\s{0,3}(#{1,6})\s+/.exec(line);
  if (!open) return undefined;
  const rest = line.slice(open[0].length);
  let text = rest.trimEnd();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end -= 1;
  text = text.slice(0, end).trimEnd() || rest.trim().charAt(0);
  return text ? { level: open[1].length, text } : undefined;
}
