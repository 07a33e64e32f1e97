import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/documentation/api-docs-present.js';
import { runCheck } from '../../helpers/run-check.js';

const service = { config: { profile: 'service' as const } };
const library = { config: { profile: 'library' as const } };

describe('api-docs-present', () => {
  it('passes on an OpenAPI spec found by name', async () => {
    const report = await runCheck(check, { 'openapi.yaml': 'openapi: 3.1.0' }, service);
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('API spec openapi.yaml');
  });

  it('finds a spec by its openapi key in api/', async () => {
    const report = await runCheck(check, { 'api/v1.yaml': '# orders\nopenapi: "3.0.3"\ninfo: {}\n' }, service);
    expect(report.summary).toBe('API spec api/v1.yaml');
  });

  // Amended: an OpenAPI description served only at runtime (FastAPI's /docs) is not a committed API spec: `warn`.
  it('passes on protobuf contracts, and warns on a framework that only serves OpenAPI at runtime', async () => {
    expect((await runCheck(check, { 'proto/orders.proto': 'syntax = "proto3";' }, service)).summary).toContain(
      'gRPC/protobuf',
    );
    const fastapi = await runCheck(
      check,
      { 'requirements.txt': 'fastapi==0.110.0\n', 'app.py': 'app = FastAPI(docs_url="/docs")\n' },
      service,
    );
    expect(fastapi.outcome).toBe('warn');
    expect(fastapi.summary).toBe('"fastapi" serves an OpenAPI description at runtime, but no API spec is committed');
    const committed = await runCheck(
      check,
      { 'requirements.txt': 'fastapi==0.110.0\n', 'app.py': '', 'openapi.json': '{"openapi":"3.1.0"}' },
      service,
    );
    expect(committed.outcome).toBe('pass');
  });

  it('passes on a doc generator for a library', async () => {
    expect((await runCheck(check, { 'typedoc.json': '{}', 'package.json': '{"name":"x"}' }, library)).summary).toBe(
      'TypeDoc (typedoc.json)',
    );
    expect(
      (await runCheck(check, { 'docs/conf.py': 'project = "x"', 'pyproject.toml': '[project]\nname = "x"\n' }, library))
        .summary,
    ).toContain('Sphinx (docs/conf.py)');
    expect((await runCheck(check, { 'mkdocs.yml': 'site_name: x' }, library)).summary).toContain('MkDocs');
    expect((await runCheck(check, { 'docs/api.md': '# API' }, library)).summary).toBe('API reference docs/api.md');
  });

  it('counts godoc and rustdoc for Go and Rust libraries, not for services', async () => {
    const goLibrary = await runCheck(
      check,
      { 'go.mod': 'module example.com/x\n\ngo 1.22\n', 'x.go': 'package x' },
      library,
    );
    expect(goLibrary.outcome).toBe('pass');
    expect(goLibrary.summary).toContain('godoc');
    expect(
      (await runCheck(check, { 'Cargo.toml': '[package]\nname = "x"\n', 'src/lib.rs': '' }, library)).summary,
    ).toContain('rustdoc');
    expect((await runCheck(check, { 'go.mod': 'module example.com/x\n\ngo 1.22\n' }, service)).outcome).toBe('fail');
  });

  it('fails for a service without an API description, saying what it looked for', async () => {
    const report = await runCheck(
      check,
      {
        'package.json': '{"name":"svc","dependencies":{"express":"^4"}}',
        'node_modules/x/openapi.yaml': 'openapi: 3.0.0',
      },
      service,
    );
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('commit openapi.yaml');
  });

  it('does not crash on malformed or binary YAML in api/', async () => {
    const report = await runCheck(
      check,
      { 'api/spec.yaml': ': : [', 'api/blob.json': new Uint8Array([0, 1, 2]) },
      service,
    );
    expect(report.outcome).toBe('fail');
  });

  it('is not applicable to a CLI or a docs repository', async () => {
    const report = await runCheck(check, { 'README.md': '# x' }, { config: { profile: 'cli' } });
    expect(report.outcome).toBe('not-applicable');
    expect(report.summary).toContain('service and library profiles');
  });
});
