import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigJsonSchema } from '../../src/config/json-schema.js';

const path = join(import.meta.dirname, '..', '..', 'schema', 'shipready.schema.json');

describe('the config JSON Schema for editors', () => {
  it('is generated from the zod schema (UPDATE_CHECK_DOCS=1 rewrites it)', () => {
    const expected = renderConfigJsonSchema();
    if (process.env.UPDATE_CHECK_DOCS === '1') writeFileSync(path, expected);
    expect(existsSync(path) ? readFileSync(path, 'utf8') : '(missing)').toBe(expected);
  });

  it('names every check id under checks, so editors complete them', () => {
    const schema = JSON.parse(renderConfigJsonSchema());
    expect(Object.keys(schema.properties.checks.properties)).toContain('readme-present');
    expect(schema.properties.checks.additionalProperties).toBe(false);
    expect(schema.properties.gate.properties.mode.enum).toEqual(['regressions', 'absolute']);
  });
});
