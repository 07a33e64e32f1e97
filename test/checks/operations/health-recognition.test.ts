import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/operations/health-endpoint-present.js';
import { runCheck } from '../../helpers/run-check.js';

const service = { config: { profile: 'service' as const } };

describe('health-endpoint-present: routes and framework features the catalog lists', () => {
  it('finds @app.get("/health") in a FastAPI api_server.py', async () => {
    const report = await runCheck(
      check,
      {
        'pyproject.toml': '[project]\nname = "svc"\ndependencies = ["fastapi", "uvicorn"]\n',
        'src/svc/api_server.py': [
          'from fastapi import FastAPI',
          '',
          'app = FastAPI(docs_url="/docs")',
          '',
          '',
          '@app.get("/health")',
          'async def health() -> dict[str, str]:',
          '    return {"status": "ok"}',
          '',
        ].join('\n'),
      },
      service,
    );
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('/health in src/svc/api_server.py:6');
  });

  it('counts /status, which the catalog lists', async () => {
    const report = await runCheck(
      check,
      { 'package.json': '{"dependencies":{"express":"4"}}', 'src/server.js': "app.get('/api/status', ok);\n" },
      service,
    );
    expect(report.outcome).toBe('pass');
  });

  it.each([
    [
      'Spring Boot Actuator',
      {
        'pom.xml':
          '<project><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency></dependencies></project>',
        'src/main/java/App.java': 'class App {}\n',
      },
    ],
    [
      'MapHealthChecks',
      {
        'Api/Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>',
        'Api/Program.cs': 'var app = builder.Build();\napp.MapHealthChecks("/healthz");\napp.Run();\n',
      },
    ],
    [
      'django-health-check',
      {
        'requirements.txt': 'django==5.0\ndjango-health-check==3.18\n',
        'app/settings.py': 'INSTALLED_APPS = ["health_check"]\n',
      },
    ],
    [
      'gRPC health',
      {
        'go.mod': 'module x\n',
        'cmd/server/main.go':
          'package main\nfunc main() {\n\thealthpb.RegisterHealthServer(s, health.NewServer())\n}\n',
      },
    ],
  ])('counts %s', async (_name, files) => {
    const report = await runCheck(check, files as Record<string, string>, service);
    expect(report.outcome).toBe('pass');
  });
});
