/**
 * Unified diffs for the simulator's `pulls/list-files` (`patch`), and the head-side lines a review comment may be
 * placed on (GitHub accepts a comment on any line of a hunk, and refuses one outside every hunk with a 422).
 * A plain LCS: the simulator's files are small.
 */

const CONTEXT = 3;

interface Row {
  kind: ' ' | '-' | '+';
  text: string;
  /** Line in the old file (for ' ' and '-'). */
  oldLine?: number;
  /** Line in the new file (for ' ' and '+'). */
  newLine?: number;
}

const split = (text: string): string[] => {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
};

function rows(before: string[], after: string[]): Row[] {
  const n = before.length;
  const m = after.length;
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1)
    for (let j = m - 1; j >= 0; j -= 1)
      table[i][j] = before[i] === after[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const out: Row[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ kind: ' ', text: before[i], oldLine: i + 1, newLine: j + 1 });
      i += 1;
      j += 1;
    } else if (j < m && (i >= n || table[i][j + 1] >= table[i + 1][j])) {
      out.push({ kind: '+', text: after[j], newLine: j + 1 });
      j += 1;
    } else {
      out.push({ kind: '-', text: before[i], oldLine: i + 1 });
      i += 1;
    }
  }
  return out;
}

interface Hunk {
  rows: Row[];
}

function hunks(before: string, after: string): Hunk[] {
  const all = rows(split(before), split(after));
  const changed = all.map((row, index) => (row.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  const result: Hunk[] = [];
  let start = -1;
  let end = -1;
  for (const index of changed) {
    if (start >= 0 && index - CONTEXT <= end + CONTEXT) end = index;
    else {
      if (start >= 0)
        result.push({ rows: all.slice(Math.max(0, start - CONTEXT), Math.min(all.length, end + CONTEXT + 1)) });
      start = index;
      end = index;
    }
  }
  if (start >= 0)
    result.push({ rows: all.slice(Math.max(0, start - CONTEXT), Math.min(all.length, end + CONTEXT + 1)) });
  return result;
}

/** GitHub's `patch` of a file: hunks only (no `diff --git` header), or undefined when nothing changed. */
export function unifiedPatch(before: string, after: string): string | undefined {
  const list = hunks(before, after);
  if (!list.length) return undefined;
  return list
    .map(({ rows: hunk }) => {
      const olds = hunk.filter((row) => row.kind !== '+');
      const news = hunk.filter((row) => row.kind !== '-');
      const oldStart = olds[0]?.oldLine ?? (hunk.find((row) => row.oldLine)?.oldLine ?? 1) - 1;
      const newStart = news[0]?.newLine ?? 0;
      const header = `@@ -${olds.length ? oldStart : Math.max(0, oldStart)},${olds.length} +${newStart},${news.length} @@`;
      return [header, ...hunk.map((row) => `${row.kind}${row.text}`)].join('\n');
    })
    .join('\n');
}

/** The new-side lines inside a hunk: where a review comment (side RIGHT) may go. */
export function commentableLines(before: string, after: string): Set<number> {
  const lines = new Set<number>();
  for (const { rows: hunk } of hunks(before, after))
    for (const row of hunk) if (row.newLine !== undefined) lines.add(row.newLine);
  return lines;
}
