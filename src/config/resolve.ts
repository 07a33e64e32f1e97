import { ConfigError } from '../engine/errors.js';
import type { AnyCheckDefinition, Severity } from '../engine/types.js';
import type { Config } from './schema.js';

export interface ResolvedCheckSetting {
  enabled: boolean;
  severity: Severity;
  options: unknown;
}

/**
 * Applies `checks.<id>` to the registry: enabled flag, severity override and the check's options parsed with its
 * schema. Unknown ids and invalid options are config errors naming the key, never silent defaults.
 */
export function resolveCheckSettings(
  checks: readonly AnyCheckDefinition[],
  config: Config,
  lineOf: (key: string) => number | undefined = () => undefined,
  file = '.github/shipready.yml',
): Map<string, ResolvedCheckSetting> {
  const problems: Array<{ key: string; line?: number; message: string }> = [];
  const known = new Map(checks.map((check) => [check.id, check]));
  for (const id of Object.keys(config.checks)) {
    if (!known.has(id))
      problems.push({
        key: `checks.${id}`,
        line: lineOf(`checks.${id}`),
        message: `unknown check id "${id}" (run \`shipready checks\` for the list)`,
      });
  }
  const resolved = new Map<string, ResolvedCheckSetting>();
  for (const check of checks) {
    const setting = config.checks[check.id];
    let enabled = true;
    let severity = check.severity;
    let rawOptions: Record<string, unknown> = {};
    if (setting === 'off') enabled = false;
    else if (typeof setting === 'string') severity = setting;
    else if (setting && typeof setting === 'object') {
      const { severity: override, ...rest } = setting as { severity?: Severity | 'off' } & Record<string, unknown>;
      if (override === 'off') enabled = false;
      else if (override) severity = override;
      rawOptions = rest;
    }
    let options: unknown = rawOptions;
    if (check.options) {
      const parsed = check.options.safeParse(rawOptions);
      if (parsed.success) options = parsed.data;
      else {
        for (const issue of parsed.error.issues) {
          const key = ['checks', check.id, ...issue.path.map(String)].join('.');
          problems.push({ key, line: lineOf(key) ?? lineOf(`checks.${check.id}`), message: issue.message });
        }
      }
    } else if (Object.keys(rawOptions).length) {
      const key = `checks.${check.id}.${Object.keys(rawOptions)[0]}`;
      problems.push({ key, line: lineOf(key), message: `check "${check.id}" takes no options besides severity` });
    }
    resolved.set(check.id, { enabled, severity, options });
  }
  if (problems.length) throw new ConfigError(file, problems);
  return resolved;
}
