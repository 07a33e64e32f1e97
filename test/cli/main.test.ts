import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allChecks } from '../../checks/index.js';
import { main } from '../../src/cli/main.js';

let directory: string;

function capture(cwd = directory, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env,
      cwd,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'shipready-cli-'));
  writeFileSync(join(directory, 'README.md'), '# tiny\n');
  writeFileSync(join(directory, 'package.json'), '{"name":"tiny","version":"1.0.0"}');
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('shipready CLI', () => {
  it('prints its version', async () => {
    const run = capture();
    expect(await main(['--version'], run.io)).toBe(0);
    expect(run.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('lists the catalog', async () => {
    const run = capture();
    expect(await main(['checks'], run.io)).toBe(0);
    expect(run.stdout()).toContain('readme-present');
    expect(run.stdout()).toContain(`${allChecks.length} checks`);
  });

  it('prints a JSON report with every registered check once', async () => {
    const run = capture();
    const code = await main(['scan', '.', '--format', 'json', '--fail-on', 'none'], run.io);
    expect(code).toBe(0);
    const report = JSON.parse(run.stdout());
    expect(report.schemaVersion).toBe(1);
    expect(report.target).toEqual({ source: 'local', path: directory });
    expect(report.checks.map((check: { id: string }) => check.id)).toEqual(allChecks.map((check) => check.id));
  });

  it('exits 1 when the gate fails and says why on stderr', async () => {
    const run = capture();
    expect(await main(['scan', '--min-score', '100'], run.io)).toBe(1);
    expect(run.stderr()).toContain('below the minimum of 100');
  });

  it.each([
    [['scan', '--format', 'xml'], '--format must be one of'],
    [['scan', '--min-score', 'abc'], '--min-score must be a whole number'],
    [['scan', '--fail-on', 'urgent'], '--fail-on must be one of'],
    [['scan', '--bogus'], 'Unknown option'],
    [['deploy'], 'unknown command'],
  ])('exits 2 on bad usage %j', async (argv, message) => {
    const run = capture();
    expect(await main(argv, run.io)).toBe(2);
    expect(run.stderr()).toContain(message);
  });

  it('exits 2 on an invalid config, naming the key and the line', async () => {
    const configured = mkdtempSync(join(tmpdir(), 'shipready-cli-config-'));
    mkdirSync(join(configured, '.github'));
    writeFileSync(join(configured, '.github', 'shipready.yml'), 'gate:\n  failOn: sometimes\n');
    const run = capture(configured);
    expect(await main(['scan'], run.io)).toBe(2);
    expect(run.stderr()).toContain(
      'gate.failOn (line 2): `sometimes` is not allowed: use `critical`, `high`, `medium`, `low` or `none`',
    );
    rmSync(configured, { recursive: true, force: true });
  });

  it('exits 2 when an explicit --config does not exist', async () => {
    const run = capture();
    expect(await main(['scan', '--config', 'nope.yml'], run.io)).toBe(2);
    expect(run.stderr()).toContain('cannot read the config file');
  });

  it('writes markdown and SARIF to --output', async () => {
    const run = capture();
    await main(['scan', '--format', 'markdown', '--output', 'report.md', '--fail-on', 'none'], run.io);
    expect(readFileSync(join(directory, 'report.md'), 'utf8')).toContain('## Executive summary');
    await main(['scan', '--format', 'sarif', '--output', 'report.sarif', '--fail-on', 'none'], run.io);
    const sarif = JSON.parse(readFileSync(join(directory, 'report.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(run.stderr()).toContain('wrote the sarif report to report.sarif');
  });

  it('colours text only when asked or on a TTY', async () => {
    const plain = capture();
    await main(['scan', '--fail-on', 'none'], plain.io);
    expect(plain.stdout()).not.toContain('\u001b[');
    const forced = capture(directory, { FORCE_COLOR: '1' });
    await main(['scan', '--fail-on', 'none'], forced.io);
    expect(forced.stdout()).toContain('\u001b[');
  });
});

describe('shipready CLI on a terminal', () => {
  let big: string;
  beforeAll(() => {
    big = mkdtempSync(join(tmpdir(), 'shipready-cli-big-'));
    writeFileSync(join(big, 'README.md'), '# big\n');
    writeFileSync(join(big, 'package.json'), '{"name":"big","version":"1.0.0"}');
    mkdirSync(join(big, 'src'));
    for (let index = 0; index < 600; index += 1) writeFileSync(join(big, 'src', `m${index}.js`), 'export {};\n');
    writeFileSync(join(big, 'src', 'evil\u001b[31mred\r.js'), 'export {};\n');
  });
  afterAll(() => rmSync(big, { recursive: true, force: true }));

  const tty = (columns?: number) => {
    const run = capture(big);
    return {
      ...run,
      io: {
        ...run.io,
        stdout: { ...run.io.stdout, isTTY: true, columns },
        stderr: { ...run.io.stderr, isTTY: true },
      },
    };
  };

  it('shows progress with counts of files listed and read on an interactive stderr', async () => {
    const run = tty(120);
    await main(['scan', '--fail-on', 'none'], run.io);
    expect(run.stderr()).toMatch(/\d+ files listed, \d+ of \d+ read/);
    expect(run.stderr()).toContain('603 files listed');
    expect(run.stdout()).not.toContain('files listed');
  });

  it('shows no progress when stderr is not a terminal, and keeps JSON on stdout clean on one', async () => {
    const piped = capture(big);
    await main(['scan', '--fail-on', 'none'], piped.io);
    expect(piped.stderr()).not.toContain('files listed');
    const run = tty(120);
    await main(['scan', '--format', 'json', '--fail-on', 'none'], run.io);
    expect(() => JSON.parse(run.stdout())).not.toThrow();
  });

  it('wraps the text report to the terminal width, 100 columns when not a terminal', async () => {
    const narrow = tty(50);
    await main(['scan', '--fail-on', 'none'], narrow.io);
    // eslint-disable-next-line no-control-regex -- our colour codes take no columns
    const plain = narrow.stdout().replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain.split('\n').filter((line) => line.length > 50 && /\S \S/.test(line.trim()))).toEqual([]);
    const piped = capture(big);
    await main(['scan', '--fail-on', 'none'], piped.io);
    expect(
      piped
        .stdout()
        .split('\n')
        .filter((line) => line.length > 100 && /\S \S/.test(line.trim())),
    ).toEqual([]);
    expect(
      piped
        .stdout()
        .split('\n')
        .some((line) => line.length > 50),
    ).toBe(true);
  });
});
