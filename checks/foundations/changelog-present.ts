import { defineCheck, result } from '../../src/engine/define-check.js';
import { hasDependency } from '../../src/engine/dependencies.js';
import { isRecord, readJson, readToml, readYaml } from '../../src/parsers/structured.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { firstSegment, isTwoLevelDirectory } from '../lib/tree-queries.js';
import { isExcludedFromProject } from '../../src/engine/file-classes.js';

/** Changelog file names (any case, any extension) at the root, in `.github/`, `docs/` or `doc/`. */
const CHANGELOG_FILE =
  /^(\.github\/|docs?\/)?(change[-_]?log|changes|history|news|releases|release[-_]?notes)(\.[a-z0-9]+)?$/i;
/** A changelog folder (one file per release) in the same places. */
const CHANGELOG_FOLDER =
  /^(\.github\/|docs?\/)?(change[-_]?log|changes|history|release[-_]?notes|releases)\/[^/]+\.(md|markdown|rst|txt|adoc)$/i;
/** Per-package changelogs in a monorepo. */
const NESTED_CHANGELOG = /(^|\/)(change[-_]?log|changes|history)\.(md|markdown|rst|txt)$/i;

const GORELEASER = [
  '.goreleaser.yml',
  '.goreleaser.yaml',
  'goreleaser.yml',
  'goreleaser.yaml',
  '.config/goreleaser.yml',
  '.config/goreleaser.yaml',
];
const WORKFLOWS = '.github/workflows/*.{yml,yaml}';

/** Release-notes tools recognised from a config file or folder alone. */
const TOOL_FILES: Array<{ tool: string; test: (path: string) => boolean }> = [
  { tool: 'changesets', test: (path) => path.startsWith('.changeset/') },
  {
    tool: 'release-please',
    test: (path) =>
      /^(release-please-config\.json|\.release-please-manifest\.json|\.github\/release-please\.ya?ml)$/.test(path),
  },
  {
    tool: 'semantic-release',
    test: (path) => /^(\.releaserc(\.(json|ya?ml|js|cjs|mjs))?|release\.config\.(js|cjs|mjs|ts))$/.test(path),
  },
  { tool: 'release-drafter', test: (path) => /^\.github\/release-drafter\.ya?ml$/.test(path) },
  { tool: "GitHub's generated release notes", test: (path) => /^\.github\/release\.ya?ml$/.test(path) },
  {
    tool: 'towncrier',
    test: (path) =>
      /^(towncrier\.toml|changelog\.d\/|newsfragments\/|changes\/[^/]+\.(feature|bugfix|doc|removal|misc)(\.md|\.rst)?$)/.test(
        path,
      ),
  },
  { tool: 'git-cliff', test: (path) => path === 'cliff.toml' },
  { tool: 'commitizen', test: (path) => /^(\.cz\.toml|\.?cz\.json|\.?cz\.ya?ml)$/.test(path) },
  { tool: 'release-plz', test: (path) => /^\.?release-plz\.toml$/.test(path) },
  { tool: 'changie', test: (path) => /^\.changie\.ya?ml$/.test(path) },
  { tool: 'knope', test: (path) => path === 'knope.toml' },
  { tool: 'auto', test: (path) => /^\.autorc(\.json)?$/.test(path) },
  { tool: 'standard-version', test: (path) => /^\.versionrc(\.(json|js|cjs))?$/.test(path) },
  { tool: 'JReleaser', test: (path) => /^jreleaser\.(ya?ml|toml|json)$/.test(path) },
  { tool: 'HashiCorp changelog', test: (path) => path.startsWith('.changelog/') },
];

