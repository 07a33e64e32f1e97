import { describe, expect, it } from '@jest/globals';
import { parseComposeText } from '../../src/parsers/compose.js';

// The shape of many compose files: shared settings in an `x-` extension merged with `<<:`, services that build from
// a sub-directory, one that extends another, and a disabled health check.
const COMPOSE = `x-common: &common
  restart: unless-stopped
  healthcheck:
    test: ["CMD", "curl", "-f", "http://localhost:8080/healthz"]
  deploy:
    resources:
      limits: {memory: 512M}

services:
  api:
    <<: *common
    build:
      context: ./api
      dockerfile: docker/Dockerfile.prod
      target: runtime
  worker:
    extends: api
    healthcheck:
      disable: true
  db:
    image: postgres:16
    mem_limit: 1g
`;

describe('parseComposeText', () => {
  it('reads services through merge keys, with lines', () => {
    const file = parseComposeText('deploy/compose.yaml', COMPOSE);
    expect(file.ok).toBe(true);
    expect(file.directory).toBe('deploy');
    expect(file.services).toEqual([
      {
        name: 'api',
        file: 'deploy/compose.yaml',
        line: 10,
        build: { line: 12, context: 'deploy/api', dockerfile: 'deploy/api/docker/Dockerfile.prod', target: 'runtime' },
        healthcheck: { line: 10, disabled: false },
        limits: { line: 7, how: 'deploy.resources.limits' },
      },
      {
        name: 'worker',
        file: 'deploy/compose.yaml',
        line: 16,
        extends: 'api',
        healthcheck: { line: 18, disabled: true },
      },
      {
        name: 'db',
        file: 'deploy/compose.yaml',
        line: 20,
        image: 'postgres:16',
        limits: { line: 22, how: 'mem_limit' },
      },
    ]);
  });

  it('returns the first YAML error with its line instead of throwing', () => {
    const file = parseComposeText('compose.yaml', 'services:\n  api:\n    image: [unclosed\n');
    expect(file.ok).toBe(false);
    expect(file.errorLine).toBeGreaterThanOrEqual(3);
    expect(file.services).toEqual([]);
  });
});
