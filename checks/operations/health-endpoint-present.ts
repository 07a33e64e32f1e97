import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { classifyPath } from '../../src/engine/file-classes.js';
import { findListedDependency, readDeclared, type DependencyLists } from '../lib/dependency-signals.js';
import { isTestDirectory, isTestFileName, isTestPath } from '../lib/source-files.js';
import { directoryClass, readEntriesMatching, type GlobNarrowing } from '../lib/tree-queries.js';

/**
 * Route names that count as a health endpoint: /health, /healthz, /healthcheck, /health-check, /_health, /healthy,
 * /livez, /live, /liveness, /readyz, /ready, /readiness, /status and /ping (CATALOG lists `/status` among them).
 */
const SEGMENT = '(?:_?health(?:z|y|check|-check|_check)?|livez?|liveness|readyz?|readiness|ping|status)';
export const HEALTH_ROUTES = [
  '/health',
  '/healthz',
  '/healthcheck',
  '/livez',
  '/live',
  '/liveness',
  '/readyz',
  '/ready',
  '/readiness',
  '/status',
  '/ping',
];

const EXTENSIONS = 'js,jsx,ts,tsx,mjs,cjs,py,go,rs,rb,java,kt,scala,php,cs,ex,exs';
const SOURCE_FILE = new RegExp(`\\.(${EXTENSIONS.replace(/,/g, '|')})$`);
const ENTRY_NAMES =
  'app,application,Application,server,main,index,routes,router,urls,api,health,healthz,healthcheck,handlers,handler,http,web,probes,endpoints,views,wsgi,asgi,Program,Startup,bootstrap,mod,lib,service';
const ROUTING_DIRECTORIES =
  'routes,routers,router,routing,handlers,handler,controllers,controller,api,http,health,endpoints,server,web,views,resources,rest';
const ROUTING_WORDS =
  'Controller,controller,Resource,Handler,handler,Router,router,Routes,routes,Health,health,Endpoint,endpoint';
const ROUTING_GLOBS = [
  { glob: `**/{${ENTRY_NAMES}}.{${EXTENSIONS}}`, max: 300 },
  { glob: `**/{${ROUTING_DIRECTORIES}}/**/*.{${EXTENSIONS}}`, max: 300 },
  { glob: `**/*{${ROUTING_WORDS}}*.{${EXTENSIONS}}`, max: 200 },
  { glob: '{*.go,cmd/**/*.go}', max: 100 },
  // Entry files named for what they serve: FastAPI's `api_server.py`, `http_server.go`, `web-app.ts`.
  { glob: `**/*{_,-}{server,app,api,main,routes,service}.{${EXTENSIONS}}`, max: 100 },
];
const lowerSet = (list: string) => new Set(list.toLowerCase().split(','));
const entryNames = lowerSet(ENTRY_NAMES);
const routingDirectories = lowerSet(ROUTING_DIRECTORIES);
const routingWords = [...lowerSet(ROUTING_WORDS)];
/** What each routing glob needs of a base name or a directory (case aside), so the glob runs on few paths. */
const ROUTING_NARROWING: GlobNarrowing[] = [
  {
    key: 'health-endpoint-present:entry-name',
    name: (name) => entryNames.has(name.slice(0, name.lastIndexOf('.')).toLowerCase()),
  },
  {
    key: 'health-endpoint-present:routing-directory',
    directory: (directory) => directory.split('/').some((part) => routingDirectories.has(part.toLowerCase())),
  },
  {
    key: 'health-endpoint-present:routing-word',
    name: (name) => routingWords.some((word) => name.toLowerCase().includes(word)),
  },
  { key: 'health-endpoint-present:go', name: (name) => name.endsWith('.go') },
  { key: 'health-endpoint-present:separated', name: (name) => name.includes('_') || name.includes('-') },
];
const MAX_SCAN_BYTES = 256 * 1024;

