import { describe, expect, it } from '@jest/globals';
import { listCodeBlocks } from '../../src/parsers/markdown.js';

const fence = '```';

describe('listCodeBlocks (Markdown through marked)', () => {
  it('finds a fenced block inside a numbered step, as READMEs write install steps', () => {
    // The shape of many READMEs: steps of an ordered list with the command fenced under each, indented 4 spaces.
    const readme = `# tool\n\n## Install\n\n1. Get the package:\n\n    ${fence}sh\n    pip install tool\n    ${fence}\n\n2. Run it:\n\n    ${fence}sh\n    tool --help\n    ${fence}\n`;
    expect(listCodeBlocks(readme, 'README.md')).toEqual([
      { line: 7, content: 'pip install tool', kind: 'fenced' },
      { line: 13, content: 'tool --help', kind: 'fenced' },
    ]);
  });

  it('finds fences in block quotes and keeps a fence with an info string open', () => {
    const readme = `> ${fence}js\n> run();\n> ${fence}\n\n${fence}\na\n${fence}js\nb\n${fence}\n`;
    expect(listCodeBlocks(readme, 'README.md')).toEqual([
      { line: 1, content: 'run();', kind: 'fenced' },
      // A closing fence has no info string: "```js" is content (CommonMark).
      { line: 5, content: 'a\n```js\nb', kind: 'fenced' },
    ]);
  });

  it('reads indented code, <pre> blocks, and not list continuations', () => {
    const readme =
      'Intro\n\n    make run\n\n<pre>\n<code>npm start</code>\n</pre>\n\n- item\n\n    continued list text\n';
    expect(listCodeBlocks(readme, 'README.md')).toEqual([
      { line: 3, content: 'make run', kind: 'indented' },
      { line: 5, content: '\nnpm start\n', kind: 'html' },
    ]);
  });

  it('stays linear on a run of unclosed tags', () => {
    const hostile = `<pre>${'<pre'.repeat(50_000)}`;
    const started = Date.now();
    expect(listCodeBlocks(hostile, 'README.md')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('listCodeBlocks (reStructuredText and AsciiDoc, scanned)', () => {
  it('reads literal blocks and code-block directives', () => {
    const readme = 'Install it::\n\n    pip install project\n\n.. code-block:: python\n\n    import project\n';
    expect(listCodeBlocks(readme, 'README.rst')).toEqual([
      { line: 3, content: 'pip install project', kind: 'literal' },
      { line: 7, content: 'import project', kind: 'indented' },
    ]);
  });

  it('reads AsciiDoc listing blocks', () => {
    expect(listCodeBlocks('[source,sh]\n----\nmvn package\n----\n', 'README.adoc')).toEqual([
      { line: 2, content: 'mvn package', kind: 'fenced' },
    ]);
  });
});
