/**
 * `.gitignore` questions answered with `ignore` (git's own rules: negation, globs, directory patterns, anchoring),
 * instead of matching whole lines against a list of spellings.
 */
import ignore, { type Ignore } from 'ignore';

export interface GitignoreMatch {
  /** 1-based line of the last rule that decided the path. */
  line: number;
  rule: string;
}

/** Whether a `.gitignore` text ignores `path` (relative to the file's directory), and which line decides it. */
export function gitignoreMatch(text: string, path: string): GitignoreMatch | undefined {
  const lines = text.split(/\r?\n/);
  const all: Ignore = ignore().add(text);
  if (!all.ignores(path)) return undefined;
  // The deciding rule: the last line whose own rule ignores the path (a later `!` re-include would have un-ignored it).
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const rule = lines[index].trim();
    if (!rule || rule.startsWith('#') || rule.startsWith('!')) continue;
    if (ignore().add(rule).ignores(path)) return { line: index + 1, rule };
  }
  return { line: 1, rule: '' };
}

/** True when the `.gitignore` text ignores `path`. */
export function gitignores(text: string, path: string): boolean {
  return ignore().add(text).ignores(path);
}
