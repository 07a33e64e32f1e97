import type { z } from 'zod';
import { SEVERITIES } from '../engine/types.js';
import { codeSpan } from '../report/escape.js';
import { closestMatch } from './suggest.js';

/** A value from the file, quoted for a message (a code span: shown as code in Markdown, as typed in a terminal). */
export function quoteValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return codeSpan(text.length > 80 ? `${text.slice(0, 79)}…` : text);
}

type SchemaNode = { _zod: { def: { type: string; innerType?: SchemaNode; shape?: Record<string, SchemaNode> } } };

/** The keys of the mapping at `path` in a zod object schema (through defaults and optionals), for messages. */
export function objectKeysAt(schema: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let node = schema as SchemaNode | undefined;
  const unwrap = () => {
    while (node && (node._zod.def.type === 'default' || node._zod.def.type === 'optional'))
      node = node._zod.def.innerType;
  };
  for (const segment of path) {
    unwrap();
    if (!node || node._zod.def.type !== 'object') return undefined;
    node = node._zod.def.shape?.[String(segment)];
  }
  unwrap();
  return node?._zod.def.type === 'object' ? Object.keys(node._zod.def.shape ?? {}) : undefined;
}

/** The value at `path` in a parsed document, for issues zod reports without their input. */
export function valueAtPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[String(segment)];
  }
  return node;
}

/** `a`, `a` or `b`, `a`, `b` or `c` — every allowed word quoted. */
export function listAllowed(values: readonly unknown[], conjunction = 'or'): string {
  const quoted = values.map((value) => codeSpan(String(value)));
  if (quoted.length <= 2) return quoted.join(` ${conjunction} `);
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

/** `; did you mean `x`?` when a candidate is one or two typing mistakes away, else nothing. */
export function didYouMean(word: unknown, candidates: readonly string[]): string {
  if (typeof word !== 'string') return '';
  const match = closestMatch(word, candidates);
  return match ? `; did you mean ${codeSpan(match)}?` : '';
}

/** What a check's setting may be, said the same way everywhere. */
export const CHECK_SETTING_ALLOWED = `${codeSpan('off')} or a severity (${listAllowed(SEVERITIES)})`;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${quoteValue(value)}`;
  return `${typeof value === 'number' ? 'the number' : typeof value === 'boolean' ? 'the boolean' : typeof value} ${quoteValue(value)}`;
}

const EXPECTED: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  string: 'a text',
  number: 'a number',
  int: 'a whole number',
  boolean: '`true` or `false`',
};

export interface DescribeContext {
  /** The keys allowed in the mapping an `unrecognized_keys` issue is about. */
  keysAt?: (path: readonly PropertyKey[]) => readonly string[] | undefined;
  /** The input value at a path (zod reports it, but not for every issue kind). */
  valueAt?: (path: readonly PropertyKey[]) => unknown;
}

/**
 * One zod issue as a sentence a person can act on: the value found, what is allowed, and the likely intended word
 * for a near miss (`hihg` → `high`). `path` is the issue's full path (the key of an unknown key included).
 */
export function describeIssue(issue: z.core.$ZodIssue, context: DescribeContext = {}): string {
  const input = 'input' in issue ? issue.input : context.valueAt?.(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = issue.keys;
      const allowed = context.keysAt?.(issue.path) ?? [];
      const hint = keys.length === 1 ? didYouMean(keys[0], allowed) : '';
      const list = allowed.length && !hint ? `; the keys here are ${listAllowed(allowed, 'and')}` : '';
      return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((key) => codeSpan(key)).join(', ')}${hint}${list}`;
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      return `${quoteValue(input)} is not allowed: use ${listAllowed(values)}${didYouMean(input, values)}`;
    }
    case 'invalid_union': {
      // Only `checks.<id>` is a union: `off`, a severity, or a mapping with `severity` and the check's options.
      if (typeof input === 'string')
        return `${quoteValue(input)} is not a check setting: use ${CHECK_SETTING_ALLOWED}, or a mapping with ${codeSpan('severity')} and the check's options${didYouMean(input, ['off', ...SEVERITIES])}`;
      return `expected ${CHECK_SETTING_ALLOWED}, or a mapping with ${codeSpan('severity')} and the check's options; found ${kindOf(input)}`;
    }
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return input === undefined ? `${expected} is required` : `expected ${expected}; found ${kindOf(input)}`;
    }
    case 'too_big':
    case 'too_small': {
      const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
      const word = issue.code === 'too_big' ? 'at most' : 'at least';
      const exclusive = issue.inclusive === false;
      if (issue.origin === 'number')
        return `${quoteValue(input)} is out of range: use a number ${exclusive ? (issue.code === 'too_big' ? 'below' : 'above') : word} ${String(bound)}`;
      if (issue.origin === 'string')
        return Number(bound) === 1 && issue.code === 'too_small'
          ? 'must not be empty'
          : `${quoteValue(input)} is too ${issue.code === 'too_big' ? 'long' : 'short'}: use ${word} ${String(bound)} characters`;
      return `use ${word} ${String(bound)} items; found ${kindOf(input)}`;
    }
    default:
      return issue.message;
  }
}
