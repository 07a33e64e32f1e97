import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/operations/health-endpoint-present.js';
import { runCheck } from '../../helpers/run-check.js';

const service = { config: { profile: 'service' as const } };
const healthRoute =
  "import express from 'express';\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\n";

describe('health-endpoint-present: which files are the service (src/engine/file-classes.ts)', () => {
  it.each([
    ['a test playground (vite: playground/ssr/server.js)', 'playground/ssr/server.js'],
    ['a scaffolding template', 'templates/express/server.js'],
    ['a sample app', 'samples/basic/server.js'],
    ['committed build output', 'dist/server.js'],
    ['a __tests__ fixture', 'src/__tests__/fixtures/app/server.js'],
  ])('does not take a route in %s for the service’s own', async (_what, path) => {
    const report = await runCheck(
      check,
      { [path]: healthRoute, 'src/server.js': 'export const port = 3000;\n' },
      service,
    );
    expect(report.outcome).toBe('fail');
  });

  it('still finds the route in the service’s own entry file', async () => {
    const report = await runCheck(check, { 'src/server.js': healthRoute, 'test/server.test.js': healthRoute }, service);
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('/health in src/server.js:3');
  });
});
