import { describe, expect, it } from '@jest/globals';
import { jsoncErrors, lineOfJsonKey, parseJsoncText } from '../../src/parsers/jsonc.js';

describe('JSONC (issue 9: parsers that parse)', () => {
  it('reads comments, trailing commas and strings that look like comments', () => {
    const text = '{\n  // a comment\n  "include": ["src/**/*", "a//b"],\n  /* block */ "x": 1,\n}\n';
    expect(parseJsoncText(text)).toEqual({ ok: true, value: { include: ['src/**/*', 'a//b'], x: 1 } });
  });

  it('gives parse errors with their offset and line', () => {
    const parsed = parseJsoncText('{\n  "a": 1,,\n}\n');
    expect(parsed).toMatchObject({ ok: false, line: 2, offset: 11 });
    if (!parsed.ok) expect(parsed.error).toMatch(/PropertyNameExpected at offset 11/);
    expect(jsoncErrors('{ "a": }')[0]).toMatchObject({ message: 'ValueExpected', line: 1 });
  });

  it('finds the exact key: a path, or the first property of that name — never text in a string or comment', () => {
    const text = [
      '{',
      '  "description": "\\"strict\\": true",',
      '  // "strict": true',
      '  "ts-node": { "strict": true },',
      '  "compilerOptions": {',
      '    "strict": true',
      '  }',
      '}',
    ].join('\n');
    expect(lineOfJsonKey(text, ['compilerOptions', 'strict'])).toBe(6);
    expect(lineOfJsonKey(text, 'strict')).toBe(4);
    expect(lineOfJsonKey(text, ['missing'])).toBeUndefined();
  });
});
