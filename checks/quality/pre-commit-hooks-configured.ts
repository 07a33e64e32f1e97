import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';
import { isRecord, readYaml } from '../../src/parsers/structured.js';
import { PROJECT_COMMAND_NEEDS, findProjectCommand } from '../lib/project-commands.js';
import { directoryOf, joinPath, plural, ProjectView } from '../lib/project-view.js';
import { relevantEcosystems } from '../lib/source-files.js';
import {
  byDependency,
  byFileName,
  byPackageJsonKey,
  configFiles,
  jsonOf,
  type Evidence,
} from '../lib/tool-detection.js';

const HUSKY_HOOKS =
  /^(pre-commit|commit-msg|pre-push|prepare-commit-msg|post-checkout|post-merge|pre-rebase|post-commit)$/;

interface Judgement {
  runners: Evidence[];
  problems: Finding[];
}

function checkPreCommit(view: ProjectView, judgement: Judgement): void {
  const config = configFiles(view, /^\.pre-commit-config\.ya?ml$/)[0];
  if (!config) return;
  const parsed = readYaml(view.repository, config.path);
  if (!parsed) {
    judgement.runners.push({ tool: 'pre-commit', path: config.path, how: view.display(config.path) });
    return;
  }
  if (!parsed.ok) {
    judgement.problems.push(
      view.finding(
        config.path,
        `${view.display(config.path)} cannot be parsed (${parsed.error}); pre-commit will refuse to run`,
        parsed.line,
      ),
    );
    return;
  }
  const repos = isRecord(parsed.value) ? parsed.value.repos : undefined;
  const hooks = Array.isArray(repos)
    ? repos.reduce(
        (count: number, repo) => count + (isRecord(repo) && Array.isArray(repo.hooks) ? repo.hooks.length : 0),
        0,
      )
    : 0;
  if (!hooks) {
    judgement.problems.push(
      view.finding(config.path, `${view.display(config.path)} defines no hooks (an empty "repos" list)`, 1),
    );
    return;
  }
  judgement.runners.push({
    tool: 'pre-commit',
    path: config.path,
    how: `${view.display(config.path)}, ${plural(hooks, 'hook')}`,
  });
}

function checkHusky(view: ProjectView, judgement: Judgement): void {
  const hookFiles = view.configEntries.filter(
    (entry) =>
      /(^|\/)\.husky\/[^/_][^/]*$/.test(entry.path) &&
      HUSKY_HOOKS.test(entry.path.slice(entry.path.lastIndexOf('/') + 1)),
  );
  const legacy = byPackageJsonKey(view, 'husky (v4)', 'husky');
  if (hookFiles.length) {
    const hook = hookFiles[0];
    const huskyDirectory = directoryOf(directoryOf(hook.path));
    const manifestPath = joinPath(huskyDirectory, 'package.json');
    const manifest = jsonOf(view, manifestPath);
    const scripts = isRecord(manifest) && isRecord(manifest.scripts) ? manifest.scripts : undefined;
    const installs =
      scripts && Object.values(scripts).some((command) => typeof command === 'string' && /\bhusky\b/.test(command));
    const evidence: Evidence = {
      tool: 'husky',
      path: hook.path,
      how: `${hookFiles.map((entry) => view.display(entry.path)).join(', ')}`,
    };
    if (manifest !== undefined && !installs) {
      judgement.problems.push(
        view.finding(
          manifestPath,
          `husky hooks exist in ${view.display(joinPath(huskyDirectory, '.husky'))} but no package.json script installs them; add "prepare": "husky"`,
          1,
        ),
      );
      return;
    }
    judgement.runners.push(evidence);
    return;
  }
  if (legacy) {
    judgement.runners.push(legacy);
    return;
  }
  const installed = byDependency(view, 'husky', ['husky']);
  if (installed)
    judgement.problems.push({
      message: 'husky is a dependency but no hook file exists in .husky/ (add .husky/pre-commit)',
    });
}

