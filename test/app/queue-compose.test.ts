/**
 * No Docker engine runs here: the shipped compose.yaml (web, worker, redis) is held to shipready's own compose parser
 * and container checks, and to what the scaled deployment needs (roles, one Redis, health-gated start).
 */
import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { containerChecks } from '../../checks/container/index.js';
import { configSchema } from '../../src/config/schema.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { parseComposeText } from '../../src/parsers/compose.js';
import { LocalSource } from '../../src/snapshot/local-source.js';

const root = join(import.meta.dirname, '..', '..');
const composeText = readFileSync(join(root, 'compose.yaml'), 'utf8');

interface Service {
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe('compose.yaml', () => {
  it("parses with shipready's compose parser: web, worker and redis, each with a health check", () => {
    const file = parseComposeText('compose.yaml', composeText);
    expect(file.ok).toBe(true);
    expect(file.services.map((service) => service.name).sort()).toEqual(['redis', 'web', 'worker']);
    for (const service of file.services) expect(service.healthcheck).toMatchObject({ disabled: false });
    for (const service of file.services) expect(service.limits).toBeDefined();
  });

  it("passes shipready's own container checks (compose services healthy, with the Dockerfile)", async () => {
    const directory = mkdtempSync(join(tmpdir(), 'shipready-compose-'));
    try {
      for (const file of ['compose.yaml', 'Dockerfile', '.dockerignore', 'package.json'])
        copyFileSync(join(root, file), join(directory, file));
      const report = await evaluateRepository({
        source: new LocalSource(directory),
        checks: containerChecks,
        config: configSchema.parse({ profile: 'service' }),
      });
      const outcome = report.checks.find((check) => check.id === 'compose-services-healthy');
      expect(outcome?.outcome).toBe('pass');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('runs web and worker roles on one Redis, started once Redis is healthy, probed on /ready', () => {
    const services = (parse(composeText) as { services: Record<string, Service> }).services;
    expect(services.web.environment).toMatchObject({ SHIPREADY_ROLE: 'web', REDIS_URL: 'redis://redis:6379' });
    expect(services.worker.environment).toMatchObject({ SHIPREADY_ROLE: 'worker', REDIS_URL: 'redis://redis:6379' });
    for (const name of ['web', 'worker']) {
      expect(services[name].depends_on?.redis).toEqual({ condition: 'service_healthy' });
      expect(services[name].healthcheck?.test.join(' ')).toContain('/ready');
    }
    expect(services.redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('names only variables that .env.example documents, and .env.example documents every queue variable', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    const services = (parse(composeText) as { services: Record<string, Service> }).services;
    for (const service of Object.values(services))
      for (const name of Object.keys(service.environment ?? {})) expect(documented).toContain(name);
    const sources = ['src/app/queue.ts', 'src/app/server.ts', 'src/app/settings.ts', 'src/app/locks.ts'];
    for (const path of sources) {
      const text = readFileSync(join(root, path), 'utf8');
      for (const match of text.matchAll(/env\.((?:SHIPREADY_|REDIS_)[A-Z0-9_]*)/g))
        expect(documented).toContain(match[1]);
    }
  });
});
