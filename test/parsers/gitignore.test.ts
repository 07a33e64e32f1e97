import { describe, expect, it } from '@jest/globals';
import noEnv from '../../checks/configuration/no-committed-env-files.js';
import lockfile from '../../checks/configuration/lockfile-committed.js';
import { gitignoreMatch, gitignores } from '../../src/parsers/gitignore.js';
import { runCheck } from '../helpers/run-check.js';

describe('.gitignore read with git rules (issue 9: parsers that parse)', () => {
  it('globs, directories and negation', () => {
    expect(gitignores('.env*\n', '.env')).toBe(true);
    expect(gitignores('*.env\n.env\n!.env\n', '.env')).toBe(false);
    expect(gitignores('/packages/*/yarn.lock\n', 'packages/a/yarn.lock')).toBe(true);
    expect(gitignores('# yarn.lock\n', 'yarn.lock')).toBe(false);
    expect(gitignoreMatch('node_modules/\n*.lock\n!Cargo.lock\n', 'yarn.lock')).toEqual({ line: 2, rule: '*.lock' });
    expect(gitignoreMatch('node_modules/\n*.lock\n!Cargo.lock\n', 'Cargo.lock')).toBeUndefined();
  });

  it('no-committed-env-files sees `.env*` and `**/.env` as ignoring .env; a re-include does not', async () => {
    for (const rule of ['.env*', '**/.env', '.env.*\n.env']) {
      const report = await runCheck(noEnv, { '.gitignore': `${rule}\n` });
      expect(report.summary).not.toContain('tip');
    }
    const reincluded = await runCheck(noEnv, { '.gitignore': '.env\n!.env\n' });
    expect(reincluded.summary).toContain('tip: add `.env` to .gitignore');
  });

  it('lockfile-committed names the .gitignore rule that keeps a lockfile out, even a glob', async () => {
    const report = await runCheck(lockfile, {
      'package.json': JSON.stringify({ name: 'x', dependencies: { pino: '^9' } }),
      '.gitignore': 'node_modules/\n*-lock.json\n',
    });
    expect(report.outcome).toBe('fail');
    expect(JSON.stringify(report.findings)).toContain('.gitignore:2 (*-lock.json)');
  });
});
