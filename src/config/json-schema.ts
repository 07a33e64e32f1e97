import { z } from 'zod';
import { allChecks } from '../../checks/index.js';
import { checkSettingSchema, configSchema } from './schema.js';

/**
 * The JSON Schema of `.github/shipready.yml` for editors (yaml-language-server), generated from the zod schema so
 * the two never drift; `checks` lists every check id with its description.
 */
export function renderConfigJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & {
    properties: Record<string, Record<string, unknown>>;
  };
  const setting = z.toJSONSchema(checkSettingSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete setting.$schema;
  schema.properties.checks = {
    type: 'object',
    description: "Per-check settings: `off`, a severity, or an object with `severity` and the check's options.",
    properties: Object.fromEntries(
      allChecks.map((check) => [
        check.id,
        { ...setting, description: `${check.title} (${check.category}, ${check.severity}). ${check.description}` },
      ]),
    ),
    additionalProperties: false,
  };
  return `${JSON.stringify({ ...schema, $id: 'https://shipready.dev/schema/shipready.schema.json', title: 'shipready configuration' }, null, 2)}\n`;
}