/** Steps in a workflow that write release notes. */
const WORKFLOW_PATTERNS: Array<{ tool: string; pattern: RegExp }> = [
  { tool: 'release-please', pattern: /release-please-action|\brelease-please\s+(release-pr|github-release)/ },
  { tool: 'semantic-release', pattern: /\bsemantic-release\b/ },
  { tool: 'release-drafter', pattern: /release-drafter\/release-drafter/ },
  { tool: 'changesets', pattern: /changesets\/action|\bchangeset (version|publish)\b/ },
  {
    tool: "GitHub's generated release notes",
    pattern: /generate_release_notes:\s*true|--generate-notes|generateReleaseNotes:\s*true/,
  },
  { tool: 'git-cliff', pattern: /git-cliff/ },
];

/** True when `key: true` appears anywhere in a parsed config (lerna puts it under `command.version` or `command.publish`). */
function hasTrueKey(value: unknown, key: string, depth = 0): boolean {
  if (depth > 4 || !isRecord(value)) return false;
  return value[key] === true || Object.values(value).some((child) => hasTrueKey(child, key, depth + 1));
}

function goreleaserChangelog(snapshot: RepoSnapshot): { path: string; disabled: boolean } | undefined {
  const path = GORELEASER.find((candidate) => snapshot.has(candidate));
  if (!path) return undefined;
  const parsed = readYaml(snapshot, path);
  if (!parsed?.ok || !isRecord(parsed.value)) return { path, disabled: false };
  const changelog = parsed.value.changelog;
  const flag = isRecord(changelog) ? (changelog.disable ?? changelog.skip) : undefined;
  return { path, disabled: flag === true || flag === 'true' };
}

/** Folders whose whole sub-tree a release-notes tool owns (`.changeset/`, `changelog.d/`…). */
const TOOL_FOLDERS = new Set(['.changeset', 'changelog.d', 'newsfragments', '.changelog']);

/**
 * Every entry a test above can match, in tree order: files at the root or one or two folders down (the changelog
 * tests), and the tool folders' sub-trees.
 */
function candidates(snapshot: RepoSnapshot): readonly TreeEntry[] {
  return snapshot.index.where('changelog-present:candidates', {
    directory: (directory) => isTwoLevelDirectory(directory) || TOOL_FOLDERS.has(firstSegment(directory)),
  });
}

function automation(snapshot: RepoSnapshot): string[] {
  const found: string[] = [];
  const add = (text: string) => {
    if (!found.includes(text)) found.push(text);
  };
  for (const { tool, test } of TOOL_FILES) {
    const entry = candidates(snapshot).find((candidate) => test(candidate.path));
    if (entry) add(`${tool} (${entry.path})`);
  }
  const pkg = readJson(snapshot, 'package.json');
  if (pkg?.ok && isRecord(pkg.value)) {
    if (pkg.value.release !== undefined) add('semantic-release (package.json "release")');
    if (isRecord(pkg.value['standard-version'])) add('standard-version (package.json "standard-version")');
  }
  const dependency = hasDependency(snapshot, [
    'semantic-release',
    '@changesets/cli',
    'release-please',
    'standard-version',
    'commit-and-tag-version',
    'release-it',
    'lerna-changelog',
    '@release-it/conventional-changelog',
  ]);
  if (dependency) add(`${dependency} (a dependency)`);
  const pyproject = readToml(snapshot, 'pyproject.toml');
  const tool = pyproject?.ok ? pyproject.value.tool : undefined;
  if (isRecord(tool)) {
    if (isRecord(tool.towncrier)) add('towncrier (pyproject.toml [tool.towncrier])');
    if (isRecord(tool.commitizen)) add('commitizen (pyproject.toml [tool.commitizen])');
    if (isRecord(tool.semantic_release)) add('python-semantic-release (pyproject.toml [tool.semantic_release])');
  }
  const lerna = readJson(snapshot, 'lerna.json');
  if (lerna?.ok && hasTrueKey(lerna.value, 'conventionalCommits')) {
    add('lerna with conventional commits (lerna.json)');
  }
  const goreleaser = goreleaserChangelog(snapshot);
  if (goreleaser && !goreleaser.disabled) add(`goreleaser changelog (${goreleaser.path})`);
  for (const workflow of snapshot.glob(WORKFLOWS)) {
    const text = snapshot.text(workflow.path);
    if (!text) continue;
    for (const { tool: name, pattern } of WORKFLOW_PATTERNS) if (pattern.test(text)) add(`${name} (${workflow.path})`);
  }
  return found;
}

