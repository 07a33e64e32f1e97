import { defineCheck, result } from '../../src/engine/define-check.js';
import { classifyManifest, isNonProjectPath } from '../../src/engine/manifests.js';
import type { Finding } from '../../src/engine/types.js';
import {
  isRecord,
  parseJsonText,
  parseTomlTextSafe,
  parseYamlText,
  type Parsed,
} from '../../src/parsers/structured.js';
import { parseJsoncText } from '../../src/parsers/jsonc.js';
import { baseName, isManifestName, plural, ProjectView } from '../lib/project-view.js';

/** Manifests beyond the engine's detection list: the ecosystem list is a floor. */
const EXTRA_MANIFEST =
  /^(deno\.jsonc?|Project\.toml|DESCRIPTION|rebar\.config|dune-project|build\.zig|project\.clj|deps\.edn|[\w.-]+\.nimble|shard\.yml|vcpkg\.json|conanfile\.(txt|py)|environment\.ya?ml|[\w.-]+\.podspec|Podfile|package\.yaml|[\w.-]+\.rockspec|cpanfile|Makefile\.PL|elm\.json|gleam\.toml|v\.mod|flake\.nix)$/;

const LOOKED_FOR =
  'package.json, pyproject.toml, setup.py, setup.cfg, requirements.txt, Pipfile, go.mod, Cargo.toml, pom.xml, build.gradle(.kts), build.sbt, Gemfile, *.gemspec, composer.json, *.csproj, *.sln, mix.exs, Package.swift, pubspec.yaml, stack.yaml, *.cabal, CMakeLists.txt, deno.json, Project.toml, rebar.config';

type Parser = (text: string) => Parsed<unknown>;
const PARSERS: Array<{ test: RegExp; parse: Parser; object?: boolean }> = [
  { test: /^(package|composer)\.json$/, parse: parseJsonText, object: true },
  { test: /^(deno\.jsonc?|vcpkg\.json|elm\.json)$/, parse: parseJsoncText, object: true },
  { test: /^(pyproject\.toml|Cargo\.toml|Pipfile|Project\.toml|gleam\.toml)$/, parse: parseTomlTextSafe },
  { test: /^(pubspec\.yaml|shard\.yml|package\.yaml|environment\.ya?ml)$/, parse: parseYamlText, object: true },
];

function isManifest(path: string): boolean {
  if (isNonProjectPath(path)) return false;
  return classifyManifest(path) !== undefined || EXTRA_MANIFEST.test(baseName(path));
}

/** What `isManifest` asks of the base name. */
const isManifestOrExtraName = (name: string) => isManifestName(name) || EXTRA_MANIFEST.test(name);

/** A parse problem in a manifest, or undefined when it reads fine (or is a format we do not parse). */
function problemOf(view: ProjectView, path: string): Finding | undefined {
  const name = baseName(path);
  const parser = PARSERS.find((candidate) => candidate.test.test(name));
  if (!parser) return undefined;
  const file = view.file(path);
  if (!file) return undefined; // not read (beyond the read budget)
  const shown = view.display(path);
  if (file.text === null)
    return view.finding(
      path,
      `${shown} could not be read (${file.binary ? 'binary file' : (file.error ?? 'unreadable')})`,
    );
  if (file.truncated) return view.finding(path, `${shown} is larger than the read limit and was not parsed`);
  if (!file.text.trim()) return view.finding(path, `${shown} is empty`, 1);
  const parsed = parser.parse(file.text);
  if (!parsed.ok) return view.finding(path, `${shown}: ${parsed.error}`, parsed.line);
  if (parser.object && !isRecord(parsed.value))
    return view.finding(path, `${shown} must hold an object at the top level`, 1);
  return undefined;
}

export default defineCheck({
  id: 'package-manifest-present',
  category: 'configuration',
  severity: 'high',
  problemTitle: 'The package manifest is missing or cannot be parsed',
  title: 'Package manifest present',
  description:
    'The project has a recognised package manifest (package.json, pyproject.toml/setup.py/setup.cfg/requirements.txt, go.mod, Cargo.toml, pom.xml, build.gradle(.kts), build.sbt, Gemfile/*.gemspec, composer.json, *.csproj/*.sln, mix.exs, Package.swift, pubspec.yaml, stack.yaml/*.cabal, CMakeLists.txt, deno.json and more) outside vendored and generated code, test fixtures and templates (examples count), and every JSON, TOML and YAML manifest parses. A malformed manifest is a failure with its line. Not applicable to documentation repositories.',
  rationale:
    'The manifest is how tools, CI and people learn what the project depends on and how to build it; without one, installs are guesswork and dependency scanners see nothing. A manifest that does not parse breaks every install.',
  remediation: [
    "Add the ecosystem's manifest at the project root, declaring the dependencies. For Node, `package.json`:",
    '',
    '```json',
    '{ "name": "my-service", "version": "1.0.0", "private": true, "dependencies": {} }',
    '```',
    '',
    'For Python, `pyproject.toml`:',
    '',
    '```toml',
    '[project]',
    'name = "my-service"',
    'version = "1.0.0"',
    'dependencies = ["requests>=2.32"]',
    '```',
    '',
    'When the check reports a malformed manifest, fix the syntax at the line it names.',
  ].join('\n'),
  effort: 'minutes',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
  scope: 'project',
  needs: {
    files: [
      // Package manifests (package.json, pyproject.toml, setup.cfg, Cargo.toml, pom.xml, build.gradle, *.csproj, go.mod…)
      // are always read by the engine (MANIFEST_GLOBS): repeating them here would cost a tree scan per project root.
      { glob: '**/{deno.json,deno.jsonc,vcpkg.json,elm.json,Project.toml,gleam.toml,shard.yml,package.yaml}', max: 30 },
    ],
  },
  evaluate(context) {
    const view = new ProjectView(context);
    const manifests = view
      .ownEntriesNamed('package-manifest-present:manifest', isManifestOrExtraName)
      .filter((entry) => entry.kind === 'file' && isManifest(entry.path));
    if (!manifests.length) {
      const elsewhere = view.repository.index
        .where('manifest-name', { name: isManifestName })
        .filter((entry) => entry.path.startsWith(view.prefix) && isNonProjectPath(entry.path));
      const note = elsewhere.length
        ? ` (manifests in test fixtures, templates, vendored or generated code do not count: ${elsewhere
            .slice(0, 3)
            .map((entry) => view.display(entry.path))
            .join(', ')})`
        : '';
      return result.fail(`No package manifest found${note}`, [
        { message: `no package manifest found (looked for ${LOOKED_FOR})` },
      ]);
    }
    const problems = manifests
      .map((entry) => problemOf(view, entry.path))
      .filter((finding): finding is Finding => finding !== undefined);
    const rootLevel = manifests.filter((entry) => !view.relative(entry.path).includes('/'));
    const shown = (rootLevel.length ? rootLevel : manifests).slice(0, 5).map((entry) => view.display(entry.path));
    const more = manifests.length > shown.length ? ` and ${plural(manifests.length - shown.length, 'more')}` : '';
    if (problems.length) {
      return result.fail(
        `${plural(problems.length, 'manifest')} cannot be parsed: ${problems.map((finding) => finding.message).join('; ')}`,
        problems,
      );
    }
    return result.pass(`${shown.join(', ')}${more}`);
  },
});
