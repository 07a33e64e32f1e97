import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { parseConfigText } from '../../src/config/load.js';
import { defineCheck, result } from '../../src/engine/define-check.js';
import { ConfigError } from '../../src/engine/errors.js';

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
      { key: 'gate.mode', line: 3, message: 'expected one of "regressions", "absolute"' },
    ]);
  });

  it('names an unknown key at its line', () => {
    expect(problemsOf('gate:\n  mode: absolute\n  failOnn: high\n')).toEqual([
      { key: 'gate.failOnn', line: 3, message: 'unknown key "failOnn"' },
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
