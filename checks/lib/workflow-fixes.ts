/** Line-level helpers for the workflow fixers: where a key goes in a YAML file, with the file's own indentation. */
import { splitLines } from '../../src/fix/apply.js';
import { indentOf } from '../../src/fix/edits.js';
import type { Job, Workflow } from '../../src/parsers/workflows.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';

/** The whole text of a workflow as read (long lines not cut), split into lines; undefined when not read. */
export function workflowLines(repository: RepoSnapshot, path: string): string[] | undefined {
  const file = repository.fileIfRead(path);
  if (!file || file.text === null || file.truncated) return undefined;
  return splitLines(file.longLines?.fullText ?? file.text).lines;
}

const isContent = (line: string) => line.trim() !== '' && !line.trimStart().startsWith('#');

/** A line that is `key:` with nothing after it but a comment (block style), so keys can be added below it. */
function opensBlock(line: string): boolean {
  const colon = line.indexOf(':');
  if (colon < 0) return false;
  const rest = line.slice(colon + 1).trim();
  return rest === '' || rest.startsWith('#');
}

/**
 * Where a key of `job` goes: the line after the job's key, and the indentation of the job's own keys. Undefined
 * for a job in flow style (`build: { … }`) or one whose body cannot be found: such jobs are left alone.
 */
export function jobBody(lines: readonly string[], job: Job): { insertAt: number; indent: string } | undefined {
  const keyLine = lines[job.line - 1];
  if (keyLine === undefined || !opensBlock(keyLine)) return undefined;
  const keyIndent = indentOf(keyLine).length;
  for (let index = job.line; index < lines.length && index < job.endLine + 1; index += 1) {
    if (!isContent(lines[index])) continue;
    const indent = indentOf(lines[index]);
    return indent.length > keyIndent ? { insertAt: job.line + 1, indent } : undefined;
  }
  return undefined;
}

/** The line of a top-level key (`jobs:`) at column 0, or undefined. */
export function topLevelKeyLine(lines: readonly string[], key: string): number | undefined {
  const index = lines.findIndex((line) => line.startsWith(`${key}:`) || line.startsWith(`${key} :`));
  return index < 0 ? undefined : index + 1;
}

/** The last line of the block that starts at `line` (1-based): its indented continuation, trailing blanks excluded. */
export function blockEnd(lines: readonly string[], line: number): number {
  const keyIndent = indentOf(lines[line - 1] ?? '').length;
  let end = line;
  for (let index = line; index < lines.length; index += 1) {
    const text = lines[index];
    if (!isContent(text)) continue;
    if (indentOf(text).length <= keyIndent) break;
    end = index + 1;
  }
  return end;
}

/** The indentation one level below the top: that of the workflow's job keys (2 spaces when it cannot tell). */
export function indentUnit(lines: readonly string[], workflow: Workflow): string {
  const job = workflow.jobs[0];
  const indent = job ? indentOf(lines[job.line - 1] ?? '') : '';
  return indent || '  ';
}

/** A `permissions:` block at `indent`, `contents` first then the scopes in name order. */
export function permissionsBlock(indent: string, unit: string, scopes: ReadonlyMap<string, string>): string[] {
  const names = [...scopes.keys()].sort((a, b) => (a === 'contents' ? -1 : b === 'contents' ? 1 : a.localeCompare(b)));
  return [`${indent}permissions:`, ...names.map((name) => `${indent}${unit}${name}: ${scopes.get(name)}`)];
}
