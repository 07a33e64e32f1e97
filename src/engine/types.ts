import type { z } from 'zod';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import type { SettingKey } from '../snapshot/types.js';
import type { Fixer } from '../fix/types.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = [
  { id: 'foundations', title: 'Repository foundations' },
  { id: 'configuration', title: 'Project configuration' },
  { id: 'quality', title: 'Code quality and linting' },
  { id: 'testing', title: 'Testing' },
  { id: 'ci', title: 'CI/CD pipeline' },
  { id: 'workflows', title: 'GitHub Actions hardening' },
  { id: 'security', title: 'Security' },
  { id: 'container', title: 'Containers' },
  { id: 'documentation', title: 'Documentation' },
  { id: 'operations', title: 'Operations' },
] as const;
export type Category = (typeof CATEGORIES)[number]['id'];

export const OUTCOMES = ['pass', 'warn', 'fail', 'not-applicable', 'not-supported', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const PROFILES = ['service', 'library', 'cli', 'docs'] as const;
export type Profile = (typeof PROFILES)[number];

export const ECOSYSTEMS = [
  'node',
  'python',
  'go',
  'rust',
  'java',
  'ruby',
  'php',
  'dotnet',
  'elixir',
  'swift',
  'dart',
  'scala',
  'haskell',
  'c-cpp',
] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

export interface Finding {
  message: string;
  path?: string;
  line?: number;
  endLine?: number;
  /**
   * A project-scoped check's finding about a file outside the project (a root workflow, an inherited config): its
   * `path` is relative to the repository, not the project. The engine resolves it and drops the flag.
   */
  repositoryPath?: true;
  /**
   * Set by the engine: a short hash of the text of the finding's line. With the check id and path it identifies
   * the finding across commits (the PR comparison, fingerprints) whatever its message says or where the line moved.
   */
  lineKey?: string;
  /** Set by the engine when an inline `shipready-ignore` comment covers this finding. */
  suppressed?: { reason: string };
}

/** What a check's evaluate returns. The engine adds the metadata. */
export interface CheckResult {
  outcome: Outcome;
  /** One line a person reads. */
  summary: string;
  findings?: Finding[];
  /** The check's own fraction in [0, 1] (e.g. 3 of 4 ecosystems covered → 0.75). */
  score?: number;
}

/** A project inside the repository (a monorepo workspace, or the repository itself with root ''). */
export interface Project {
  /** Path relative to the repository root, '' for the root, no trailing slash. */
  path: string;
  ecosystems: Ecosystem[];
  /** Manifest files of this project, relative to the repository root. */
  manifests: string[];
}

export interface Needs {
  /**
   * Globs (picomatch, matched against repository-relative paths) of the files whose text the check reads.
   * `{ glob, max, exclude }` bounds how many files one glob may pull in (shallowest paths first), after dropping
   * paths matching `exclude` (vendored code, lockfiles) so they do not use up the budget.
   */
  files?: Array<string | { glob: string; max: number; exclude?: string[] }>;
  /** Repository settings the check reads (only the GitHub source can answer them). */
  settings?: SettingKey[];
}

export interface CheckContext<Options = Record<string, never>> {
  /** The repository (or, for project-scoped checks in a monorepo, the project's sub-tree, paths relative to it). */
  snapshot: RepoSnapshot;
  /** The whole repository, whatever the scope. */
  repository: RepoSnapshot;
  profile: Profile;
  ecosystems: Ecosystem[];
  projects: Project[];
  /** Options after defaults, validated with the check's schema. */
  options: Options;
  /** The project being evaluated ('' for the repository). */
  projectPath: string;
}

export type CheckScope = 'repository' | 'project';

export interface CheckDefinition<Options = Record<string, never>> {
  /** Public contract: config key, JSON id, issue marker. Equals the file name. */
  id: string;
  category: Category;
  severity: Severity;
  /** Short title for tables and Check Run annotations. */
  title: string;
  /**
   * The problem when the check fails, stated as a reader would say it: the remediation issue's title
   * ("Secrets are baked into the Docker image", not "No secrets baked into images fails"). Every registered check
   * has one (test/report/issue-body.test.ts); optional so a test's ad-hoc check need not.
   */
  problemTitle?: string;
  /** What passes, in one or two sentences (the doc page and `shipready checks` show it). */
  description: string;
  /** Why it matters: used in issue bodies and the markdown report. */
  rationale: string;
  /** Markdown: the exact file to add or line to change, with a minimal example. */
  remediation: string;
  /** Rough effort to fix, for the recommendations list. */
  effort: 'minutes' | 'hours' | 'days';
  /** Profiles the check applies to; all when absent. */
  profiles?: Profile[];
  /** 'project' checks run once per project in a monorepo (configuration, quality, testing, container). */
  scope: CheckScope;
  needs: Needs;
  /** zod schema of the check's options (the config's `checks.<id>` object); must accept `{}` and fill defaults. */
  options?: z.ZodType<Options>;
  evaluate(context: CheckContext<Options>): CheckResult;
  /**
   * What the fixer changes, in one line (`shipready checks`, the fix pull request). Set exactly when `fix` is, as an
   * ESLint rule's `meta.fixable` goes with its `fix`.
   */
  fixable?: string;
  /** Deterministic file edits after which this check passes (src/fix applies them; test/fix proves they pass). */
  fix?: Fixer<Options>;
}

/** A check with any options type: what registries and the runner hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCheckDefinition = CheckDefinition<any>;
