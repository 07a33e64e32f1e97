import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/documentation/architecture-docs-present.js';
import { runCheck as runAnyCheck, type RepoFiles, type RunOptions } from '../../helpers/run-check.js';

// These fixtures hold only documents, which is a docs repository, where this check does not apply (CATALOG, docs
// profile): judge them as the library they stand for.
const runCheck = (definition: typeof check, files: RepoFiles, options: RunOptions = {}) =>
  runAnyCheck(definition, files, { ...options, config: { profile: 'library', ...options.config } });

describe('architecture-docs-present', () => {
  it('passes with ARCHITECTURE.md', async () => {
    const report = await runCheck(check, { 'ARCHITECTURE.md': '# Architecture' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('architecture document: ARCHITECTURE.md');
  });

  it('passes with decision records and docs/architecture pages', async () => {
    const report = await runCheck(check, {
      'docs/adr/0001-record-decisions.md': 'x',
      'docs/adr/0002-use-postgres.md': 'x',
      'docs/adr/0003-queue.md': 'x',
    });
    expect(report.summary).toBe(
      'architecture decision records: docs/adr/0001-record-decisions.md, docs/adr/0002-use-postgres.md (+1 more)',
    );
    expect((await runCheck(check, { 'docs/architecture-overview.md': 'x' })).outcome).toBe('pass');
    expect((await runCheck(check, { 'doc/decisions/0001.md': 'x' })).outcome).toBe('pass');
    expect((await runCheck(check, { '.adr-dir': 'doc/arch' })).outcome).toBe('pass');
  });

  it('passes with design docs and diagrams as code', async () => {
    expect((await runCheck(check, { 'docs/design/storage.md': 'x' })).summary).toContain('design docs');
    expect((await runCheck(check, { 'rfcs/0001-plugins.md': 'x' })).outcome).toBe('pass');
    expect((await runCheck(check, { 'docs/diagrams/architecture.puml': '@startuml' })).summary).toContain('diagrams');
    expect(
      (await runCheck(check, { 'docs/img/architecture-overview.png': new Uint8Array([0x89, 0x50]) })).outcome,
    ).toBe('pass');
    expect((await runCheck(check, { 'src/assets/architecture.png': new Uint8Array([0x89, 0x50]) })).outcome).toBe(
      'fail',
    );
  });

  it('fails without any, ignoring vendored and source folders', async () => {
    const report = await runCheck(check, {
      'README.md': '# x',
      'node_modules/pkg/ARCHITECTURE.md': 'x',
      'src/design/tokens.ts': 'x',
      'docs/guide.md': 'x',
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('looked for ARCHITECTURE.md');
  });

  it('is not applicable when turned off', async () => {
    expect((await runCheck(check, {}, { config: { checks: { 'architecture-docs-present': 'off' } } })).outcome).toBe(
      'not-applicable',
    );
  });
});

describe('architecture-docs-present: a single decision log', () => {
  it.each(['docs/decisions.md', 'DECISIONS.md', 'docs/decision-log.md', 'doc/adr.md'])('counts %s', async (path) => {
    const report = await runCheck(check, { 'README.md': '# x\n', [path]: '# Decisions\n\n## 2024-01: use Postgres\n' });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe(`architecture decision records: ${path}`);
  });
});