/** A quoted path whose last segment is a health name, with a leading slash (`'/healthz'`, `"GET /ready"`, `"/api/v1/health/"`). */
const SLASHED_PATH = new RegExp(`["'\`](?:(?:GET|HEAD|ANY)\\s+)?\\^?(?:/[\\w.{}:$-]+)*/${SEGMENT}/?\\$?["'\`]`, 'i');
/** A call or annotation that registers a route, on the line of the path or the line before it. */
const ROUTE_TOKEN = new RegExp(
  [
    '\\.(?:get|head|all|use|route|handle|handleFunc|HandleFunc|Handle|Handler|HandlerFunc|GET|HEAD|Any|Get|Head|Match|Mount|at|resource|service|MapGet|MapMethods|Map|register|add_api_route|add_route|add_url_rule|api_route|path|endpoint|addRoute)\\s*\\(',
    '@[\\w.]*\\.(?:get|head|route|api_route)\\s*\\(',
    '@(?:Get|Head|Request)Mapping\\b',
    '@(?:Get|Head|Path|Route|Controller)\\s*\\(',
    '#\\[(?:get|head|route)\\s*\\(',
    '\\b(?:path|url|route|pattern)\\s*[:=]\\s*["\'`]',
    'Route::(?:get|any|match)\\s*\\(',
    '\\bHandleFunc\\s*\\(',
    '\\b(?:get|head)\\s*\\(\\s*["\'`]',
    '\\bresource\\s*\\(',
    '^\\s*(?:get|head|match|forward|scope)\\s+["\']',
    '\\bGET\\s*\\(',
    // A hand-rolled router: `if (req.url === '/health')`, `if self.path == '/healthz'`, `case '/ready':`
    '\\b(?:url|path|pathname|uri|route)\\s*[!=]==?\\s*["\'`]',
    '\\bcase\\s+["\'`]',
  ].join('|'),
);
/** Framework idioms whose path has no leading slash, or whose presence alone is a health endpoint. */
const DIRECT_PATTERNS: Array<{ pattern: RegExp; label: (match: RegExpExecArray) => string; only?: RegExp }> = [
  // Django: path('healthz/', …), re_path(r'^health/$', …), url(r'^ping$', …)
  {
    pattern: new RegExp(`\\b(?:re_path|path|url)\\(\\s*r?["']\\^?(?:[\\w-]+/)*(${SEGMENT})/?\\$?["']`, 'i'),
    label: (match) => `/${match[1]} (Django URL)`,
  },
  // Rails: get 'health' => …, get "up" => "rails/health#show"
  {
    pattern: new RegExp(`^\\s*(?:get|match)\\s+["'](?:[\\w-]+/)*(${SEGMENT})["']`, 'i'),
    label: (match) => `/${match[1]} (Rails route)`,
  },
  { pattern: /["']rails\/health#show["']/, label: () => 'Rails health check (rails/health#show)' },
  // NestJS @Get('health'), JAX-RS @Path("health"), warp::path("health")
  {
    pattern: new RegExp(`(?:@(?:Get|Head|Path|Controller)|warp::path!?)\\(\\s*["'\`]/?(${SEGMENT})["'\`]`, 'i'),
    label: (match) => `/${match[1]}`,
  },
  // Laravel 11: ->withRouting(health: '/up')
  {
    pattern: /\bhealth:\s*['"](\/[\w/-]*)['"]/,
    label: (match) => `${match[1]} (Laravel health route)`,
    only: /\.php$/,
  },
  // ASP.NET Core health checks
  {
    pattern: /\b(?:MapHealthChecks|UseHealthChecks)\s*\(\s*(?:"([^"]+)")?/,
    label: (match) => `${match[1] ?? 'health checks'} (ASP.NET Core health checks)`,
  },
  // gRPC health checking protocol: Go, Python, Java, Node registrations of the standard Health service
  {
    pattern:
      /\bRegisterHealthServer\s*\(|\badd_HealthServicer_to_server\s*\(|\bnew HealthStatusManager\s*\(|\bnew HealthImplementation\s*\(/,
    label: () => 'gRPC health service',
  },
];

/** File-system routing (Next.js, SvelteKit, Nuxt, Remix): the file's path is the route. */
const ROUTE_ROOT = /^(?:app|pages|routes|api|server)$/i;
const ROUTE_SEGMENT = new RegExp(`^${SEGMENT}$`, 'i');

/**
 * The health segment of a file-system route (`app/api/healthz/route.ts`, `src/routes/health/+server.ts`,
 * `pages/api/ping.ts`), tested part by part: as one regex, the free run of folders between the routing folder and the
 * segment is retried at every folder (quadratic in the path).
 */
const ROUTE_FILE = /^(.*)\.[jt]sx?$/i;
const ROUTE_MODULE = /^(?:route|\+server|index)$/i;

/** True when a file of this name can be a file-system route (what `fileRouteSegment` asks of the last segment). */
function isRouteFileName(name: string): boolean {
  const file = ROUTE_FILE.exec(name);
  return file !== null && (ROUTE_MODULE.test(file[1]) || ROUTE_SEGMENT.test(file[1]));
}

function fileRouteSegment(path: string): string | undefined {
  const parts = path.split('/');
  const file = ROUTE_FILE.exec(parts[parts.length - 1]);
  if (!file) return undefined;
  let at = parts.length - 1;
  let segment = file[1];
  if (ROUTE_MODULE.test(segment) && parts.length >= 2 && ROUTE_SEGMENT.test(parts[at - 1])) {
    at -= 1;
    segment = parts[at];
  } else if (!ROUTE_SEGMENT.test(segment)) return undefined;
  return parts.slice(0, at).some((part) => ROUTE_ROOT.test(part)) ? segment : undefined;
}

/** Libraries that serve a health endpoint by themselves. */
const HEALTH_LIBRARIES: DependencyLists = {
  java: [
    'spring-boot-starter-actuator',
    'quarkus-smallrye-health',
    'micronaut-management',
    'io.dropwizard:dropwizard-core',
    'dropwizard-core',
  ],
  node: [
    '@godaddy/terminus',
    '@nestjs/terminus',
    'express-healthcheck',
    'express-actuator',
    'fastify-healthcheck',
    '@cloudnative/health-connect',
    'lightship',
  ],
  python: [
    'django-health-check',
    'flask-healthz',
    'fastapi-health',
    'py-healthcheck',
    'healthcheck',
    'django-healthchecks',
  ],
  go: [
    'github.com/heptiolabs/healthcheck',
    'github.com/alexliesenfeld/health',
    'github.com/hellofresh/health-go*',
    'github.com/tavsec/gin-healthcheck',
    'github.com/etherlabsio/healthcheck*',
  ],
  ruby: ['health_check', 'okcomputer', 'health-monitor-rails'],
  php: ['spatie/laravel-health', 'liip/monitor-bundle'],
  dotnet: [
    'microsoft.extensions.diagnostics.healthchecks',
    'aspnetcore.healthchecks.*',
    'microsoft.aspnetcore.diagnostics.healthchecks',
  ],
  elixir: ['plug_checkup', 'health_checkup'],
};

/**
 * Tests, fixtures (a test suite's `playground/` too), examples, templates, vendored and generated code do not serve
 * the service's production traffic: src/engine/file-classes.ts decides the trees, source-files the test names.
 */
const isNotServiceCode = (path: string) => classifyPath(path) !== 'project' || isTestPath(path);
/** `isNotServiceCode` split by directory and base name, for the tree index. */
const isServiceDirectory = (directory: string) =>
  directoryClass(directory) === 'project' && !isTestDirectory(directory);
const isServiceFileName = (name: string) => !isTestFileName(name);

/** Comment lines (`//`, `/*`, ` *`, `#` but not Rust's `#[…]`, `--`) describe routes; they do not define them. */
const COMMENT = /^\s*(\/\/|\/\*|\*|#(?!\[)|--)/;

interface HealthRoute {
  route: string;
  path: string;
  line: number;
}

function findInFile(path: string, text: string): HealthRoute | undefined {
  const lines = (text.length > MAX_SCAN_BYTES ? text.slice(0, MAX_SCAN_BYTES) : text).split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    if (line.length > 2000) continue; // minified or generated
    if (COMMENT.test(line)) continue;
    for (const direct of DIRECT_PATTERNS) {
      if (direct.only && !direct.only.test(path)) continue;
      const match = direct.pattern.exec(line);
      if (match) return { route: direct.label(match), path, line: index + 1 };
    }
    const literal = SLASHED_PATH.exec(line);
    if (
      literal &&
      (ROUTE_TOKEN.test(line) ||
        (index > 0 && ROUTE_TOKEN.test(lines[index - 1]) && !SLASHED_PATH.test(lines[index - 1])))
    ) {
      return { route: literal[0].slice(1, -1), path, line: index + 1 };
    }
  }
  return undefined;
}

function findHealthRoute(snapshot: RepoSnapshot): { found?: HealthRoute; read: number } {
  let read = 0;
  const routeFiles = snapshot.index.where('health-endpoint-present:route-files', {
    name: (name) => isRouteFileName(name) && isServiceFileName(name),
    directory: isServiceDirectory,
  });
  for (const entry of routeFiles) {
    if (entry.kind !== 'file') continue;
    const fileRoute = fileRouteSegment(entry.path);
    if (fileRoute) return { found: { route: `/${fileRoute} (file-system route)`, path: entry.path, line: 1 }, read };
  }
  // Entry files first (server, app, main, routes…), then routing directories, then controller-like names: the
  // service's own route table is found before a file that merely mentions a health path.
  const seen = new Set<string>();
  for (const [at, need] of ROUTING_GLOBS.entries()) {
    // Only fetched files can be read, and only those a routing glob can match are tested against it.
    const candidates = readEntriesMatching(snapshot, need.glob, ROUTING_NARROWING[at])
      .filter((entry) => entry.kind === 'file' && !isNotServiceCode(entry.path) && !seen.has(entry.path))
      .sort((a, b) => a.path.split('/').length - b.path.split('/').length || (a.path < b.path ? -1 : 1));
    for (const entry of candidates) {
      seen.add(entry.path);
      const text = readDeclared(snapshot, entry.path);
      if (text === undefined) continue;
      read += 1;
      const found = findInFile(entry.path, text);
      if (found) return { found, read };
    }
  }
  return { read };
}

export default defineCheck({
  id: 'health-endpoint-present',
  category: 'operations',
  severity: 'medium',
  problemTitle: 'The service has no health endpoint',
  title: 'Health endpoint present',
  description: [
    `The service defines a health route — ${HEALTH_ROUTES.map((route) => `\`${route}\``).join(', ')} (also \`/healthcheck\`, \`/_health\`, under any prefix such as \`/api/v1/health\`) — in its entry and routing files:`,
    'Express/Fastify/Koa/Hono/NestJS, Flask/FastAPI/Django URLs, Gin/Echo/Chi/Fiber/net/http/gorilla, Actix/Axum/Rocket/warp, Spring/JAX-RS/Ktor, Rails/Sinatra/Phoenix, Laravel and ASP.NET Core (`MapHealthChecks`), a gRPC health service, a file-system route (`app/api/health/route.ts`),',
    'or a library that serves one (Spring Boot Actuator, Quarkus SmallRye Health, terminus, django-health-check, heptiolabs/healthcheck…).',
    'Reads up to 1000 entry and routing files (`app`, `server`, `main`, `index`, `routes`, `urls`, `*_server`, `*Controller*`, `handlers/`, `cmd/`…), skipping tests, test fixtures (`playground/` included), examples, templates, vendored and generated code. `not-applicable` when the repository holds no source code in those languages.',
  ].join(' '),
  rationale:
    'Orchestrators and load balancers decide whether to send traffic to, or restart, an instance by probing it. Without a health endpoint a hung or half-started instance keeps receiving requests, and rollouts cannot tell a good version from a bad one.',
  remediation: [
    'Add a cheap route that answers 200 when the process can serve (and a readiness route that also checks its dependencies), then point the orchestrator’s probes at it. In the service’s entry file, for Express:',
    '',
    '```js',
    "app.get('/healthz', (_req, res) => res.status(200).json({ status: 'ok' }));",
    '```',
    '',
    'Go: `mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })`; FastAPI: `@app.get("/healthz")`; Spring Boot: add `spring-boot-starter-actuator` (serves `/actuator/health`).',
  ].join('\n'),
  effort: 'hours',
  profiles: ['service'],
  scope: 'repository',
  needs: { files: ROUTING_GLOBS },
  evaluate({ snapshot }) {
    const library = findListedDependency(snapshot, HEALTH_LIBRARIES);
    const { found, read } = findHealthRoute(snapshot);
    if (found) {
      const findings: Finding[] = [{ message: `health route ${found.route}`, path: found.path, line: found.line }];
      return result.pass(`${found.route} in ${found.path}:${found.line}`, findings);
    }
    if (library)
      return result.pass(`health endpoint served by the "${library.name}" dependency (${library.ecosystem})`);
    const sources = snapshot.index
      .where('health-endpoint-present:sources', {
        name: (name) => SOURCE_FILE.test(name) && isServiceFileName(name),
        directory: isServiceDirectory,
      })
      .filter((entry) => entry.kind === 'file').length;
    if (sources === 0) return result.notApplicable('no service source code found to look for a health route in');
    return result.fail(`no health route found in ${read} entry or routing file(s) of ${sources} source file(s)`, [
      {
        message: `looked for route definitions of ${HEALTH_ROUTES.join(', ')} (and /healthcheck, /_health) in app/server/main/index/routes/urls/*_server/*Controller*/handlers files, and for health-check libraries and framework health features (Spring Boot Actuator, MapHealthChecks, django-health-check, gRPC health)`,
      },
    ]);
  },
});
