import { describe, expect, it } from '@jest/globals';
import linters from '../../../checks/ci/ci-runs-linters.js';
import tests from '../../../checks/ci/ci-runs-tests-on-pull-requests.js';
import { justRecipeLines, parseJustfile } from '../../../src/parsers/justfile.js';
import { parseTaskfile, taskCommandLines } from '../../../src/parsers/taskfile.js';
import { runCheck } from '../../helpers/run-check.js';

const workflow = (steps: string) =>
  `on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n${steps}`;

// The shape of a Rust project's justfile (settings, variables, an alias, attributes, a quiet dependency chain).
const JUSTFILE = `set shell := ["bash", "-uc"]

export RUST_BACKTRACE := "1"
features := "--all-features"

alias c := ci

# everything CI runs
[group('ci')]
ci: fmt-check (clippy "deny")
    @echo "all good"

fmt-check:
    cargo fmt --all -- --check

clippy level:
    cargo clippy {{features}} -- -D warnings

test *args:
    cargo nextest run {{args}}
`;

// The shape of a Go project's Taskfile.yml.
const TASKFILE = `version: '3'

vars:
  PKG: ./...

tasks:
  default:
    cmds:
      - task: verify
  verify:
    desc: What CI runs
    deps: [lint]
    cmds:
      - go vet {{.PKG}}
      - cmd: go test -race {{.PKG}}
  lint: golangci-lint run
  release:
    cmds:
      - |
        goreleaser check
        goreleaser release --clean
`;

describe('justfile and Taskfile parsers', () => {
  it('reads recipes, dependencies with arguments and aliases', () => {
    const justfile = parseJustfile(JUSTFILE);
    expect(justfile.recipes.map((recipe) => [recipe.name, recipe.dependencies])).toEqual([
      ['ci', ['fmt-check', 'clippy']],
      ['fmt-check', []],
      ['clippy', []],
      ['test', []],
    ]);
    expect(justfile.aliases).toEqual({ c: 'ci' });
    expect(justRecipeLines(justfile, 'c').map((line) => line.text)).toEqual([
      'cargo clippy {{features}} -- -D warnings',
      'cargo fmt --all -- --check',
      'echo "all good"',
    ]);
  });

  it('reads tasks, their short forms, deps, `task:` calls and block scalars with lines', () => {
    const tasks = parseTaskfile(TASKFILE);
    expect(taskCommandLines(tasks, 'verify')).toEqual([
      { text: 'go vet {{.PKG}}', line: 14 },
      { text: 'go test -race {{.PKG}}', line: 15 },
      { text: 'golangci-lint run', line: 16 },
    ]);
    expect(taskCommandLines(tasks, 'release')).toEqual([
      { text: 'goreleaser check', line: 20 },
      { text: 'goreleaser release --clean', line: 21 },
    ]);
    // A bare `task` runs `default`, which calls verify: verify's own commands, not lint's (one level).
    expect(taskCommandLines(tasks, undefined).map((line) => line.text)).toEqual([
      'go vet {{.PKG}}',
      'go test -race {{.PKG}}',
    ]);
    expect(parseTaskfile('tasks: [')).toEqual([]);
  });
});

describe('`just <recipe>` and `task <name>` are followed one level, like make targets', () => {
  it('a step running `just ci` lints through the recipe’s dependencies', async () => {
    const report = await runCheck(linters, {
      'Cargo.toml': '[package]\nname = "x"\nversion = "0.1.0"\n',
      justfile: JUSTFILE,
      '.github/workflows/ci.yml': workflow('      - uses: extractions/setup-just@v2\n      - run: just ci\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('(via justfile:');
  });

  it('a step running `task verify` runs the tests', async () => {
    const report = await runCheck(tests, {
      'go.mod': 'module example.com/x\n',
      'Taskfile.yml': TASKFILE,
      '.github/workflows/ci.yml': workflow('      - run: task verify\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('Taskfile.yml:15 (task verify)');
  });
});

describe('Gradle convention plugins in buildSrc', () => {
  it('checkstyle applied by a buildSrc convention plugin makes `./gradlew check` lint', async () => {
    const report = await runCheck(linters, {
      'settings.gradle.kts': 'rootProject.name = "shop"\ninclude("app")\n',
      'buildSrc/build.gradle.kts': 'plugins {\n    `kotlin-dsl`\n}\n',
      'buildSrc/src/main/kotlin/shop.java-conventions.gradle.kts':
        'plugins {\n    java\n    checkstyle\n}\n\ncheckstyle {\n    toolVersion = "10.17.0"\n}\n',
      'app/build.gradle.kts': 'plugins {\n    id("shop.java-conventions")\n    application\n}\n',
      'app/src/main/java/shop/App.java': 'package shop;\nclass App {}\n',
      '.github/workflows/ci.yml': workflow('      - run: ./gradlew check\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('Checkstyle');
    expect(report.summary).toContain('shop.java-conventions');
  });
});
