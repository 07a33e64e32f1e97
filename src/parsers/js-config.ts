/**
 * JavaScript and TypeScript configuration files (`jest.config.js`, `vitest.config.ts`, `vite.config.mts`, …) read with
 * a real parser: values come from the syntax tree, so a glob such as `'src/*.{js,ts}'` inside a string is a string and
 * a commented-out `// coverageThreshold: {…}` is a comment — neither can be mistaken for the other.
 */
import { parse } from '@babel/parser';
import type { Node, ObjectExpression, ObjectProperty } from '@babel/types';

/** A value read from the tree: literals become JavaScript values; anything computed is `COMPUTED`. */
export const COMPUTED: unique symbol = Symbol('computed');
export type ConfigValue =
  string | number | boolean | null | typeof COMPUTED | ConfigValue[] | { [key: string]: ConfigValue };

/** A property of an object literal anywhere in the file, with the names of the object properties around it. */
export interface ConfigProperty {
  /** The property name (`coverageThreshold`, `thresholds`, `100`). */
  key: string;
  /** Names of the enclosing object properties, outermost first (`['test', 'coverage']` for `test.coverage.x`). */
  parents: string[];
  /** 1-based line of the key. */
  line: number;
  value: ConfigValue;
}

export interface JsConfig {
  /** Every object-literal property of the file, in source order. */
  properties: ConfigProperty[];
  /** Syntax errors the parser recovered from (the properties before and after them are still read). */
  errors: Array<{ message: string; line: number }>;
}

function keyName(property: ObjectProperty): string | undefined {
  const { key } = property;
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  return undefined;
}

/** TypeScript wrappers that do not change a value: `{…} as const`, `{…} satisfies Config`, `x!`, `(x)`. */
function unwrap(node: Node): Node {
  let current = node;
  while (
    current.type === 'TSAsExpression' ||
    current.type === 'TSSatisfiesExpression' ||
    current.type === 'TSNonNullExpression' ||
    current.type === 'TSTypeAssertion' ||
    current.type === 'ParenthesizedExpression'
  )
    current = current.expression;
  return current;
}

function valueOf(node: Node, depth = 0): ConfigValue {
  if (depth > 40) return COMPUTED;
  const value = unwrap(node);
  switch (value.type) {
    case 'StringLiteral':
      return value.value;
    case 'NumericLiteral':
      return value.value;
    case 'BooleanLiteral':
      return value.value;
    case 'NullLiteral':
      return null;
    case 'TemplateLiteral':
      return value.expressions.length ? COMPUTED : value.quasis.map((quasi) => quasi.value.cooked ?? '').join('');
    case 'UnaryExpression':
      if (value.operator === '-' && value.argument.type === 'NumericLiteral') return -value.argument.value;
      if (value.operator === '!' && value.argument.type === 'NumericLiteral') return !value.argument.value;
      return COMPUTED;
    case 'ArrayExpression':
      return value.elements.map((element) =>
        element && element.type !== 'SpreadElement' ? valueOf(element, depth + 1) : COMPUTED,
      );
    case 'ObjectExpression':
      return objectValue(value, depth + 1);
    default:
      return COMPUTED;
  }
}

function objectValue(node: ObjectExpression, depth: number): { [key: string]: ConfigValue } {
  const result: { [key: string]: ConfigValue } = {};
  for (const property of node.properties) {
    if (property.type !== 'ObjectProperty') continue;
    const key = keyName(property);
    if (key !== undefined && !(key in result)) result[key] = valueOf(property.value, depth);
  }
  return result;
}

const VISITOR_KEYS_SKIPPED = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'range']);

/** Parses a JS/TS config file with error recovery; never throws. */
export function parseJsConfig(text: string, path = 'config.ts'): JsConfig {
  const typescript = /\.[cm]?tsx?$/.test(path) || !/\.[cm]?jsx?$/.test(path);
  let ast: Node;
  const errors: JsConfig['errors'] = [];
  try {
    const file = parse(text, {
      sourceType: 'unambiguous',
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowAwaitOutsideFunction: true,
      plugins: typescript ? ['typescript'] : ['jsx'],
    });
    for (const error of (file as { errors?: Array<{ message: string; loc?: { line: number } }> }).errors ?? [])
      errors.push({ message: error.message, line: error.loc?.line ?? 1 });
    ast = file.program;
  } catch (error) {
    const loc = (error as { loc?: { line: number } }).loc;
    return { properties: [], errors: [{ message: (error as Error).message, line: loc?.line ?? 1 }] };
  }
  const properties: ConfigProperty[] = [];
  // Iterative walk (a deep config must not overflow the stack); children are pushed in reverse to keep source order.
  const stack: Array<{ node: Node; parents: string[] }> = [{ node: ast, parents: [] }];
  while (stack.length) {
    const { node, parents } = stack.pop()!;
    const children: Array<{ node: Node; parents: string[] }> = [];
    if (node.type === 'ObjectProperty') {
      const key = keyName(node);
      if (key !== undefined) {
        properties.push({ key, parents, line: node.key.loc?.start.line ?? 1, value: valueOf(node.value) });
        children.push({ node: node.value, parents: [...parents, key] });
      } else children.push({ node: node.value, parents });
    } else {
      for (const [field, child] of Object.entries(node)) {
        if (VISITOR_KEYS_SKIPPED.has(field) || !child || typeof child !== 'object') continue;
        for (const item of Array.isArray(child) ? child : [child]) {
          if (item && typeof item === 'object' && typeof (item as Node).type === 'string')
            children.push({ node: item as Node, parents });
        }
      }
    }
    for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index]);
  }
  return { properties, errors };
}

/** True when the value is an object literal (not an array, not computed). */
export function isConfigObject(value: ConfigValue | undefined): value is { [key: string]: ConfigValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
