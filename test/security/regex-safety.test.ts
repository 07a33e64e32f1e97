/**
 * Every regular expression in src/ and checks/ is linear-time, or is allow-listed with the bound that makes it safe.
 *
 * The inventory (TypeScript compiler API) finds regex literals and `new RegExp` calls; recheck (native binary,
 * offline) judges each pattern. recheck takes 0.1–15 s per pattern, so its verdicts are cached in
 * `regex-verdicts.json`, keyed by flags + pattern only (never by file or line: editing a pattern is a cache miss).
 * Each run re-checks every pattern missing from the cache plus a rotating sample of cached ones, and fails when a
 * fresh verdict disagrees with the cached one. `UPDATE_REGEX_VERDICTS=1` writes the fresh verdicts into the cache
 * (and drops patterns no longer in the code); `UPDATE_REGEX_VERDICTS=all` re-checks every pattern first.
 *
 * Patterns built at run time (from tables and keys, and by any library) are captured while the engine
 * evaluates four fixture repositories, and judged the same way; every dynamic
 * construction site must be named in the allow-list's `dynamic` section with how its pattern is bounded.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, type Diagnostics } from 'recheck';
import { captureRegExpConstruction, type CapturedRegex } from './regex-capture.js';
import { collectRegexes, type RegexInventory } from './regex-inventory.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const VERDICTS_PATH = join(here, 'regex-verdicts.json');
const ALLOW_LIST_PATH = join(here, 'regex-allow-list.json');
const UPDATE = process.env.UPDATE_REGEX_VERDICTS === '1' || process.env.UPDATE_REGEX_VERDICTS === 'all';
const RECHECK_ALL = process.env.UPDATE_REGEX_VERDICTS === 'all';
/** Cached verdicts re-checked on every run (a different sample each day). */
const RESAMPLE = 12;
/** recheck's own budget per pattern; a pattern it cannot decide within it is `unknown`, which fails like `vulnerable`. */
const RECHECK_PARAMS = { timeout: 30_000 };
const CONCURRENCY = 2;

type Status = Diagnostics['status'];
interface Verdict {
  status: Status;
  complexity: string;
}
interface VerdictCache {
  recheck: string;
  verdicts: Record<string, Verdict>;
}
interface AllowedRegex {
  pattern: string;
  flags: string;
  file: string;
  reason: string;
  /** Code that must appear in `file`: the bound the reason relies on. */
  boundInCode: string;
}
interface DynamicSite {
  file: string;
  /** The start of the construction's code (whitespace collapsed), as the inventory reports it. */
  code: string;
  reason: string;
  /** True when the evaluations above build this site's patterns, so recheck judges each of them. */
  checkedAtRunTime: boolean;
}
interface AllowList {
  /** Super-linear patterns that are safe because their input is bounded in the code. */
  allowed: AllowedRegex[];
  dynamic: DynamicSite[];
}

const keyOf = (source: string, flags: string) => `/${source}/${flags}`;
const recheckVersion = (): string =>
  JSON.parse(readFileSync(join(root, 'node_modules', 'recheck', 'package.json'), 'utf8')).version;

