import { describe, expect, it } from '@jest/globals';
import {
  codeSpan,
  defuseMentions,
  escapeHtml,
  escapeMarkdown,
  escapeMessage,
  escapeTerminal,
  link,
  trustedBlock,
} from '../../src/report/escape.js';

describe('escapeMarkdown', () => {
  it('escapes every character with a Markdown meaning, so globs and dunder paths render literally', () => {
    expect(escapeMarkdown('docker-compose.*.yml and compose.*.yaml')).toBe(
      'docker-compose.\\*.yml and compose.\\*.yaml',
    );
    expect(escapeMarkdown('__tests__/')).toBe('\\_\\_tests\\_\\_/');
    expect(escapeMarkdown('a | b')).toBe('a \\| b');
    expect(escapeMarkdown('# heading')).toBe('\\# heading');
    expect(escapeMarkdown('`x` ~~y~~ \\')).toBe('\\`x\\` \\~\\~y\\~\\~ \\\\');
  });

  it('keeps hostile file names and links as text', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>.yml')).toBe('\\<img src=x onerror=alert(1)\\>.yml');
    expect(escapeMarkdown('[click](javascript:alert(1))')).toBe('\\[click\\](javascript:alert(1))');
    expect(escapeMarkdown('&lt;script&gt;')).toBe('&amp;lt;script&amp;gt;');
  });

  it('puts text on one line and defuses mentions, but not action refs or e-mail addresses', () => {
    expect(escapeMarkdown('a\r\nb\nc')).toBe('a b c');
    expect(escapeMarkdown('ping @everyone and @org/team')).toBe('ping @\u2060everyone and @\u2060org/team');
    expect(escapeMarkdown('uses: actions/checkout@v4, mail sec@example.com')).toBe(
      'uses: actions/checkout@v4, mail sec@example.com',
    );
    expect(defuseMentions('@alice')).toBe('@\u2060alice');
  });
});

describe('codeSpan', () => {
  it('fences text containing backticks with a longer fence and escapes table pipes', () => {
    expect(codeSpan('a.yml')).toBe('`a.yml`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(codeSpan('a|b\nc')).toBe('`a\\|b c`');
  });
});

describe('escapeHtml, link, trustedBlock, escapeTerminal', () => {
  it('escapes HTML text', () => {
    expect(escapeHtml('<b>"x" & @y</b>')).toBe('&lt;b&gt;&quot;x&quot; &amp; @\u2060y&lt;/b&gt;');
  });

  it('links only to http(s) targets and keeps the label literal', () => {
    expect(link('docs', 'https://example.com/a b')).toBe('[docs](https://example.com/a%20b)');
    expect(link('x](javascript:alert(1))', 'javascript:alert(1)')).toBe('x\\](javascript:alert(1))');
  });

  it('defuses HTML comments in trusted Markdown so hidden markers cannot be forged', () => {
    expect(trustedBlock('keep **this** <!-- shipready:x --> ok')).toBe('keep **this** &lt;!-- shipready:x --&gt; ok');
  });

  it('shows control characters and ANSI escapes in terminal text', () => {
    expect(escapeTerminal('a\u001b[31mred\u0007.yml')).toBe('a\\e[31mred\\x07.yml');
    expect(escapeTerminal('tab\tstays')).toBe('tab\\x09stays'.replace('\\x09', '\t'));
  });
});

describe('escapeMessage', () => {
  it("keeps a message's code spans and escapes everything outside them", () => {
    expect(escapeMessage('job `__tests__` has no `permissions` in docker-compose.*.yml')).toBe(
      'job `__tests__` has no `permissions` in docker-compose.\\*.yml',
    );
    expect(escapeMessage('@everyone `@org/team` <b>')).toBe('@\u2060everyone `@org/team` \\<b\\>');
    expect(escapeMessage('an unpaired ` stays text')).toBe('an unpaired \\` stays text');
  });

  it('escapes pipes inside spans only for table cells', () => {
    expect(escapeMessage('`a|b` c|d')).toBe('`a|b` c\\|d');
    expect(escapeMessage('`a|b` c|d', { table: true })).toBe('`a\\|b` c\\|d');
  });

  it('cannot carry a hidden marker, even inside a code span', () => {
    expect(escapeMessage('`<!-- shipready:comment -->`')).toBe('`<\u2060!-- shipready:comment --\u2060>`');
    expect(codeSpan('<!-- shipready:check=x -->')).toBe('`<\u2060!-- shipready:check=x --\u2060>`');
  });
});
