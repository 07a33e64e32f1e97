import { isRecord, parseJsonText } from '../../src/parsers/structured.js';
import type { Needs } from '../../src/engine/types.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { isTwoLevelDirectory } from './tree-queries.js';
import { baseName, testLine, type LineTest, type ProjectView } from './project-view.js';

/**
 * Commands a project runs, line by line, for the configuration, quality and testing checks ("is ruff run in CI or
 * pre-commit?", "does a script pass --cov-fail-under?"). Deliberately plain text: a line that mentions the tool in a
 * workflow, a task runner, a hook config or a package script is the evidence, with its path and line.
 * (The CI category's step-level analysis lives in commands.ts.)
 */

/** CI configuration at the repository root. */
const CI_FILE =
  /^(\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci\/config\.ya?ml|azure-pipelines\.ya?ml|\.azure-pipelines\/[^/]+\.ya?ml|\.travis\.ya?ml|Jenkinsfile|bitbucket-pipelines\.ya?ml|\.buildkite\/pipeline\.ya?ml|\.drone\.ya?ml|appveyor\.ya?ml|\.woodpecker\.ya?ml|\.woodpecker\/[^/]+\.ya?ml)$/;

/** Task runners and hook configurations beside the code. */
const TASK_FILE =
  /^(Makefile|makefile|GNUmakefile|justfile|Justfile|\.justfile|Taskfile\.ya?ml|tox\.ini|noxfile\.py|\.pre-commit-config\.ya?ml|lefthook\.ya?ml|\.lefthook\.ya?ml)$/;
/** Scripts a project runs from CI: `scripts/test.sh`, or extension-less ones like encode/httpx's `scripts/check`. */
const SCRIPT_FILE = /(^|\/)scripts?\/([^/]+\.(sh|bash|ps1)|[\w-]+)$/;

/**
 * The needs of anything that calls `findProjectCommands`: few globs on purpose, because the engine re-roots a
 * project check's globs at every candidate project root and scans the tree once per bounded glob and root.
 */
export const PROJECT_COMMAND_NEEDS: NonNullable<Needs['files']> = [
  {
    glob: '{.github/workflows/*.{yml,yaml},.gitlab-ci.{yml,yaml},.circleci/config.{yml,yaml},azure-pipelines.{yml,yaml},.azure-pipelines/*.{yml,yaml},.travis.yml,Jenkinsfile,bitbucket-pipelines.yml,.buildkite/pipeline.yml,.drone.yml,appveyor.yml,.woodpecker.yml,.woodpecker/*.yml}',
    max: 60,
  },
  {
    glob: '**/{Makefile,makefile,GNUmakefile,justfile,Justfile,.justfile,Taskfile.yml,Taskfile.yaml,tox.ini,noxfile.py,.pre-commit-config.yaml,.pre-commit-config.yml,lefthook.yml,lefthook.yaml,.lefthook.yml}',
    max: 40,
  },
  { glob: '**/script{,s}/{*.sh,*.bash,*.ps1,+([a-zA-Z0-9_-])}', max: 30 },
];

export interface CommandHit {
  /** Repository path of the file holding the command. */
  path: string;
  line: number;
  text: string;
  kind: 'ci' | 'task' | 'package-script';
}

function ciEntries(view: ProjectView): TreeEntry[] {
  // CI_FILE names files at the root and up to two folders down (.github/workflows): only those entries are tested.
  return view.repository.memo('project-commands:ci-entries', () =>
    view.repository.index
      .where('two-levels', { directory: isTwoLevelDirectory })
      .filter((entry) => entry.kind === 'file' && CI_FILE.test(entry.path)),
  );
}

function taskEntries(view: ProjectView): TreeEntry[] {
  // SCRIPT_FILE looks at the last folder and the name: a name it cannot accept under `scripts/` it never accepts.
  return view
    .configFilesNamed(
      'project-commands:task-or-script',
      (name) => TASK_FILE.test(name) || SCRIPT_FILE.test(`scripts/${name}`),
    )
    .filter((entry) => TASK_FILE.test(baseName(entry.path)) || SCRIPT_FILE.test(view.relative(entry.path)));
}

function manifestEntries(view: ProjectView): TreeEntry[] {
  return view
    .configFilesNamed('package-or-composer-json', (name) => /^(package|composer)\.json$/.test(name))
    .slice(0, 60);
}

/** Every command line of CI files, task files and package scripts (memoised per project view). */
export function listCommandLines(view: ProjectView): CommandHit[] {
  return view.repository.memo(`project-commands:lines:${view.root}`, () => {
    const hits: CommandHit[] = [];
    const addLines = (entry: TreeEntry, kind: CommandHit['kind']) => {
      const text = view.text(entry.path);
      if (!text) return;
      text.split('\n').forEach((line, index) => {
        const trimmed = line.trim();
        if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('//')) return;
        hits.push({ path: entry.path, line: index + 1, text: line, kind });
      });
    };
    for (const entry of ciEntries(view)) addLines(entry, 'ci');
    for (const entry of taskEntries(view)) addLines(entry, 'task');
    for (const entry of manifestEntries(view)) {
      const text = view.text(entry.path);
      if (!text) continue;
      const parsed = parseJsonText(text);
      if (!parsed.ok || !isRecord(parsed.value) || !isRecord(parsed.value.scripts)) continue;
      const lines = text.split('\n');
      for (const [name, value] of Object.entries(parsed.value.scripts)) {
        const commands = Array.isArray(value) ? value : [value];
        for (const command of commands) {
          if (typeof command !== 'string') continue;
          const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          const index = lines.findIndex((line) => new RegExp(`"${escaped}"\\s*:`).test(line));
          hits.push({
            path: entry.path,
            line: index < 0 ? 1 : index + 1,
            text: `${name}: ${command}`,
            kind: 'package-script',
          });
        }
      }
    }
    return hits;
  });
}

/** Command lines matching `pattern`, CI first. */
export function findProjectCommands(view: ProjectView, pattern: LineTest): CommandHit[] {
  return listCommandLines(view).filter((hit) => testLine(pattern, hit.text));
}

export function findProjectCommand(view: ProjectView, pattern: LineTest): CommandHit | undefined {
  return findProjectCommands(view, pattern)[0];
}
