import { compileRepositoryGlob } from '../../src/snapshot/glob.js';
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { defineCheck, result } from '../../src/engine/define-check.js';
import { listManifests } from '../../src/engine/detect.js';
import { isNonProjectPath } from '../../src/engine/manifests.js';
import type { Finding } from '../../src/engine/types.js';
import { isRecord, parseJsonText, parseYamlText, readJson, readToml } from '../../src/parsers/structured.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import { rewriteEdit } from '../../src/fix/edits.js';
import type { FixOutput } from '../../src/fix/types.js';

const DEPENDABOT = ['.github/dependabot.yml', '.github/dependabot.yaml'];
const RENOVATE = [
  'renovate.json',
  'renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
  '.gitlab/renovate.json5',
];

/** Dependabot's ecosystem for each manifest ecosystem we detect; the accepted `package-ecosystem` names. */
const MANIFEST_ECOSYSTEMS: Record<string, { name: string; accepts: string[] }> = {
  node: { name: 'npm', accepts: ['npm', 'bun'] },
  python: { name: 'pip', accepts: ['pip', 'uv', 'pipenv', 'poetry'] },
  go: { name: 'gomod', accepts: ['gomod'] },
  rust: { name: 'cargo', accepts: ['cargo'] },
  ruby: { name: 'bundler', accepts: ['bundler'] },
  php: { name: 'composer', accepts: ['composer'] },
  dotnet: { name: 'nuget', accepts: ['nuget'] },
  elixir: { name: 'mix', accepts: ['mix'] },
  swift: { name: 'swift', accepts: ['swift'] },
  dart: { name: 'pub', accepts: ['pub'] },
};

/** Renovate managers → the ecosystem they update. */
const RENOVATE_MANAGERS: Record<string, string> = {
  npm: 'npm',
  bun: 'npm',
  pip_requirements: 'pip',
  pip_setup: 'pip',
  'pip-compile': 'pip',
  pipenv: 'pip',
  poetry: 'pip',
  pep621: 'pip',
  pep723: 'pip',
  'setup-cfg': 'pip',
  gomod: 'gomod',
  cargo: 'cargo',
  maven: 'maven',
  'maven-wrapper': 'maven',
  gradle: 'gradle',
  'gradle-wrapper': 'gradle',
  bundler: 'bundler',
  composer: 'composer',
  nuget: 'nuget',
  mix: 'mix',
  swift: 'swift',
  pub: 'pub',
  dockerfile: 'docker',
  'docker-compose': 'docker',
  'github-actions': 'github-actions',
  terraform: 'terraform',
  'git-submodules': 'gitsubmodule',
  helmv3: 'helm',
  'helm-values': 'helm',
};

/** Ecosystems where one root entry updates workspace members below it. */
const WORKSPACE_AWARE = new Set(['maven', 'gradle', 'nuget', 'mix']);

interface Requirement {
  ecosystem: string;
  accepts: string[];
  /** Repository directory ('' for the root). */
  directory: string;
  /** Why it is required: the file that shows it. */
  evidence: string;
}

