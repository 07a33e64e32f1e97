import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allChecks } from '../../checks/index.js';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/engine/errors.js';
import {
  CONFIG_DOCS_URL,
  renderConfigErrorCheckRun,
  renderConfigErrorTerminal,
} from '../../src/report/config-error.js';
import { escapeMessage } from '../../src/report/escape.js';
import { TOOL_VERSION } from '../../src/version.js';

const GOLDEN = join(import.meta.dirname, 'golden', 'invalid-config.check-run.json');

function errorOf(text: string, path?: string): ConfigError {
  try {
    parseConfigText(text, { checks: allChecks, ...(path ? { place: { path } } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const INVALID = [
  '# shipready',
  'gate:',
  '  mode: strict',
  '  failOn: hihg',
  'checks:',
  '  tests-presnt: off',
  '  readme-present: sometimes',
  '',
].join('\n');

describe('the invalid-config Check Run', () => {
  it('matches the golden file (UPDATE_GOLDEN=1 rewrites it)', () => {
    const output = renderConfigErrorCheckRun(errorOf(INVALID, '.github/shipready.yml'));
    // The docs link carries the version's tag: a release must not rewrite the golden file.
    const text = `${JSON.stringify(output, null, 2)}\n`.replaceAll(CONFIG_DOCS_URL ?? '(no docs)', '<config docs>');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    expect(existsSync(GOLDEN) ? readFileSync(GOLDEN, 'utf8') : '(missing)').toBe(text);
  });

  it('names the problem and the line in the title, and every problem in the summary', () => {
    const single = renderConfigErrorCheckRun(errorOf('gate:\n  mode: strict\n', '.github/shipready.yml'));
    expect(single.title).toBe(
      'Invalid .github/shipready.yml at line 2: gate.mode: `strict` is not allowed: use `regressions` or `absolute`',
    );
    const many = renderConfigErrorCheckRun(errorOf(INVALID, '.github/shipready.yml'));
    expect(many.title).toBe('Invalid .github/shipready.yml: 4 problems, the first at line 3');
    expect(many.summary).toContain(
      '- `checks.tests-presnt` (line 6): unknown check id `tests-presnt`; did you mean `tests-present`?',
    );
  });

  it('annotates each problem on its line of the repository file, with a link to the config docs', () => {
    const { annotations, summary } = renderConfigErrorCheckRun(errorOf(INVALID, '.github/shipready.yml'));
    expect(
      annotations.map((annotation) => [annotation.path, annotation.start_line, annotation.annotation_level]),
    ).toEqual([
      ['.github/shipready.yml', 3, 'failure'],
      ['.github/shipready.yml', 4, 'failure'],
      ['.github/shipready.yml', 6, 'failure'],
      ['.github/shipready.yml', 7, 'failure'],
    ]);
    expect(CONFIG_DOCS_URL).toBe(
      `https://github.com/shipready/shipready/blob/v${TOOL_VERSION}/README.md#configuration`,
    );
    expect(summary).toContain(`[Configuration](${CONFIG_DOCS_URL})`);
  });

  it('does not annotate a file that is not in the repository (no path), but one reached through _extends at its _extends line', () => {
    expect(renderConfigErrorCheckRun(errorOf('gate:\n  mode: strict\n')).annotations).toEqual([]);
    const extended = new ConfigError(
      'acme/.github:.github/shipready.yml',
      [{ key: '', line: 4, message: 'YAML nested more than 200 levels deep: not parsed' }],
      { via: { path: '.github/shipready.yml', line: 2 } },
    );
    const output = renderConfigErrorCheckRun(extended);
    expect(output.annotations).toEqual([
      {
        path: '.github/shipready.yml',
        start_line: 2,
        end_line: 2,
        annotation_level: 'failure',
        title: 'Invalid config reached through _extends: acme/.github:.github/shipready.yml',
        message: '(root) (line 4): YAML nested more than 200 levels deep: not parsed',
      },
    ]);
    expect(output.summary.split('\n')[0]).toBe(
      '`acme/.github:.github/shipready.yml`, which `.github/shipready.yml` extends (line 2), is invalid, so nothing was evaluated:',
    );
  });

  it('keeps hostile keys and values literal: no HTML, no links, no mentions', () => {
    const hostile = errorOf(
      'checks:\n  "<img src=x onerror=alert(1)>": off\n  "@everyone](javascript:alert(1))": off\ngate:\n  mode: "`</code><b>x`"\n',
      '.github/shipready.yml',
    );
    const { summary } = renderConfigErrorCheckRun(hostile);
    expect(summary).toContain('`<img src=x onerror=alert(1)>`');
    expect(summary).toContain('`@everyone](javascript:alert(1))`');
    expect(summary).toContain('`` `</code><b>x` ``');
    // Outside code spans nothing is raw: every line is "- `key` (line N): " and escaped prose.
    for (const line of summary.split('\n').filter((entry) => entry.startsWith('- ')))
      expect(line.replace(/(`+)[^`].*?\1/g, '')).not.toMatch(/[<>@]|\]\(/);
  });

  it('inline Markdown: text outside code spans is escaped, an unpaired backtick too, a backslash cannot shift spans', () => {
    expect(escapeMessage('use `off` or *bold* <b>')).toBe('use `off` or \\*bold\\* \\<b\\>');
    expect(escapeMessage('a ` b')).toBe('a \\` b');
    expect(escapeMessage('x\\`<b>` y')).toBe('x\\\\`<b>` y');
    expect(escapeMessage('two\nlines `a\n\nb`')).toBe('two lines `a  b`');
  });
});

describe('the invalid-config terminal text', () => {
  it('lists every problem with its line, escapes control characters and links the docs', () => {
    const text = renderConfigErrorTerminal(errorOf('gate:\n  mode: "\\e[31mred"\n'));
    expect(text).toBe(
      [
        '.github/shipready.yml is invalid:',
        '  - gate.mode (line 2): `\\e[31mred` is not allowed: use `regressions` or `absolute`',
        `Fix the file (every key is described at ${CONFIG_DOCS_URL}) or pass --config with a valid one.`,
        '',
      ].join('\n'),
    );
  });
});
