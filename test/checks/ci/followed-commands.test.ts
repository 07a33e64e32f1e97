import { describe, expect, it } from '@jest/globals';
import linters from '../../../checks/ci/ci-runs-linters.js';
import deployment from '../../../checks/ci/deployment-pipeline-present.js';
import tests from '../../../checks/ci/ci-runs-tests-on-pull-requests.js';
import { classifyShellLine, excludesPullRequests, logicalLines } from '../../../checks/lib/commands.js';
import { runCheck } from '../../helpers/run-check.js';

const kinds = (line: string) => classifyShellLine(line).map((item) => item.kind);
const workflow = (steps: string, jobExtra = '') =>
  `on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n${jobExtra}    steps:\n      - uses: actions/checkout@v4\n${steps}`;

describe('shell lines are tokenised (issue 9: parsers that parse)', () => {
  it('a commit message that mentions `npm test` is not a test run', () => {
    expect(kinds('git commit -m "chore; npm test"')).toEqual([]);
    expect(kinds("git commit -am 'run npm test && eslint .'")).toEqual([]);
  });

  it('a `#` inside quotes does not start a comment: `npm test` after it is kept', () => {
    const [line] = logicalLines([{ text: 'curl -H "X-Tag: #1" https://example.test/hook && npm test', line: 1 }]);
    expect(kinds(line.text)).toEqual(['test']);
    expect(kinds('npm test # && eslint .')).toEqual(['test']);
  });

  it('reads the script of `bash -c "…"` as commands', () => {
    expect(kinds('bash -c "npm run lint && go test ./..."').sort()).toEqual(['lint', 'test']);
  });

  it('Helm chart-testing `ct lint` is a linter', () => {
    expect(kinds('ct lint --target-branch main')).toEqual(['lint']);
  });
});

describe('commands are followed one level (CATALOG ci rows)', () => {
  it('a step running ./build.sh that runs `dotnet test`', async () => {
    const report = await runCheck(tests, {
      'App.sln': '',
      'build.sh': '#!/usr/bin/env bash\nset -euo pipefail\ndotnet restore\ndotnet test --no-restore\n',
      '.github/workflows/ci.yml': workflow('      - run: ./build.sh\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('via build.sh:4');
  });

  it('a step running `pwsh ./Build.ps1` that runs `dotnet test`, and one that pushes to NuGet', async () => {
    const files = {
      'App.sln': '',
      'Build.ps1': 'param([string]$Configuration = "Release")\nexec { & dotnet test -c $Configuration }\n',
      'scripts/publish.ps1': 'dotnet nuget push "out/*.nupkg" --api-key $env:NUGET_KEY\n',
      '.github/workflows/ci.yml': workflow('      - run: pwsh ./Build.ps1\n      - run: ./scripts/publish.ps1\n'),
    };
    expect((await runCheck(tests, files)).outcome).toBe('pass');
    expect((await runCheck(deployment, files)).outcome).toBe('pass');
  });

  it('`make <target>` runs the recipe of the target (and of its prerequisites)', async () => {
    const report = await runCheck(tests, {
      'go.mod': 'module x\n',
      Makefile:
        'GO ?= go\n\n.PHONY: verify lint\nverify: lint\n\t@$(GO) vet ./...\n\tgo test -race ./...\n\nlint:\n\tgolangci-lint run\n',
      '.github/workflows/ci.yml': workflow('      - run: make verify\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('Makefile:6 (make verify)');
    const lint = await runCheck(linters, {
      'go.mod': 'module x\n',
      Makefile: 'ci: unit\n\techo ok\nunit:\n\tgolangci-lint run\n',
      '.github/workflows/ci.yml': workflow('      - run: make ci\n'),
    });
    expect(lint.outcome).toBe('pass');
  });

  it('`npm test` whose `pretest` runs the linter counts as linting', async () => {
    const report = await runCheck(linters, {
      'package.json': JSON.stringify({ scripts: { pretest: 'eslint .', test: 'node --test' } }),
      '.github/workflows/ci.yml': workflow('      - run: npm ci\n      - run: npm test\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toContain('package.json script `pretest`');
  });

  it('Maven lint plugins bound to the lifecycle make `mvn verify` lint', async () => {
    const pom = [
      '<project>',
      '  <build><plugins>',
      '    <plugin>',
      '      <groupId>io.spring.javaformat</groupId>',
      '      <artifactId>spring-javaformat-maven-plugin</artifactId>',
      '      <executions><execution><phase>validate</phase><goals><goal>validate</goal></goals></execution></executions>',
      '    </plugin>',
      '    <plugin>',
      '      <artifactId>maven-checkstyle-plugin</artifactId>',
      '      <executions><execution><id>checkstyle</id><goals><goal>check</goal></goals></execution></executions>',
      '    </plugin>',
      '  </plugins></build>',
      '</project>',
    ].join('\n');
    const report = await runCheck(linters, {
      'pom.xml': pom,
      '.github/workflows/ci.yml': workflow('      - run: ./mvnw -B verify\n'),
    });
    expect(report.outcome).toBe('pass');
    expect(report.summary).toMatch(/spring-javaformat|Checkstyle/);
    // A commented-out plugin binds nothing.
    const commented = await runCheck(linters, {
      'pom.xml': `<project><build><plugins><!-- <plugin><artifactId>maven-checkstyle-plugin</artifactId><executions><execution><goals><goal>check</goal></goals></execution></executions></plugin> --></plugins></build></project>`,
      '.github/workflows/ci.yml': workflow('      - run: mvn -B verify\n'),
    });
    expect(commented.outcome).toBe('fail');
  });

  it('the Gradle checkstyle/Spotless plugins make `gradle check` lint', async () => {
    const report = await runCheck(linters, {
      'build.gradle.kts': 'plugins {\n    java\n    checkstyle\n    id("com.diffplug.spotless") version "6.25.0"\n}\n',
      '.github/workflows/ci.yml': workflow('      - run: ./gradlew check\n'),
    });
    expect(report.outcome).toBe('pass');
  });
});

describe('steps skipped on pull requests do not count', () => {
  it.each([
    ["github.event_name != 'pull_request'", true],
    ["${{ github.event_name == 'push' && matrix.os == 'linux' }}", true],
    ["startsWith(github.ref, 'refs/tags/')", true],
    ["github.event_name == 'pull_request'", false],
    ["github.event_name != 'pull_request' || inputs.force", false],
    ['always()', false],
  ])('%s excludes pull requests: %s', (condition, expected) => {
    expect(excludesPullRequests(condition)).toBe(expected);
  });

  it('a test step with `if: github.event_name != pull_request` is not a pull-request test run', async () => {
    const report = await runCheck(tests, {
      'go.mod': 'module x\n',
      '.github/workflows/ci.yml': workflow(
        "      - run: go build ./...\n      - if: github.event_name != 'pull_request'\n        run: go test ./...\n",
      ),
    });
    expect(report.outcome).not.toBe('pass');
    const job = await runCheck(tests, {
      'go.mod': 'module x\n',
      '.github/workflows/ci.yml': workflow('      - run: go test ./...\n', "    if: github.event_name == 'push'\n"),
    });
    expect(job.outcome).not.toBe('pass');
  });
});
