import { defineCheck, result } from '../../src/engine/define-check.js';
import { getWorkflows } from '../../src/parsers/workflows.js';
import { CI_NEEDS, findAnyCommand, passUnlessProblems, problemFindings } from '../lib/workflow-checks.js';

const LOOKED_FOR =
  'npm/pnpm/yarn publish, changesets, twine/poetry/uv publish, pypa/gh-action-pypi-publish, cargo publish, mvn deploy, gradle publish, dotnet nuget push, gem push, docker push or build-push-action with push, ko, goreleaser, semantic-release, release-please, gh release create, helm/kubectl/terraform/pulumi/cdk/serverless deploys, cloud deploy actions (Cloud Run, ECS, Azure Web Apps, Fly, Vercel, Netlify, Cloudflare, GitHub Pages, `mkdocs gh-deploy`, `mike deploy`), and jobs with a deployment `environment:`';

export default defineCheck({
  id: 'deployment-pipeline-present',
  category: 'ci',
  severity: 'medium',
  problemTitle: 'No pipeline releases or deploys the project',
  title: 'Deployment pipeline present',
  description:
    'A workflow releases or deploys: publishes a package (npm, PyPI, crates.io, Maven, NuGet, RubyGems), pushes a container image, runs goreleaser, semantic-release or release-please, or deploys with helm, kubectl, Terraform or a cloud deploy action (a job with a deployment `environment:` counts too).',
  rationale:
    'Releases made by hand from a laptop are slow, unrepeatable and depend on one person’s credentials. A pipeline builds what was reviewed, the same way every time, and leaves an audit trail.',
  remediation: [
    'Add a release workflow, e.g. `.github/workflows/release.yml`, that publishes on a tag:',
    '',
    '```yaml',
    'on:',
    '  push:',
    "    tags: ['v*']",
    'permissions:',
    '  contents: read',
    'jobs:',
    '  publish:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 15',
    '    environment: release',
    '    permissions:',
    '      id-token: write   # npm provenance / PyPI trusted publishing',
    '    steps:',
    '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    '      - run: npm ci && npm publish --provenance',
    '```',
  ].join('\n'),
  effort: 'hours',
  scope: 'repository',
  needs: { files: CI_NEEDS },
  evaluate({ repository }) {
    const model = getWorkflows(repository);
    const found = findAnyCommand(repository, 'deploy');
    if (found)
      return passUnlessProblems(`releases or deploys: \`${found.text}\` (${found.tool}) at ${found.where}`, model);
    for (const workflow of model.workflows) {
      const job = workflow.jobs.find((candidate) => candidate.environment?.value);
      if (job)
        return passUnlessProblems(
          `job \`${job.id}\` deploys to environment \`${job.environment!.value}\` (${workflow.path}:${job.environment!.line})`,
          model,
        );
    }
    return result.fail('No workflow releases or deploys', [
      { message: `no release or deploy step found; looked for ${LOOKED_FOR}` },
      ...problemFindings(model),
    ]);
  },
});
