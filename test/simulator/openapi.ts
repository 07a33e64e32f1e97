import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Validates requests against GitHub's OpenAPI description (@octokit/openapi, api.github.com): the method and path
 * must match an operation, and path parameters, query parameters and the JSON body must match its schemas.
 * The description (13 MB) is loaded once per process, on first use; each operation's validators compile lazily.
 */

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
  'x-multi-segment'?: boolean;
}

interface Operation {
  method: string;
  template: string;
  operationId: string;
  pattern: RegExp;
  names: string[];
  literalLength: number;
  parameters: Parameter[];
  bodyPointer?: string;
  bodyRequired: boolean;
  bodyValidator?: ValidateFunction;
  paramValidators?: Map<string, ValidateFunction>;
  /** Status → JSON pointer of the response body schema. */
  responsePointers: Map<string, string>;
  responseValidators?: Map<string, ValidateFunction>;
}

export interface MatchedOperation {
  method: string;
  template: string;
  operationId: string;
  params: Record<string, string>;
}

export type ValidationResult =
  { ok: true; operation: MatchedOperation } | { ok: false; operation?: MatchedOperation; errors: string[] };

type Document = { paths: Record<string, Record<string, any>>; components: Record<string, Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * OpenAPI 3.0's `nullable: true` → JSON Schema Ajv accepts everywhere: without a `type` it becomes
 * `anyOf: [schema, { type: 'null' }]`; with an `enum`, null joins the enum.
 */
function normalizeNullable(node: unknown, seen = new Set<object>()): void {
  if (!node || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) normalizeNullable(item, seen);
    return;
  }
  const schema = node as Record<string, unknown>;
  for (const value of Object.values(schema)) normalizeNullable(value, seen);
  if (schema.nullable !== true) return;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
  if (schema.type === undefined) {
    const { nullable: _nullable, description, ...rest } = schema;
    for (const key of Object.keys(schema)) delete schema[key];
    Object.assign(schema, { anyOf: [rest, { type: 'null' }] }, description === undefined ? {} : { description });
  }
}

export class OpenApiValidator {
  private readonly document: Document;
  private readonly operations: Operation[] = [];
  private readonly bodies: Ajv;
  private readonly params: Ajv;

