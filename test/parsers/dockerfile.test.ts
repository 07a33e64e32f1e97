import { describe, expect, it } from '@jest/globals';
import {
  finalStage,
  getDockerfile,
  getDockerfiles,
  isRootUser,
  parseDockerfileText,
  parseImageReference,
  substituteVariables,
} from '../../src/parsers/dockerfile.js';
import { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { FileText } from '../../src/snapshot/types.js';

function snapshotOf(files: Record<string, string>): RepoSnapshot {
  const entries = Object.entries(files).map(([path, text]) => ({
    path,
    kind: 'file' as const,
    size: text.length,
    mode: '100644',
  }));
  const texts = new Map<string, FileText>(
    Object.entries(files).map(([path, text]) => [
      path,
      { path, text, binary: false, truncated: false, size: text.length },
    ]),
  );
  return new RepoSnapshot({ source: 'local', entries, files: texts });
}

describe('parseDockerfileText', () => {
  it('reads stages, names, lines and the final stage', () => {
    const dockerfile = parseDockerfileText(
      [
        'FROM golang:1.23 AS build',
        'RUN go build -o /app .',
        '',
        'FROM gcr.io/distroless/static:nonroot',
        'COPY --from=build /app /app',
        'USER 65532',
        'ENTRYPOINT ["/app"]',
        '',
      ].join('\n'),
    );
    expect(dockerfile.problems).toEqual([]);
    expect(dockerfile.stages.map((stage) => [stage.name, stage.line, stage.endLine, stage.from.kind])).toEqual([
      ['build', 1, 2, 'image'],
      [undefined, 4, 7, 'image'],
    ]);
    const final = finalStage(dockerfile)!;
    expect(final.from.image).toEqual({ registry: 'gcr.io', repository: 'distroless/static', tag: 'nonroot' });
    expect(final.user).toMatchObject({ value: '65532', line: 6, root: false, stageIndex: 1 });
    const entrypoint = final.instructions.find((instruction) => instruction.keyword === 'ENTRYPOINT')!;
    expect(entrypoint).toMatchObject({ form: 'json', json: ['/app'], line: 7 });
    const copy = final.instructions.find((instruction) => instruction.keyword === 'COPY')!;
    expect(copy.flags).toEqual([{ name: 'from', value: 'build' }]);
    expect(copy.args).toEqual(['/app', '/app']);
  });

  it('joins backslash continuations and keeps the first and last line', () => {
    const dockerfile = parseDockerfileText(
      'FROM alpine:3.20\nRUN apk add \\\n    curl \\\n    # a comment inside\n    git\nUSER app\n',
    );
    const run = dockerfile.instructions[1];
    expect(run).toMatchObject({ keyword: 'RUN', line: 2, endLine: 5 });
    expect(run.args).toEqual(['apk', 'add', 'curl', 'git']);
    expect(finalStage(dockerfile)!.user?.line).toBe(6);
  });

  it('honours the escape directive (backtick continuations, Windows paths)', () => {
    const dockerfile = parseDockerfileText(
      '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    Write-Host hi\nUSER ContainerUser\n',
    );
    expect(dockerfile.escape).toBe('`');
    expect(dockerfile.instructions[1]).toMatchObject({ keyword: 'RUN', line: 3, endLine: 4 });
    expect(finalStage(dockerfile)!.user).toMatchObject({ value: 'ContainerUser', line: 5, root: false });
  });

  it('keeps heredoc bodies out of the instruction list (RUN <<EOF, COPY <<EOF, <<-"EOT")', () => {
    const text = [
      'FROM debian:12-slim',
      'RUN <<EOF',
      'apt-get update',
      'FROM not-a-stage',
      'USER root',
      'EOF',
      'COPY <<EOF /etc/app.conf',
      'USER root',
      'EOF',
      'RUN <<-"EOT" bash',
      '\techo hi',
      '\tEOT',
      'USER 1000',
      '',
    ].join('\n');
    const dockerfile = parseDockerfileText(text);
    expect(dockerfile.stages).toHaveLength(1);
    expect(dockerfile.instructions.map((instruction) => [instruction.keyword, instruction.line])).toEqual([
      ['FROM', 1],
      ['RUN', 2],
      ['COPY', 7],
      ['RUN', 10],
      ['USER', 13],
    ]);
    expect(dockerfile.instructions[1].heredocs[0]).toMatchObject({ name: 'EOF', line: 2, terminated: true });
    expect(dockerfile.instructions[1].heredocs[0].content).toContain('FROM not-a-stage');
    expect(dockerfile.instructions[2].args).toEqual(['<<EOF', '/etc/app.conf']);
    expect(finalStage(dockerfile)!.user).toMatchObject({ value: '1000', line: 13 });
    expect(dockerfile.problems).toEqual([]);
  });

  it('reports an unterminated heredoc as a problem, without throwing', () => {
    const dockerfile = parseDockerfileText('FROM alpine:3.20\nRUN <<EOF\necho never closed\n');
    expect(dockerfile.problems).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringContaining('never closed') }),
    ]);
  });

  it('substitutes global ARG defaults in FROM, and keeps --platform', () => {
    const dockerfile = parseDockerfileText(
      'ARG NODE_VERSION=20\nARG REGISTRY\nFROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine AS deps\nFROM ${REGISTRY}/app:1\nFROM ${REGISTRY:-docker.io}/library/nginx\n',
    );
    expect(dockerfile.globalArgs).toEqual([
      { name: 'NODE_VERSION', value: '20' },
      { name: 'REGISTRY', value: null },
    ]);
    const [deps, unresolved, defaulted] = dockerfile.stages;
    expect(deps.from).toMatchObject({
      raw: 'node:${NODE_VERSION}-alpine',
      resolved: 'node:20-alpine',
      platform: '$BUILDPLATFORM',
      kind: 'image',
    });
    expect(deps.from.image).toEqual({ repository: 'node', tag: '20-alpine' });
    expect(unresolved.from).toMatchObject({ kind: 'unresolved', unresolvedVariables: ['REGISTRY'] });
    expect(defaulted.from.image).toEqual({ registry: 'docker.io', repository: 'library/nginx' });
  });

  it('resolves FROM <stage> (case-insensitive) and inherits USER and HEALTHCHECK from it', () => {
    const dockerfile = parseDockerfileText(
      'FROM node:20-slim AS Base\nUSER node\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nFROM base AS final\nCMD ["node","server.js"]\n',
    );
    const final = finalStage(dockerfile)!;
    expect(final.from).toMatchObject({ kind: 'stage', stageIndex: 0 });
    expect(final.user).toMatchObject({ value: 'node', line: 2, stageIndex: 0 });
    expect(final.healthcheck).toMatchObject({ line: 3, none: false, stageIndex: 0 });
  });

  it('does not carry USER from an earlier stage into an unrelated final stage', () => {
    const dockerfile = parseDockerfileText(
      'FROM node:20 AS build\nUSER node\nFROM node:20-slim\nCOPY --from=build /app /app\n',
    );
    expect(finalStage(dockerfile)!.user).toBeUndefined();
  });

  it('reads lower-case instructions, HEALTHCHECK NONE and the last USER of a stage', () => {
    const dockerfile = parseDockerfileText('from python:3.12-slim\nuser app\nhealthcheck none\nuser root\n');
    const final = finalStage(dockerfile)!;
    expect(final.user).toMatchObject({ value: 'root', line: 4, root: true });
    expect(final.healthcheck).toMatchObject({ none: true, line: 3 });
  });

  it('resolves USER $VAR from the stage ARG/ENV', () => {
    const dockerfile = parseDockerfileText(
      'ARG UID=10001\nFROM alpine:3.20\nARG UID\nENV APP_USER=app\nUSER $UID\nFROM alpine:3.20\nENV RUNAS=0\nUSER ${RUNAS}\n',
    );
    expect(dockerfile.stages[0].user).toMatchObject({ value: '10001', raw: '$UID', root: false });
    expect(dockerfile.stages[1].user).toMatchObject({ value: '0', root: true });
  });

  it('parses exec form with spaces inside strings and flags a broken JSON form', () => {
    const dockerfile = parseDockerfileText('FROM alpine:3.20\nCMD ["sh", "-c", "echo a b"]\nENTRYPOINT ["broken",\n');
    expect(dockerfile.instructions[1].json).toEqual(['sh', '-c', 'echo a b']);
    expect(dockerfile.instructions[2].form).toBe('shell');
    expect(dockerfile.problems).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining('not a valid JSON array') }),
    ]);
  });

  it('reads ENV and ARG properties in both forms', () => {
    const dockerfile = parseDockerfileText(
      'FROM alpine:3.20\nENV A=1 B="two words" \\\n  C=$OTHER\nENV LEGACY value with spaces\nARG EMPTY=""\nARG NODEFAULT\n',
    );
    const properties = dockerfile.instructions
      .slice(1)
      .map((instruction) => [instruction.keyword, instruction.line, instruction.properties]);
    expect(properties).toEqual([
      [
        'ENV',
        2,
        [
          { name: 'A', value: '1' },
          { name: 'B', value: 'two words' },
          { name: 'C', value: '$OTHER' },
        ],
      ],
      ['ENV', 4, [{ name: 'LEGACY', value: 'value with spaces' }]],
      ['ARG', 5, [{ name: 'EMPTY', value: '' }]],
      ['ARG', 6, [{ name: 'NODEFAULT', value: null }]],
    ]);
  });

  it('turns odd syntax into problems and never throws', () => {
    const odd = [
      '',
      '   \n\n',
      'BOGUS x\n',
      'RUN echo before from\nFROM\n',
      'FROM a b c\n',
      'FROM alpine \\',
      '\r\nFROM alpine:3\r\nUSER 1000\r\n',
      '[[[]]]',
      '\\\n\\\n',
    ];
    for (const text of odd) expect(() => parseDockerfileText(text)).not.toThrow();
    expect(parseDockerfileText('').problems[0].message).toContain('no FROM');
    expect(parseDockerfileText('BOGUS x\nFROM alpine:3\n').problems).toEqual([
      { message: 'unknown instruction "BOGUS"', line: 1 },
    ]);
    expect(parseDockerfileText('RUN echo\nFROM alpine:3\n').problems[0]).toMatchObject({
      line: 1,
      message: expect.stringContaining('before the first FROM'),
    });
    expect(parseDockerfileText('FROM\n').problems[0]).toMatchObject({ line: 1, message: 'FROM without an image' });
    expect(parseDockerfileText('\r\nFROM alpine:3\r\nUSER 1000\r\n').stages[0].user).toMatchObject({
      line: 3,
      value: '1000',
    });
    expect(parseDockerfileText('\u0000\u0001').readable).toBe(false);
  });
});