export default defineCheck({
  id: 'pre-commit-hooks-configured',
  category: 'quality',
  severity: 'low',
  problemTitle: 'No pre-commit hooks check changes before they are committed',
  title: 'Pre-commit hooks configured',
  description:
    'Git hooks run checks before a commit: `.pre-commit-config.yaml` (pre-commit or prek, with at least one hook), husky (`.husky/` hooks installed by a `prepare` script, or v4 `"husky"` in package.json), lefthook, simple-git-hooks, yorkie `gitHooks`, lint-staged, Overcommit, CaptainHook, GrumPHP, cargo-husky, or a `.githooks/` directory. Hooks at the repository root count for every project. It warns when the configuration cannot be parsed, defines no hooks, when husky hooks are never installed, or when lint-staged has no hook runner.',
  rationale:
    'Hooks give the fastest feedback there is: formatting and lint problems are fixed before they reach a commit, a pull request or a CI minute.',
  remediation: [
    'Add `.pre-commit-config.yaml` at the repository root and run `pre-commit install`:',
    '',
    '```yaml',
    'repos:',
    '  - repo: https://github.com/pre-commit/pre-commit-hooks',
    '    rev: v5.0.0',
    '    hooks:',
    '      - id: trailing-whitespace',
    '      - id: check-yaml',
    '```',
    '',
    'For Node projects, husky: `npx husky init` creates `.husky/pre-commit` and the `"prepare": "husky"` script.',
  ].join('\n'),
  effort: 'minutes',
  scope: 'project',
  needs: {
    files: [
      // Package manifests (package.json, pyproject.toml, setup.cfg, Cargo.toml, pom.xml, build.gradle, *.csproj, go.mod…)
      // are always read by the engine (MANIFEST_GLOBS): repeating them here would cost a tree scan per project root.
      ...PROJECT_COMMAND_NEEDS,
    ],
  },
  evaluate(context) {
    const view = new ProjectView(context);
    const judgement: Judgement = { runners: [], problems: [] };
    checkPreCommit(view, judgement);
    checkHusky(view, judgement);
    const simple = [
      () => byFileName(view, 'lefthook', /^\.?lefthook(-local)?\.(ya?ml|toml|json)$/),
      () => byPackageJsonKey(view, 'simple-git-hooks', 'simple-git-hooks'),
      () => byFileName(view, 'simple-git-hooks', /^\.?simple-git-hooks\.(c?js|json)$/),
      () => byPackageJsonKey(view, 'yorkie', 'gitHooks'),
      () => byPackageJsonKey(view, 'pre-commit (npm)', 'pre-commit'),
      () => byFileName(view, 'Overcommit', /^\.overcommit\.ya?ml$/),
      () => byFileName(view, 'CaptainHook', /^captainhook\.json$/),
      () => byFileName(view, 'GrumPHP', /^grumphp\.ya?ml(\.dist)?$/),
      () => byDependency(view, 'cargo-husky', ['cargo-husky']),
    ];
    for (const detect of simple) {
      const evidence = detect();
      if (evidence) judgement.runners.push(evidence);
    }
    const githooks = view.configEntries.find((entry) => /(^|\/)\.githooks\/[^/]+$/.test(entry.path));
    if (githooks) {
      const installer = findProjectCommand(view, /core\.hooksPath/);
      if (installer)
        judgement.runners.push({
          tool: '.githooks',
          path: githooks.path,
          how: `${view.display(githooks.path)}, installed by ${view.display(installer.path, installer.line)}`,
        });
      else
        judgement.problems.push(
          view.finding(
            githooks.path,
            `${view.display(githooks.path)} is never installed: nothing runs \`git config core.hooksPath .githooks\``,
          ),
        );
    }
    const lintStaged =
      byPackageJsonKey(view, 'lint-staged', 'lint-staged') ??
      byFileName(view, 'lint-staged', /^\.lintstagedrc(\.(json|ya?ml|[cm]?js))?$|^lint-staged\.config\.[cm]?[jt]s$/);
    if (lintStaged && !judgement.runners.length && !judgement.problems.length) {
      judgement.problems.push(
        view.finding(
          lintStaged.path,
          `lint-staged is configured (${lintStaged.how}) but no hook runner calls it (husky, simple-git-hooks, lefthook)`,
          lintStaged.line,
        ),
      );
    } else if (lintStaged) judgement.runners.push(lintStaged);

    const describe = judgement.runners.map((evidence) => `${evidence.tool} (${evidence.how})`).join('; ');
    if (judgement.problems.length) {
      const summary = [describe, ...judgement.problems.map((finding) => finding.message)].filter(Boolean).join('; ');
      return result.warn(summary, judgement.problems, judgement.runners.length ? 0.75 : 0.5);
    }
    if (judgement.runners.length) return result.pass(describe);
    if (!relevantEcosystems(view).relevant.length)
      return result.notApplicable('no source code of a recognised ecosystem, and no hook configuration');
    return result.fail('No pre-commit hooks configured', [
      {
        message:
          'no git hooks found (looked for .pre-commit-config.yaml, .husky/, lefthook.yml, simple-git-hooks, lint-staged, .overcommit.yml, captainhook.json, grumphp.yml, .githooks/)',
      },
    ]);
  },
});
