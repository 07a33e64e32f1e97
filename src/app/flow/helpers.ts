import { createHash } from 'node:crypto';
import type { Target } from './types.js';

export function joinNotes(...notes: Array<string | undefined>): string | undefined {
  const present = notes.filter((note): note is string => Boolean(note));
  return present.length ? present.join(' ') : undefined;
}

export function hashOf(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex');
}

export function reportKey(target: Target, sha: string): string {
  return `${target.owner}/${target.repo}@${sha}`;
}

export function noBaseNote(target: Target, error: unknown): string {
  const what = target.pull ? 'The base commit' : 'The previous commit of the branch';
  return `${what} \`${target.base!.sha.slice(0, 7)}\` could not be evaluated (${(error as Error).message}), so nothing is compared or blamed on this change.`;
}
