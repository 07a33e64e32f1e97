import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/ci/deployment-pipeline-present.js';
import { runCheck } from '../../helpers/run-check.js';

const pkg = JSON.stringify({ name: 'lib', version: '1.0.0' });
const workflow = (steps: string, jobExtra = '') =>
  `on:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    runs-on: ubuntu-latest\n${jobExtra}    steps:\n${steps}`;

describe('deployment-pipeline-present', () => {
  it('passes with npm publish in a release workflow', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/release.yml': workflow('      - run: npm ci\n      - run: npm publish --provenance\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.github/workflows/release.yml:9');
  });

  it.each([
    ['      - uses: pypa/gh-action-pypi-publish@release/v1\n'],
    ['      - uses: docker/build-push-action@v6\n        with:\n          push: true\n'],
    ['      - uses: goreleaser/goreleaser-action@v6\n'],
    ['      - run: npx semantic-release\n'],
    ['      - run: helm upgrade --install app ./chart\n'],
  ])('recognises %s', async (steps) => {
    const report = await runCheck(check, { 'package.json': pkg, '.github/workflows/release.yml': workflow(steps) });
    expect(report.outcome).toBe('pass');
  });

  it('counts a job with a deployment environment', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/deploy.yml': workflow('      - run: ./deploy.sh\n', '    environment: production\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('production');
  });

  it('does not count a build that does not push', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/ci.yml': workflow(
        '      - uses: docker/build-push-action@v6\n        with:\n          push: false\n',
      ),
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain('goreleaser');
  });

  // The amended catalog: a docs repository's pipeline is the one that builds or publishes its site.
  it('applies to documentation repositories and counts a site deploy', async () => {
    const bare = await runCheck(check, { 'README.md': '# docs\n' }, { config: { profile: 'docs' } });
    expect(bare.outcome).toBe('fail');
    const pages = await runCheck(
      check,
      {
        'README.md': '# docs\n',
        '.github/workflows/pages.yml':
          'on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: x\n    steps:\n      - uses: actions/deploy-pages@v4\n',
      },
      { config: { profile: 'docs' } },
    );
    expect(pages.outcome).toBe('pass');
  });

  it('reports malformed workflows as findings', async () => {
    const report = await runCheck(check, {
      'package.json': pkg,
      '.github/workflows/release.yml': 'on: push\njobs: [\n',
    });
    expect(report.outcome).toBe('fail');
    expect(
      report.findings.some(
        (finding) => finding.path === '.github/workflows/release.yml' && typeof finding.line === 'number',
      ),
    ).toBe(true);
  });
});