function requirementsOf(snapshot: RepoSnapshot): Requirement[] {
  const requirements = new Map<string, Requirement>();
  const add = (ecosystem: string, accepts: string[], directory: string, evidence: string) => {
    const key = `${ecosystem}:${directory}`;
    if (!requirements.has(key)) requirements.set(key, { ecosystem, accepts, directory, evidence });
  };
  for (const manifest of listManifests(snapshot)) {
    if (manifest.ecosystem === 'java') {
      const gradle = manifest.name.startsWith('build.gradle');
      add(gradle ? 'gradle' : 'maven', [gradle ? 'gradle' : 'maven'], manifest.directory, manifest.path);
      continue;
    }
    const mapped = MANIFEST_ECOSYSTEMS[manifest.ecosystem];
    if (mapped) add(mapped.name, mapped.accepts, manifest.directory, manifest.path);
  }
  const index = snapshot.index;
  if (
    index
      .childrenOfNumber(index.directoryNumber('.github/workflows'))
      .some((entry) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(entry.path))
  )
    add('github-actions', ['github-actions'], '', '.github/workflows/');
  // Only Dockerfiles and Terraform files are added below: the tree index picks them by name.
  const imageOrTerraform = index.where('dependency-update-tool-configured:docker-or-terraform', {
    name: (name) => /^(Dockerfile|Containerfile)(\.[\w.-]+)?$|\.Dockerfile$/.test(name) || name.endsWith('.tf'),
  });
  for (const entry of imageOrTerraform) {
    if (isNonProjectPath(entry.path) || entry.kind !== 'file') continue;
    const slash = entry.path.lastIndexOf('/');
    const directory = slash < 0 ? '' : entry.path.slice(0, slash);
    const name = entry.path.slice(slash + 1);
    if (/^(Dockerfile|Containerfile)(\.[\w.-]+)?$|\.Dockerfile$/.test(name))
      add('docker', ['docker'], directory, entry.path);
    else if (name.endsWith('.tf') && !directory.includes('.terraform'))
      add('terraform', ['terraform'], directory, entry.path);
  }
  if (snapshot.has('.gitmodules')) add('gitsubmodule', ['gitsubmodule'], '', '.gitmodules');
  return [...requirements.values()].sort((a, b) =>
    a.directory === b.directory ? a.ecosystem.localeCompare(b.ecosystem) : a.directory.localeCompare(b.directory),
  );
}

interface UpdateEntry {
  ecosystem: string;
  directories: string[];
  line: number;
  disabled?: string;
}

interface DependabotConfig {
  path: string;
  entries: UpdateEntry[];
  problems: Finding[];
  /** False when Dependabot would ignore the whole file (invalid YAML, not `version: 2`). */
  valid: boolean;
  /** Line where a new entry belongs (the `updates:` key). */
  updatesLine: number;
}

function normaliseDirectory(directory: string): string {
  return directory
    .trim()
    .replace(/^\.?\/+/, '')
    .replace(/(?<!\/)\/+$/, '');
}

function parseDependabot(path: string, text: string): DependabotConfig {
  const config: DependabotConfig = { path, entries: [], problems: [], valid: true, updatesLine: 1 };
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  if (document.errors.length) {
    const first = document.errors[0];
    config.problems.push({
      message: `${path} is not valid YAML: ${first.message.split('\n')[0]}`,
      path,
      line: first.pos ? lines.linePos(first.pos[0]).line : 1,
    });
    config.valid = false;
    return config;
  }
  const root = document.contents;
  if (!isMap(root)) {
    config.problems.push({ message: `${path} is not a mapping`, path, line: 1 });
    config.valid = false;
    return config;
  }
  const get = (node: unknown, key: string) =>
    isMap(node) ? node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key) : undefined;
  const version = get(root, 'version');
  const versionValue = version && isScalar(version.value) ? version.value.value : undefined;
  if (String(versionValue) !== '2') {
    config.problems.push({
      message: version
        ? `${path}: \`version: ${String(versionValue)}\` — Dependabot reads only \`version: 2\``
        : `${path} has no \`version: 2\``,
      path,
      line: version ? lineOf(version.key as Node) : 1,
    });
    config.valid = false;
  }
  const updates = get(root, 'updates');
  if (!updates || !isSeq(updates.value)) {
    config.problems.push({
      message: `${path} has no \`updates:\` list`,
      path,
      line: updates ? lineOf(updates.key as Node) : 1,
    });
    return config;
  }
  config.updatesLine = lineOf(updates.key as Node);
  for (const item of updates.value.items) {
    const line = lineOf(item as Node);
    const ecosystem = get(item, 'package-ecosystem');
    const ecosystemValue = ecosystem && isScalar(ecosystem.value) ? String(ecosystem.value.value) : undefined;
    if (!ecosystemValue) {
      config.problems.push({ message: `${path}: an update entry has no \`package-ecosystem\``, path, line });
      continue;
    }
    const directories: string[] = [];
    const directory = get(item, 'directory');
    if (directory && isScalar(directory.value)) directories.push(String(directory.value.value));
    const many = get(item, 'directories');
    if (many && isSeq(many.value))
      for (const value of many.value.items) if (isScalar(value)) directories.push(String(value.value));
    if (!directories.length)
      config.problems.push({
        message: `${path}: the \`${ecosystemValue}\` entry has no \`directory\` or \`directories\``,
        path,
        line,
      });
    const limit = get(item, 'open-pull-requests-limit');
    const entry: UpdateEntry = {
      ecosystem: ecosystemValue,
      directories: directories.map(normaliseDirectory),
      line: lineOf(ecosystem!.value as Node),
    };
    if (limit && isScalar(limit.value) && Number(limit.value.value) === 0)
      entry.disabled = `\`open-pull-requests-limit: 0\` (line ${lineOf(limit.key as Node)}) turns version updates off`;
    config.entries.push(entry);
  }
  return config;
}

