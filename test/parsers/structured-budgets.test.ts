import { describe, expect, it } from '@jest/globals';
import {
  MAX_NESTING_DEPTH,
  MAX_YAML_ALIAS_EXPANSION,
  nestingDepth,
  parseJsonText,
  parseYamlDocument,
  parseYamlText,
  yamlNestingBeyond,
} from '../../src/parsers/structured.js';

/** A "billion laughs" document: each level refers to the previous one ten times. */
function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= levels; level += 1)
    lines.push(`a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

describe('structured parser budgets', () => {
  it('measures nesting without recursion', () => {
    expect(nestingDepth({ a: [{ b: 1 }] })).toBe(3);
    expect(nestingDepth('scalar')).toBe(0);
  });

  it('refuses a YAML alias bomb with a parse error, quickly', () => {
    const started = Date.now();
    const parsed = parseYamlText(aliasBomb(9));
    expect(parsed).toEqual({
      ok: false,
      error: `YAML aliases would expand to more than ${MAX_YAML_ALIAS_EXPANSION.toLocaleString('en-US')} nodes (an alias bomb): not parsed`,
      line: 5, // a4 expands to 111,111 nodes: its aliases cross the budget
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('still resolves ordinary aliases (anchors reused a few times)', () => {
    const parsed = parseYamlText('base: &base {image: node}\njob1: *base\njob2: *base\n');
    expect(parsed).toEqual({
      ok: true,
      value: { base: { image: 'node' }, job1: { image: 'node' }, job2: { image: 'node' } },
    });
  });

  it('refuses JSON nested 100,000 levels deep with a parse error instead of a crash', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(parseJsonText(deep)).toEqual({
      ok: false,
      error: `JSON nested more than ${MAX_NESTING_DEPTH} levels deep: not parsed`,
    });
  });

  it('refuses YAML nested 100,000 levels deep with a parse error instead of a crash', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const parsed = parseYamlText(deep);
    expect(parsed.ok).toBe(false);
  });

  it('refuses 100,000 levels of flow nesting before composing it, naming the line, in well under a second', () => {
    const started = Date.now();
    expect(parseYamlText(`name: x\nvalue: ${'['.repeat(100_000)}\n`)).toEqual({
      ok: false,
      error: `YAML nested more than ${MAX_NESTING_DEPTH} levels deep: not parsed`,
      line: 2,
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses deep block nesting (keys and compact sequences) at the line that crosses the budget', () => {
    const keys = Array.from({ length: 300 }, (_, depth) => `${' '.repeat(depth)}k${depth}:`).join('\n');
    expect(parseYamlText(`${keys}\n`)).toMatchObject({ ok: false, line: MAX_NESTING_DEPTH + 1 });
    expect(parseYamlText(`${'- '.repeat(100_000)}x\n`)).toMatchObject({ ok: false, line: 1 });
    // A sequence written at its key's indentation is two levels on one column: the value check still sees them.
    const sameColumn = Array.from({ length: 120 }, (_, depth) => `${'  '.repeat(depth)}- k:`).join('\n');
    expect(parseYamlText(`${sameColumn}\n`)).toMatchObject({ ok: false });
  });

  it('counts only real flow indicators and block structure: quoted brackets, block scalars and comments are text', () => {
    const text = [
      'jobs:',
      '  build:',
      '    steps:',
      `      - run: |`,
      `          ${'{['.repeat(300)}`,
      `        name: "${'['.repeat(300)}"`,
      `      # ${'['.repeat(300)}`,
      `      - with: { a: [1, 2, { b: c }] }`,
      '',
    ].join('\n');
    expect(yamlNestingBeyond(text)).toBeUndefined();
    expect(yamlNestingBeyond(text, 5)).toBe(8);
    expect(parseYamlText(text).ok).toBe(true);
  });

  it('reports YAML syntax errors with line and column, without the excerpt yaml appends', () => {
    expect(parseYamlText('gate:\n  mode: [absolute\n')).toEqual({
      ok: false,
      error: 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      line: 2,
      column: 17, // the end of the unclosed sequence
    });
  });

  it('refuses a text over the byte budget without parsing it', () => {
    expect(parseYamlDocument('a: 1\n'.repeat(1000), { maxBytes: 1024 })).toEqual({
      ok: false,
      error: 'the file is 5,000 bytes, more than the 1,024-byte limit: not parsed',
    });
  });

  it('refuses an alias inside the node it names (it would expand forever)', () => {
    expect(parseYamlText('a: &a [1, *a]\n')).toMatchObject({ ok: false, line: 1 });
  });

  it('accepts nesting at the budget', () => {
    const atBudget = `${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}`;
    expect(parseJsonText(atBudget).ok).toBe(true);
  });
});
