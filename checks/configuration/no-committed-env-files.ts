import { defineCheck, result } from '../../src/engine/define-check.js';
import { gitignores } from '../../src/parsers/gitignore.js';
import type { Finding } from '../../src/engine/types.js';
import { findSecretLines, isEnvFile, isSymfonyDotenv } from '../lib/env-files.js';
import { plural } from '../lib/project-view.js';
import { isTestData } from '../lib/source-files.js';

export default defineCheck({
  id: 'no-committed-env-files',
  category: 'configuration',
  severity: 'critical',
  problemTitle: 'An environment file with credentials is committed',
  title: 'No committed .env files',
  description:
    'No environment file is tracked anywhere in the repository: `.env`, `.env.local`, `.env.production`, `.env.keys`, `production.env`… Examples and templates (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `example.env`), encrypted `.env.vault`, `.envrc` and `.flaskenv` are excepted. It fails when a tracked env file holds a credential-like value (a secret-sounding name with a real-looking value, or a URL with a password for a non-local host) or cannot be read, and warns for env files with only placeholder values, and for env files inside test-fixture trees (`testdata/`, `fixtures/`, `__tests__/` sub-trees, e2e `playground/` trees) or test directories, whatever they hold: a test fixture is never a critical failure, but make sure it is not a real credential.',
  rationale:
    'A committed `.env` is the most common way credentials leak: it stays in the history forever, every clone and fork carries it, and secret scanners find it within minutes of a push to a public repository.',
  remediation: [
    'Remove the file from the index, ignore it, rotate every credential it held, and commit a template instead:',
    '',
    '```sh',
    'git rm --cached .env',
    "echo '.env' >> .gitignore",
    'cp .env .env.example   # then blank every value in .env.example',
    '```',
    '',
    'The file stays in the history: rotate the credentials, or rewrite the history with `git filter-repo --path .env --invert-paths`.',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { files: [{ glob: '**/{.env,.env.*,*.env}', max: 50 }, '.gitignore'] },
  evaluate({ snapshot }) {
    // isEnvFile goes by the base name: the tree index tests each distinct name once.
    const envFiles = snapshot.index
      .where('env-file-name', { name: isEnvFile })
      .filter(
        (entry) => entry.kind !== 'submodule' && !/(^|\/)node_modules\//.test(entry.path) && isEnvFile(entry.path),
      );
    if (!envFiles.length) {
      const gitignore = snapshot.text('.gitignore');
      const ignoresEnv = gitignore !== undefined && gitignores(gitignore, '.env');
      return result.pass(
        `No .env files are tracked${gitignore !== undefined && !ignoresEnv ? ' (tip: add `.env` to .gitignore so none ever is)' : ''}`,
      );
    }
    const failures: Finding[] = [];
    const warnings: Finding[] = [];
    for (const entry of envFiles) {
      // Test-fixture trees (CATALOG "Which files count") and test directories: warn, never a critical fail.
      const fixture = isTestData(entry.path);
      const file = snapshot.fileIfRead(entry.path); // undefined beyond the read bound: judged by name alone
      if (!file || file.text === null) {
        const why = file?.binary ? 'binary' : entry.kind === 'symlink' ? 'a symlink' : 'not read';
        // A symlink holds no values itself (it points at a file outside the tree, or at another tracked file).
        (fixture || entry.kind === 'symlink' ? warnings : failures).push({
          message: `${entry.path} is tracked (${why}, so its content could not be checked)`,
          path: entry.path,
        });
        continue;
      }
      const secrets = findSecretLines(file.text);
      if (secrets.length && !fixture) {
        for (const secret of secrets)
          failures.push({
            message: `${entry.path} is tracked and sets ${secret.name} to a credential-like value (value not shown)`,
            path: entry.path,
            line: secret.line,
          });
      } else if (fixture) {
        warnings.push({
          message: `${entry.path} is a test fixture${secrets.length ? ` that sets ${secrets.map((secret) => secret.name).join(', ')}` : ''}; make sure it is not a real credential`,
          path: entry.path,
          line: secrets[0]?.line ?? 1,
        });
      } else {
        const advice = isSymfonyDotenv(file.text)
          ? 'Symfony commits .env defaults by design: keep every secret in the untracked .env.local or in Symfony secrets'
          : '.env files are where secrets end up: rename it to .env.example or untrack it';
        warnings.push({
          message: `${entry.path} is tracked; it holds no credential-like value now, but ${advice}`,
          path: entry.path,
          line: 1,
        });
      }
    }
    if (failures.length) {
      const files = new Set(failures.map((finding) => finding.path));
      return result.fail(
        `${plural(files.size, 'tracked env file')} with credentials or unreadable content: ${[...files].join(', ')}`,
        [...failures, ...warnings],
      );
    }
    if (!warnings.length) return result.pass('No .env files with configuration are tracked');
    return result.warn(
      `${plural(warnings.length, 'env file')} tracked, in test fixtures or without credential-like values: ${warnings.map((finding) => finding.path).join(', ')}`,
      warnings,
    );
  },
});
