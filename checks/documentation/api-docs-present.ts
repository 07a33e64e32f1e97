import { defineCheck, result } from '../../src/engine/define-check.js';
import { hasDependency } from '../../src/engine/dependencies.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { isExcludedFromProject } from '../../src/engine/file-classes.js';
import { containsAnyOf, readEntriesMatching } from '../lib/tree-queries.js';

/** API descriptions recognised by their name. */
const SPEC_NAMES = new Set(['openapi', 'swagger', 'asyncapi']);
/**
 * `openapi.yaml`, `petstore-swagger.v2.json`: a YAML/JSON file whose name has `openapi`, `swagger` or `asyncapi` as
 * a `-`/`_`/`.`-separated part (split in code: as one regex the free prefix and suffix backtrack quadratically).
 */
const isSpecByName = (path: string): boolean => {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const extension = /\.(?:ya?ml|json)$/.exec(base);
  return (
    extension !== null &&
    base
      .slice(0, extension.index)
      .split(/[-_.]/)
      .some((part) => SPEC_NAMES.has(part))
  );
};
/** Folders where specs with other names live; their YAML/JSON files are opened to look for an `openapi:` key. */
const SNIFF_GLOBS = [
  '{api,apis,spec,specs,openapi,swagger,schema,schemas,contracts,docs,doc}/**/*.{yaml,yml,json}',
  '*.{yaml,yml,json}',
];
const SPEC_KEY = /^[ \t]*["']?(openapi|swagger|asyncapi)["']?[ \t]*:[ \t]*["']?\d/m;
/** Other machine-readable API contracts. */
const CONTRACTS: Array<{ kind: string; pattern: RegExp }> = [
  { kind: 'gRPC/protobuf definitions', pattern: /\.proto$/i },
  { kind: 'a GraphQL schema', pattern: /\.(graphqls?|gql)$/i },
  { kind: 'a RAML spec', pattern: /\.raml$/i },
  { kind: 'an API Blueprint', pattern: /\.apib$/i },
  { kind: 'a Smithy model', pattern: /\.smithy$/i },
  { kind: 'a TypeSpec definition', pattern: /(^|\/)tspconfig\.ya?ml$|\.tsp$/i },
];
/** API reference pages. */
const API_PAGES =
  /^((docs?|documentation|website\/docs)\/(.*\/)?api([-_.][^/]*)?(\/|\.(md|mdx|rst|adoc|html?|txt)$)|api\.(md|rst|adoc)$|docs?\/reference\/)/i;