describe('robustness', () => {
  it('reads a file with a UTF-8 byte-order mark', () => {
    const dockerfile = parseDockerfileText('\uFEFFFROM alpine:3.20\nUSER 1000\n');
    expect(dockerfile.problems).toEqual([]);
    expect(finalStage(dockerfile)!.user?.value).toBe('1000');
  });

  it('refuses a file far larger than any Dockerfile, quickly', () => {
    const started = Date.now();
    const dockerfile = parseDockerfileText('FROM alpine:3\n' + 'RUN echo x\n'.repeat(60000));
    expect(dockerfile.readable).toBe(false);
    expect(dockerfile.problems[0].message).toContain('too large');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('never throws on random fragments of Dockerfile syntax', () => {
    const pieces = [
      'FROM',
      'from',
      'AS',
      'x',
      '${A',
      '$',
      '}',
      '<<EOF',
      'EOF',
      '\\',
      '\n',
      ' ',
      '[',
      ']',
      '"',
      "'",
      '#',
      '# escape=`',
      '`',
      'USER',
      'ARG A=',
      'HEALTHCHECK',
      'NONE',
      '--platform=',
      'COPY',
      '--from=0',
      '@sha256:',
      ':latest',
      '\t',
      '\r\n',
      'ONBUILD',
      'ENV',
      '=',
      '\u0000',
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 500; round += 1) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 40) },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join(random() < 0.5 ? ' ' : '');
      expect(() => parseDockerfileText(text)).not.toThrow();
    }
  });
});

