import type { CheckContext } from '../engine/types.js';
import type { CheckReport } from '../report/types.js';

/**
 * One change to one file, always repository-relative. Two kinds are enough for every fixer, and both map to what
 * GitHub can apply: a new file (a blob in the fix pull request) and a range of lines (a ```suggestion on a pull
 * request's review).
 */
export type FileEdit = CreateFile | ReplaceLines;

/** A file that does not exist yet. Refused when the path already exists. */
export interface CreateFile {
  kind: 'create';
  path: string;
  /** The whole text, ending with a newline. */
  text: string;
}

/**
 * Lines `startLine`…`endLine` (1-based, inclusive) of the file as it was read become `lines`. `endLine` equal to
 * `startLine - 1` replaces nothing: the lines are inserted before `startLine` (`startLine` one past the last line
 * appends). Ranges always refer to the text the fixer read, never to another edit's result, so edits of different
 * fixers to the same file compose without knowing about each other.
 */
export interface ReplaceLines {
  kind: 'replace';
  path: string;
  startLine: number;
  endLine: number;
  /** The new lines, without line terminators (the file's own are kept). */
  lines: string[];
}

/** What a fixer may use besides the check's context: effects are injected, so every fixer is testable offline. */
export interface FixServices {
  /** `owner/name` of the repository being fixed, when known (a GitHub origin, or the App's repository). */
  repository?: string;
  /**
   * Resolves an action's ref (tag, branch or short SHA) to the commit it points at, and the most specific tag at
   * that commit (`v4` → `v4.2.2`). Absent offline; returns undefined when the ref does not exist.
   */
  resolveActionRef?: (owner: string, repo: string, ref: string) => Promise<ResolvedRef | undefined>;
  /** Why `resolveActionRef` is absent, for the fixer's skip message (names the token or `--repo`). */
  offlineReason?: string;
}

export interface ResolvedRef {
  sha: string;
  /** The most specific tag pointing at `sha` (`v4.2.2`), when one is known. */
  tag?: string;
}

/** What a fixer receives: the check's own context (snapshot, options…), the check's result there, and services. */
export interface FixInput<Options = Record<string, never>> extends CheckContext<Options> {
  /** The check's report in this scope (outcome, findings): fixers run only when it fails or warns. */
  result: CheckReport;
  services: FixServices;
}

export interface FixOutput {
  edits: FileEdit[];
  /** What the user must still do or review (fill a placeholder, confirm a scope), one sentence each. */
  notes?: string[];
  /** Why (part of) the problem was left alone: not safe, needs the network, a file that could not be parsed. */
  skipped?: string[];
}

/** The fixer a check may carry (as an ESLint rule carries `meta.fixable` and `fix`). */
export type Fixer<Options = Record<string, never>> = (input: FixInput<Options>) => FixOutput | Promise<FixOutput>;