/** Doc generators recognised by their configuration file. */
const GENERATOR_FILES: Array<{ tool: string; pattern: RegExp }> = [
  { tool: 'TypeDoc', pattern: /(^|\/)\.?typedoc(\.config)?\.(json|js|cjs|mjs|ts)$/ },
  { tool: 'API Extractor', pattern: /(^|\/)api-extractor\.json$/ },
  { tool: 'JSDoc', pattern: /(^|\/)\.?jsdoc(\.conf)?\.json$|(^|\/)\.jsdoc\.js$/ },
  { tool: 'Sphinx', pattern: /^(docs?|documentation)\/(source\/)?conf\.py$/ },
  { tool: 'MkDocs', pattern: /(^|\/)mkdocs\.ya?ml$/ },
  { tool: 'Docusaurus', pattern: /(^|\/)docusaurus\.config\.(js|cjs|mjs|ts)$/ },
  { tool: 'VitePress', pattern: /(^|\/)\.vitepress\/config\.(js|mjs|mts|ts)$/ },
  { tool: 'Read the Docs', pattern: /^\.readthedocs\.ya?ml$/ },
  { tool: 'pydoc-markdown', pattern: /(^|\/)pydoc-markdown\.ya?ml$/ },
  { tool: 'Doxygen', pattern: /(^|\/)Doxyfile(\.in)?$/ },
  { tool: 'YARD', pattern: /^\.yardopts$/ },
  { tool: 'phpDocumentor', pattern: /(^|\/)phpdoc(\.dist)?\.xml$/ },
  { tool: 'DocFX', pattern: /(^|\/)docfx\.json$/ },
  { tool: 'DocC', pattern: /\.docc\// },
  { tool: 'dartdoc', pattern: /(^|\/)dartdoc_options\.yaml$/ },
  { tool: 'Antora', pattern: /(^|\/)antora(-playbook)?\.ya?ml$/ },
];

/** Dependencies that generate API docs from the code. */
const GENERATOR_DEPENDENCIES = [
  'typedoc',
  '@microsoft/api-documenter',
  'jsdoc',
  'documentation',
  '@compodoc/compodoc',
  'sphinx',
  'mkdocs',
  'mkdocstrings',
  'pdoc',
  'pdoc3',
  'pydoc-markdown',
  'ex_doc',
];

/**
 * Frameworks that serve an OpenAPI description at runtime (FastAPI's `/docs`, springdoc's `/swagger-ui`): helpful, but
 * not a committed API spec — nobody can review or diff it, and it exists only while the service runs. `warn`.
 */
const RUNTIME_SPEC_DEPENDENCIES = [
  '@nestjs/swagger',
  'swagger-ui-express',
  'swagger-jsdoc',
  '@fastify/swagger',
  'fastify-swagger',
  'express-openapi',
  'tsoa',
  '@hono/zod-openapi',
  'hono-openapi',
  '@asteasolutions/zod-to-openapi',
  '@ts-rest/open-api',
  'trpc-openapi',
  '@elysiajs/swagger',
  'fastapi',
  'django-ninja',
  'litestar',
  'drf-spectacular',
  'drf-yasg',
  'flasgger',
  'flask-smorest',
  'apispec',
  'flask-restx',
  'connexion',
  'spectree',
  'springdoc-openapi*',
  'org.springdoc:springdoc-openapi*',
  'io.springfox:*',
  'springfox-*',
  'smallrye-open-api*',
  'quarkus-smallrye-openapi',
  'github.com/swaggo/swag',
  'github.com/danielgtaylor/huma*',
  'github.com/ogen-go/ogen',
  'github.com/go-swagger/go-swagger',
  'utoipa',
  'aide',
  'poem-openapi',
  'paperclip',
  'rocket_okapi',
  'rswag',
  'rswag-specs',
  'grape-swagger',
  'apipie-rails',
  'darkaonline/l5-swagger',
  'nelmio/api-doc-bundle',
  'zircote/swagger-php',
  'api-platform/core',
  'swashbuckle.aspnetcore',
  'microsoft.aspnetcore.openapi',
  'nswag.aspnetcore',
  'open_api_spex',
];

/** Ecosystems whose package registries render API docs from the code for every published library. */
const BUILT_IN: Record<string, string> = {
  go: 'godoc (pkg.go.dev renders it)',
  rust: 'rustdoc (docs.rs builds it)',
  dart: 'dartdoc (pub.dev builds it)',
  haskell: 'Haddock (Hackage builds it)',
};

/**
 * Words one of which the name of every entry a test above can match holds: spec names (isSpecByName), contract
 * extensions (CONTRACTS), `api` (API_PAGES' `api.md`), generator configs (GENERATOR_FILES).
 */
const hasApiNameWord = containsAnyOf([
  'openapi',
  'swagger',
  'asyncapi',
  '.proto',
  '.graphql',
  '.gql',
  '.raml',
  '.apib',
  '.smithy',
  '.tsp',
  'tspconfig',
  'api',
  'typedoc',
  'jsdoc',
  'conf.py',
  'mkdocs',
  'docusaurus',
  'config.',
  'readthedocs',
  'pydoc-markdown',
  'doxyfile',
  'yardopts',
  'phpdoc',
  'docfx',
  'dartdoc_options',
  'antora',
]);
/** Folders that make the rest match: API_PAGES' docs trees, DocC catalogs. */
const isApiDocsDirectory = (directory: string) =>
  /^(?:docs?|documentation|website)(?:\/|$)/i.test(directory) || directory.toLowerCase().includes('.docc');

function javaDocPlugins(snapshot: RepoSnapshot): string | undefined {
  for (const entry of snapshot.index.namedOneOf(['pom.xml', 'build.gradle', 'build.gradle.kts'])) {
    if (isExcludedFromProject(entry.path)) continue;
    const text = snapshot.text(entry.path);
    if (!text) continue;
    if (/maven-javadoc-plugin/.test(text)) return `maven-javadoc-plugin (${entry.path})`;
    if (/org\.jetbrains\.dokka|\bdokka\b/.test(text)) return `Dokka (${entry.path})`;
    if (/\bjavadoc\s*\{|withJavadocJar\(\)/.test(text)) return `Javadoc (${entry.path})`;
  }
  return undefined;
}

export default defineCheck({
  id: 'api-docs-present',
  category: 'documentation',
  severity: 'low',
  problemTitle: 'The API is not documented',
  title: 'API documented',
  description:
    "For services and libraries: the API is described — an OpenAPI, Swagger or AsyncAPI spec (by name, or any YAML/JSON in `api/`, `spec/`, `docs/`… with an `openapi:` key), another contract (protobuf, GraphQL schema, RAML, API Blueprint, Smithy, TypeSpec), API reference pages (`docs/api*`, `API.md`, `docs/reference/`), a doc generator (TypeDoc, API Extractor, JSDoc, Sphinx, MkDocs, Docusaurus, VitePress, pdoc, Doxygen, Javadoc/Dokka, YARD, phpDocumentor, DocFX, DocC, ex_doc…), A framework that only serves its OpenAPI description at runtime (FastAPI's `/docs`, NestJS swagger, springdoc, swaggo, utoipa…) is not a committed spec: it warns. For Go, Rust, Dart and Haskell libraries the registry's generated docs (godoc, rustdoc, dartdoc, Haddock) count.",
  rationale:
    'Consumers of a service or a library work from its API description: without one they read the source or guess, and every change risks breaking a caller nobody knew relied on it.',
  remediation: [
    'For a service, commit the OpenAPI description as `openapi.yaml` (or generate it from the code and commit the result); for a library, configure a doc generator such as TypeDoc (`typedoc.json`) or Sphinx (`docs/conf.py`):',
    '',
    '```yaml',
    '# openapi.yaml',
    'openapi: 3.1.0',
    'info: { title: Orders API, version: 1.0.0 }',
    'paths:',
    '  /orders/{id}:',
    '    get:',
    '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
    '      responses: { "200": { description: The order } }',
    '```',
  ].join('\n'),
  effort: 'hours',
  profiles: ['service', 'library'],
  scope: 'repository',
  needs: { files: SNIFF_GLOBS.map((glob) => ({ glob, max: 40 })) },
  evaluate({ snapshot, profile, ecosystems }) {
    // Only entries a test below can match (by words in the name or a folder's name), in tree order.
    const own = snapshot.index
      .where('api-docs-present:candidates', { name: hasApiNameWord, directory: isApiDocsDirectory, either: true })
      .filter((entry) => entry.kind !== 'submodule' && !isExcludedFromProject(entry.path));
    const found: string[] = [];
    const spec = own.find((entry) => isSpecByName(entry.path));
    if (spec) found.push(`API spec ${spec.path}`);
    if (!spec) {
      const sniffed = readEntriesMatching(snapshot, SNIFF_GLOBS).find((entry) => {
        if (isExcludedFromProject(entry.path)) return false;
        const text = snapshot.textIfRead(entry.path); // undefined beyond the read bound
        return text !== undefined && SPEC_KEY.test(text.slice(0, 4000));
      });
      if (sniffed) found.push(`API spec ${sniffed.path}`);
    }
    for (const { kind, pattern } of CONTRACTS) {
      const contract = own.filter((entry) => pattern.test(entry.path));
      if (contract.length)
        found.push(`${kind} (${contract[0].path}${contract.length > 1 ? ` +${contract.length - 1}` : ''})`);
    }
    const pages = own.find((entry) => API_PAGES.test(entry.path));
    if (pages) found.push(`API reference ${pages.path}`);
    for (const { tool, pattern } of GENERATOR_FILES) {
      const config = own.find((entry) => pattern.test(entry.path));
      if (config) found.push(`${tool} (${config.path})`);
    }
    const dependency = hasDependency(snapshot, GENERATOR_DEPENDENCIES);
    if (dependency) found.push(`${dependency} (a dependency)`);
    const java = javaDocPlugins(snapshot);
    if (java) found.push(java);
    if (found.length)
      return result.pass(found.slice(0, 4).join('; ') + (found.length > 4 ? `; +${found.length - 4} more` : ''));
    const runtime = hasDependency(snapshot, RUNTIME_SPEC_DEPENDENCIES);
    if (runtime)
      return result.warn(`"${runtime}" serves an OpenAPI description at runtime, but no API spec is committed`, [
        {
          message: `"${runtime}" serves the API description only while the service runs (FastAPI's /docs, a Swagger UI route): export it and commit it (e.g. \`openapi.json\`) so it can be reviewed and diffed`,
        },
      ]);
    if (profile === 'library') {
      const builtIn = ecosystems.filter((ecosystem) => BUILT_IN[ecosystem]);
      if (builtIn.length)
        return result.pass(
          `${builtIn.map((ecosystem) => BUILT_IN[ecosystem]).join(', ')}: doc comments on exported items are the API reference`,
        );
    }
    return result.fail(`No API description or API docs for this ${profile}`, [
      {
        message: `looked for OpenAPI/Swagger/AsyncAPI specs, protobuf/GraphQL/RAML contracts, docs/api*, API.md, and doc generators (TypeDoc, JSDoc, Sphinx, MkDocs, Docusaurus, pdoc, Doxygen, Javadoc, YARD, DocFX…) and found none; ${profile === 'service' ? 'commit openapi.yaml' : 'configure a doc generator such as typedoc.json or docs/conf.py'}`,
      },
    ]);
  },
});