  constructor(document: Document) {
    normalizeNullable(document);
    this.document = document;
    this.bodies = addFormats(
      new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false, addUsedSchema: false }),
    );
    this.bodies.addSchema(document as object, 'github');
    this.params = addFormats(
      new Ajv({ strict: false, allErrors: true, coerceTypes: true, validateSchema: false, logger: false }),
    );
    for (const [template, item] of Object.entries(document.paths)) {
      const names: string[] = [];
      const shared = (item.parameters ?? []) as Parameter[];
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const parameters = [...shared, ...(operation.parameters ?? [])].map(
          (parameter) => this.deref(parameter) as Parameter,
        );
        const multi = new Set(
          parameters
            .filter((parameter) => parameter.in === 'path' && parameter['x-multi-segment'])
            .map((parameter) => parameter.name),
        );
        names.length = 0;
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
          names.push(name);
          return multi.has(name) ? '(.+)' : '([^/]+)';
        });
        const json = operation.requestBody
          ? this.deref(operation.requestBody)?.content?.['application/json']
          : undefined;
        this.operations.push({
          method: method.toUpperCase(),
          template,
          operationId: operation.operationId,
          pattern: new RegExp(`^${source}$`),
          names: [...names],
          literalLength: template.replace(/\{[^}]+\}/g, '').length,
          parameters,
          bodyPointer: json?.schema
            ? `github#/paths/${escapePointer(template)}/${method}/requestBody/content/application~1json/schema`
            : undefined,
          bodyRequired: Boolean(operation.requestBody?.required),
          responsePointers: this.responsePointers(template, method, operation.responses ?? {}),
        });
      }
    }
    // The most specific template wins: more literal characters first.
    this.operations.sort((a, b) => b.literalLength - a.literalLength);
  }

  private responsePointers(
    template: string,
    method: string,
    responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>,
  ): Map<string, string> {
    const pointers = new Map<string, string>();
    for (const [status, response] of Object.entries(responses)) {
      if (typeof response.$ref === 'string') {
        const name = /^#\/components\/responses\/(.+)$/.exec(response.$ref)?.[1];
        if (name && this.document.components.responses?.[name]?.content?.['application/json']?.schema) {
          pointers.set(status, `github#/components/responses/${escapePointer(name)}/content/application~1json/schema`);
        }
      } else if (response.content?.['application/json']?.schema) {
        pointers.set(
          status,
          `github#/paths/${escapePointer(template)}/${method}/responses/${status}/content/application~1json/schema`,
        );
      }
    }
    return pointers;
  }

  /**
   * Fills in the properties GitHub's response schema requires and the simulator did not set (URLs, avatars,
   * timestamps…) with neutral values, so that what the App is tested against has GitHub's full shape. Values the
   * simulator set are kept as they are.
   */
  completeResponse(method: string, rawPath: string, status: number, body: unknown): unknown {
    const found = this.match(method, rawPath);
    const pointer = found?.operation.responsePointers.get(String(status));
    if (!pointer) return body;
    const schema = pointer
      .replace(/^github#\//, '')
      .split('/')
      .reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], this.document); // eslint-disable-line @typescript-eslint/no-explicit-any
    return schema ? this.complete(schema, body, 0) : body;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OpenAPI schemas are walked untyped
  private complete(raw: any, value: unknown, depth: number): unknown {
    const schema = this.deref(raw);
    if (!schema || depth > 12 || value === null || value === undefined) return value;
    if (Array.isArray(schema.allOf)) for (const part of schema.allOf) value = this.complete(part, value, depth + 1);
    const choices = schema.oneOf ?? schema.anyOf;
    if (Array.isArray(choices)) {
      const flatten = (choice: unknown): unknown[] => {
        const branch = this.deref(choice);
        if (!branch) return [];
        const nested = branch.oneOf ?? branch.anyOf;
        return Array.isArray(nested) && !branch.type && !branch.properties ? nested.flatMap(flatten) : [branch];
      };
      const branches = choices.flatMap(flatten) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      const kind = Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
      const fits = branches.filter((branch: { type?: string; properties?: unknown }) =>
        kind === 'object' ? branch.type === 'object' || (!branch.type && branch.properties) : branch.type === kind,
      );
      const tagged =
        kind === 'object'
          ? fits.find((branch: { properties?: Record<string, { enum?: unknown[] }> }) =>
              branch.properties?.type?.enum?.includes((value as { type?: unknown }).type),
            )
          : undefined;
      const branch = tagged ?? fits[0];
      if (branch) value = this.complete(branch, value, depth + 1);
    }
    if (Array.isArray(value)) {
      return schema.items ? value.map((item) => this.complete(schema.items, item, depth + 1)) : value;
    }
    if (typeof value === 'object' && (schema.type === 'object' || schema.properties)) {
      const object = value as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      for (const key of (schema.required ?? []) as string[]) {
        if (object[key] === undefined) object[key] = this.synthesize(properties[key], key, depth + 1);
      }
      for (const [key, property] of Object.entries(properties)) {
        if (key in object) object[key] = this.complete(property, object[key], depth + 1);
      }
    }
    return value;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OpenAPI schemas are walked untyped
  private synthesize(raw: any, name: string, depth: number): unknown {
    const schema = this.deref(raw);
    if (!schema || depth > 12) return null;
    if (schema.nullable === true) return null;
    const choices = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
    if (choices) {
      const branches = choices.map((choice) => this.deref(choice));
      if (branches.some((branch: { type?: string }) => branch?.type === 'null')) return null;
      return this.synthesize(branches[0], name, depth + 1);
    }
    if (Array.isArray(schema.allOf)) return this.complete(schema, {}, depth + 1);
    if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
    if (schema.default !== undefined) return schema.default;
    switch (schema.type) {
      case 'string':
        if (schema.format === 'uri' || /(^|_)url$/.test(name)) return `https://github.com/simulator/${name}`;
        if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
        if (schema.format === 'email') return 'simulator@example.com';
        return '';
      case 'integer':
      case 'number':
        return 0;
      case 'boolean':
        return false;
      case 'array':
        return [];
      case 'object':
        return this.complete(schema, {}, depth + 1);
      default:
        return schema.properties ? this.complete(schema, {}, depth + 1) : null;
    }
  }

  /**
   * Checks a response body against the description's schema for that status (the simulator's own fidelity: what
   * the App is tested against must look like what GitHub sends). Returns the errors; none when nothing is described.
   */
  validateResponse(method: string, rawPath: string, status: number, body: unknown): string[] {
    const found = this.match(method, rawPath);
    const pointer = found?.operation.responsePointers.get(String(status));
    if (!found || !pointer) return [];
    const operation = found.operation;
    operation.responseValidators ??= new Map();
    let validator = operation.responseValidators.get(String(status));
    if (!validator) {
      validator = this.bodies.compile({ $ref: pointer });
      operation.responseValidators.set(String(status), validator);
    }
    if (validator(body)) return [];
    return (validator.errors ?? [])
      .slice(0, 20)
      .map(
        (error) =>
          `response${error.instancePath || ''} ${error.message ?? 'is invalid'}${error.params && 'missingProperty' in error.params ? '' : ''}`,
      );
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OpenAPI objects are walked untyped
  private deref(value: any): any {
    let current = value;
    for (let guard = 0; current && typeof current.$ref === 'string' && guard < 10; guard += 1) {
      const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(current.$ref) ?? [];
      current = kind ? this.document.components[kind]?.[name] : undefined;
    }
    return current;
  }

  /** The operation for a method and a raw (still percent-encoded) path, or undefined. */
  match(method: string, rawPath: string): { operation: Operation; params: Record<string, string> } | undefined {
    const upper = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
    for (const operation of this.operations) {
      if (operation.method !== upper) continue;
      const found = operation.pattern.exec(rawPath);
      if (!found) continue;
      const params: Record<string, string> = {};
      let decodable = true;
      operation.names.forEach((name, index) => {
        try {
          params[name] = decodeURIComponent(found[index + 1]);
        } catch {
          decodable = false;
        }
      });
      if (decodable) return { operation, params };
    }
    return undefined;
  }

  /** Compiles every body validator (a self-test of the description; slow: for tests of the simulator only). */
  compileAll(): number {
    let count = 0;
    for (const operation of this.operations) {
      for (const parameter of operation.parameters) {
        if (parameter.in === 'path' || parameter.in === 'query')
          this.checkParameter(operation, parameter, undefined, [], true);
      }
      if (!operation.bodyPointer) continue;
      operation.bodyValidator ??= this.bodies.compile({ $ref: operation.bodyPointer });
      count += 1;
    }
    return count;
  }

  validate(request: {
    method: string;
    path: string;
    query: URLSearchParams;
    body?: unknown;
    hasBody: boolean;
  }): ValidationResult {
    const found = this.match(request.method, request.path);
    if (!found)
      return {
        ok: false,
        errors: [`no operation for ${request.method} ${request.path} in GitHub's OpenAPI description`],
      };
    const { operation, params } = found;
    const matched: MatchedOperation = {
      method: operation.method,
      template: operation.template,
      operationId: operation.operationId,
      params,
    };
    const errors: string[] = [];
    for (const parameter of operation.parameters) {
      if (parameter.in === 'path') {
        this.checkParameter(operation, parameter, params[parameter.name], errors);
      } else if (parameter.in === 'query') {
        const values = request.query.getAll(parameter.name);
        const isArray = parameter.schema?.type === 'array';
        if (values.length === 0) {
          if (parameter.required) errors.push(`query parameter "${parameter.name}" is required`);
          continue;
        }
        this.checkParameter(operation, parameter, isArray ? values : values[values.length - 1], errors);
      }
    }
    const known = new Set(
      operation.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
    );
    for (const name of new Set(request.query.keys())) {
      if (!known.has(name))
        errors.push(`query parameter "${name}" is not described for ${operation.method} ${operation.template}`);
    }
    if (operation.bodyPointer) {
      if (!request.hasBody) {
        if (operation.bodyRequired) errors.push('a JSON request body is required');
      } else {
        operation.bodyValidator ??= this.bodies.compile({ $ref: operation.bodyPointer });
        if (!operation.bodyValidator(request.body)) {
          for (const error of operation.bodyValidator.errors ?? []) {
            errors.push(
              `body${error.instancePath || ''} ${error.message ?? 'is invalid'}${error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : ''}`,
            );
          }
        }
      }
    }
    return errors.length ? { ok: false, operation: matched, errors } : { ok: true, operation: matched };
  }

  private checkParameter(
    operation: Operation,
    parameter: Parameter,
    value: unknown,
    errors: string[],
    compileOnly = false,
  ): void {
    if ((value === undefined && !compileOnly) || !parameter.schema) return;
    operation.paramValidators ??= new Map();
    let validator = operation.paramValidators.get(`${parameter.in}:${parameter.name}`);
    if (!validator) {
      const schema = this.deref(parameter.schema) ?? {};
      validator = this.params.compile({ type: 'object', properties: { value: schema } });
      operation.paramValidators.set(`${parameter.in}:${parameter.name}`, validator);
    }
    if (compileOnly) return;
    if (!validator({ value })) {
      for (const error of validator.errors ?? []) {
        errors.push(
          `${parameter.in} parameter "${parameter.name}"${error.instancePath.replace(/^\/value/, '')} ${error.message ?? 'is invalid'}${error.params && 'allowedValues' in error.params ? ` (${(error.params.allowedValues as unknown[]).join(', ')})` : ''}`,
        );
      }
    }
  }
}

let shared: OpenApiValidator | undefined;

/** The process-wide validator for api.github.com (loaded on first use). */
export function githubValidator(): OpenApiValidator {
  if (!shared) {
    const require = createRequire(import.meta.url);
    const file = join(dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json');
    shared = new OpenApiValidator(JSON.parse(readFileSync(file, 'utf8')) as Document);
  }
  return shared;
}
