/**
 * The Markdown report (`shipready scan --format markdown`) as a golden file: the whole catalog on the golden service
 * fixture with a few things taken away, one check turned off in config and a hostile file added, scanned from a
 * local checkout (so repository settings cannot be told). Regenerate with UPDATE_GOLDEN=1 and read the diff.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allChecks } from '../../checks/index.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { runChecks } from '../helpers/run-check.js';
import { NOW, compareWithGolden } from './harness.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'repos', 'golden-orders-api');

function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

describe('the Markdown report', () => {
  it('matches its golden file', async () => {
    const files = filesOf(FIXTURE);
    for (const removed of ['SECURITY.md', 'LICENSE', 'test/server.test.ts', '.github/dependabot.yml'])
      delete files[removed];
    files['.github/workflows/<img src=x onerror=alert(1)>.yml'] =
      'name: "@everyone ](javascript:alert(1))"\non: push\njobs:\n  __tests__:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker-compose.*.yml/and-compose.*.yaml@main\n';
    const scanned = await runChecks(allChecks, files, { config: { checks: { 'code-of-conduct-present': 'off' } } });
    const report = {
      ...scanned,
      target: { source: 'local' as const, path: '/home/dev/src/orders-api/', sha: 'c0ffee'.padEnd(40, '0') },
    };
    const markdown = renderMarkdown(report, { generatedAt: NOW });
    expect(compareWithGolden('markdown-report', { 'report.md': markdown })).toEqual([]);
    // Rules the file must follow whatever its wording: no absolute path, the turned-off check said so.
    expect(markdown).not.toContain('/home/dev');
    expect(markdown).toMatch(/`code-of-conduct-present` \| Turned off in config/);
  });
});
