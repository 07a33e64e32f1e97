import { ConfigError, type ConfigProblem } from '../engine/errors.js';
import type { AnyCheckDefinition, Severity } from '../engine/types.js';
import { codeSpan } from '../report/escape.js';
import { describeIssue, didYouMean, objectKeysAt } from './describe.js';
import { checkSettingSchema, type Config } from './schema.js';

export interface ResolvedCheckSetting {
  enabled: boolean;
  severity: Severity;
  options: unknown;
}

type LineOf = (key: string) => number | undefined;

function problemAt(key: string, lineOf: LineOf, message: string, fallbackKey?: string): ConfigProblem {
  const line = lineOf(key) ?? (fallbackKey ? lineOf(fallbackKey) : undefined);
  return { key, ...(line ? { line } : {}), message };
}

/** `severity` apart, what a setting passes to the check as its options. */
function splitSetting(setting: unknown): { rawOptions: Record<string, unknown> } {
  if (setting && typeof setting === 'object' && !Array.isArray(setting)) {
    const { severity: _severity, ...rest } = setting as Record<string, unknown>;
    return { rawOptions: rest };
  }
  return { rawOptions: {} };
}

/**
 * What is wrong with `checks:` against the registry, all at once: unknown ids (with the id most likely meant) and
 * options each check's own schema rejects. A setting that is not `off`, a severity or a mapping is left to the
 * config schema, which says what is allowed.
 */
export function checkSettingProblems(
  checks: readonly AnyCheckDefinition[],
  settings: Record<string, unknown>,
  lineOf: LineOf = () => undefined,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const known = new Map(checks.map((check) => [check.id, check]));
  const ids = checks.map((check) => check.id);
  for (const [id, setting] of Object.entries(settings)) {
    const check = known.get(id);
    const key = `checks.${id}`;
    if (!check) {
      const hint = didYouMean(id, ids);
      problems.push(
        problemAt(
          key,
          lineOf,
          `unknown check id ${codeSpan(id)}${hint || ` (${codeSpan('shipready checks')} lists them)`}`,
        ),
      );
      continue;
    }
    if (!checkSettingSchema.safeParse(setting).success) continue;
    const { rawOptions } = splitSetting(setting);
    if (check.options) {
      const parsed = check.options.safeParse(rawOptions, { reportInput: true });
      if (parsed.success) continue;
      const optionKeys = [...(objectKeysAt(check.options, []) ?? []), 'severity'];
      for (const issue of parsed.error.issues) {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((name) => [name]) : [[]];
        for (const extra of keys) {
          const path = [...issue.path.map(String), ...extra];
          const single = issue.code === 'unrecognized_keys' ? { ...issue, keys: extra } : issue;
          problems.push(
            problemAt(
              [key, ...path].join('.'),
              lineOf,
              describeIssue(single, { keysAt: (at) => (at.length === 0 ? optionKeys : undefined) }),
              key,
            ),
          );
        }
      }
    } else if (Object.keys(rawOptions).length) {
      for (const name of Object.keys(rawOptions))
        problems.push(
          problemAt(
            `${key}.${name}`,
            lineOf,
            `unknown key ${codeSpan(name)}: check ${codeSpan(id)} takes no options besides ${codeSpan('severity')}`,
            key,
          ),
        );
    }
  }
  return problems;
}

/**
 * Applies `checks.<id>` to the registry: enabled flag, severity override and the check's options parsed with its
 * schema. Unknown ids and invalid options are config errors naming the key, never silent defaults.
 */
export function resolveCheckSettings(
  checks: readonly AnyCheckDefinition[],
  config: Config,
  lineOf: LineOf = () => undefined,
  file = '.github/shipready.yml',
): Map<string, ResolvedCheckSetting> {
  const problems = checkSettingProblems(checks, config.checks, lineOf);
  if (problems.length) throw new ConfigError(file, problems);
  const resolved = new Map<string, ResolvedCheckSetting>();
  for (const check of checks) {
    const setting = config.checks[check.id];
    let enabled = true;
    let severity = check.severity;
    if (setting === 'off') enabled = false;
    else if (typeof setting === 'string') severity = setting;
    else if (setting && typeof setting === 'object') {
      const override = (setting as { severity?: Severity | 'off' }).severity;
      if (override === 'off') enabled = false;
      else if (override) severity = override;
    }
    const { rawOptions } = splitSetting(setting);
    const options = check.options ? check.options.parse(rawOptions) : rawOptions;
    resolved.set(check.id, { enabled, severity, options });
  }
  return resolved;
}