export default defineCheck({
  id: 'changelog-present',
  category: 'foundations',
  severity: 'medium',
  problemTitle: 'Releases have no changelog or release notes',
  title: 'Changelog or release notes maintained',
  description:
    "A CHANGELOG, CHANGES, HISTORY, NEWS, RELEASES or RELEASE_NOTES file (any case, any extension) exists at the root, in `.github/`, `docs/` or `doc/` (or a folder of that name with one file per release, or per-package changelogs in a monorepo) — or release notes are automated: changesets (`.changeset/`), release-please (config, manifest or action), semantic-release (`.releaserc*`, `release.config.*`, the package.json `release` key, or a workflow step), release-drafter, a goreleaser config whose changelog is not disabled, GitHub's generated release notes (`.github/release.yml`, `generate_release_notes`), towncrier, git-cliff, commitizen, release-plz, changie.",
  rationale:
    'Users upgrading need to know what changed, what broke and what to do about it; operators rolling back need to know what a release contained. Without a changelog or generated release notes, that knowledge is only in the commit log.',
  remediation: [
    "Add `CHANGELOG.md` at the repository root (the keepachangelog.com format), or automate release notes — e.g. `.github/release.yml` for GitHub's generated notes, changesets, or release-please:",
    '',
    '```markdown',
    '# Changelog',
    '',
    '## [Unreleased]',
    '',
    '## [1.2.0] - 2024-05-01',
    '### Added',
    '- `--json` output for the `scan` command.',
    '### Fixed',
    '- Crash on an empty configuration file.',
    '```',
  ].join('\n'),
  effort: 'hours',
  scope: 'repository',
  needs: { files: [...GORELEASER, WORKFLOWS] },
  evaluate({ snapshot }) {
    const files = candidates(snapshot).filter(
      (entry) => entry.kind !== 'submodule' && (CHANGELOG_FILE.test(entry.path) || CHANGELOG_FOLDER.test(entry.path)),
    );
    const tools = automation(snapshot);
    const toolNote = tools.length ? `; release notes automated by ${tools.join(', ')}` : '';
    if (files.length) {
      const first = files[0].path;
      const folder = CHANGELOG_FOLDER.test(first) ? first.replace(/\/[^/]+$/, '/') : first;
      return result.pass(`${folder}${toolNote}`);
    }
    if (tools.length) return result.pass(`Release notes automated by ${tools.join(', ')}`);
    const nested = snapshot.index
      .where('changelog-present:nested', { name: (name) => NESTED_CHANGELOG.test(name) })
      .filter((entry) => !isExcludedFromProject(entry.path));
    if (nested.length) {
      return result.pass(
        `${nested.length} per-package changelog${nested.length > 1 ? 's' : ''} (${nested
          .slice(0, 3)
          .map((entry) => entry.path)
          .join(', ')}${nested.length > 3 ? ', …' : ''})`,
      );
    }
    const goreleaser = goreleaserChangelog(snapshot);
    const disabled = goreleaser?.disabled ? ` (${goreleaser.path} disables its changelog)` : '';
    return result.fail(`No changelog and no release-notes automation${disabled}`, [
      {
        message: `looked for CHANGELOG/CHANGES/HISTORY/NEWS/RELEASES/RELEASE_NOTES at the root, in .github/, docs/ and doc/, and for changesets, release-please, semantic-release, release-drafter, goreleaser, .github/release.yml, towncrier, git-cliff, commitizen, release-plz and changie${disabled}; add CHANGELOG.md`,
        ...(goreleaser?.disabled ? { path: goreleaser.path } : {}),
      },
    ]);
  },
});
