/**
 * Code blocks of README-like documents; never throws. Markdown is read by `marked`'s lexer (CommonMark and GFM:
 * fences inside list items and block quotes, indented code that is not a list continuation, HTML `<pre>` blocks);
 * reStructuredText, AsciiDoc and plain text by a small line scanner.
 */
import { Lexer, type Token, type Tokens } from 'marked';

export interface CodeBlock {
  /** 1-based line of the block's first line (the fence, or the first indented line). */
  line: number;
  /** The block's content without fences or indentation. */
  content: string;
  kind: 'fenced' | 'indented' | 'literal' | 'html';
}

const MARKDOWN_EXTENSIONS = ['.md', '.markdown', '.mdown', '.mkd', '.mdx'];

/** Code blocks of the document at `path` (its extension picks the format; Markdown when it has none of the others). */
export function listCodeBlocks(text: string, path = 'README.md'): CodeBlock[] {
  const lower = path.toLowerCase();
  return MARKDOWN_EXTENSIONS.some((extension) => lower.endsWith(extension))
    ? markdownCodeBlocks(text)
    : scannedCodeBlocks(text);
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

/** `<pre>`, `</pre>`, `<code class="…">`, `</code>`; `[^<>]` keeps the scan linear on a run of unclosed tags. */
const PRE_OR_CODE_TAG = /<\/?(?:pre|code)\b[^<>]*>/gi;

function markdownCodeBlocks(source: string): CodeBlock[] {
  const text = source.replace(/\r\n?/g, '\n');
  let tokens: Token[];
  try {
    tokens = Lexer.lex(text, { gfm: true });
  } catch {
    return scannedCodeBlocks(text);
  }
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
  const blocks: CodeBlock[] = [];
  /** Top-level tokens' raws concatenate to the text; nested ones lose their container's prefix, so they are searched. */
  const visit = (list: Token[], start: number, nested: boolean) => {
    let offset = start;
    for (const token of list) {
      let at = offset;
      if (nested) {
        const firstLine = token.raw
          .split('\n')
          .find((line) => line.trim())
          ?.trim();
        const found = firstLine ? text.indexOf(firstLine, offset) : -1;
        if (found >= 0) at = found;
      }
      if (token.type === 'code') {
        const code = token as Tokens.Code;
        blocks.push({
          line: lineOf(at + (code.raw.length - code.raw.trimStart().length)),
          content: code.codeBlockStyle === 'indented' ? code.text.trim() : code.text,
          kind: code.codeBlockStyle === 'indented' ? 'indented' : 'fenced',
        });
      } else if (token.type === 'html') {
        for (const pre of preBlocks(token.raw)) blocks.push({ line: lineOf(at) + pre.lineOffset, ...pre.block });
      } else if (token.type === 'list') {
        for (const item of (token as Tokens.List).items) visit(item.tokens, at, true);
      } else if (token.type === 'blockquote') {
        visit((token as Tokens.Blockquote).tokens, at, true);
      }
      offset = nested ? at + token.raw.length : offset + token.raw.length;
      if (nested) offset = Math.min(offset, text.length);
    }
  };
  visit(tokens, 0, false);
  return blocks;
}

/** The `<pre>` elements of an HTML block, without their tags. */
function preBlocks(html: string): Array<{ lineOffset: number; block: Omit<CodeBlock, 'line'> }> {
  const lower = html.toLowerCase();
  const found: Array<{ lineOffset: number; block: Omit<CodeBlock, 'line'> }> = [];
  let from = 0;
  for (;;) {
    const open = lower.indexOf('<pre', from);
    if (open < 0) break;
    const next = lower[open + 4];
    if (next !== '>' && next !== ' ' && next !== '\n' && next !== '\t') {
      from = open + 4;
      continue;
    }
    const close = lower.indexOf('</pre>', open);
    const end = close < 0 ? html.length : close + '</pre>'.length;
    found.push({
      lineOffset: html.slice(0, open).split('\n').length - 1,
      block: { content: html.slice(open, end).replace(PRE_OR_CODE_TAG, ''), kind: 'html' },
    });
    from = end;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// reStructuredText, AsciiDoc, plain text

const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s/;
const RST_NON_CODE_DIRECTIVE =
  /^\s*\.\.\s+(image|figure|note|warning|toctree|include|raw|only|admonition|contents|list-table|csv-table|table|tip|important)::/i;

/** Fenced (``` or ~~~), indented after a paragraph break, rST literal (`::`, `.. code-block::`), AsciiDoc `----`, HTML `<pre>`. */
function scannedCodeBlocks(text: string): CodeBlock[] {
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
      while (index < lines.length && !lines[index].toLowerCase().includes('</pre>')) content.push(lines[index++]);
      content.push(lines[index] ?? '');
      blocks.push({ line: start + 1, content: content.join('\n').replace(PRE_OR_CODE_TAG, ''), kind: 'html' });
      index += 1;
      continue;
    }
    const literal = line.trimEnd().endsWith('::') && !RST_NON_CODE_DIRECTIVE.test(line);
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
