import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { allChecks } from '../../checks/index.js';
import { evaluateRepository } from '../../src/engine/runner.js';
import { isSecurityRelevant, renderSarif } from '../../src/report/render-sarif.js';
import type { CheckReport, Report } from '../../src/report/types.js';
import { LocalSource } from '../../src/snapshot/local-source.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';
import { TOOL_LINKS } from '../../src/version.js';
import { githubIngestionErrors, sarifSchemaErrors } from './sarif-schema.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  message: { text: string };
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } };
  }>;
  partialFingerprints: Record<string, string>;
  suppressions?: unknown[];
}
interface SarifRule {
  id: string;
  helpUri?: string;
  fullDescription: { text: string };
  properties: { 'security-severity'?: string; tags: string[] };
}
interface SarifLog {
  runs: Array<{
    tool: { driver: { informationUri?: string; rules: SarifRule[] } };
    results: SarifResult[];
    versionControlProvenance?: unknown;
  }>;
}

const entry = (overrides: Partial<CheckReport>): CheckReport => ({
  id: 'x',
  category: 'foundations',
  severity: 'medium',
  title: 'X',
  description: 'X is there.',
  outcome: 'fail',
  score: 0,
  summary: 'no X',
  findings: [],
  remediation: 'Add `X`.',
  docs: 'checks/foundations/x.md',
  effort: 'minutes',
  ...overrides,
});

function reportOf(checks: CheckReport[], extra: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'shipready', version: '1.2.3' },
    target: { source: 'local', path: '/tmp/somewhere' },
    profile: 'service',
    profileReason: 'a Dockerfile',
    ecosystems: ['node'],
    score: 40,
    rating: 'poor',
    verdict: 'not-ready',
    coverage: { scored: checks.length, total: checks.length },
    categories: [],
    checks,
    frontFile: 'README.md',
    warnings: [],
    ...extra,
  };
}

const checks: CheckReport[] = [
  entry({
    id: 'readme-present',
    severity: 'high',
    title: 'README present',
    description: 'A README at the root says what the project is.',
    outcome: 'warn',
    score: 0.5,
    summary: 'README.md is short',
    findings: [{ message: 'README.md has 12 words', path: 'README.md' }],
    docs: 'checks/foundations/readme-present.md',
  }),
  entry({
    id: 'codeowners-present',
    title: 'CODEOWNERS present',
    description: 'A CODEOWNERS file names who reviews what.',
    summary: 'No CODEOWNERS file',
    docs: 'checks/foundations/codeowners-present.md',
  }),
  entry({
    id: 'secret-scanning-enabled',
    category: 'security',
    severity: 'high',
    title: 'Secret scanning enabled',
    description: 'Secret scanning is on.',
    summary: 'secret scanning is off',
    findings: [{ message: 'turn it on in Settings → Code security' }],
    docs: 'checks/security/secret-scanning-enabled.md',
  }),
  entry({
    id: 'workflow-actions-pinned',
    category: 'workflows',
    severity: 'high',
    title: 'Actions pinned',
    description: 'Every action is pinned to a commit.',
    summary: '2 unpinned actions',
    findings: [
      { message: 'actions/checkout@v4 is not pinned', path: '.github/workflows/ci.yml', line: 12, lineKey: 'k12' },
      { message: 'foo/bar@main is not pinned', path: '.github/workflows/ci.yml', line: 20, lineKey: 'k20' },
      {
        message: 'baz/qux@main is not pinned',
        path: '.github/workflows/my \u001b[31mci\r.yml',
        line: 3,
        lineKey: 'k3',
        suppressed: { reason: 'internal' },
      },
    ],
    docs: 'checks/workflows/workflow-actions-pinned.md',
  }),
  entry({
    id: 'dockerfile-free-of-secrets',
    category: 'container',
    severity: 'critical',
    title: 'No secrets in images',
    summary: 'a secret is baked in',
    findings: [{ message: 'ENV STRIPE_KEY', path: 'Dockerfile', line: 4, lineKey: 'kd' }],
    docs: 'checks/container/dockerfile-free-of-secrets.md',
  }),
  entry({
    id: 'dockerfile-healthcheck',
    category: 'container',
    title: 'Dockerfile has a HEALTHCHECK',
    summary: 'no HEALTHCHECK',
    findings: [{ message: 'Dockerfile has no HEALTHCHECK', path: 'Dockerfile' }],
    docs: 'checks/container/dockerfile-healthcheck.md',
  }),
  entry({ id: 'license-present', outcome: 'pass', score: 1, summary: 'MIT', docs: 'checks/foundations/license.md' }),
];
const report = reportOf(checks, {
  projects: [
    {
      path: 'packages/api',
      ecosystems: ['node'],
      manifests: ['packages/api/package.json'],
      checks: [
        entry({
          id: 'lockfile-committed',
          category: 'configuration',
          title: 'Lockfile committed',
          summary: 'no lockfile',
          docs: 'checks/configuration/lockfile-committed.md',
        }),
      ],
    },
  ],
});
/** The definition, stated apart from the renderer's: security and workflow rules, and container secrets. */
const isSecurityRule = (rule: { id: string; properties?: Record<string, unknown> }) =>
  rule.properties?.category === 'security' ||
  rule.properties?.category === 'workflows' ||
  rule.id === 'dockerfile-free-of-secrets';
