import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject } from 'ajv';

// Both are CommonJS packages whose `default` export is also `module.exports`: take whichever the loader gives.
type AjvDraft04 = typeof import('ajv-draft-04').default;
const Ajv = ((AjvDraft04Module as unknown as { default?: AjvDraft04 }).default ??
  AjvDraft04Module) as unknown as AjvDraft04;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: InstanceType<AjvDraft04>,
) => unknown;

/**
 * The SARIF 2.1.0 JSON schema as Microsoft's SARIF SDK ships it (`@microsoft/jest-sarif`, 2.1.0-rtm.5: the text
 * OASIS published as 2.1.0), compiled once with a draft-04 validator (the schema's dialect).
 */
const require = createRequire(import.meta.url);
const schemaPath = require
  .resolve('@microsoft/jest-sarif')
  .replace(/lib[\\/]index\.js$/, 'lib/schemas/sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
// The schema's `language` pattern has a stray `]` that is only legal without the `u` flag.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Schema violations of a SARIF log, as `path: message` lines (empty when it is valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'}: ${error.message}`);
}

interface IngestedResult {
  ruleId?: string;
  locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }>;
}
interface IngestedLog {
  runs: Array<{
    tool: { driver: { rules?: Array<{ id: string; properties?: Record<string, unknown> }> } };
    results?: IngestedResult[];
  }>;
}

/**
 * What GitHub code scanning refuses or mis-files beyond the schema: a result without a location ("expected at
 * least one location"), an absolute or schemed artifact URI, a region before line 1, and `security-severity` on a
 * rule that is not security-relevant (it would be ranked as a vulnerability).
 */
export function githubIngestionErrors(
  log: IngestedLog,
  isSecurityRule: (rule: { id: string; properties?: Record<string, unknown> }) => boolean,
): string[] {
  const errors: string[] = [];
  for (const run of log.runs) {
    for (const rule of run.tool.driver.rules ?? []) {
      if (rule.properties?.['security-severity'] !== undefined && !isSecurityRule(rule))
        errors.push(`rule ${rule.id}: security-severity on a rule that is not security-relevant`);
    }
    (run.results ?? []).forEach((result, index) => {
      const where = `result ${index} (${result.ruleId})`;
      if (!result.locations?.length) {
        errors.push(`${where}: no location`);
        return;
      }
      for (const location of result.locations) {
        const uri = location.physicalLocation?.artifactLocation?.uri;
        if (!uri) errors.push(`${where}: no physicalLocation.artifactLocation.uri`);
        else if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/'))
          errors.push(`${where}: uri ${uri} is not relative`);
        const line = location.physicalLocation?.region?.startLine;
        if (line === undefined || line < 1) errors.push(`${where}: region.startLine ${line} is not ≥ 1`);
      }
    });
  }
  return errors;
}
