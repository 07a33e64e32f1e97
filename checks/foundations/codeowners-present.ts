import { isShallowDirectory } from '../lib/tree-queries.js';
import { defineCheck, result } from '../../src/engine/define-check.js';
import type { Finding } from '../../src/engine/types.js';

/** GitHub's order: the first CODEOWNERS found in `.github/`, the root, then `docs/` is the one it uses. */
const LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];
/** GitLab reads these too (the check is useful on mirrors). */
const GITLAB_LOCATIONS = ['.gitlab/CODEOWNERS'];

/** `@user`, `@org/team`, or an email address. GitLab also allows `@group/subgroup` and role owners like `@@developer`. */
const OWNER = /^(?:@@?[A-Za-z0-9][\w.-]*(?:\/[\w.-]+)*|[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+)$/;

interface Rule {
  line: number;
  pattern: string;
  owners: string[];
  invalid: string[];
  /** Owners inherited from a GitLab section header (`[Section] @owner`). */
  sectionOwners: string[];
}

/** Splits CODEOWNERS lines into rules; `#` starts a comment unless escaped (`\#`), blank lines are skipped. */
export function parseCodeowners(text: string): { rules: Rule[] } {
  const rules: Rule[] = [];
  let sectionOwners: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|[^\\])#[^]*$/, '$1').trim();
    if (!line) return;
    const section = /^\^?\[[^\]]+\](\[\d+\])?\s*([^]*)$/.exec(line);
    if (section) {
      sectionOwners = section[2].split(/\s+/).filter(Boolean);
      return;
    }
    const tokens = line.match(/(?:\\ |\S)+/g) ?? [];
    const [pattern = line, ...owners] = tokens;
    rules.push({
      line: index + 1,
      pattern,
      owners: owners.filter((owner) => OWNER.test(owner)),
      invalid: owners.filter((owner) => !OWNER.test(owner)),
      sectionOwners,
    });
  });
  return { rules };
}

export default defineCheck({
  id: 'codeowners-present',
  category: 'foundations',
  severity: 'medium',
  problemTitle: 'No CODEOWNERS file names who reviews which code',
  title: 'CODEOWNERS present',
  description:
    'A CODEOWNERS file exists in `.github/`, at the root or in `docs/` (the first one GitHub finds is the one it uses) and has at least one rule. It warns, with a line annotation for each, when entries name no owner (a path followed by nothing, or only by tokens that are not `@user`, `@org/team` or an email address). Comments and blank lines are ignored.',
  rationale:
    'CODEOWNERS decides who is asked to review each part of the code, and with branch protection it makes that review required. Without it, changes to sensitive paths can merge without the people who know them looking.',
  remediation: [
    'Add `.github/CODEOWNERS`; each line is a path pattern followed by one or more owners (the last matching line wins):',
    '',
    '```text',
    '# Default owners for everything',
    '*                 @my-org/maintainers',
    '# Deployment and CI changes need the platform team',
    '/.github/         @my-org/platform',
    '/deploy/          @my-org/platform @alice',
    '```',
    '',
    'For an entry flagged as having no owner, add `@user` or `@org/team` after the pattern on that line.',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { files: [...LOCATIONS, ...GITLAB_LOCATIONS] },
  evaluate({ snapshot }) {
    const present = [...LOCATIONS, ...GITLAB_LOCATIONS].filter((path) => snapshot.has(path));
    // The names below sit at the root or one folder down: only those entries are tested.
    const wrongCase = snapshot.index
      .where('shallow', { directory: isShallowDirectory })
      .find((entry) => /^(\.github\/|docs\/)?codeowners$/i.test(entry.path) && !present.includes(entry.path));
    if (!present.length) {
      const hint = wrongCase ? ` (${wrongCase.path} exists, but GitHub only reads the exact name CODEOWNERS)` : '';
      return result.fail(`No CODEOWNERS file${hint}`, [
        {
          message: `no CODEOWNERS in .github/, at the root or in docs/${hint}; add .github/CODEOWNERS`,
          ...(wrongCase ? { path: wrongCase.path } : {}),
        },
      ]);
    }
    const path = present[0];
    const file = snapshot.file(path);
    if (!file || file.text === null) {
      const why = file?.binary
        ? 'is a binary file'
        : snapshot.entry(path)?.kind === 'symlink'
          ? 'is a symlink (GitHub does not follow it)'
          : `could not be read (${file?.error ?? 'unknown error'})`;
      return result.warn(`${path} ${why}`, [{ message: `${path} ${why}`, path }]);
    }
    const { rules } = parseCodeowners(file.text);
    const ignored = present.slice(1).filter((other) => !GITLAB_LOCATIONS.includes(other));
    const note = ignored.length
      ? `; ${ignored.join(', ')} ${ignored.length > 1 ? 'are' : 'is'} ignored because GitHub uses ${path}`
      : '';
    if (!rules.length) {
      return result.warn(`${path} has no rules (only comments or blank lines)`, [
        { message: `${path} assigns no owners: add a rule such as \`* @my-org/maintainers\``, path, line: 1 },
      ]);
    }
    const findings: Finding[] = [];
    for (const rule of rules) {
      if (rule.owners.length || rule.sectionOwners.length) continue;
      const message = rule.invalid.length
        ? `"${rule.pattern}" has no valid owner: ${rule.invalid.map((token) => `"${token}"`).join(', ')} ${rule.invalid.length > 1 ? 'are' : 'is'} not @user, @org/team or an email address`
        : `"${rule.pattern}" has no owner: files matching it get no required reviewer`;
      findings.push({ message, path, line: rule.line });
    }
    if (findings.length) {
      return result.warn(`${path}: ${findings.length} of ${rules.length} entries without an owner${note}`, findings);
    }
    return result.pass(`${path} (${rules.length} rule${rules.length > 1 ? 's' : ''})${note}`);
  },
});
