import { defineCheck, result } from '../../src/engine/define-check.js';
import { isExcludedFromProject } from '../../src/engine/file-classes.js';
import type { RepoSnapshot } from '../../src/snapshot/snapshot.js';
import type { TreeEntry } from '../../src/snapshot/types.js';
import { containsAnyOf } from '../lib/tree-queries.js';

const DOC = /\.(md|markdown|mdx|rst|adoc|asciidoc|txt|html?|org)$/i;

/** Architecture documents and decision records, in the places teams keep them. */
const KINDS: Array<{ kind: string; test: (path: string) => boolean }> = [
  {
    kind: 'architecture document',
    test: (path) => /(^|\/)architecture(\.[a-z]+)?$/i.test(path) && (DOC.test(path) || !/\.[a-z]+$/i.test(path)),
  },
  {
    kind: 'architecture docs',
    test: (path) =>
      /^(\.github\/|docs?\/|documentation\/|wiki\/)?(.*\/)?architecture[^/]*\/.+/i.test(path) && DOC.test(path),
  },
  {
    kind: 'architecture docs',
    test: (path) => inDocsNamed(path, /architecture/i) && DOC.test(path),
  },
  {
    kind: 'architecture decision records',
    test: (path) =>
      /(^|\/)(adrs?|decisions|architecture[-_]decisions?|decision[-_]records)\/.+/i.test(path) && DOC.test(path),
  },
  {
    kind: 'architecture decision records',
    test: (path) =>
      /(^|\/)\.adr-dir$/.test(path) ||
      (/(^|\/)\d{3,4}-[^/]+\.md$/i.test(path) && /(^|\/)(adr|decisions?)[^/]*\//i.test(path)),
  },
  {
    // A single decision log: `docs/decisions.md`, `DECISIONS.md`, `decision-log.md`, `docs/adr.md`.
    kind: 'architecture decision records',
    test: (path) =>
      /(^|\/)(decisions|decision[-_]log|decision[-_]records|design[-_]decisions|architecture[-_]decisions|adrs?)\.(md|markdown|mdx|rst|adoc|txt)$/i.test(
        path,
      ),
  },
  {
    kind: 'design docs',
    test: (path) =>
      /(^|\/)(design[-_]?docs?|designs?|rfcs?|proposals|internals|technical[-_]design)\/.+/i.test(path) &&
      DOC.test(path) &&
      /^(docs?\/|documentation\/|design|rfcs?\/|proposals\/|internals\/)/i.test(path),
  },
  {
    kind: 'design docs',
    test: (path) =>
      /(^|\/)(design|design[-_]doc|internals|technical[-_]design|system[-_]design|overview[-_]architecture)\.(md|markdown|mdx|rst|adoc)$/i.test(
        path,
      ),
  },
  {
    kind: 'architecture diagrams',
    test: (path) =>
      stemMatches(
        path,
        /\.(?:puml|plantuml|mmd|mermaid|drawio|dsl|excalidraw)$/i,
        /architecture|system[-_]context|c4/i,
      ) ||
      (inDocsNamed(path, /architecture/i) && /\.(?:png|svg|jpe?g)$/i.test(path)),
  },
];

/**
 * Every path a KIND can match has one of these words in its name or in a folder's: only those entries are tested,
 * in tree order.
 */
const hasArchitectureWord = containsAnyOf([
  'architecture',
  'adr',
  'decision',
  'design',
  'rfc',
  'proposal',
  'internals',
  'system',
  'c4',
]);
function candidates(snapshot: RepoSnapshot): readonly TreeEntry[] {
  return snapshot.index.where('architecture-docs-present:candidates', {
    name: hasArchitectureWord,
    directory: hasArchitectureWord,
    either: true,
  });
}

export default defineCheck({
  id: 'architecture-docs-present',
  category: 'documentation',
  severity: 'low',
  problemTitle: 'The architecture is not written down',
  title: 'Architecture documented',
  description:
    'Architecture is written down: an `ARCHITECTURE.md` (at the root, in `.github/`, in `docs/` or in a package), `docs/architecture*` files or folders, architecture decision records (`docs/adr/`, `doc/adr/`, `adr/`, `docs/decisions/`, an adr-tools `.adr-dir`, or a single decision log such as `docs/decisions.md`, `DECISIONS.md`, `decision-log.md`), design docs (`docs/design/`, `DESIGN.md`, `rfcs/`, `docs/internals/`) or architecture diagrams (C4/Structurizr, PlantUML, Mermaid, draw.io files named for the architecture, or an architecture image in `docs/`). Vendored and fixture folders do not count.',
  rationale:
    'An architecture document tells a new engineer or an incident responder how the parts fit together and why they were built that way; decision records keep the "why" after the people who decided have moved on.',
  remediation: [
    'Add `ARCHITECTURE.md` at the repository root (a short map of the code, see matklad\'s "ARCHITECTURE.md"), or start decision records in `docs/adr/`:',
    '',
    '```markdown',
    '# Architecture',
    '',
    '## Overview',
    'Requests enter through `src/http/`, are validated in `src/api/`, and the work is queued to `src/worker/`.',
    '',
    '## Code map',
    '- `src/store/` — the only module that talks to PostgreSQL.',
    '',
    '## Decisions',
    'See `docs/adr/0001-use-postgres.md`.',
    '```',
  ].join('\n'),
  effort: 'hours',
  // Not for the docs profile (CATALOG, docs profile).
  profiles: ['service', 'library', 'cli'],
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
      return result.fail('No architecture or design documentation found', [
        {
          message:
            'looked for ARCHITECTURE.md, docs/architecture*, decision records (docs/adr/, doc/adr/, adr/, docs/decisions/, .adr-dir), design docs (docs/design/, DESIGN.md, rfcs/, docs/internals/) and architecture diagrams; add ARCHITECTURE.md at the repository root',
        },
      ]);
    }
    const kinds = [...new Set(found.map((item) => item.kind))];
    const summary = kinds
      .map((kind) => {
        const items = found.filter((item) => item.kind === kind);
        return `${kind}: ${items
          .slice(0, 2)
          .map((item) => item.path)
          .join(', ')}${items.length > 2 ? ` (+${items.length - 2} more)` : ''}`;
      })
      .join('; ');
    return result.pass(summary);
  },
});

/** The file name after the last `/`. Path tests work on parts: a free `(.*\/)?` prefix in a regex backtracks. */
const baseNameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** A file under `doc/`, `docs/` or `documentation/` whose own name matches `name`. */
function inDocsNamed(path: string, name: RegExp): boolean {
  const slash = path.indexOf('/');
  return slash > 0 && /^(?:docs?|documentation)$/i.test(path.slice(0, slash)) && name.test(baseNameOf(path));
}

/** A file with `extension` whose name before it matches `stem`. */
function stemMatches(path: string, extension: RegExp, stem: RegExp): boolean {
  const base = baseNameOf(path);
  const match = extension.exec(base);
  return match !== null && stem.test(base.slice(0, match.index));
}
