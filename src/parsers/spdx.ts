/**
 * SPDX license expressions read with `spdx-expression-parse` (operators, parentheses, `WITH` exceptions, `+`), and
 * common non-SPDX spellings (`Apache 2`, `GPLv3`, `MIT/Apache-2.0`) corrected with `spdx-correct`.
 */
import correctSpdx from 'spdx-correct';
import parseSpdx from 'spdx-expression-parse';

type SpdxNode = { license: string; plus?: boolean; exception?: string } | { left: SpdxNode; right: SpdxNode };

function leaves(node: SpdxNode): string[] {
  return 'license' in node ? [node.license] : [...leaves(node.left), ...leaves(node.right)];
}

function parseIds(expression: string): string[] | undefined {
  try {
    return leaves(parseSpdx(expression) as SpdxNode);
  } catch {
    return undefined;
  }
}

/**
 * The license ids an expression names (`(MIT OR Apache-2.0) AND BSD-3-Clause` → MIT, Apache-2.0, BSD-3-Clause), after
 * correcting a near-miss; undefined when it is not a license expression at all.
 */
export function spdxLicenseIds(expression: string): string[] | undefined {
  const text = expression.trim();
  if (!text) return undefined;
  const parsed = parseIds(text);
  if (parsed) return parsed;
  // npm-era shorthand for a choice: `MIT/Apache-2.0`, `MIT, Apache-2.0` (before correcting the whole, which keeps one).
  const parts = text.split(/[/,]/).map((part) => part.trim());
  if (parts.length > 1) {
    const ids: string[] = [];
    for (const part of parts) {
      const corrected = parseIds(part) ? part : correctSpdx(part, { upgrade: true });
      const id = corrected ? parseIds(corrected) : undefined;
      if (!id) return undefined;
      ids.push(...id);
    }
    return ids;
  }
  const corrected = correctSpdx(text, { upgrade: true });
  return corrected ? parseIds(corrected) : undefined;
}
