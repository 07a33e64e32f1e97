import { describe, expect, it } from '@jest/globals';
import formatter from '../../../checks/quality/formatter-configured.js';
import linter from '../../../checks/quality/linter-configured.js';
import typeChecking from '../../../checks/quality/type-checking-enabled.js';
import testFramework from '../../../checks/testing/test-framework-configured.js';
import testsPresent from '../../../checks/testing/tests-present.js';
import { runCheck, runChecks } from '../../helpers/run-check.js';

describe('tool rows of the amended catalog', () => {
  it('passes mypy `strict = true` and `[tool.black]`', async () => {
    const files = {
      'pyproject.toml': '[project]\nname = "x"\n\n[tool.black]\nline-length = 100\n\n[tool.mypy]\nstrict = true\n',
      'src/x/__init__.py': 'def f() -> int:\n    return 1\n',
    };
    expect((await runCheck(typeChecking, files)).outcome).toBe('pass');
    expect((await runCheck(formatter, files)).outcome).toBe('pass');
  });

  it('warns when a linter or formatter is only a dependency, never configured or run', async () => {
    const python = {
      'requirements.txt': 'requests==2.32.0\n',
      'requirements-dev.txt': 'flake8==7.0.0\nblack==24.1.0\n',
      'app.py': 'print(1)\n',
    };
    const ruby = {
      Gemfile: "gem 'rails'\ngem 'rubocop', group: :development\n",
      'app/models/user.rb': 'class User; end\n',
    };
    const php = {
      'composer.json': '{"require-dev":{"laravel/pint":"^1","phpstan/phpstan":"^1"}}',
      'src/A.php': '<?php class A {}\n',
    };
    for (const files of [python, ruby, php] as Array<Record<string, string>>) {
      for (const check of [linter, formatter]) {
        const report = await runCheck(check, files);
        expect({ id: check.id, outcome: report.outcome }).toEqual({ id: check.id, outcome: 'warn' });
        expect(report.findings[0].message).toContain('nothing configures or runs it');
      }
    }
    // Run by CI, the same dependency counts.
    const ran = await runCheck(linter, {
      ...python,
      '.github/workflows/ci.yml': 'on: pull_request\njobs:\n  l:\n    runs-on: x\n    steps:\n      - run: flake8 .\n',
    });
    expect(ran.outcome).toBe('pass');
  });

  it('.NET formatting: `dotnet format` or C# formatting rules in .editorconfig, not the SDK alone', async () => {
    const project = {
      'App/App.csproj': '<Project Sdk="Microsoft.NET.Sdk"></Project>',
      'App/Program.cs': 'class P {}',
    };
    expect((await runCheck(formatter, project)).outcome).toBe('fail');
    const rules = await runCheck(formatter, {
      ...project,
      '.editorconfig': 'root = true\n\n[*.cs]\ncsharp_new_line_before_open_brace = all\n',
    });
    expect(rules.outcome).toBe('pass');
    expect(rules.summary).toContain('.editorconfig');
  });

  it('judges a skeleton project on its configuration, and fails tests-present', async () => {
    const skeleton = {
      'pyproject.toml': [
        '[project]',
        'name = "x"',
        'version = "0.1.0"',
        '',
        '[tool.ruff]',
        'line-length = 100',
        '',
        '[tool.ruff.format]',
        '',
        '[tool.mypy]',
        'strict = true',
        '',
        '[tool.pytest.ini_options]',
        'testpaths = ["tests"]',
        '',
      ].join('\n'),
      'README.md': '# x\n',
    };
    const report = await runChecks([linter, formatter, typeChecking, testFramework, testsPresent], skeleton);
    expect(Object.fromEntries(report.checks.map((check) => [check.id, check.outcome]))).toEqual({
      'linter-configured': 'pass',
      'formatter-configured': 'pass',
      'type-checking-enabled': 'pass',
      'test-framework-configured': 'pass',
      'tests-present': 'fail',
    });
  });
});
