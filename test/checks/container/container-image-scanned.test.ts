import { describe, expect, it } from '@jest/globals';
import check from '../../../checks/container/container-image-scanned.js';
import { runCheck } from '../../helpers/run-check.js';

const dockerfile = { Dockerfile: 'FROM node:22-slim\nUSER node\n' };
const workflow = (steps: string) =>
  [
    'name: docker',
    'on: [push, pull_request]',
    'jobs:',
    '  image:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    steps,
  ].join('\n');

describe('container-image-scanned', () => {
  it('passes with trivy-action (scan-type defaults to image) and says where', async () => {
    const report = await runCheck(check, {
      ...dockerfile,
      '.github/workflows/docker.yml': workflow(
        '      - run: docker build -t app:ci .\n      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          image-ref: app:ci\n',
      ),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe('Image scanned by trivy-action (.github/workflows/docker.yml:9)');
  });

  it.each([
    [
      'trivy image',
      '      - run: |\n          docker build -t app .\n          trivy image --exit-code 1 app\n',
      'trivy image',
      10,
    ],
    ['grype', '      - run: grype app:latest --fail-on high\n', 'grype', 8],
    [
      'trivy from its own image, across a continued line',
      '      - run: |\n          docker run --rm -v /var/run/docker.sock:/var/run/docker.sock aquasec/trivy:0.58.1 \\\n            image --exit-code 1 app:ci\n',
      'trivy image',
      9,
    ],
    ['docker scout', '      - run: docker scout cves app:ci\n', 'docker scout', 8],
    ['snyk container', '      - run: snyk container test app:ci\n', 'snyk container', 8],
    [
      'anchore/scan-action',
      '      - uses: anchore/scan-action@v6\n        with:\n          image: app:ci\n',
      'anchore/scan-action',
      8,
    ],
    [
      'docker/scout-action',
      '      - uses: docker/scout-action@v1\n        with: { command: cves }\n',
      'docker/scout-action',
      8,
    ],
  ])('recognises %s', async (_name, steps, tool, line) => {
    const report = await runCheck(check, { ...dockerfile, '.github/workflows/ci.yml': workflow(steps) });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toBe(`Image scanned by ${tool} (.github/workflows/ci.yml:${line})`);
  });

  it('fails when CI only scans the source tree, and says so', async () => {
    const report = await runCheck(check, {
      ...dockerfile,
      '.github/workflows/ci.yml': workflow(
        '      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          scan-type: fs\n      - run: grype dir:.\n',
      ),
    });
    expect(report.outcome).toBe('fail');
    expect(report.findings.slice(1)).toEqual([
      {
        message:
          '.github/workflows/ci.yml: trivy-action with scan-type: fs on line 8 scans the source tree, not the built image',
        path: '.github/workflows/ci.yml',
        line: 8,
      },
      expect.objectContaining({ path: '.github/workflows/ci.yml', line: 11 }),
    ]);
  });

  it('fails without any CI scan and lists what was looked for', async () => {
    const report = await runCheck(check, dockerfile);
    expect(report.outcome).toBe('fail');
    expect(report.findings[0].message).toContain(
      'looked for trivy image/trivy-action, grype/anchore scan-action, docker scout, snyk container',
    );
  });

  it('warns when every scan has continue-on-error: true', async () => {
    const report = await runCheck(check, {
      ...dockerfile,
      '.github/workflows/ci.yml': workflow('      - run: trivy image app\n        continue-on-error: true\n'),
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: '.github/workflows/ci.yml', line: 8 });
  });

  it('reads GitLab CI templates too', async () => {
    const report = await runCheck(check, {
      ...dockerfile,
      '.gitlab-ci.yml': 'include:\n  - template: Jobs/Container-Scanning.gitlab-ci.yml\n',
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('.gitlab-ci.yml:2');
  });

  it('warns, rather than fails, when a job calls a reusable workflow of another repository', async () => {
    const report = await runCheck(check, {
      ...dockerfile,
      '.github/workflows/release.yml':
        'on: push\njobs:\n  image:\n    uses: acme/shared-workflows/.github/workflows/docker.yml@v3\n',
    });
    expect(report.outcome).toBe('warn');
    expect(report.findings[0]).toMatchObject({ path: '.github/workflows/release.yml', line: 4 });
  });

  it('is not applicable without a Dockerfile', async () => {
    expect(
      (await runCheck(check, { '.github/workflows/ci.yml': workflow('      - run: trivy image x\n') })).outcome,
    ).toBe('not-applicable');
  });

  it('reports a malformed workflow as a finding, without crashing', async () => {
    const report = await runCheck(check, { ...dockerfile, '.github/workflows/ci.yml': 'on: [push\njobs: {' });
    expect(report.outcome).toBe('fail');
    expect(
      report.findings.some(
        (finding) => finding.path === '.github/workflows/ci.yml' && finding.message.startsWith('workflow not read'),
      ),
    ).toBe(true);
  });
});