const parse = (value: Report): SarifLog => JSON.parse(renderSarif(value)) as SarifLog;
const sarif = parse(report);
const results = sarif.runs[0].results;
const rules = sarif.runs[0].tool.driver.rules;
const ruleOf = (id: string) => rules.find((rule) => rule.id === id)!;
const resultsOf = (id: string) => results.filter((result) => result.ruleId === id);

describe('SARIF: schema and GitHub ingestion', () => {
  it('is valid against the SARIF 2.1.0 JSON schema', () => {
    expect(sarifSchemaErrors(sarif)).toEqual([]);
  });
  it('the validator does reject an invalid log (it is not vacuous)', () => {
    expect(sarifSchemaErrors({ version: '2.0.0', runs: [{ results: [] }] })).not.toEqual([]);
    expect(githubIngestionErrors({ runs: [{ tool: { driver: {} }, results: [{ ruleId: 'r' }] }] }, () => true)).toEqual(
      ['result 0 (r): no location'],
    );
  });
  it('meets GitHub code scanning ingestion rules: every result located, relative URI, startLine ≥ 1', () => {
    expect(githubIngestionErrors(sarif, isSecurityRule)).toEqual([]);
    for (const result of results) {
      expect(result.locations.length).toBeGreaterThanOrEqual(1);
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      expect(artifactLocation.uri).not.toMatch(/^([a-z]+:|\/)/i);
      expect(region.startLine).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('SARIF: locations of findings without a line or a file', () => {
  it('shows a repository-level finding on the front file at line 1 and says it is repository-wide', () => {
    const [codeowners] = resultsOf('codeowners-present');
    expect(codeowners.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'README.md', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1 },
    });
    expect(codeowners.message.text).toBe(
      'No CODEOWNERS file (repository-wide finding (no single file), shown on README.md)',
    );
    const [setting] = resultsOf('secret-scanning-enabled');
    expect(setting.locations[0].physicalLocation.artifactLocation.uri).toBe('README.md');
    expect(setting.message.text).toContain('repository-wide');
  });
  it('uses the first top-level file the report names when there is no README', () => {
    const [codeowners] = parse({ ...report, frontFile: 'pyproject.toml' }).runs[0].results.filter(
      (result) => result.ruleId === 'codeowners-present',
    );
    expect(codeowners.locations[0].physicalLocation.artifactLocation.uri).toBe('pyproject.toml');
    expect(codeowners.message.text).toContain('shown on pyproject.toml');
  });
  it('shows a project-level finding without a file on the project manifest', () => {
    const [lockfile] = resultsOf('lockfile-committed');
    expect(lockfile.locations[0].physicalLocation.artifactLocation.uri).toBe('packages/api/package.json');
    expect(lockfile.message.text).toContain('project packages/api');
  });
  it('shows a file-level finding on line 1 of its file', () => {
    const [healthcheck] = resultsOf('dockerfile-healthcheck');
    expect(healthcheck.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1 },
    });
    expect(healthcheck.message.text).not.toContain('repository-wide');
  });
  it('percent-encodes file names into relative URI references (spaces, escapes, carriage returns)', () => {
    const uris = resultsOf('workflow-actions-pinned').map(
      (result) => result.locations[0].physicalLocation.artifactLocation.uri,
    );
    expect(uris[2]).toBe('.github/workflows/my%20%1B%5B31mci%0D.yml');
    expect(resultsOf('workflow-actions-pinned')[2].suppressions).toEqual([
      { kind: 'inSource', justification: 'internal' },
    ]);
  });
  it('keeps ruleIndex pointing at the result rule', () => {
    for (const result of results) expect(rules[result.ruleIndex].id).toBe(result.ruleId);
  });
});

describe('SARIF: rules', () => {
  it('puts security-severity and the security tag only on security-relevant rules', () => {
    expect(ruleOf('secret-scanning-enabled').properties['security-severity']).toBe('8.0');
    expect(ruleOf('workflow-actions-pinned').properties['security-severity']).toBe('8.0');
    expect(ruleOf('dockerfile-free-of-secrets').properties['security-severity']).toBe('9.5');
    expect(ruleOf('dockerfile-free-of-secrets').properties.tags).toContain('security');
    for (const id of ['readme-present', 'codeowners-present', 'dockerfile-healthcheck', 'lockfile-committed']) {
      expect(ruleOf(id).properties['security-severity']).toBeUndefined();
      expect(ruleOf(id).properties.tags).not.toContain('security');
    }
  });
  it('decides security relevance from the category the report carries', () => {
    expect(isSecurityRelevant({ id: 'anything', category: 'security' })).toBe(true);
    expect(isSecurityRelevant({ id: 'workflow-jobs-have-timeouts', category: 'workflows' })).toBe(true);
    expect(isSecurityRelevant({ id: 'dockerfile-runs-as-non-root', category: 'container' })).toBe(false);
    expect(isSecurityRelevant({ id: 'readme-present', category: 'foundations' })).toBe(false);
  });
  it('takes helpUri and informationUri from package.json links, never a guessed URL', () => {
    expect(TOOL_LINKS.docsBaseUrl).toBeDefined();
    expect(ruleOf('readme-present').helpUri).toBe(`${TOOL_LINKS.docsBaseUrl}checks/foundations/readme-present.md`);
    expect(sarif.runs[0].tool.driver.informationUri).toBe(TOOL_LINKS.homepage);
  });
  it("uses the check's description as fullDescription", () => {
    expect(ruleOf('readme-present').fullDescription.text).toBe('A README at the root says what the project is.');
    expect(ruleOf('workflow-actions-pinned').fullDescription.text).toBe('Every action is pinned to a commit.');
  });
  it('names no repository URL for a local scan without a repository', () => {
    expect(
      parse({ ...report, target: { source: 'local', path: '/x', sha: 'a'.repeat(40) } }).runs[0],
    ).not.toHaveProperty('versionControlProvenance');
  });
});

describe('SARIF: fingerprints', () => {
  const fingerprints = (value: Report) =>
    parse(value).runs[0].results.map((result) => `${result.ruleId} ${result.partialFingerprints['shipready/v2']}`);
  const reworded = (check: CheckReport): CheckReport => ({
    ...check,
    summary: `${check.summary}, reworded`,
    findings: check.findings.map((finding) => ({ ...finding, message: `Reworded: ${finding.message}` })),
  });

  it('do not change when every message and summary is reworded', () => {
    const rewordedReport: Report = {
      ...report,
      checks: report.checks.map(reworded),
      projects: report.projects!.map((project) => ({ ...project, checks: project.checks.map(reworded) })),
    };
    expect(fingerprints(rewordedReport)).toEqual(fingerprints(report));
  });
  it('follow the line text when the line moves, and differ between lines, files and checks', () => {
    const moved = reportOf(
      checks.map((check) =>
        check.id === 'workflow-actions-pinned'
          ? { ...check, findings: check.findings.map((finding) => ({ ...finding, line: finding.line! + 5 })) }
          : check,
      ),
      { projects: report.projects },
    );
    expect(fingerprints(moved)).toEqual(fingerprints(report));
    const all = fingerprints(report).map((line) => line.split(' ')[1]);
    expect(new Set(all).size).toBe(all.length);
  });
  it('tell apart two repository-level findings of one check', () => {
    const two = reportOf([
      entry({ id: 'secret-scanning-enabled', category: 'security', findings: [{ message: 'a' }, { message: 'b' }] }),
    ]);
    const [first, second] = fingerprints(two);
    expect(first).not.toBe(second);
  });
});

describe('SARIF from real evaluations', () => {
  it('the report carries descriptions, project manifests and the front file the renderer needs', async () => {
    const evaluated = await evaluateRepository({
      source: new MemorySource({
        'pyproject.toml': '[project]\nname = "a"\n',
        'docs/readme.md': 'not the root one',
        'packages/web/package.json': '{"name":"web"}',
        'package.json': '{"name":"root","workspaces":["packages/*"]}',
      }),
      checks: allChecks,
    });
    expect(evaluated.frontFile).toBe('package.json');
    const readme = evaluated.checks.find((check) => check.id === 'readme-present')!;
    expect(readme.description).toBe(allChecks.find((check) => check.id === 'readme-present')!.description);
    expect(evaluated.projects?.[0].manifests).toEqual(['packages/web/package.json']);
    const withReadme = await evaluateRepository({
      source: new MemorySource({ 'a.txt': '', 'Readme.rst': 'x', 'README.md': '# x' }),
      checks: allChecks,
    });
    expect(withReadme.frontFile).toBe('README.md');
  });

  it.each(['foundations-flask', 'workflows-facebook-react', 'container-podinfo', 'testing-spring-petclinic'])(
    'fixture %s: valid SARIF 2.1.0 that GitHub ingests',
    async (fixture) => {
      const directory = fileURLToPath(new URL(`../fixtures/repos/${fixture}`, import.meta.url));
      const evaluated = await evaluateRepository({ source: new LocalSource(directory), checks: allChecks });
      const log = JSON.parse(renderSarif(evaluated)) as SarifLog;
      expect(log.runs[0].results.length).toBeGreaterThan(0);
      expect(sarifSchemaErrors(log)).toEqual([]);
      expect(githubIngestionErrors(log, isSecurityRule)).toEqual([]);
      // Not vacuous: these fixtures have failing checks both with and without files.
      expect(log.runs[0].results.some((result) => result.message.text.includes('repository-wide'))).toBe(true);
    },
  );
});
