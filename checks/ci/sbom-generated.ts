import { defineCheck, result } from '../../src/engine/define-check.js';
import { getWorkflows } from '../../src/parsers/workflows.js';
import { CI_NEEDS, findAnyCommand, passUnlessProblems, problemFindings } from '../lib/workflow-checks.js';

const GORELEASER = ['.goreleaser.yml', '.goreleaser.yaml', 'goreleaser.yml', 'goreleaser.yaml'];
const LOOKED_FOR =
  'anchore/sbom-action, syft, CycloneDX tools (cyclonedx-npm, cyclonedx-py, cyclonedx-gomod, cyclonedx-maven/gradle plugins, cdxgen), `docker buildx build --sbom`, docker/build-push-action `sbom: true`, trivy `--format cyclonedx|spdx`, npm sbom, microsoft/sbom-tool, actions/attest-sbom, goreleaser `sboms:`';

export default defineCheck({
  id: 'sbom-generated',
  category: 'ci',
  severity: 'low',
  problemTitle: 'No software bill of materials (SBOM) is generated',
  title: 'SBOM generated',
  description: `A workflow produces a software bill of materials: ${LOOKED_FOR}.`,
  rationale:
    'An SBOM lists exactly what a release contains. When the next Log4Shell lands, it answers "are we affected, and where?" in minutes, and customers increasingly require one.',
  remediation: [
    'Generate an SBOM in the release workflow, e.g. in `.github/workflows/release.yml`:',
    '',
    '```yaml',
    '      - uses: anchore/sbom-action@f325610c9f50a54015d37c8d16cb3b0e2c8f4de0 # v0.18.0',
    '        with:',
    '          format: spdx-json',
    '          output-file: sbom.spdx.json',
    '```',
  ].join('\n'),
  effort: 'minutes',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'repository',
  needs: { files: [...CI_NEEDS, ...GORELEASER] },
  evaluate({ repository }) {
    const model = getWorkflows(repository);
    const found = findAnyCommand(repository, 'sbom');
    if (found)
      return passUnlessProblems(
        `a workflow produces an SBOM: \`${found.text}\` (${found.tool}) at ${found.where}`,
        model,
      );
    for (const path of GORELEASER) {
      const text = repository.text(path);
      const index = text?.split(/\r?\n/).findIndex((line) => /^sboms\s*:/.test(line)) ?? -1;
      if (index >= 0) return passUnlessProblems(`goreleaser generates SBOMs (${path}:${index + 1})`, model);
    }
    return result.fail('No SBOM generation found', [
      { message: `no workflow produces an SBOM; looked for ${LOOKED_FOR}` },
      ...problemFindings(model),
    ]);
  },
});
