import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/operations/health-endpoint-present.js';
import { runCheck } from '../../helpers/run-check.js';

const service = { config: { profile: 'service' as const } };

describe('health-endpoint-present', () => {
  const frameworks: Array<[string, string, string, number, string]> = [
    [
      'Express',
      'src/app.js',
      "import express from 'express';\nconst app = express();\napp.get('/healthz', (req, res) => res.send('ok'));\n",
      3,
      '/healthz',
    ],
    [
      'Express (multi-line)',
      'src/routes/index.ts',
      "router.get(\n  '/api/v1/health',\n  handler,\n);\n",
      2,
      '/api/v1/health',
    ],
    [
      'Fastify route object',
      'server.mjs',
      "fastify.route({\n  method: 'GET',\n  url: '/ready',\n  handler,\n});\n",
      3,
      '/ready',
    ],
    ['hapi', 'lib/server.js', "server.route({ method: 'GET', path: '/health', handler: () => 'ok' });\n", 1, '/health'],
    [
      'NestJS',
      'src/health/health.controller.ts',
      "@Controller()\nexport class HealthController {\n  @Get('healthz')\n  check() {}\n}\n",
      3,
      '/healthz',
    ],
    [
      'Flask',
      'app.py',
      "app = Flask(__name__)\n\n@app.route('/health')\ndef health():\n    return 'ok'\n",
      3,
      '/health',
    ],
    [
      'FastAPI',
      'api/main.py',
      'router = APIRouter()\n\n@router.get("/livez")\nasync def livez():\n    return {}\n',
      3,
      '/livez',
    ],
    [
      'Django',
      'mysite/urls.py',
      "urlpatterns = [\n    path('admin/', admin.site.urls),\n    path('healthz/', views.healthz),\n]\n",
      3,
      '/healthz (Django URL)',
    ],
    [
      'Go net/http 1.22',
      'cmd/server/main.go',
      'package main\n\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc("GET /healthz", healthz)\n}\n',
      5,
      'GET /healthz',
    ],
    [
      'Gin',
      'main.go',
      'package main\n\nfunc main() {\n\tr := gin.Default()\n\tr.GET("/ping", func(c *gin.Context) { c.String(200, "pong") })\n}\n',
      5,
      '/ping',
    ],
    [
      'Chi',
      'internal/server/router.go',
      'package server\n\nfunc routes(r chi.Router) {\n\tr.Get("/readyz", ready)\n}\n',
      4,
      '/readyz',
    ],
    [
      'Actix attribute',
      'src/main.rs',
      '#[get("/health")]\nasync fn health() -> impl Responder { "ok" }\n',
      1,
      '/health',
    ],
    [
      'Axum',
      'src/routes.rs',
      'pub fn app() -> Router {\n    Router::new().route("/healthz", get(healthz))\n}\n',
      2,
      '/healthz',
    ],
    [
      'Spring',
      'src/main/java/com/acme/StatusController.java',
      '@RestController\npublic class StatusController {\n  @GetMapping("/health")\n  public String health() { return "ok"; }\n}\n',
      3,
      '/health',
    ],
    [
      'Rails',
      'config/routes.rb',
      'Rails.application.routes.draw do\n  get "up" => "rails/health#show", as: :rails_health_check\nend\n',
      2,
      'Rails health check (rails/health#show)',
    ],
    ['Sinatra', 'app.rb', "get '/health' do\n  'ok'\nend\n", 1, '/health'],
    [
      'ASP.NET Core',
      'Api/Program.cs',
      'var app = builder.Build();\napp.MapHealthChecks("/healthz");\n',
      2,
      '/healthz (ASP.NET Core health checks)',
    ],
    [
      'Laravel 11',
      'bootstrap/app.php',
      "return Application::configure(basePath: dirname(__DIR__))\n    ->withRouting(\n        web: __DIR__.'/../routes/web.php',\n        health: '/up',\n    )->create();\n",
      4,
      '/up (Laravel health route)',
    ],
    [
      'Next.js route handler',
      'app/api/health/route.ts',
      'export function GET() { return Response.json({ ok: true }); }\n',
      1,
      '/health (file-system route)',
    ],
  ];

  it.each(frameworks)('passes on a %s health route, with path and line', async (_name, path, content, line, route) => {
    const report = await runCheck(check, { [path]: content }, service);
    expect(report.outcome).toBe('pass');
    expect(report.findings[0]).toMatchObject({ path, line });
    expect(report.summary).toBe(`${route} in ${path}:${line}`);
  });

  it('passes when a library serves the endpoint (Spring Boot Actuator)', async () => {
    const report = await runCheck(
      check,
      {
        'pom.xml':
          '<project><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies></project>',
        'src/main/java/com/acme/App.java': 'public class App {}\n',
      },
      service,
    );
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('"spring-boot-starter-actuator"');
  });

  it('fails when no health route exists, and says what it looked for', async () => {
    const report = await runCheck(check, {
      'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
      // `/status` is a health route in the amended catalog; `/metrics` is not.
      'src/app.js': "app.get('/users', list);\napp.get('/metrics', metrics);\nconst res = await cache.get('health');\n",
    });
    expect(report.outcome).toBe('fail');
    expect(report.summary).toBe('no health route found in 1 entry or routing file(s) of 1 source file(s)');
    expect(report.findings[0].message).toMatch(/\/health, \/healthz/);
  });

  it('does not count routes defined only in tests or examples', async () => {
    const report = await runCheck(check, {
      'package.json': JSON.stringify({ dependencies: { express: '^4' } }),
      'src/app.js': "app.get('/users', list);\n",
      'test/app.test.js': "app.get('/healthz', ok);\n",
      'examples/server.js': "app.get('/health', ok);\n",
    });
    expect(report.outcome).toBe('fail');
  });

  it('does not count a health path outside a route definition', async () => {
    const report = await runCheck(
      check,
      { 'src/server.ts': "const HEALTH = '/healthz';\nlogger.info('/health is served elsewhere');\n" },
      service,
    );
    expect(report.outcome).toBe('fail');
  });

  it('does not count health paths in comments, or a `health:` option outside Laravel', async () => {
    const report = await runCheck(
      check,
      {
        'src/server.js':
          "// app.get('/healthz', ok) is served by the sidecar\n/* router.get('/ready') */\nconst probes = { health: '/health' };\n",
        'app.py': "# @app.route('/health')\n",
      },
      service,
    );
    expect(report.outcome).toBe('fail');
  });

  it('prefers the entry file over a file that only mentions health routes', async () => {
    const report = await runCheck(
      check,
      {
        'lib/health-docs.ts': 'export const example = "app.get(\'/healthz\', handler)";\n',
        'src/server.ts': "app.get('/readyz', ready);\n",
      },
      service,
    );
    expect(report.summary).toBe('/readyz in src/server.ts:1');
  });

  it('is not-applicable for a service with no source code (a deployment repository)', async () => {
    const report = await runCheck(check, { 'k8s/deployment.yaml': 'kind: Deployment\n', Dockerfile: 'FROM nginx\n' });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toMatch(/no service source code/);
  });

  it('is not-applicable for a library', async () => {
    const report = await runCheck(check, {
      'package.json': JSON.stringify({ name: 'lib' }),
      'index.js': 'export {}\n',
    });
    expect(report.outcome).toBe('not-applicable');
  });

  it('copes with binary and minified routing files', async () => {
    const report = await runCheck(
      check,
      {
        'src/server.js': new Uint8Array([0, 1, 2, 3]),
        'src/index.js': `${'x'.repeat(3000)}app.get('/healthz',h)\n`,
      },
      service,
    );
    expect(report.outcome).toBe('fail');
  });
});
