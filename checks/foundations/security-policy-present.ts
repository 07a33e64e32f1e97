import { defineCheck, result } from '../../src/engine/define-check.js';
import { communityGlobs, describeCommunityPlaces, locateCommunityFile } from '../lib/community-files.js';
import { splitLines } from '../../src/fix/apply.js';
import { insertBefore } from '../../src/fix/edits.js';
import type { FixOutput } from '../../src/fix/types.js';

/** The placeholder address written when the repository is not known; the user must replace it (the note says so). */
const PLACEHOLDER_EMAIL = 'security@example.com';

/** The "Reporting a vulnerability" section: GitHub's private reporting when the repository is known, else an address. */
function reportingSection(repository: string | undefined): { lines: string[]; note: string } {
  if (repository)
    return {
      lines: [
        '## Reporting a vulnerability',
        '',
        'Please do not open a public issue. Report it privately through GitHub:',
        `https://github.com/${repository}/security/advisories/new`,
        '',
        'Include the affected version, the steps to reproduce and the impact you see. We will confirm receipt, keep you',
        'informed while we work on a fix, and credit you in the advisory unless you prefer otherwise.',
      ],
      note: `SECURITY.md points to GitHub's private vulnerability reporting: turn it on under Settings → Security of ${repository} (the private-vulnerability-reporting-enabled check says whether it is)`,
    };
  return {
    lines: [
      '## Reporting a vulnerability',
      '',
      `Please do not open a public issue. Write to ${PLACEHOLDER_EMAIL} instead.`,
      '',
      'Include the affected version, the steps to reproduce and the impact you see. We will confirm receipt, keep you',
      'informed while we work on a fix, and credit you unless you prefer otherwise.',
    ],
    note: `SECURITY.md names the placeholder ${PLACEHOLDER_EMAIL}: replace it with the address that receives reports (or run the fix with the repository known to point to GitHub's private vulnerability reporting)`,
  };
}

