/**
 * A hostile repository, built in a temp directory: every file a check reads line by line carries lines made of the
 * pumps that drove the old regular expressions into super-linear backtracking (runs of blanks, slashes, `${{`,
 * key-value separators, base64, dotted names …), each once at 30 bytes and once at 100 KB.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const SHORT = 30;
const LONG = 100 * 1024;

/** One pump each: `prefix + pump × n + suffix`, the shape recheck reports for an attack. */
const PUMPS: Array<[prefix: string, pump: string, suffix: string]> = [
  ['', ' ', '\u0000'],
  ['', '\t \t', 'x'],
  ['', '/', '\u0000/'],
  ['.env', '.-a', '!'],
  ['-----BEGIN PRIVATE KEY-----\\n', 'A: \\n', '!'],
  ['', '${{', ''],
  ['${{ ', ' ', ''],
  ['', '@', '\n'],
  ['x=', ' ', '#'],
  ['password: ', ' a', '\u0000'],
  ['license = ', ' a', '\n'],
  ['# shipready-ignore a', ' ,a', '\u0000'],
  ['trivy ', '-a ', '\u0000'],
  ['eslint ', '--a ', '\u0000'],
  ['node ', '--a=b ', '\u0000'],
  ['', 'a@a.', '\u0000'],
  ['', '<dependency><groupId>', '\u0000'],
  ['', '[a](', '\u0000'],
  ['', '![', '\u0000'],
  ['', '<', '\u0000'],
  ['', '://a:', '\u0000'],
  ['', 'github.event.pull_request.', '\u0000'],
  ['', '"a"a[', '\u0000'],
  ['', 'sk-' + 'A'.repeat(20), '\u0000'],
  ['', 'glpat-', '\u0000'],
  ['--lines ', '1', '\u0000'],
];

export function attackLines(): string[] {
  return PUMPS.flatMap(([prefix, pump, suffix]) =>
    [SHORT, LONG].map(
      (size) => prefix + pump.repeat(Math.max(1, Math.ceil((size - prefix.length) / pump.length))) + suffix,
    ),
  );
}

/** The files of one directory of the hostile repository, every line in `lines` placed where each format puts text. */
function hostileFiles(lines: string[]): Record<string, string> {
  const text = lines.join('\n') + '\n';
  return {
    Dockerfile: [
      'FROM node:20',
      ...lines.map((line) => `RUN ${line}`),
      ...lines.map((line) => `FROM ${line}`),
      'USER node',
      '',
    ].join('\n'),
    'README.md': `# hostile\n\n${text}`,
    'package.json': JSON.stringify(
      {
        name: 'hostile',
        version: '1.0.0',
        license: lines[0],
        scripts: Object.fromEntries(lines.map((line, index) => [`s${index}`, line])),
        dependencies: Object.fromEntries(lines.map((line, index) => [`d${index}`, line])),
      },
      null,
      2,
    ),
    '.env.example': lines.map((line, index) => `KEY_${index}=${line}\n${line}`).join('\n') + '\n',
    'pyproject.toml':
      `[project]\nname = "hostile"\nlicense = ${JSON.stringify(lines[0])}\ndependencies = [\n` +
      lines.map((line) => `  ${JSON.stringify(line)},`).join('\n') +
      `\n]\n\n` +
      lines.map((line, index) => `# ${index} ${line}`).join('\n') +
      '\n',
  };
}

function workflow(lines: string[]): string {
  return [
    'name: ci',
    'on: [push, pull_request_target]',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    ...lines.map((line) => `      - run: ${JSON.stringify(line)}`),
    ...lines.map((line) => `      - uses: ${JSON.stringify(line)}`),
    ...lines.map((line) => `      - run: echo "\${{ ${JSON.stringify(line)} }}"`),
    '',
  ].join('\n');
}

/**
 * Writes the hostile repository and returns its directory. The engine reads files up to 1 MiB, so the 100 KB lines
 * are spread over directories (two per file): the root holds every 30-byte line and the first long ones.
 */
export function buildAttackRepository(): string {
  const directory = mkdtempSync(join(tmpdir(), 'shipready-redos-'));
  const lines = attackLines();
  const short = lines.filter((line) => line.length < LONG);
  const long = lines.filter((line) => line.length >= LONG);
  const files: Record<string, string> = {};
  for (let chunk = 0; chunk * 2 < long.length; chunk++) {
    const chunkLines = long.slice(chunk * 2, chunk * 2 + 2);
    const prefix = chunk === 0 ? '' : `pkg${chunk}/`;
    const here = chunk === 0 ? [...short, ...chunkLines] : chunkLines;
    for (const [path, content] of Object.entries(hostileFiles(here))) files[prefix + path] = content;
    files[`.github/workflows/ci${chunk}.yml`] = workflow(here);
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), content);
  }
  return directory;
}
