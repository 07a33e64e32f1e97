import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/foundations/changelog-present.js';
import { runCheck } from '../../helpers/run-check.js';

describe('changelog-present', () => {
  it('passes on the usual file names', async () => {
    expect((await runCheck(check, { 'CHANGELOG.md': '# Changelog' })).summary).toBe('CHANGELOG.md');
    expect((await runCheck(check, { 'CHANGES.rst': 'x' })).outcome).toBe('pass');
    expect((await runCheck(check, { 'HISTORY.md': 'x' })).outcome).toBe('pass');
    expect((await runCheck(check, { NEWS: 'x' })).outcome).toBe('pass');
    expect((await runCheck(check, { 'docs/changelog.rst': 'x' })).outcome).toBe('pass');
    expect((await runCheck(check, { 'doc/release-notes/v1.0.md': 'x' })).summary).toBe('doc/release-notes/');
  });

  it('passes on changesets, release-please and semantic-release in package.json', async () => {
    expect((await runCheck(check, { '.changeset/config.json': '{}' })).summary).toBe(
      'Release notes automated by changesets (.changeset/config.json)',
    );
    expect((await runCheck(check, { 'release-please-config.json': '{}' })).summary).toContain('release-please');
    const pkg = await runCheck(check, {
      'package.json': JSON.stringify({ name: 'x', release: { branches: ['main'] } }),
    });
    expect(pkg.summary).toContain('semantic-release (package.json "release")');
  });

  it('passes on a release workflow, release-drafter and GitHub generated notes', async () => {
    const workflow =
      'on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: googleapis/release-please-action@v4\n';
    expect((await runCheck(check, { '.github/workflows/release.yml': workflow })).summary).toContain(
      'release-please (.github/workflows/release.yml)',
    );
    expect((await runCheck(check, { '.github/release-drafter.yml': 'template: x' })).summary).toContain(
      'release-drafter',
    );
    expect((await runCheck(check, { '.github/release.yml': 'changelog: {}' })).summary).toContain(
      "GitHub's generated release notes",
    );
  });

  it('counts goreleaser unless its changelog is disabled', async () => {
    expect((await runCheck(check, { '.goreleaser.yaml': 'version: 2\nbuilds: [{}]\n' })).summary).toContain(
      'goreleaser changelog (.goreleaser.yaml)',
    );
    const disabled = await runCheck(check, { '.goreleaser.yml': 'changelog:\n  disable: true\n' });
    expect(disabled.outcome).toBe('fail');
    expect(disabled.findings[0]).toMatchObject({
      path: '.goreleaser.yml',
      message: expect.stringContaining('disables its changelog'),
    });
  });

  it('passes on towncrier in pyproject.toml and on per-package changelogs', async () => {
    expect(
      (await runCheck(check, { 'pyproject.toml': '[project]\nname = "x"\n[tool.towncrier]\ndirectory = "changes"\n' }))
        .summary,
    ).toContain('towncrier');
    expect(
      (await runCheck(check, { 'packages/a/CHANGELOG.md': 'x', 'packages/b/CHANGELOG.md': 'x' })).summary,
    ).toContain('2 per-package changelogs');
  });

  it('fails without a changelog, saying what it looked for', async () => {
    const report = await runCheck(check, { 'README.md': '# x', 'node_modules/dep/CHANGELOG.md': 'vendored' });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain(
      'changesets, release-please, semantic-release, release-drafter, goreleaser',
    );
  });

  it('does not crash on malformed goreleaser YAML, package.json or workflows', async () => {
    const report = await runCheck(check, {
      '.goreleaser.yml': 'changelog: [\n',
      'package.json': '{',
      '.github/workflows/x.yml': new Uint8Array([0, 1]),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('goreleaser');
  });

  it('is not applicable when turned off', async () => {
    expect((await runCheck(check, {}, { config: { checks: { 'changelog-present': 'off' } } })).outcome).toBe(
      'not-applicable',
    );
  });
});
