import { splitLines } from './apply.js';
import type { FileChange } from './apply.js';

const CONTEXT = 3;

/**
 * A unified diff of applied changes, made from the changes themselves rather than by
 * diffing texts again: linear in the file's size, and it shows exactly what each fixer did.
 */
export function renderUnifiedDiff(files: readonly FileChange[]): string {
  return files.map(renderFile).join('');
}

function renderFile(file: FileChange): string {
  const old = file.before === undefined ? [] : splitLines(file.before).lines;
  const header =
    file.before === undefined
      ? `diff --git a/${file.path} b/${file.path}\nnew file mode 100644\n--- /dev/null\n+++ b/${file.path}\n`
      : `diff --git a/${file.path} b/${file.path}\n--- a/${file.path}\n+++ b/${file.path}\n`;
  if (file.before === undefined) {
    const lines = splitLines(file.after).lines;
    return `${header}@@ -0,0 +1,${lines.length} @@\n${lines.map((line) => `+${line}\n`).join('')}`;
  }
  // Group changes whose context would touch into one hunk.
  const groups: (typeof file.changes)[] = [];
  for (const change of file.changes) {
    const last = groups[groups.length - 1];
    const previous = last?.[last.length - 1];
    if (previous && change.startLine - 1 - previous.endLine <= CONTEXT * 2) last.push(change);
    else groups.push([change]);
  }
  let shift = 0; // new-file line = old-file line + shift, before the group
  let text = header;
  for (const group of groups) {
    const first = group[0];
    const last = group[group.length - 1];
    const from = Math.max(1, first.startLine - CONTEXT);
    const to = Math.min(old.length, last.endLine + CONTEXT);
    const body: string[] = [];
    let line = from;
    let oldCount = 0;
    let newCount = 0;
    let groupShift = 0;
    for (const change of group) {
      for (; line < change.startLine; line += 1, oldCount += 1, newCount += 1) body.push(` ${old[line - 1]}`);
      for (const removed of change.oldLines) body.push(`-${removed}`);
      for (const added of change.newLines) body.push(`+${added}`);
      oldCount += change.oldLines.length;
      newCount += change.newLines.length;
      groupShift += change.newLines.length - change.oldLines.length;
      line = change.endLine + 1;
    }
    for (; line <= to; line += 1, oldCount += 1, newCount += 1) body.push(` ${old[line - 1]}`);
    const newFrom = newCount === 0 ? from - 1 + shift : from + shift;
    const oldFrom = oldCount === 0 ? from - 1 : from;
    text += `@@ -${oldFrom},${oldCount} +${newFrom},${newCount} @@\n${body.map((row) => `${row}\n`).join('')}`;
    shift += groupShift;
  }
  return text;
}
