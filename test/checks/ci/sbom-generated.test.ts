import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/ci/sbom-generated.js';
import { runCheck } from '../../helpers/run-check.js';

const pkg = JSON.stringify({ name: 'app' });
const workflow = (steps: string) => `on: release\njobs:\n  sbom:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

describe('sbom-generated', () => {
  it('passes with anchore/sbom-action', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/release.yml': workflow('      - uses: anchore/sbom-action@v0\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.github/workflows/release.yml:6');
  });

  it.each([
    '      - run: syft . -o spdx-json=sbom.json\n',
    '      - run: npx @cyclonedx/cyclonedx-npm --output-file sbom.json\n',
    '      - run: docker buildx build --sbom=true -t app .\n',
    '      - uses: docker/build-push-action@v6\n        with:\n          sbom: true\n',
  ])('recognises %s', async (steps) => {
    const report = await runCheck(check, { 'package.json': pkg, '.github/workflows/release.yml': workflow(steps) });
    expect(report.outcome).toBe('pass');
  });

  it('passes with goreleaser sboms', async () => {
    const report = await runCheck(check, {
      'go.mod': 'module x\n',
      '.goreleaser.yaml': 'version: 2\nsboms:\n  - artifacts: archive\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.goreleaser.yaml:2');
  });

  it('fails without SBOM generation', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow('      - run: npm test\n'),
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('syft');
  });

  it('is not applicable to documentation repositories', async () => {
    const report = await runCheck(check, { 'README.md': '# docs\n' }, { config: { profile: 'docs' } });
    expect(report.outcome).toBe('not-applicable');
  });

  it('reports malformed workflows as findings', async () => {
    const report = await runCheck(check, { 'package.json': pkg, '.github/workflows/a.yml': 'on: [push\n' });
    expect(report.findings.some((finding) => finding.path === '.github/workflows/a.yml')).toBe(true);
  });
});
