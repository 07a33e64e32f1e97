import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../engine/errors.js';
import type { AnyCheckDefinition } from '../engine/types.js';
import { resolveCheckSettings } from './resolve.js';
import { configSchema, defaultConfig, type Config } from './schema.js';

export const CONFIG_PATH = '.github/shipready.yml';

/** Maps a dotted key (`gate.minScore`, `checks.x.min`) to its line in the YAML text. */
function lineFinder(document: Document, counter: LineCounter): (key: string) => number | undefined {
  return (key) => {
    let node: unknown = document.contents;
    let line: number | undefined;
    for (const segment of key.split('.')) {
      if (isMap(node)) {
        const pair = node.items.find((item) => String((item.key as Node | null)?.toJSON?.() ?? item.key) === segment);
        if (!pair) break;
        const keyNode = pair.key as Node | null;
        if (keyNode?.range) line = counter.linePos(keyNode.range[0]).line;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)] as Node | undefined;
        if (!item) break;
        if (item.range) line = counter.linePos(item.range[0]).line;
        node = item;
      } else break;
    }
    return line;
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  if (issue.code === 'invalid_value')
    return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  return issue.message;
}

/**
 * Validates a config object (already parsed, e.g. by Probot's `context.config` after `_extends`) against the schema
 * and the registry. Throws ConfigError naming each key, its line (when `lineOf` knows it) and what was expected.
 */
export function validateConfig(
  value: unknown,
  options: { file?: string; checks: readonly AnyCheckDefinition[]; lineOf?: (key: string) => number | undefined },
): Config {
  const file = options.file ?? CONFIG_PATH;
  const lineOf = options.lineOf ?? (() => undefined);
  const parsed = configSchema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      file,
      parsed.error.issues.map((issue) => {
        const path = issue.path.map(String);
        if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) path.push(issue.keys[0]);
        const key = path.join('.');
        return { key, line: lineOf(key), message: describeIssue(issue) };
      }),
    );
  }
  resolveCheckSettings(options.checks, parsed.data, lineOf, file);
  return parsed.data;
}

/** Parses and validates the text of a shipready.yml. An empty file is the default config. */
export function parseConfigText(
  text: string,
  options: { file?: string; checks: readonly AnyCheckDefinition[] },
): Config {
  const file = options.file ?? CONFIG_PATH;
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  if (document.errors.length) {
    throw new ConfigError(
      file,
      document.errors.map((error) => ({
        key: '',
        line: error.linePos?.[0]?.line,
        message: `invalid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const value = document.toJS();
  if (value === null || value === undefined) return defaultConfig();
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(file, [
      { key: '', line: 1, message: 'expected a mapping of keys (profile, checks, ignore, gate, …)' },
    ]);
  return validateConfig(value, { file, checks: options.checks, lineOf: lineFinder(document, counter) });
}

/** The line of `key` in a config text, for messages about a config that was valid YAML but failed elsewhere. */
export function findConfigLine(text: string, key: string): number | undefined {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter });
  return lineFinder(document, counter)(key);
}

/** Reads a config file from disk; a missing default file is the default config, a missing explicit one an error. */
export async function loadConfigFile(
  path: string,
  options: { explicit: boolean; checks: readonly AnyCheckDefinition[] },
): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !options.explicit) return defaultConfig();
    throw new ConfigError(path, [{ key: '', message: `cannot read the config file: ${(error as Error).message}` }]);
  }
  return parseConfigText(text, { file: path, checks: options.checks });
}
