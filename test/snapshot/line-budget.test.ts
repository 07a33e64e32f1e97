import { describe, expect, it } from '@jest/globals';
import { configSchema } from '../../src/config/schema.js';
import { defineCheck, result } from '../../src/engine/define-check.js';
import { evaluateRepository, MAX_FILES_READ } from '../../src/engine/runner.js';
import { readJson } from '../../src/parsers/structured.js';
import { applyLineBudget, capLineLength, MAX_LINE_CHARS } from '../../src/snapshot/file-text.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';
import type { FileText } from '../../src/snapshot/types.js';

const fileOf = (text: string): FileText => ({
  path: 'README.md',
  text,
  binary: false,
  truncated: false,
  size: text.length,
});

describe('line budget', () => {
  it('leaves files without long lines untouched (same object)', () => {
    const file = fileOf(`# title\n${'a'.repeat(MAX_LINE_CHARS)}\nend\n`);
    expect(capLineLength(file)).toBe(file);
  });

  it('cuts each long line to the budget, keeping line count and the text around it', () => {
    const long = 'x'.repeat(100_000);
    const capped = capLineLength(fileOf(`first\n${long}\nmiddle\n${'y'.repeat(5000)}`), 10);
    expect(capped.text).toBe(`first\n${'x'.repeat(10)}\nmiddle\n${'y'.repeat(10)}`);
    expect(capped.longLines).toEqual({
      count: 2,
      longest: 100_000,
      fullText: `first\n${long}\nmiddle\n${'y'.repeat(5000)}`,
    });
  });

  it('says in a note which file had lines cut', () => {
    const { files, notes } = applyLineBudget(new Map([['README.md', fileOf(`${'z'.repeat(9000)}\n`)]]));
    expect(files.get('README.md')?.text).toBe(`${'z'.repeat(MAX_LINE_CHARS)}\n`);
    expect(notes).toEqual([
      `README.md: 1 line longer than ${MAX_LINE_CHARS} characters (longest 9000) were cut to ${MAX_LINE_CHARS} for matching`,
    ]);
  });

  it('is applied to every evaluation: checks see capped lines, structured parsers the whole text, the report a warning', async () => {
    let seenReadmeLine = -1;
    let parsedName: unknown;
    const probe = defineCheck({
      id: 'line-budget-probe',
      category: 'quality',
      severity: 'low',
      title: 'probe',
      description: 'a test check that reports what it saw',
      rationale: 'for the budget tests only',
      remediation: 'none',
      effort: 'minutes',
      scope: 'repository',
      needs: { files: ['README.md', 'package.json'] },
      evaluate: ({ snapshot }) => {
        seenReadmeLine = Math.max(...(snapshot.text('README.md') ?? '').split('\n').map((line) => line.length));
        const parsed = readJson(snapshot, 'package.json');
        parsedName = parsed?.ok ? (parsed.value as { name?: unknown }).name : parsed?.error;
        return result.pass('seen');
      },
    });
    // A minified package.json on one 20 KB line must still parse.
    const packageJson = JSON.stringify({ name: 'minified', description: 'd'.repeat(20_000) });
    const report = await evaluateRepository({
      source: new MemorySource({ 'README.md': `# hi\n${'A'.repeat(100_000)}\n`, 'package.json': packageJson }),
      checks: [probe],
      config: configSchema.parse({}),
    });
    expect(seenReadmeLine).toBe(MAX_LINE_CHARS);
    expect(parsedName).toBe('minified');
    expect(report.warnings.some((warning) => warning.startsWith('README.md: 1 line longer than'))).toBe(true);
    expect(report.warnings.some((warning) => warning.startsWith('package.json: 1 line longer than'))).toBe(true);
  });
});

describe('file count budget', () => {
  it('reads at most MAX_FILES_READ files and reports how many were left unread', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < MAX_FILES_READ + 7; index += 1) files[`docs/page-${index}.md`] = '# page\n';
    const probe = defineCheck({
      id: 'reads-every-page',
      category: 'quality',
      severity: 'low',
      title: 'probe',
      description: 'a test check that asks for every page',
      rationale: 'for the budget tests only',
      remediation: 'none',
      effort: 'minutes',
      scope: 'repository',
      needs: { files: ['docs/*.md'] },
      evaluate: () => result.pass('seen'),
    });
    const source = new MemorySource(files);
    const report = await evaluateRepository({ source, checks: [probe], config: configSchema.parse({}) });
    expect(source.requestedPaths.flat()).toHaveLength(MAX_FILES_READ);
    expect(report.warnings).toContain(`read budget of ${MAX_FILES_READ} files reached: 7 file(s) left unread`);
  }, 60_000);
});
