import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { parseConfigText } from '../../src/config/load.js';
import { defineCheck, result } from '../../src/engine/define-check.js';
import { ConfigError } from '../../src/engine/errors.js';

function withOptionsDefinition(id: string) {
  return {
    id,
    category: 'testing' as const,
    severity: 'medium' as const,
    title: 't',
    description: 'd',
    rationale: 'r',
    remediation: '`x`',
    effort: 'minutes' as const,
    scope: 'project' as const,
    needs: {},
    evaluate: () => result.pass('ok'),
  };
}

const withOptions = defineCheck({
  id: 'coverage-threshold-enforced',
  category: 'testing',
  severity: 'medium',
  title: 't',
  description: 'd',
  rationale: 'r',
  remediation: '`x`',
  effort: 'minutes',
  scope: 'project',
  needs: {},
  options: z.strictObject({ min: z.number().min(0).max(100).default(80) }),
  evaluate: () => result.pass('ok'),
});
const checks = [withOptions];

function problemsOf(text: string) {
  try {
    parseConfigText(text, { checks });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfigText', () => {
  it('gives the defaults for an empty file', () => {
    const config = parseConfigText('', { checks });
    expect(config.gate).toEqual({ mode: 'regressions', failOn: 'high' });
    expect(config.issues.mode).toBe('per-check');
    expect(config.comment.mode).toBe('on-change');
  });

  it('accepts off, a severity, or options per check', () => {
    const config = parseConfigText('checks:\n  coverage-threshold-enforced:\n    severity: high\n    min: 90\n', {
      checks,
    });
    expect(config.checks['coverage-threshold-enforced']).toEqual({ severity: 'high', min: 90 });
  });

  it('names the key and line of a wrong enum value', () => {
    expect(problemsOf('profile: service\ngate:\n  mode: sometimes\n')).toEqual([
      { key: 'gate.mode', line: 3, message: '`sometimes` is not allowed: use `regressions` or `absolute`' },
    ]);
  });

  it('names an unknown key at its line', () => {
    expect(problemsOf('gate:\n  mode: absolute\n  failOnn: high\n')).toEqual([
      { key: 'gate.failOnn', line: 3, message: 'unknown key `failOnn`; did you mean `failOn`?' },
    ]);
  });

  it('rejects an unknown check id with its line', () => {
    const [problem] = problemsOf('checks:\n  readme-presnt: off\n');
    expect(problem).toMatchObject({ key: 'checks.readme-presnt', line: 2 });
    expect(problem.message).toContain('unknown check id');
  });

  it("validates a check's options with its own schema", () => {
    const [problem] = problemsOf('checks:\n  coverage-threshold-enforced:\n    min: 140\n');
    expect(problem).toMatchObject({ key: 'checks.coverage-threshold-enforced.min', line: 3 });
  });

  it('reports malformed YAML with the line instead of throwing something else', () => {
    const [problem] = problemsOf('gate:\n  mode: [absolute\n');
    expect(problem.message).toMatch(/invalid YAML/);
    expect(problem.line).toBeGreaterThan(0);
  });

  it('rejects a config that is not a mapping', () => {
    expect(problemsOf('- a\n- b\n')[0].message).toMatch(/expected a mapping/);
  });
});

describe('config errors say what is allowed, all in one pass', () => {
  const catalog = [
    withOptions,
    defineCheck({ ...withOptionsDefinition('tests-present'), options: undefined }),
    defineCheck({ ...withOptionsDefinition('readme-present'), options: undefined }),
  ];
  const problems = (text: string) => {
    try {
      parseConfigText(text, { checks: catalog });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    throw new Error('expected a ConfigError');
  };

  it('reports unknown check ids with the other errors, in file order, with the id most likely meant', () => {
    expect(
      problems(
        [
          'gate:',
          '  mode: strict',
          'checks:',
          '  tests-presnt: off',
          '  flaky-thing: high',
          '  readme-present: sometimes',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      { key: 'gate.mode', line: 2, message: '`strict` is not allowed: use `regressions` or `absolute`' },
      {
        key: 'checks.tests-presnt',
        line: 4,
        message: 'unknown check id `tests-presnt`; did you mean `tests-present`?',
      },
      { key: 'checks.flaky-thing', line: 5, message: 'unknown check id `flaky-thing` (`shipready checks` lists them)' },
      {
        key: 'checks.readme-present',
        line: 6,
        message:
          "`sometimes` is not a check setting: use `off` or a severity (`critical`, `high`, `medium` or `low`), or a mapping with `severity` and the check's options",
      },
    ]);
  });

  it('an unknown id is reported as unknown even when its value is also wrong', () => {
    expect(problems('checks:\n  readme-presnet: loud\n')).toEqual([
      {
        key: 'checks.readme-presnet',
        line: 2,
        message: 'unknown check id `readme-presnet`; did you mean `readme-present`?',
      },
    ]);
  });

  it('a bad severity lists `off` and the severities, and suggests the near miss', () => {
    expect(problems('gate:\n  failOn: hihg\nchecks:\n  coverage-threshold-enforced:\n    severity: hgih\n')).toEqual([
      {
        key: 'gate.failOn',
        line: 2,
        message: '`hihg` is not allowed: use `critical`, `high`, `medium`, `low` or `none`; did you mean `high`?',
      },
      {
        key: 'checks.coverage-threshold-enforced.severity',
        line: 5,
        message: '`hgih` is not allowed: use `off`, `critical`, `high`, `medium` or `low`; did you mean `high`?',
      },
    ]);
  });

  it('says which keys a mapping takes when an unknown key is not a near miss', () => {
    expect(problems('gate:\n  strictness: 1\n')).toEqual([
      {
        key: 'gate.strictness',
        line: 2,
        message: 'unknown key `strictness`; the keys here are `mode`, `failOn` and `minScore`',
      },
    ]);
    expect(problems('checks:\n  coverage-threshold-enforced:\n    minimum: 90\n')).toEqual([
      {
        key: 'checks.coverage-threshold-enforced.minimum',
        line: 3,
        message: 'unknown key `minimum`; the keys here are `min` and `severity`',
      },
    ]);
    expect(problems('checks:\n  tests-present:\n    min: 90\n')).toEqual([
      {
        key: 'checks.tests-present.min',
        line: 3,
        message: 'unknown key `min`: check `tests-present` takes no options besides `severity`',
      },
    ]);
  });

  it('words wrong types and out-of-range numbers with the value found', () => {
    expect(problems('gate:\n  minScore: "80"\nissues:\n  max: 0\nignore:\n  paths: vendor\n')).toEqual([
      { key: 'gate.minScore', line: 2, message: 'expected a number; found the text `80`' },
      { key: 'issues.max', line: 4, message: '`0` is out of range: use a number at least 1' },
      { key: 'ignore.paths', line: 6, message: 'expected a list; found the text `vendor`' },
    ]);
  });

  it('gives YAML syntax errors a line and a column, never a dangling "column 1:"', () => {
    const [problem] = problems('gate:\n  mode: [absolute\n');
    expect(problem).toEqual({
      key: '',
      line: 2,
      column: 17,
      message: 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    });
    let message = '';
    try {
      parseConfigText('gate:\n  mode: [absolute\n', { checks: catalog });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      '.github/shipready.yml is invalid:\n  - (root) (line 2, column 17): invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
    expect(message).not.toMatch(/column \d+:\s*$/m);
  });

  it('a key written twice is an error at its second line', () => {
    expect(problems('gate:\n  mode: absolute\n  mode: regressions\n')[0]).toMatchObject({ line: 3 });
  });
});
