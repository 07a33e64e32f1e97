import { describe, expect, it } from '@jest/globals';
import {
  MAX_NESTING_DEPTH,
  MAX_YAML_ALIAS_COUNT,
  nestingDepth,
  parseJsonText,
  parseYamlText,
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
      error: `YAML aliases expand beyond ${MAX_YAML_ALIAS_COUNT} nodes: not parsed`,
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

  it('accepts nesting at the budget', () => {
    const atBudget = `${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}`;
    expect(parseJsonText(atBudget).ok).toBe(true);
  });
});