/** Ways a reader can report a vulnerability privately, strongest first: the one reported is the first kind found. */
const REPORTING_CHANNELS: Array<{ name: string; pattern: RegExp }> = [
  { name: 'a GitHub security advisory link', pattern: /\/security\/advisories(\/new)?\b/i },
  {
    name: 'an email address',
    pattern:
      // The local part starts after a non-address character (consumed, not a lookbehind): a match attempt at every
      // character of a long run of address characters would be quadratic.
      /\bmailto:|(?:^|[^A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+\s*(@|\[at\]|\(at\)|\{at\})\s*([A-Za-z0-9-]+\s*(\.|\[dot\]|\(dot\))\s*)+[A-Za-z]{2,}\b/,
  },
  {
    name: "GitHub's private vulnerability reporting",
    pattern:
      /private(ly)?[ -]+vulnerability[ -]+report|["'“*]report a vulnerability["'”*]|security (tab|advisor(y|ies))\b/i,
  },
];

/** Any URL: a reporting form or page counts, unless it is another security policy (see isPolicyLink). */
const URL = /\bhttps?:\/\/[^\s)>\]]+/gi;

/**
 * A link to a security policy document (`…/SECURITY.md`, `…/security/policy`): a policy made only of links to other
 * projects' policies tells the reader nothing about reporting to this one.
 */
function isPolicyLink(url: string): boolean {
  const cut = url.search(/[?#]/);
  let path = (cut < 0 ? url : url.slice(0, cut)).toLowerCase();
  while (path.endsWith('/')) path = path.slice(0, -1);
  return (
    path.endsWith('/security/policy') ||
    /\/security\.(md|rst|txt)$/.test(path) ||
    (path.includes('/blob/') && path.endsWith('/security'))
  );
}

/** The first URL that is not a link to a security policy, with its offset. */
function reportingUrl(text: string): { index: number } | undefined {
  for (const match of text.matchAll(URL)) if (!isPolicyLink(match[0])) return { index: match.index };
  return undefined;
}

export default defineCheck({
  id: 'security-policy-present',
  category: 'foundations',
  severity: 'high',
  problemTitle: 'No security policy says how to report a vulnerability',
  title: 'Security policy present',
  description:
    "A SECURITY file (any case, any extension) exists at the root, in `.github/` or in `docs/` — or, from the GitHub source, in the organisation's `.github` repository (the finding says so). It warns when the policy gives no way to report a vulnerability: no email address, no URL (links to other projects' security policies do not count) and no GitHub security-advisory link.",
  rationale:
    'When someone finds a vulnerability, the security policy decides whether they report it privately or open a public issue. A policy without a reporting channel leaves them only the public route.',
  remediation: [
    "Add `SECURITY.md` at the repository root (or in `.github/`) that says which versions get fixes and how to report privately — an address, or GitHub's private vulnerability reporting:",
    '',
    '```markdown',
    '# Security policy',
    '',
    '## Supported versions',
    '',
    'The latest minor release gets security fixes.',
    '',
    '## Reporting a vulnerability',
    '',
    'Do not open a public issue. Report it at https://github.com/OWNER/REPO/security/advisories/new',
    'or write to security@example.com. We answer within 3 working days.',
    '```',
  ].join('\n'),
  effort: 'minutes',
  scope: 'repository',
  needs: { files: communityGlobs('security'), settings: ['orgCommunityFiles'] },
  evaluate({ snapshot }) {
    const location = locateCommunityFile(snapshot, ['security']);
    if (!location)
      return result.fail('No security policy found', [
        { message: `${describeCommunityPlaces('SECURITY.md', snapshot)}; add SECURITY.md` },
      ]);
    if (location.where === 'org')
      return result.pass(`Security policy inherited from the org's .github repository (${location.path})`);
    const { path } = location.entry;
    const file = snapshot.file(path);
    if (!file || file.text === null) {
      const why = file?.binary
        ? 'is a binary file'
        : location.entry.kind === 'symlink'
          ? 'is a symlink (not followed)'
          : `could not be read (${file?.error ?? 'unknown error'})`;
      return result.warn(`${path} ${why}; could not check it names a way to report`, [
        { message: `${path} ${why}; a security policy should be plain text or Markdown`, path },
      ]);
    }
    const text = file.text;
    if (!text.trim()) {
      return result.warn(`${path} is empty`, [
        {
          message: `${path} is empty: say how to report a vulnerability privately (an address or the advisory link)`,
          path,
          line: 1,
        },
      ]);
    }
    for (const channel of [...REPORTING_CHANNELS, { name: 'a URL', pattern: { exec: reportingUrl } }]) {
      const match = channel.pattern.exec(text);
      if (match) {
        // A consumed newline before an email address belongs to the line above.
        const start = Array.isArray(match) && match[0].startsWith('\n') ? match.index + 1 : match.index;
        const line = text.slice(0, start).split('\n').length;
        return result.pass(`${path} names a way to report: ${channel.name} (line ${line})`);
      }
    }
    const heading = /^#.*report/im.exec(text);
    const line = heading ? text.slice(0, heading.index).split('\n').length : 1;
    return result.warn(`${path} gives no way to report a vulnerability`, [
      {
        message: `${path} names no email address, reporting URL or GitHub security-advisory link (links to other security policies do not count): readers have no private way to report a vulnerability`,
        path,
        line,
      },
    ]);
  },
  fixable:
    "adds SECURITY.md (or a reporting section to one that has none) naming GitHub's private vulnerability reporting for this repository, or a placeholder address to fill in",
  fix({ snapshot, services }): FixOutput {
    const section = reportingSection(services.repository);
    const location = locateCommunityFile(snapshot, ['security']);
    if (!location) {
      const text = [
        '# Security policy',
        '',
        '## Supported versions',
        '',
        'Security fixes are made to the latest release.',
        '',
        ...section.lines,
        '',
      ].join('\n');
      return { edits: [{ kind: 'create', path: 'SECURITY.md', text }], notes: [section.note] };
    }
    if (location.where === 'org') return { edits: [] };
    const { path } = location.entry;
    const text = snapshot.textIfRead(path);
    // Only a readable Markdown policy gets a section appended; another format is the maintainers' to edit.
    if (text === undefined || !/\.md$/i.test(path) || location.entry.kind !== 'file')
      return { edits: [], skipped: [`${path} is not a readable Markdown file: add a way to report to it by hand`] };
    const { lines } = splitLines(text);
    const blank = lines.length && lines[lines.length - 1].trim() !== '' ? [''] : [];
    return { edits: [insertBefore(path, lines.length + 1, [...blank, ...section.lines])], notes: [section.note] };
  },
});
