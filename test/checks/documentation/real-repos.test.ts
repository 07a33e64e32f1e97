import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { documentationChecks } from '../../../checks/documentation/index.js';
import { configSchema } from '../../../src/config/schema.js';
import { evaluateRepository } from '../../../src/engine/runner.js';
import { LocalSource } from '../../../src/snapshot/local-source.js';
import type { Report } from '../../../src/report/types.js';

/** Fixtures copied from public repositories (see each SOURCE.md). */
const scan = (name: string, profile?: 'library' | 'service') =>
  evaluateRepository({
    source: new LocalSource(join(import.meta.dirname, '..', '..', 'fixtures', 'repos', name)),
    checks: documentationChecks,
    config: configSchema.parse(profile ? { profile } : {}),
  });
const byId = (report: Report, id: string) => report.checks.find((check) => check.id === id)!;

describe('documentation on real repositories', () => {
  it('pallets/flask: a usage example but no install instructions; docs/design.rst; Sphinx when scanned as a library', async () => {
    const report = await scan('foundations-flask');
    const quickstart = byId(report, 'readme-has-quickstart');
    expect(quickstart).toMatchObject({
      outcome: 'fail',
      summary: 'README.md lacks a quick start: no install/setup section',
    });
    expect(quickstart.score).toBeCloseTo(2 / 3);
    expect(byId(report, 'architecture-docs-present').summary).toBe('design docs: docs/design.rst');
    // pyproject.toml declares [project.scripts], so the detected profile is cli and API docs do not apply.
    expect(report.profile).toBe('cli');
    expect(byId(report, 'api-docs-present').outcome).toBe('not-applicable');
    const asLibrary = await scan('foundations-flask', 'library');
    expect(byId(asLibrary, 'api-docs-present').summary).toContain('Sphinx (docs/conf.py)');
  });

  it('psf/requests: the example before any heading counts as usage, "Installation" as setup', async () => {
    // The fixture holds only requests' documents (a docs repository to detection); the real repository is a library.
    const report = await scan('foundations-requests', 'library');
    expect(byId(report, 'readme-has-quickstart')).toMatchObject({
      outcome: 'pass',
      summary: 'README.md: setup "Installation" (line 71), usage a code example (line 18), 2 code blocks',
    });
  });

  it('expressjs/express: Installation and Quick Start; a library without API docs in the repository', async () => {
    const report = await scan('foundations-express');
    expect(byId(report, 'readme-has-quickstart').summary).toBe(
      'Readme.md: setup "Installation" (line 40), usage "Quick Start" (line 79), 11 code blocks',
    );
    expect(report.profile).toBe('library');
    expect(byId(report, 'api-docs-present').outcome).toBe('fail');
    expect(byId(report, 'architecture-docs-present').outcome).toBe('fail');
    expect(byId(report, 'runbook-present').outcome).toBe('not-applicable');
  });

  it('spf13/cobra: indented code blocks under Usage/Installing; godoc counts for a Go library', async () => {
    const report = await scan('foundations-cobra');
    expect(byId(report, 'readme-has-quickstart').summary).toBe(
      'README.md: setup "Installing" (line 39), usage "Usage" (line 31), 4 code blocks',
    );
    expect(byId(report, 'api-docs-present')).toMatchObject({
      outcome: 'pass',
      summary: 'godoc (pkg.go.dev renders it): doc comments on exported items are the API reference',
    });
  });

  it('tokio-rs/tokio: a Cargo.toml snippet stands for the install section; rustdoc counts for a Rust library', async () => {
    const report = await scan('docs-tokio');
    expect(byId(report, 'readme-has-quickstart')).toMatchObject({
      outcome: 'pass',
      summary: 'README.md: setup an install snippet (line 57), usage "Example" (line 51), 2 code blocks',
    });
    expect(byId(report, 'api-docs-present').summary).toContain('rustdoc (docs.rs builds it)');
  });
});
