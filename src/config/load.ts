import { CONFIG_PATH } from './path.js';
import { lstat, open } from 'node:fs/promises';
import { isMap, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { ConfigError, type ConfigErrorOptions, type ConfigProblem } from '../engine/errors.js';
import type { z } from 'zod';
import { SEVERITIES, type AnyCheckDefinition } from '../engine/types.js';
import { MAX_CONFIG_BYTES, parseYamlDocument } from '../parsers/structured.js';
import { describeIssue, objectKeysAt, valueAtPath } from './describe.js';
import { checkSettingProblems } from './resolve.js';
import { configSchema, defaultConfig, type Config } from './schema.js';

export { CONFIG_PATH } from './path.js';

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

type LineOf = (key: string) => number | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a ConfigError's lines can be annotated, and through which `_extends` the file was reached. */
export type ConfigPlace = ConfigErrorOptions;

/**
 * Validates a config object (already parsed, e.g. after `_extends`) against the schema and the registry in one
 * pass: every invalid value (with what is allowed), every unknown key and check id (with the one most likely
 * meant) and every rejected check option, in file order. Throws ConfigError naming each key and its line (when
 * `lineOf` knows it).
 */
export function validateConfig(
  value: unknown,
  options: { file?: string; checks: readonly AnyCheckDefinition[]; lineOf?: LineOf; place?: ConfigPlace },
): Config {
  const file = options.file ?? CONFIG_PATH;
  const lineOf = options.lineOf ?? (() => undefined);
  const input = value ?? {};
  const rawChecks = isRecord(input) && isRecord(input.checks) ? input.checks : {};
  const known = new Set(options.checks.map((check) => check.id));
  const unknownIds = new Set(Object.keys(rawChecks).filter((id) => !known.has(id)));
  const problems: ConfigProblem[] = [];
  const parsed = configSchema.safeParse(input, { reportInput: true });
  const context = {
    keysAt: (path: readonly PropertyKey[]) => objectKeysAt(configSchema, path),
    valueAt: (path: readonly PropertyKey[]) => valueAtPath(input, path),
  };
  for (const found of parsed.success ? [] : parsed.error.issues) {
    const issue = refineSettingIssue(found);
    const path = issue.path.map(String);
    // An unknown id is reported as such (with the id meant), not as a setting the schema does not like.
    if (path[0] === 'checks' && path.length >= 2 && unknownIds.has(path[1])) continue;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [key]) : [[]];
    for (const extra of keys) {
      const key = [...path, ...extra].join('.');
      const single = issue.code === 'unrecognized_keys' ? { ...issue, keys: extra } : issue;
      const line = lineOf(key);
      problems.push({ key, ...(line ? { line } : {}), message: describeIssue(single, context) });
    }
  }
  problems.push(...checkSettingProblems(options.checks, rawChecks, lineOf));
  if (problems.length || !parsed.success) throw new ConfigError(file, problems, options.place);
  return parsed.data;
}

/**
 * `checks.<id>` is `off`, a severity or a mapping; a mapping fails only on its `severity`, so the issue is about
 * that key and the values it allows (zod reports the union as a whole).
 */
function refineSettingIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || !isRecord(issue.input)) return issue;
  return {
    code: 'invalid_value',
    values: ['off', ...SEVERITIES],
    path: [...issue.path, 'severity'],
    input: issue.input.severity,
    message: issue.message,
  };
}

/** A budget or syntax problem of a config text as a ConfigError naming the line. */
function parseProblem(file: string, parsed: { error: string; line?: number; column?: number }, place?: ConfigPlace) {
  return new ConfigError(
    file,
    [
      {
        key: '',
        ...(parsed.line ? { line: parsed.line } : {}),
        ...(parsed.column ? { column: parsed.column } : {}),
        message: parsed.error,
      },
    ],
    place,
  );
}

/**
 * Parses a config text within the config budgets (bytes, nesting, aliases: src/parsers/structured.ts), without
 * validating it: the value and a way to find the line of a key. Throws ConfigError naming the line.
 */
export function parseConfigDocument(
  text: string,
  options: { file?: string; place?: ConfigPlace } = {},
): { value: unknown; lineOf: LineOf } {
  const file = options.file ?? CONFIG_PATH;
  const parsed = parseYamlDocument(text, { maxBytes: MAX_CONFIG_BYTES, uniqueKeys: true });
  if (!parsed.ok) throw parseProblem(file, parsed, options.place);
  if (parsed.value !== null && parsed.value !== undefined && !isRecord(parsed.value))
    throw new ConfigError(
      file,
      [{ key: '', line: 1, message: 'expected a mapping of keys (profile, checks, ignore, gate, …)' }],
      options.place,
    );
  return { value: parsed.value ?? undefined, lineOf: lineFinder(parsed.document, parsed.lineCounter) };
}

/** Parses and validates the text of a shipready.yml. An empty file is the default config. */
export function parseConfigText(
  text: string,
  options: { file?: string; checks: readonly AnyCheckDefinition[]; place?: ConfigPlace },
): Config {
  const file = options.file ?? CONFIG_PATH;
  const { value, lineOf } = parseConfigDocument(text, { file, ...(options.place ? { place: options.place } : {}) });
  if (value === undefined) return defaultConfig();
  return validateConfig(value, {
    file,
    checks: options.checks,
    lineOf,
    ...(options.place ? { place: options.place } : {}),
  });
}

/** The line of `key` in a config text, for messages about a config that was valid YAML but failed elsewhere. */
export function findConfigLine(text: string, key: string): number | undefined {
  const parsed = parseYamlDocument(text, { maxBytes: MAX_CONFIG_BYTES });
  return parsed.ok ? lineFinder(parsed.document, parsed.lineCounter)(key) : undefined;
}

/**
 * Reads a config file from disk; a missing default file is the default config, a missing explicit one an error.
 * At most MAX_CONFIG_BYTES (+1, to tell) are read, whatever the file claims; the default file inside the scanned
 * tree is not followed when it is a symbolic link (nothing from outside the tree is read).
 */
export async function loadConfigFile(
  path: string,
  options: { explicit: boolean; checks: readonly AnyCheckDefinition[] },
): Promise<Config> {
  const unreadable = (message: string) =>
    new ConfigError(path, [{ key: '', message: `cannot read the config file: ${message}` }]);
  let text: string;
  try {
    const stats = await lstat(path);
    if (stats.isSymbolicLink() && !options.explicit)
      throw unreadable(
        'it is a symbolic link, and shipready reads nothing from outside the tree it scans (pass --config with the file it points at)',
      );
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw unreadable('it is not a regular file');
      if (info.size > MAX_CONFIG_BYTES)
        throw new ConfigError(path, [
          {
            key: '',
            message: `the file is ${info.size.toLocaleString('en-US')} bytes, more than the ${MAX_CONFIG_BYTES.toLocaleString('en-US')}-byte limit: not parsed`,
          },
        ]);
      const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !options.explicit) return defaultConfig();
    throw unreadable((error as Error).message);
  }
  return parseConfigText(text, { file: path, checks: options.checks });
}
