import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allChecks } from '../checks/index.js';
import { renderCheckDoc } from '../src/report/check-doc.js';
import { CATEGORIES } from '../src/engine/types.js';

const root = join(import.meta.dirname, '..');
const catalogPath = join(root, '..', 'shared', 'CATALOG.md');
const updateDocs = process.env.UPDATE_CHECK_DOCS === '1';

interface CatalogRow {
  id: string;
  category: string;
  severity: string;
  serviceOnly: boolean;
}

/** Rows of ../shared/CATALOG.md: `| \`id\` | severity | passes when |` under `## category — title`. */
function readCatalog(): CatalogRow[] {
  const rows: CatalogRow[] = [];
  let category = '';
  for (const line of readFileSync(catalogPath, 'utf8').split('\n')) {
    const heading = /^## ([a-z]+)(?: |$)/.exec(line);
    if (heading) category = heading[1];
    const row = /^\| `([a-z0-9-]+)` \| (critical|high|medium|low) \| (.*) \|$/.exec(line);
    if (row)
      rows.push({
        id: row[1],
        category,
        severity: row[2],
        serviceOnly: /^S[:,]? /.test(row[3]) || category === 'operations',
      });
  }
  return rows;
}

const checkFilesOnDisk = CATEGORIES.flatMap(({ id: category }) =>
  readdirSync(join(root, 'checks', category))
    .filter((name) => name.endsWith('.ts') && name !== 'index.ts' && !name.endsWith('.test.ts'))
    .map((name) => ({ category, id: name.replace(/\.ts$/, '') })),
);

describe('the check catalog', () => {
  it('finds ../shared/CATALOG.md beside the project', () => {
    expect(existsSync(catalogPath)).toBe(true);
  });

  const catalog = readCatalog();

  it('registers every check of CATALOG.md exactly once, and nothing else', () => {
    const registered = allChecks.map((check) => check.id);
    expect(new Set(registered).size).toBe(registered.length);
    expect([...registered].sort()).toEqual(catalog.map((row) => row.id).sort());
  });

  it('keeps category, severity and service-only profile equal to CATALOG.md', () => {
    for (const row of catalog) {
      const check = allChecks.find((candidate) => candidate.id === row.id);
      expect({ id: row.id, category: check?.category, severity: check?.severity }).toEqual({
        id: row.id,
        category: row.category,
        severity: row.severity,
      });
      if (row.serviceOnly && row.id !== 'api-docs-present')
        expect({ id: row.id, profiles: check?.profiles }).toEqual({ id: row.id, profiles: ['service'] });
    }
  });

  it("leaves out of the docs profile exactly the checks the catalog's docs paragraph names", () => {
    // "**docs profile** … these checks are `not-applicable`: the configuration checks except `no-committed-env-files`;
    // … all testing checks; … and the S-only checks. Everything else applies"
    const text = readFileSync(catalogPath, 'utf8');
    const paragraph = text.slice(text.indexOf('**docs profile**'), text.indexOf('Everything else applies'));
    expect(paragraph).toContain('the configuration checks except `no-committed-env-files`');
    expect(paragraph).toContain('all testing checks');
    expect(paragraph).toContain('the S-only checks');
    const named = [...paragraph.matchAll(/`([a-z0-9-]+)`/g)].map((match) => match[1]);
    const expected = new Set(
      catalog
        .filter(
          (row) =>
            (named.includes(row.id) && row.id !== 'no-committed-env-files') ||
            (row.category === 'configuration' && row.id !== 'no-committed-env-files') ||
            row.category === 'testing' ||
            row.serviceOnly,
        )
        .map((row) => row.id),
    );
    const leftOut = allChecks
      .filter((check) => check.profiles && !check.profiles.includes('docs'))
      .map((check) => check.id);
    expect(leftOut.sort()).toEqual([...expected].sort());
  });

  it('has one file per check at checks/<category>/<id>.ts, and the registry equals the files', () => {
    expect(checkFilesOnDisk.map((file) => `${file.category}/${file.id}`).sort()).toEqual(
      allChecks.map((check) => `${check.category}/${check.id}`).sort(),
    );
  });

  it('has a doc page per check that matches its metadata (UPDATE_CHECK_DOCS=1 rewrites them)', () => {
    for (const check of allChecks) {
      const path = join(root, 'checks', check.category, `${check.id}.md`);
      const expected = renderCheckDoc(check);
      if (updateDocs) writeFileSync(path, expected);
      expect({ path, doc: existsSync(path) ? readFileSync(path, 'utf8') : '(missing)' }).toEqual({
        path,
        doc: expected,
      });
    }
  });

  it('has a test file per check', () => {
    for (const check of allChecks)
      expect({
        id: check.id,
        test: existsSync(join(root, 'test', 'checks', check.category, `${check.id}.test.ts`)),
      }).toEqual({ id: check.id, test: true });
  });

  it('gives every check a title, a description, a rationale and a remediation with an example', () => {
    for (const check of allChecks) {
      expect({ id: check.id, ok: check.title.length > 0 && check.title.length <= 100 }).toEqual({
        id: check.id,
        ok: true,
      });
      expect({ id: check.id, ok: check.description.length > 20 && check.rationale.length > 20 }).toEqual({
        id: check.id,
        ok: true,
      });
      expect({ id: check.id, example: /```|`[^`]+`/.test(check.remediation) }).toEqual({ id: check.id, example: true });
    }
  });
});
