import { describe, expect, it } from '@jest/globals';
import check from '../../checks/ci/dependency-update-tool-configured.js';
import { fixCheck } from './fix-check.js';

const TREE = {
  'package.json': '{"name":"web"}',
  'services/api/go.mod': 'module example.com/api\n\ngo 1.22\n',
  'services/worker/go.mod': 'module example.com/worker\n\ngo 1.22\n',
  Dockerfile: 'FROM node:22\n',
  '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{ run: echo }]\n',
};

describe('dependency-update-tool-configured fixer', () => {
  it('creates .github/dependabot.yml for every ecosystem and directory', async () => {
    const fixed = await fixCheck(check, TREE);
    expect(fixed.before.outcome).toBe('fail');
    expect(fixed.changed['.github/dependabot.yml']).toBe(
      [
        'version: 2',
        'updates:',
        '  - package-ecosystem: docker',
        '    directory: /',
        '    schedule:',
        '      interval: weekly',
        '  - package-ecosystem: github-actions',
        '    directory: /',
        '    schedule:',
        '      interval: weekly',
        '  - package-ecosystem: npm',
        '    directory: /',
        '    schedule:',
        '      interval: weekly',
        '  - package-ecosystem: gomod',
        '    directories:',
        '      - /services/api',
        '      - /services/worker',
        '    schedule:',
        '      interval: weekly',
        '',
      ].join('\n'),
    );
    expect(fixed.after.outcome).toBe('pass');
  });

  it('adds only the missing entries to an existing file, keeping its comments, order and schedule', async () => {
    const existing = [
      '# Keep us current',
      'version: 2',
      'updates:',
      '- package-ecosystem: "npm" # the web app',
      '  directory: "/"',
      '  schedule:',
      '    interval: "daily"',
      '',
      '  # actions too',
      '- package-ecosystem: github-actions',
      '  directory: /',
      '  schedule: { interval: daily }',
      '',
    ].join('\n');
    const fixed = await fixCheck(check, { ...TREE, '.github/dependabot.yml': existing });
    expect(fixed.before.outcome).toBe('warn');
    const text = fixed.changed['.github/dependabot.yml'];
    // Every line of the file stays, in order, comments included (yaml's Document API drops a blank line between
    // entries: the one loss); the new entries follow in the file's own layout and schedule.
    const kept = existing.split('\n').filter((line) => line.trim());
    expect(text.split('\n').slice(0, kept.length)).toEqual(kept);
    expect(text.split('\n').slice(kept.length)).toEqual([
      '- package-ecosystem: docker',
      '  directory: /',
      '  schedule:',
      '    interval: daily',
      '- package-ecosystem: gomod',
      '  directories:',
      '  - /services/api',
      '  - /services/worker',
      '  schedule:',
      '    interval: daily',
      '',
    ]);
    expect(fixed.after.outcome).toBe('pass');
  });

  it('leaves Renovate, an invalid file and a turned-off entry alone', async () => {
    const renovate = await fixCheck(check, { ...TREE, 'renovate.json': '{"enabled": false}' });
    expect(renovate.plan.runs[0].skipped).toEqual([
      'Renovate is configured: extend its config rather than adding a second update bot',
    ]);
    const invalid = await fixCheck(check, { ...TREE, '.github/dependabot.yml': 'version: 1\nupdates: []\n' });
    expect(invalid.plan.applied.files).toEqual([]);
    expect(invalid.plan.runs[0].skipped[0]).toContain('is not a valid version 2 file');
    const off = await fixCheck(check, {
      'package.json': '{}',
      '.github/dependabot.yml':
        'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    open-pull-requests-limit: 0\n    schedule: { interval: weekly }\n',
    });
    expect(off.plan.applied.files).toEqual([]);
  });
});
