/** Light-weight readers for README-like documents (Markdown, reStructuredText, AsciiDoc); never throw. */

export interface CodeBlock {
  /** 1-based line of the block's first line (the fence, or the first indented line). */
  line: number;
  /** The block's content without fences or indentation. */
  content: string;
  kind: 'fenced' | 'indented' | 'literal' | 'html';
}

const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s/;

/** Code blocks: fenced (``` or ~~~), indented by four spaces after a paragraph break, rST literal (`::`, `.. code-block::`), AsciiDoc `----`, HTML `<pre>`. */
export function listCodeBlocks(text: string): CodeBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    const fence = /^\s{0,3}(`{3,}|~{3,}|-{4,}$)/.exec(line);
    const previous = index > 0 ? lines[index - 1] : '';
    const isAsciidocFence = fence?.[1].startsWith('-') && /^\[(source|listing)/.test(previous.trim());
    if (fence && (!fence[1].startsWith('-') || isAsciidocFence)) {
      const marker = fence[1];
      const start = index;
      index += 1;
      const content: string[] = [];
      while (
        index < lines.length &&
        !lines[index].trimStart().startsWith(marker.startsWith('-') ? marker : marker[0].repeat(marker.length))
      )
        content.push(lines[index++]);
      blocks.push({ line: start + 1, content: content.join('\n'), kind: 'fenced' });
      index += 1;
      continue;
    }
    if (/<pre[\s>]/i.test(line)) {
      const start = index;
      const content: string[] = [];
      while (index < lines.length && !/<\/pre>/i.test(lines[index])) content.push(lines[index++]);
      content.push(lines[index] ?? '');
      blocks.push({ line: start + 1, content: content.join('\n').replace(/<\/?(pre|code)[^>]*>/gi, ''), kind: 'html' });
      index += 1;
      continue;
    }
    const literal =
      /::\s*$/.test(line) &&
      !/^\s*\.\.\s+(image|figure|note|warning|toctree|include|raw|only|admonition|contents|list-table|csv-table|table|tip|important)::/i.test(
        line,
      );
    if (literal && index + 2 < lines.length && !lines[index + 1].trim() && /^\s+\S/.test(lines[index + 2])) {
      const start = index + 2;
      index = start;
      const content: string[] = [];
      while (index < lines.length && (!lines[index].trim() || /^\s+\S/.test(lines[index])))
        content.push(lines[index++]);
      blocks.push({ line: start + 1, content: content.join('\n').trim(), kind: 'literal' });
      continue;
    }
    if (/^( {4,}|\t)\S/.test(line) && !previous.trim()) {
      // An indented block after a blank line is code unless it continues a list item.
      let back = index - 1;
      while (back >= 0 && !lines[back].trim()) back -= 1;
      const context = back >= 0 ? lines[back] : '';
      const inList = LIST_ITEM.test(context) || /^\s{2,}\S/.test(context);
      if (!inList) {
        const start = index;
        const content: string[] = [];
        while (index < lines.length && (!lines[index].trim() || /^( {4,}|\t)/.test(lines[index])))
          content.push(lines[index++]);
        blocks.push({ line: start + 1, content: content.join('\n').trim(), kind: 'indented' });
        continue;
      }
    }
    index += 1;
  }
  return blocks;
}
