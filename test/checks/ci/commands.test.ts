import { describe, expect, it } from '@jest/globals';
import {
  classifyAction,
  classifyShellLine,
  substituteEnv,
  IGNORES_FAILURE,
  logicalLines,
} from '../../../checks/lib/commands.js';

const kinds = (line: string) => classifyShellLine(line).map((item) => item.kind);

describe('classifyShellLine', () => {
  it.each([
    'npm run test',
    'npm test',
    'npm t',
    'npm run test:unit -- --ci',
    'pnpm -r test',
    'pnpm --filter web test',
    'yarn test',
    'yarn workspace api test',
    'npx jest --coverage',
    'vitest run',
    'npx vitest --run',
    'node --test',
    'python -m pytest -q',
    'pytest tests/',
    'poetry run pytest',
    'uv run pytest',
    'tox -e py',
    'nox',
    'make test',
    'make -C backend test',
    'go test ./...',
    'go test -race -coverprofile=coverage.out ./...',
    'cargo test --all-features',
    'cargo nextest run',
    'mvn -B verify',
    './mvnw -B package',
    './gradlew check',
    './gradlew test',
    'bundle exec rspec',
    'bundle exec rake',
    'dotnet test --no-build',
    'mix test',
    'swift test',
    'flutter test',
    'vendor/bin/phpunit',
    'ctest --output-on-failure',
    'xvfb-run -a npm test',
    'CI=true npm test',
    './scripts/run-tests.sh',
    'bin/rails test',
  ])('recognises "%s" as a test command', (line) => {
    expect(kinds(line)).toContain('test');
  });

  it.each([
    'npm ci',
    'npm run build',
    'pip install pytest',
    'echo test',
    'mvn -B package -DskipTests',
    './gradlew build -x test',
    'tox -e lint',
    'go build ./...',
    'cargo build',
    'make build',
    'npm install --save-dev jest',
  ])('does not take "%s" for a test command', (line) => {
    expect(kinds(line)).not.toContain('test');
  });

  it.each([
    'npm run lint',
    'pnpm lint',
    'yarn typecheck',
    'npx eslint .',
    'npx tsc --noEmit',
    'npx prettier --check .',
    'ruff check .',
    'flake8 src',
    'mypy src',
    'black --check .',
    'golangci-lint run',
    'go vet ./...',
    'cargo clippy -- -D warnings',
    'cargo fmt --all -- --check',
    'bundle exec rubocop',
    'pre-commit run --all-files',
    'vendor/bin/phpstan analyse',
    'dotnet format --verify-no-changes',
    'mix format --check-formatted',
    'tox -e lint',
    'make lint',
  ])('recognises "%s" as a lint, format or type check', (line) => {
    expect(kinds(line)).toContain('lint');
  });

  it.each([
    ['npm audit --audit-level=high', 'audit'],
    ['pip-audit -r requirements.txt', 'audit'],
    ['govulncheck ./...', 'audit'],
    ['cargo audit', 'audit'],
    ['trivy fs .', 'audit'],
    ['osv-scanner -r .', 'audit'],
    ['semgrep ci', 'sast'],
    ['bandit -r src', 'sast'],
    ['gosec ./...', 'sast'],
    ['syft . -o spdx-json > sbom.json', 'sbom'],
    ['npx @cyclonedx/cyclonedx-npm --output-file bom.json', 'sbom'],
    ['npm publish --provenance', 'deploy'],
    ['twine upload dist/*', 'deploy'],
    ['docker push ghcr.io/o/r:1', 'deploy'],
    ['kubectl apply -f k8s/', 'deploy'],
    ['trivy image ghcr.io/o/r:1', 'image-scan'],
    [
      'docker run --rm -v /var/run/docker.sock:/var/run/docker.sock aquasec/trivy:0.58.1 image --exit-code 1 app:1',
      'image-scan',
    ],
    ['docker run --rm anchore/grype:v0.80.0 ghcr.io/o/r:1', 'image-scan'],
  ])('recognises "%s" as %s', (line, kind) => {
    expect(kinds(line)).toContain(kind);
  });
});

describe('classifyAction', () => {
  it('recognises well-known actions, with their inputs', () => {
    const none = {};
    expect(classifyAction('cypress-io/github-action@v6', none).map((item) => item.kind)).toEqual(['test']);
    expect(classifyAction('golangci/golangci-lint-action@v6', none).map((item) => item.kind)).toEqual(['lint']);
    expect(classifyAction('github/codeql-action/analyze@v3', none).map((item) => item.kind)).toEqual(['sast']);
    expect(classifyAction('actions/dependency-review-action@v4', none).map((item) => item.kind)).toEqual(['audit']);
    const scalar = (value: string) => ({ value, line: 1, lines: [{ text: value, line: 1 }] });
    expect(classifyAction('docker/build-push-action@v6', { push: scalar('false') }).map((item) => item.kind)).toEqual(
      [],
    );
    expect(
      classifyAction('docker/build-push-action@v6', { push: scalar('true'), sbom: scalar('true') })
        .map((item) => item.kind)
        .sort(),
    ).toEqual(['deploy', 'sbom']);
    expect(
      classifyAction('aquasecurity/trivy-action@0.28.0', { 'scan-type': scalar('fs') }).map((item) => item.kind),
    ).toEqual(['audit']);
    expect(
      classifyAction('aquasecurity/trivy-action@0.28.0', { 'image-ref': scalar('app:1') }).map((item) => item.kind),
    ).toEqual(['image-scan']);
  });
});

describe('shell helpers', () => {
  it('joins continuation lines and keeps the first line number', () => {
    expect(
      logicalLines([
        { text: '# comment', line: 3 },
        { text: 'go test \\', line: 4 },
        { text: '  ./...', line: 5 },
        { text: 'echo done # trailing', line: 6 },
      ]),
    ).toEqual([
      { text: 'go test ./...', line: 4 },
      { text: 'echo done', line: 6 },
    ]);
  });

  it('sees || true as ignoring failure', () => {
    expect(IGNORES_FAILURE.test('npm test || true')).toBe(true);
    expect(IGNORES_FAILURE.test('npm test || exit 0')).toBe(true);
    expect(IGNORES_FAILURE.test('npm test || exit 1')).toBe(false);
  });
});

describe('image scans', () => {
  it.each(['grype db update', 'grype version', 'grype dir:.', 'echo trivy image'])(
    'does not take "%s" for an image scan',
    (line) => {
      expect(kinds(line)).not.toContain('image-scan');
    },
  );
});

describe('substituteEnv', () => {
  const scalar = (value: string) => ({ value });
  it('reads ${{ env.X }}, $X and ${X} from step, then job, then workflow env', () => {
    const step = { TARGET: scalar('--target x86_64') };
    const job = { CARGO: scalar('cargo'), TARGET: scalar('ignored') };
    const workflow = { TOOL: scalar('pytest') };
    expect(substituteEnv('${{ env.CARGO }} test $TARGET', [step, job, workflow])).toBe('cargo test --target x86_64');
    expect(substituteEnv('${TOOL} -q', [undefined, job, workflow])).toBe('pytest -q');
  });
  it('leaves unknown names and expression values alone', () => {
    expect(substituteEnv('$HOME/bin/x ${{ env.MISSING }}', [{}])).toBe('$HOME/bin/x ${{ env.MISSING }}');
    expect(substituteEnv('${{ env.X }} test', [{ X: scalar('${{ matrix.tool }}') }])).toBe('${{ env.X }} test');
  });
});