describe('helpers', () => {
  it('splits image references', () => {
    expect(parseImageReference('node')).toEqual({ repository: 'node' });
    expect(parseImageReference('localhost:5000/team/app:1.2@sha256:abc')).toEqual({
      registry: 'localhost:5000',
      repository: 'team/app',
      tag: '1.2',
      digest: 'sha256:abc',
    });
    expect(parseImageReference('ghcr.io/org/app@sha256:abc')).toEqual({
      registry: 'ghcr.io',
      repository: 'org/app',
      digest: 'sha256:abc',
    });
    expect(parseImageReference('bitnami/redis:latest')).toEqual({ repository: 'bitnami/redis', tag: 'latest' });
  });

  it('substitutes variables with defaults', () => {
    const variables = new Map<string, string | null>([
      ['A', '1'],
      ['E', ''],
      ['N', null],
    ]);
    expect(substituteVariables('$A-${A}-${E:-d}-${E-d}-${M:-m}-${A:+alt}', variables)).toEqual({
      value: '1-1-d--m-alt',
      unresolved: [],
    });
    expect(substituteVariables('${N}/${Q}', variables).unresolved).toEqual(['N', 'Q']);
  });

  it('recognises root users', () => {
    expect(['root', '0', '0:0', 'root:root', '000'].every(isRootUser)).toBe(true);
    expect(['1000', '1000:0', 'app', 'nonroot:nonroot', '65532'].some(isRootUser)).toBe(false);
  });
});

describe('snapshot access', () => {
  it('finds every Dockerfile shape, skips fixtures and ignore files, and memoises the parse', () => {
    const snapshot = snapshotOf({
      Dockerfile: 'FROM alpine:3\n',
      'Dockerfile.prod': 'FROM alpine:3\n',
      'api.Dockerfile': 'FROM alpine:3\n',
      'services/web/Dockerfile': 'FROM alpine:3\n',
      Containerfile: 'FROM alpine:3\n',
      'Dockerfile.dockerignore': '.git\n',
      'test/fixtures/x/Dockerfile': 'FROM alpine\n',
      'docs/Dockerfile.md': '# notes\n',
      'src/parsers/dockerfile.ts': 'export {};\n',
      'pkg/build/dockerfile_test.go': 'package build\n',
      'lib/dockerfile-lint.js': 'module.exports = {};\n',
    });
    expect(getDockerfiles(snapshot).map((dockerfile) => dockerfile.path)).toEqual([
      'Containerfile',
      'Dockerfile',
      'Dockerfile.prod',
      'api.Dockerfile',
      'services/web/Dockerfile',
    ]);
    expect(getDockerfile(snapshot, 'Dockerfile')).toBe(getDockerfile(snapshot, 'Dockerfile'));
    expect(getDockerfile(snapshot, 'services/web/Dockerfile').directory).toBe('services/web');
  });
});
