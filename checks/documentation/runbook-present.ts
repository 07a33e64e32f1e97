import { defineCheck, result } from '../../src/engine/define-check.js';
import { isExcludedFromProject } from '../../src/engine/file-classes.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { containsAnyOf } from '../lib/tree-queries.js';

const DOC = /\.(md|markdown|mdx|rst|adoc|asciidoc|txt|html?|org)$/i;

/** Operational documents, where teams keep them. Ansible playbooks (YAML) are automation, not runbooks. */
const KINDS: Array<{ kind: string; test: (path: string) => boolean }> = [
  {
    kind: 'runbook',
    test: (path) =>
      /(^|\/)([^/]*[-_])?run[-_ ]?books?(\.[a-z]+)?$/i.test(path) && (DOC.test(path) || !/\.[a-z]+$/i.test(path)),
  },
  { kind: 'runbooks', test: (path) => /(^|\/)([^/]*[-_])?run[-_ ]?books?\/.+/i.test(path) && DOC.test(path) },
  {
    kind: 'playbook',
    test: (path) => {
      const extension = /\.(?:md|markdown|mdx|rst|adoc|txt)$/i.exec(path);
      if (!extension) return false;
      const parts = path.slice(0, extension.index).split('/');
      const playbook = /^(?:incident[-_])?playbooks?$/i;
      // `playbooks.md`, or any document under a `playbooks/` folder.
      return playbook.test(parts[parts.length - 1]) || parts.slice(0, -1).some((part) => playbook.test(part));
    },
  },
  {
    kind: 'operations docs',
    test: (path) => isOperationsDoc(path) && DOC.test(path),
  },
  {
    kind: 'operations docs',
    test: (path) =>
      /^(OPERATIONS|OPERATING|ON[-_]?CALL|ONCALL|TROUBLESHOOTING|SRE|INCIDENT[-_]RESPONSE)\.(md|markdown|rst|adoc|txt)$/i.test(
        path,
      ),
  },
];

/**
 * Every path a KIND can match has `run` (runbooks) or `playbook` in its name or a folder, sits in a docs folder
 * (operations docs) or at the root: only those entries are tested, in tree order.
 */
const hasRunbookWord = containsAnyOf(['run', 'playbook']);
function candidates(snapshot: RepoSnapshot): readonly TreeEntry[] {
  return snapshot.index.where('runbook-present:candidates', {
    name: hasRunbookWord,
    directory: (directory) =>
      directory === '' || hasRunbookWord(directory) || directory.slice(0, 3).toLowerCase() === 'doc',
    either: true,
  });
}

export default defineCheck({
  id: 'runbook-present',
  category: 'documentation',
  severity: 'low',
  problemTitle: 'There is no runbook for operating the service',
  title: 'Runbook present',
  description:
    'For services: operational documentation exists — a `RUNBOOK.md` or `*-runbook.md` (any case, anywhere but vendored folders), a `runbooks/` folder (e.g. `docs/runbooks/`, `monitoring/alert-runbooks/`), a Markdown playbook, or `docs/operations/`, `docs/ops/`, `docs/sre/`, `docs/on-call*`, `docs/incidents/`, `docs/troubleshooting*`, `OPERATIONS.md`, `ONCALL.md`. Ansible playbooks (YAML) are automation and do not count.',
  rationale:
    'At 3 a.m. the on-call engineer needs to know how to check the service is healthy, where its logs and dashboards are, and how to restart, roll back or scale it. Written down once, that knowledge does not depend on who is awake.',
  remediation: [
    'Add `docs/runbooks/` with one page per alert or task, or a `RUNBOOK.md` at the root:',
    '',
    '```markdown',
    '# Runbook: orders-api',
    '',
    '## Health',
    '`curl https://orders.internal/healthz` — dashboards: <link>; logs: <link>',
    '',
    '## Roll back',
    '`kubectl rollout undo deployment/orders-api`',
    '',
    '## Alert: HighErrorRate',
    'Check the last deploy, then the database connection pool (`/metrics`: `db_pool_waiting`).',
    '```',
  ].join('\n'),
  effort: 'hours',
  profiles: ['service'],
  scope: 'repository',
  needs: {},
  evaluate({ snapshot }) {
    const found: Array<{ kind: string; path: string }> = [];
    for (const entry of candidates(snapshot)) {
      if (entry.kind === 'submodule' || isExcludedFromProject(entry.path)) continue;
      const match = KINDS.find(({ test }) => test(entry.path));
      if (match) found.push({ kind: match.kind, path: entry.path });
    }
    if (!found.length) {
      return result.fail('No runbook or operations documentation found', [
        {
          message:
            'looked for RUNBOOK.md, runbooks/ (e.g. docs/runbooks/), Markdown playbooks, docs/operations/, docs/ops/, docs/sre/, docs/on-call*, docs/incidents/, docs/troubleshooting*, OPERATIONS.md and ONCALL.md; add docs/runbooks/ or RUNBOOK.md',
        },
      ]);
    }
    const shown = found
      .slice(0, 3)
      .map((item) => item.path)
      .join(', ');
    return result.pass(`${found[0].kind}: ${shown}${found.length > 3 ? ` (+${found.length - 3} more)` : ''}`);
  },
});

const OPERATIONS_TOPIC =
  /^(?:operations|operating|ops|sre|on[-_]?call|incidents?|incident[-_]response|troubleshooting|disaster[-_]recovery)$/i;

/** `docs/…/oncall.md` or `docs/…/sre/…`: tested part by part (a free `(.*\/)?` prefix in a regex backtracks). */
function isOperationsDoc(path: string): boolean {
  const parts = path.split('/');
  if (parts.length < 2 || !/^(?:docs?|documentation)$/i.test(parts[0])) return false;
  const last = parts[parts.length - 1];
  const dot = last.lastIndexOf('.');
  const lastIsTopic = dot > 0 && /^\.[a-z]+$/i.test(last.slice(dot)) && OPERATIONS_TOPIC.test(last.slice(0, dot));
  return lastIsTopic || parts.slice(1, -1).some((part) => OPERATIONS_TOPIC.test(part));
}
