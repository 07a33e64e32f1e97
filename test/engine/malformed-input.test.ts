import { describe, expect, it } from '@jest/globals';
import { allChecks } from '../../checks/index.js';
import { runChecks } from '../helpers/run-check.js';

/** A repository where every file a check parses is broken in its own way. */
const brokenRepository = {
  'README.md': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
  'package.json': '{ "name": "broken", "dependencies": { "express": "^4" ',
  'pyproject.toml': '[project\nname = "x"\n',
  'Cargo.toml': '[package]\nname = \n',
  'go.mod': '\u0000\u0001\u0002',
  'tsconfig.json': '{ "compilerOptions": { "strict": true, } /* trailing comma and comment */',
  '.github/workflows/ci.yml': 'on: [pull_request\njobs:\n  test:\n    steps: - run: npm test\n',
  '.github/workflows/empty.yml': '',
  '.github/workflows/list.yml': '- just\n- a list\n',
  '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: [\n',
  '.github/CODEOWNERS': '\u0000binary',
  Dockerfile: 'FROM\nRUN <<EOF\necho never closed\nUSER\nHEALTHCHECK\nCOPY ["a", \n',
  'docker-compose.yml': 'services:\n  web:\n    image: [\n',
  'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nspec: *undefined_alias\n',
  '.pre-commit-config.yaml': ':\n::\n',
  'huge.js': `const data = "${'x'.repeat(3 * 1024 * 1024)}";\n`,
  'src/index.js': 'process.env.PORT\n',
  'link-to-nowhere': { content: '../../etc/passwd', kind: 'symlink' as const },
  'vendor/lib': { content: '', kind: 'submodule' as const },
};

describe('the whole catalog on malformed input', () => {
  it('gives every check an outcome and never an error', async () => {
    const report = await runChecks(allChecks, brokenRepository);
    expect(report.checks).toHaveLength(allChecks.length);
    const errors = report.checks
      .filter((check) => check.outcome === 'error')
      .map((check) => `${check.id}: ${check.summary}`);
    expect(errors).toEqual([]);
    expect(report.score).not.toBeNull();
  });

  it('says what is broken, with the file, in the checks that read it', async () => {
    const report = await runChecks(allChecks, brokenRepository);
    const findingsOf = (id: string) => report.checks.find((check) => check.id === id)!.findings;
    const mentions = (id: string, path: string) =>
      findingsOf(id).some((finding) => finding.path === path || finding.message.includes(path));
    expect(mentions('package-manifest-present', 'package.json')).toBe(true);
    expect(mentions('package-manifest-present', 'pyproject.toml')).toBe(true);
    expect(
      mentions('ci-workflow-present', '.github/workflows/ci.yml') ||
        mentions('workflow-permissions-restricted', '.github/workflows/ci.yml'),
    ).toBe(true);
    expect(mentions('dependency-update-tool-configured', '.github/dependabot.yml')).toBe(true);
    expect(mentions('compose-services-healthy', 'docker-compose.yml')).toBe(true);
    const readme = report.checks.find((check) => check.id === 'readme-present')!;
    expect(readme.outcome).toBe('warn');
    expect(readme.summary).toContain('binary');
  });
});