function coversDirectory(entry: UpdateEntry, requirement: Requirement, workspaceRoots: Set<string>): boolean {
  return entry.directories.some((pattern) => {
    if (pattern === '**' || (pattern === '*' && requirement.directory === '')) return true;
    if (/[*?[{]/.test(pattern))
      return compileRepositoryGlob([pattern, `${pattern}/**`], { dot: true })(requirement.directory);
    if (pattern === requirement.directory) return true;
    // github-actions at "/" covers .github/workflows; docker and the rest need their own directory.
    const ancestor = pattern === '' || requirement.directory.startsWith(`${pattern}/`);
    return (
      ancestor &&
      (WORKSPACE_AWARE.has(requirement.ecosystem) || workspaceRoots.has(`${requirement.ecosystem}:${pattern}`))
    );
  });
}

/** Directories whose npm or Cargo manifest declares a workspace, so one entry there covers the members. */
function workspaceRootsOf(snapshot: RepoSnapshot): Set<string> {
  const roots = new Set<string>();
  for (const manifest of listManifests(snapshot)) {
    if (manifest.name === 'package.json') {
      const parsed = readJson(snapshot, manifest.path);
      if (
        (parsed?.ok && isRecord(parsed.value) && parsed.value.workspaces) ||
        snapshot.has(manifest.directory ? `${manifest.directory}/pnpm-workspace.yaml` : 'pnpm-workspace.yaml')
      ) {
        roots.add(`npm:${manifest.directory}`);
      }
    }
    if (manifest.name === 'Cargo.toml') {
      const parsed = readToml(snapshot, manifest.path);
      if (parsed?.ok && isRecord(parsed.value.workspace)) roots.add(`cargo:${manifest.directory}`);
    }
    if (manifest.name === 'pyproject.toml') {
      const parsed = readToml(snapshot, manifest.path);
      const tool = parsed?.ok ? parsed.value.tool : undefined;
      if (isRecord(tool) && isRecord(tool.uv) && isRecord(tool.uv.workspace)) roots.add(`pip:${manifest.directory}`);
    }
  }
  return roots;
}

interface RenovateConfig {
  path: string;
  /** Ecosystems it updates; undefined means every manager. */
  ecosystems?: Set<string>;
  disabled?: string;
  problems: Finding[];
}

// Removes JSON5 comments and trailing commas so the text reads as YAML. A scanner, not a regex: JSON5 strings may be
// single- or double-quoted and hold a comment opener (the glob '**' + '/__tests__/**' on vitejs/vite and vuejs/core,
// where a regex stripper dropped the rest of the file). Comments become spaces (newlines kept): YAML lines still hold.
function stripJson5(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"' || char === "'") {
      let end = index + 1;
      while (end < text.length && text[end] !== char && text[end] !== '\n') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(index, end + 1);
      index = end + 1;
    } else if (char === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') index += 1;
    } else if (char === '/' && text[index + 1] === '*') {
      const close = text.indexOf('*/', index + 2);
      const end = close < 0 ? text.length : close + 2;
      out += text.slice(index, end).replace(/[^\n]/g, ' ');
      index = end;
    } else {
      out += char;
      index += 1;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

function readRenovate(snapshot: RepoSnapshot): RenovateConfig | undefined {
  for (const path of RENOVATE) {
    const text = snapshot.text(path);
    if (text === undefined) continue;
    // JSON5 (comments, unquoted keys, trailing commas) reads as YAML once comments and trailing commas are gone.
    const parsed =
      path.endsWith('.json5') || path.endsWith('rc') ? parseYamlText(stripJson5(text)) : parseJsonText(text);
    if (!parsed.ok)
      return {
        path,
        problems: [{ message: `${path}: ${parsed.error}`, path, ...(parsed.line ? { line: parsed.line } : {}) }],
      };
    return interpretRenovate(path, parsed.value);
  }
  const pkg = readJson(snapshot, 'package.json');
  if (pkg?.ok && isRecord(pkg.value) && isRecord(pkg.value.renovate))
    return interpretRenovate('package.json ("renovate")', pkg.value.renovate);
  return undefined;
}

function interpretRenovate(path: string, value: unknown): RenovateConfig {
  const config: RenovateConfig = { path, problems: [] };
  if (!isRecord(value)) return config;
  if (value.enabled === false) config.disabled = '`"enabled": false`';
  if (Array.isArray(value.enabledManagers) && value.enabledManagers.length) {
    config.ecosystems = new Set(
      value.enabledManagers.map((manager) => RENOVATE_MANAGERS[String(manager)]).filter(Boolean),
    );
  }
  const off = Object.entries(RENOVATE_MANAGERS).filter(
    ([manager]) => isRecord(value[manager]) && (value[manager] as Record<string, unknown>).enabled === false,
  );
  if (off.length) {
    config.ecosystems ??= new Set(Object.values(RENOVATE_MANAGERS));
    for (const [, ecosystem] of off) {
      const stillOn = Object.entries(RENOVATE_MANAGERS).some(
        ([manager, other]) => other === ecosystem && !off.some(([name]) => name === manager),
      );
      if (!stillOn) config.ecosystems.delete(ecosystem);
    }
  }
  return config;
}

const display = (directory: string) => `/${directory}`;

/** One `updates:` entry per ecosystem: `directory` for one, `directories` for several (Dependabot reads both). */
function updateEntries(missing: readonly Requirement[], schedule: unknown): Array<Record<string, unknown>> {
  const byEcosystem = new Map<string, string[]>();
  for (const requirement of missing) {
    const list = byEcosystem.get(requirement.ecosystem) ?? [];
    list.push(display(requirement.directory));
    byEcosystem.set(requirement.ecosystem, list);
  }
  return [...byEcosystem].map(([ecosystem, directories]) => ({
    'package-ecosystem': ecosystem,
    ...(directories.length === 1 ? { directory: directories[0] } : { directories }),
    schedule: schedule ?? { interval: 'weekly' },
  }));
}

/**
 * The requirements a fix should add: those no active entry covers. One an entry covers but turns off
 * (`open-pull-requests-limit: 0`) was turned off on purpose and is left alone.
 */
function uncoveredRequirements(repository: RepoSnapshot, dependabot: DependabotConfig | undefined): Requirement[] {
  const workspaceRoots = workspaceRootsOf(repository);
  return requirementsOf(repository).filter(
    (requirement) =>
      !(dependabot?.entries ?? []).some(
        (entry) => requirement.accepts.includes(entry.ecosystem) && coversDirectory(entry, requirement, workspaceRoots),
      ),
  );
}

/** Creates `.github/dependabot.yml`, or adds the missing entries to the existing file through yaml's Document API. */
function fixDependabot(repository: RepoSnapshot): FixOutput {
  if (readRenovate(repository))
    return { edits: [], skipped: ['Renovate is configured: extend its config rather than adding a second update bot'] };
  const path = repository.firstExisting(DEPENDABOT);
  if (!path) {
    const missing = uncoveredRequirements(repository, undefined);
    if (!missing.length) return { edits: [] };
    const document = new Document({ version: 2, updates: updateEntries(missing, undefined) });
    return { edits: [{ kind: 'create', path: DEPENDABOT[0], text: document.toString({ lineWidth: 0 }) }] };
  }
  const text = repository.text(path);
  if (text === undefined) return { edits: [], skipped: [`${path} could not be read`] };
  const config = parseDependabot(path, text);
  if (!config.valid)
    return {
      edits: [],
      skipped: [`${path} is not a valid version 2 file: fix it by hand (${config.problems[0]?.message ?? ''})`],
    };
  const missing = uncoveredRequirements(repository, config);
  if (!missing.length) return { edits: [] };
  const document = parseDocument(text);
  const updates = document.get('updates');
  if (updates !== undefined && updates !== null && !isSeq(updates))
    return { edits: [], skipped: [`${path}: \`updates\` is not a list; fix it by hand`] };
  const first = isSeq(updates) ? updates.items[0] : undefined;
  // New entries follow the schedule the file already uses.
  const schedule = isMap(first) ? first.get('schedule') : undefined;
  const entries = updateEntries(missing, isMap(schedule) ? schedule.toJSON() : undefined);
  if (isSeq(updates)) for (const entry of entries) updates.add(document.createNode(entry));
  else document.set('updates', document.createNode(entries));
  // The file's own layout (sequence indentation, indent width) is whichever rendering changes the fewest lines.
  const renderings = [true, false].flatMap((indentSeq) =>
    [2, 4].map((indent) => rewriteEdit(path, text, document.toString({ lineWidth: 0, indentSeq, indent }))),
  );
  const size = (edit: (typeof renderings)[number]) =>
    edit ? edit.endLine - edit.startLine + 1 + edit.lines.length : 0;
  const edit = renderings.reduce((best, candidate) => (size(candidate) < size(best) ? candidate : best));
  return { edits: edit ? [edit] : [] };
}

export default defineCheck({
  id: 'dependency-update-tool-configured',
  category: 'ci',
  severity: 'high',
  problemTitle: 'Dependency updates are not automated for every ecosystem',
  title: 'Dependency update tool configured',
  description:
    'Dependabot (`.github/dependabot.yml`, valid, `version: 2`) or Renovate is configured, and it covers every ecosystem the repository uses, directory by directory: each manifest needs an update entry whose `directory`/`directories` covers it, `github-actions` when workflows exist, `docker` when Dockerfiles exist. The score is the covered share; findings name each gap. A Renovate config counts as full coverage unless it disables managers.',
  rationale:
    'Dependencies age quietly: security fixes pile up in versions you never pick up, and the eventual upgrade is a big-bang migration. A bot that proposes small, regular updates keeps the gap — and the attack surface — small.',
  remediation: [
    'Add `.github/dependabot.yml` with one entry per ecosystem and directory the findings name:',
    '',
    '```yaml',
    'version: 2',
    'updates:',
    '  - package-ecosystem: npm',
    '    directory: /',
    '    schedule:',
    '      interval: weekly',
    '  - package-ecosystem: pip',
    '    directories: [/backend, /tools/*]',
    '    schedule:',
    '      interval: weekly',
    '  - package-ecosystem: github-actions',
    '    directory: /',
    '    schedule:',
    '      interval: weekly',
    '  - package-ecosystem: docker',
    '    directory: /',
    '    schedule:',
    '      interval: weekly',
    '```',
    '',
    'Or add `renovate.json` with `{ "extends": ["config:recommended"] }`.',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { files: [...DEPENDABOT, ...RENOVATE] },
  evaluate({ repository }) {
    const requirements = requirementsOf(repository);
    const dependabotPath = repository.firstExisting(DEPENDABOT);
    const dependabotText = dependabotPath ? repository.text(dependabotPath) : undefined;
    const dependabot = dependabotPath
      ? dependabotText === undefined
        ? {
            path: dependabotPath,
            entries: [],
            valid: false,
            updatesLine: 1,
            problems: [{ message: `${dependabotPath} could not be read`, path: dependabotPath }],
          }
        : parseDependabot(dependabotPath, dependabotText)
      : undefined;
    const renovate = readRenovate(repository);
    const problems = [...(dependabot?.problems ?? []), ...(renovate?.problems ?? [])];

    if (!dependabot && !renovate) {
      if (!requirements.length)
        return result.notApplicable(
          'no dependency manifests, workflows or Dockerfiles found: nothing to keep up to date',
        );
      return result.fail('No Dependabot or Renovate configuration', [
        {
          message: `add .github/dependabot.yml (or renovate.json) covering ${[...new Set(requirements.map((requirement) => requirement.ecosystem))].join(', ')}; looked for ${[...DEPENDABOT, ...RENOVATE].join(', ')} and "renovate" in package.json`,
        },
      ]);
    }
    const tools = [dependabot?.path, renovate?.path].filter(Boolean).join(' and ');
    if (!requirements.length) {
      return problems.length
        ? result.warn(`${tools} configured, with problems`, problems)
        : result.pass(`${tools} configured (no dependency manifests detected)`);
    }

    const workspaceRoots = workspaceRootsOf(repository);
    const findings: Finding[] = [];
    let covered = 0;
    const renovateActive = renovate && !renovate.disabled && !renovate.problems.length;
    for (const requirement of requirements) {
      if (renovateActive && (!renovate.ecosystems || renovate.ecosystems.has(requirement.ecosystem))) {
        covered += 1;
        continue;
      }
      const entries = (dependabot?.valid ? dependabot.entries : []).filter(
        (entry) => requirement.accepts.includes(entry.ecosystem) && coversDirectory(entry, requirement, workspaceRoots),
      );
      const active = entries.find((entry) => !entry.disabled);
      if (active) {
        covered += 1;
        continue;
      }
      const where = dependabot?.path ?? renovate!.path;
      const disabled = entries.find((entry) => entry.disabled);
      findings.push(
        disabled
          ? {
              message: `\`${requirement.ecosystem}\` in ${display(requirement.directory)}: ${disabled.disabled}`,
              path: where,
              line: disabled.line,
            }
          : {
              message: `\`${requirement.ecosystem}\` in ${display(requirement.directory)} (${requirement.evidence}) is not covered: add an update entry with \`package-ecosystem: ${requirement.ecosystem}\` and \`directory: ${display(requirement.directory)}\``,
              ...(dependabot ? { path: dependabot.path, line: dependabot.updatesLine } : {}),
            },
      );
    }
    if (renovate?.disabled)
      problems.push({
        message: `${renovate.path}: Renovate is turned off (${renovate.disabled})`,
        path: renovate.path.split(' ')[0],
      });
    const score = covered / requirements.length;
    const summary = `${tools} cover ${covered} of ${requirements.length} ecosystem/directory pair(s)`;
    if (covered === requirements.length && !problems.length) return result.pass(summary);
    if (covered === 0) return { outcome: 'fail', summary, findings: [...problems, ...findings], score: 0 };
    return result.warn(summary, [...problems, ...findings], score);
  },
  fixable:
    'creates .github/dependabot.yml for every detected ecosystem and directory, or adds the missing entries to the existing file keeping its comments and order',
  fix({ repository }) {
    return fixDependabot(repository);
  },
});
