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
        });
      }
    }
    // The most specific template wins: more literal characters first.
    this.operations.sort((a, b) => b.literalLength - a.literalLength);
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