async function judge(keys: string[]): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++];
      const lastSlash = key.lastIndexOf('/');
      const diagnostics = await check(key.slice(1, lastSlash), key.slice(lastSlash + 1), RECHECK_PARAMS);
      verdicts.set(key, {
        status: diagnostics.status,
        complexity:
          diagnostics.status === 'unknown' ? `unknown (${diagnostics.error.kind})` : diagnostics.complexity.summary,
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return verdicts;
}

/** The day's sample of cached keys: deterministic within a day, different across days. */
function dailySample(keys: string[], size: number): string[] {
  const day = new Date().toISOString().slice(0, 10);
  const rank = (key: string) =>
    createHash('sha256')
      .update(day + key)
      .digest('hex');
  return [...keys].sort((a, b) => rank(a).localeCompare(rank(b))).slice(0, size);
}

describe('regular expressions are linear-time or bounded', () => {
  let inventory: RegexInventory;
  let captured: CapturedRegex[];
  let allowList: AllowList;
  let verdicts: Map<string, Verdict>;
  let stale: string[];

  beforeAll(async () => {
    inventory = collectRegexes(root);
    allowList = JSON.parse(readFileSync(ALLOW_LIST_PATH, 'utf8'));

    // Import the engine only now, under the capturing constructor: module-level `new RegExp` calls count too.
    const capture = captureRegExpConstruction(root);
    try {
      // One at a time: jest's ESM loader mis-links modules imported concurrently.
      const { evaluateRepository } = await import('../../src/engine/runner.js');
      const { allChecks } = await import('../../checks/index.js');
      const { LocalSource } = await import('../../src/snapshot/local-source.js');
      // Real repositories exercise the key-built patterns; the hostile one is scanned in redos-attacks.test.ts.
      for (const name of ['ops-podinfo', 'foundations-flask', 'config-symfony-demo', 'ops-fastapi-template'])
        await evaluateRepository({
          source: new LocalSource(join(root, 'test', 'fixtures', 'repos', name)),
          checks: allChecks,
        });
    } finally {
      capture.restore();
    }
    captured = capture.captured;

    const cache: VerdictCache = RECHECK_ALL
      ? { recheck: recheckVersion(), verdicts: {} }
      : JSON.parse(readFileSync(VERDICTS_PATH, 'utf8'));
    const needed = [
      ...new Set([
        ...inventory.staticRegexes.map((regex) => keyOf(regex.source, regex.flags)),
        ...checkedCaptures().map((regex) => keyOf(regex.source, regex.flags)),
      ]),
    ];
    const cachedKeys = needed.filter((key) => key in cache.verdicts);
    const sample = cache.recheck === recheckVersion() ? dailySample(cachedKeys, RESAMPLE) : cachedKeys;
    const fresh = await judge([...needed.filter((key) => !(key in cache.verdicts)), ...sample]);
    stale = sample.filter((key) => fresh.get(key)!.status !== cache.verdicts[key].status);
    verdicts = new Map(needed.map((key) => [key, fresh.get(key) ?? cache.verdicts[key]]));
    if (UPDATE)
      writeFileSync(
        VERDICTS_PATH,
        JSON.stringify(
          {
            recheck: recheckVersion(),
            verdicts: Object.fromEntries([...verdicts].sort(([a], [b]) => a.localeCompare(b))),
          },
          null,
          1,
        ) + '\n',
      );
  }, 600_000);

  /** Every pattern built at run time is judged: ours and any library's. */
  function checkedCaptures(): CapturedRegex[] {
    return captured;
  }

  const allowedEntries = (): Array<{ pattern: string; flags: string; file: string }> => [...allowList.allowed];
  const isAllowed = (file: string, source: string, flags: string) =>
    allowedEntries().some((entry) => entry.file === file && entry.pattern === source && entry.flags === flags);

  it('finds the regular expressions of src/ and checks/', () => {
    expect(inventory.staticRegexes.length).toBeGreaterThan(500);
    expect(captured.length).toBeGreaterThan(50);
  });

  it('cached verdicts still agree with recheck on the re-checked sample', () => {
    expect(stale).toEqual([]);
  });

  it('no static regular expression is vulnerable unless allow-listed with its bound', () => {
    const failures = inventory.staticRegexes
      .filter((regex) => verdicts.get(keyOf(regex.source, regex.flags))!.status !== 'safe')
      .filter((regex) => !isAllowed(regex.file, regex.source, regex.flags))
      .map(
        (regex) =>
          `${regex.file}:${regex.line} ${keyOf(regex.source, regex.flags)} — ${verdicts.get(keyOf(regex.source, regex.flags))!.complexity}`,
      );
    expect(failures).toEqual([]);
  });

  it('no pattern built at run time is vulnerable', () => {
    const failures = [
      ...new Map(
        checkedCaptures()
          .filter((regex) => verdicts.get(keyOf(regex.source, regex.flags))!.status !== 'safe')
          .filter((regex) => !isAllowed(regex.site, regex.source, regex.flags))
          .map((regex) => [keyOf(regex.source, regex.flags), `${regex.site} ${keyOf(regex.source, regex.flags)}`]),
      ).values(),
    ];
    expect(failures).toEqual([]);
  });

  it('every dynamic construction site is accounted for in the allow-list', () => {
    const unaccounted = inventory.dynamicSites
      .filter(
        (site) => !allowList.dynamic.some((entry) => entry.file === site.file && site.code.startsWith(entry.code)),
      )
      .map((site) => `${site.file}:${site.line} ${site.code}`);
    expect(unaccounted).toEqual([]);
    const stale = allowList.dynamic
      .filter(
        (entry) => !inventory.dynamicSites.some((site) => entry.file === site.file && site.code.startsWith(entry.code)),
      )
      .map((entry) => `${entry.file}: ${entry.code}`);
    expect(stale).toEqual([]);
    // A site whose patterns are checked at run time must have been exercised by the evaluations above.
    const unexercised = allowList.dynamic
      .filter((entry) => entry.checkedAtRunTime && !captured.some((regex) => regex.site === entry.file))
      .map((entry) => `${entry.file}: ${entry.code}`);
    expect(unexercised).toEqual([]);
  });

  it('every allow-list entry is still needed, and the bound it relies on is in the code', () => {
    const unused = allowList.allowed
      .filter(
        (entry) =>
          !inventory.staticRegexes.some(
            (regex) => regex.file === entry.file && regex.source === entry.pattern && regex.flags === entry.flags,
          ) &&
          !captured.some(
            (regex) => regex.site === entry.file && regex.source === entry.pattern && regex.flags === entry.flags,
          ),
      )
      .map((entry) => `${entry.file} ${keyOf(entry.pattern, entry.flags)}`);
    expect(unused).toEqual([]);
    const unbounded = allowList.allowed
      .filter((entry) => !readFileSync(join(root, entry.file), 'utf8').includes(entry.boundInCode))
      .map((entry) => `${entry.file}: bound "${entry.boundInCode}" not found`);
    expect(unbounded).toEqual([]);
  });
});
