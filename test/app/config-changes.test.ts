import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { defineCheck, result } from '../../src/engine/define-check.js';
import { MemorySource } from '../../src/snapshot/memory-source.js';
import {
  API,
  capture,
  CONFIG,
  createTestApp,
  fixture,
  mockCheckRun,
  mockNoConfig,
  mockToken,
  testReadme,
  testUser,
  useNock,
  type Commits,
} from './harness.js';

useNock({ beforeEach, afterEach, expect });

const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const REPO = '/repos/Codertocat/Hello-World';
const RAW = { 'content-type': 'application/vnd.github.raw; charset=utf-8' };

const testLicense = defineCheck({
  id: 'test-license',
  category: 'foundations',
  severity: 'medium',
  title: 'License present',
  description: 'A LICENSE at the root.',
  rationale: 'People need to know they may use it.',
  remediation: 'Add `LICENSE`.',
  effort: 'minutes',
  scope: 'repository',
  needs: { files: ['LICENSE'] },
  evaluate: ({ snapshot }) =>
    snapshot.has('LICENSE') ? result.pass('LICENSE exists') : result.fail('No LICENSE', [{ message: 'add LICENSE' }]),
});

const testChangelog = defineCheck({
  id: 'test-changelog',
  category: 'foundations',
  severity: 'low',
  title: 'Changelog present',
  description: 'A CHANGELOG.md at the root.',
  rationale: 'People need to know what changed.',
  remediation: 'Add `CHANGELOG.md`.',
  effort: 'minutes',
  scope: 'repository',
  needs: { files: ['CHANGELOG.md'] },
  evaluate: ({ snapshot }) =>
    snapshot.has('CHANGELOG.md') ? result.pass('CHANGELOG.md exists') : result.fail('No CHANGELOG.md'),
});

const checks = [testReadme, testUser, testLicense, testChangelog];

/** Turns two failing checks off, lowers a severity, and loosens the gate. */
const loosening = [
  'checks:',
  '  test-readme: off',
  '  test-license: off',
  '  test-user: low',
  'gate:',
  '  failOn: critical',
  '',
].join('\n');

// The base fails README and LICENSE; the PR also breaks the Dockerfile (a high regression with the base's rules).
const commits: Commits = {
  [BASE]: { Dockerfile: 'FROM node:20\nUSER node\n', 'CHANGELOG.md': '# 1.0\n' },
  [HEAD]: { Dockerfile: 'FROM node:20\n', 'CHANGELOG.md': '# 1.0\n', '.github/shipready.yml': loosening },
};

async function run(files: Commits) {
  const sources = new Map<string, MemorySource[]>();
  const { probot, app } = await createTestApp(files, {
    checks,
    createSource: ({ sha }) => {
      const source = new MemorySource(files[sha]!, { settings: {}, kind: 'github' });
      sources.set(sha, [...(sources.get(sha) ?? []), source]);
      return source;
    },
  });
  const api = nock(API);
  mockToken(api, 1);
  const checkRun = mockCheckRun(api, REPO, 70);
  // The PR's own version is read (and validated) first, then the default branch's: the rules that judge it.
  api.get(`${REPO}${CONFIG}`).query({ ref: HEAD }).reply(200, loosening, RAW);
  mockNoConfig(api, 'Codertocat', 'Hello-World');
  const comments: Array<{ body: string }> = [];
  api.get(`${REPO}/issues/2/comments`).query({ per_page: '100', page: '1' }).reply(200, []);
  api.post(`${REPO}/issues/2/comments`, capture(comments)).reply(201, { id: 1 });
  await probot.receive({ id: 'd-loosen', name: 'pull_request', payload: fixture('pull_request.opened') });
  await app.queue.onIdle();
  return { checkRun, comments, sources };
}

describe('a pull request that loosens .github/shipready.yml', () => {
  it("is judged by the default branch's rules, and previews its own: four changes, what each does once merged", async () => {
    const { checkRun, comments, sources } = await run(commits);
    const update = checkRun.updates[0];
    // With the base's rules the Dockerfile regression is high and fails the gate; the PR's `failOn: critical`
    // and `test-user: low` would have let it pass.
    expect(update.conclusion).toBe('failure');
    expect(update.output.title).toMatch(/1 (high )?regression/);
    const summary: string = update.output.summary;
    expect(summary).toContain(
      "This pull request changes `.github/shipready.yml`. It is judged by the default branch's rules — a pull request cannot change the rules it is judged by — so these changes take effect only once it is merged. Its version:",
    );
    const start = summary.indexOf('### Config changes');
    const section = summary.slice(start, summary.indexOf('\n### ', start + 1));
    expect(section).toBe(
      [
        '### Config changes',
        '',
        "This pull request changes `.github/shipready.yml`. It is judged by the default branch's rules — a pull request cannot change the rules it is judged by — so these changes take effect only once it is merged. Its version:",
        '',
        '- turns off `test-readme`, failing on the base; score 11 → 17 by leaving it out',
        '- lowers the severity of `test-user` from `high` to `low`, passing on the base and failing in this PR; score 11 → 14 by weighing it differently',
        '- turns off `test-license`, failing on the base; score 11 → 14 by leaving it out',
        "- loosens the gate: `gate.failOn` `high` → `critical`; this PR's gate would be neutral instead of failing",
        '',
        "Together they take this PR's score from 11 to 50, and with them this PR's gate would be neutral.",
        '',
      ].join('\n'),
    );
    // The gate's reasons are the base's: the high regression fails it.
    expect(summary).toContain('This change makes 1 check at severity high or higher fail: `test-user`.');
    // The comment is posted (the rules would change readiness) and carries the same section.
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain(section);
    // The head was listed once and its files read once: the preview with the PR's rules reused the snapshot.
    expect(sources.get(HEAD)!.map((source) => source.requestedPaths.length)).toEqual([1]);
    // The base too, though it is judged by the PR's rules as well (for the gate the PR's rules would give).
    expect(sources.get(BASE)!.map((source) => source.requestedPaths.length)).toEqual([1]);
  });
});
