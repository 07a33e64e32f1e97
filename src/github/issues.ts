import { LRUCache } from 'lru-cache';
import { issueKeyOf, parseMarkers, withIssueMarkers } from '../report/markers.js';
import { listAll, noGuard, withLock, type OctokitLike, type WriteGuard } from './octokit.js';

export interface TrackedIssue {
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  /** The check id from the hidden marker, or `dashboard`. */
  key: string;
  fingerprint?: string;
  /** The issue's html_url. */
  url?: string;
}

/** An issue the evaluation wants open, as rendered: the body carries the key and fingerprint markers. */
export interface DesiredIssue {
  key: string;
  title: string;
  body: string;
  fingerprint: string;
  /** Posted when a closed issue of this key is reopened (what regressed and where); planIssues renders it. */
  reopenComment?: string;
}

/** A check that now passes (or was turned off): its open issue, if any, is closed with this comment. */
export interface ResolvedIssue {
  key: string;
  comment: string;
}

interface ApiIssue {
  number: number;
  state: string;
  title: string;
  body?: string | null;
  html_url?: string;
  pull_request?: unknown;
}

/**
 * Our issues, found by their hidden markers (never by title). Listed by author when the App's login is known,
 * else by our first label; the marker decides either way. For each key the open issue wins, then the oldest.
 */
export async function listTrackedIssues(input: {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  creator?: string;
  label?: string;
}): Promise<Map<string, TrackedIssue>> {
  const filter = input.creator ? { creator: input.creator } : input.label ? { labels: input.label } : {};
  const issues = await listAll<ApiIssue>(input.octokit, 'GET /repos/{owner}/{repo}/issues', {
    owner: input.owner,
    repo: input.repo,
    state: 'all',
    sort: 'created',
    direction: 'asc',
    ...filter,
  });
  const tracked = new Map<string, TrackedIssue>();
  for (const issue of issues) {
    if (issue.pull_request) continue;
    const key = issueKeyOf(issue.body);
    if (!key) continue;
    const { fingerprint } = parseMarkers(issue.body);
    const candidate: TrackedIssue = {
      number: issue.number,
      state: issue.state === 'open' ? 'open' : 'closed',
      title: issue.title,
      body: issue.body ?? '',
      key,
      ...(fingerprint ? { fingerprint } : {}),
      ...(issue.html_url ? { url: issue.html_url } : {}),
    };
    const known = tracked.get(key);
    if (!known || (known.state === 'closed' && candidate.state === 'open')) tracked.set(key, candidate);
  }
  return tracked;
}

/** An hour: SHIPREADY_LABEL_CACHE_TTL_MS. */
export const DEFAULT_LABEL_CACHE_TTL_MS = 60 * 60_000;
const LABEL_CACHE_ENTRIES = 10_000;

/**
 * Labels known to exist, by repository and name, so each is checked once per repository and hour rather than on
 * every evaluation. Bounded (thousands of installed repositories) and expiring: a label a maintainer deleted is
 * created again within the TTL.
 */
let knownLabels = new LRUCache<string, true>({ max: LABEL_CACHE_ENTRIES, ttl: DEFAULT_LABEL_CACHE_TTL_MS });

/** Sets how long a label is taken to exist (from SHIPREADY_LABEL_CACHE_TTL_MS); forgets the labels known. */
export function configureKnownLabels(options: { ttlMs?: number; maxEntries?: number }): void {
  knownLabels = new LRUCache<string, true>({
    max: Math.max(1, options.maxEntries ?? LABEL_CACHE_ENTRIES),
    ttl: Math.max(1, options.ttlMs ?? DEFAULT_LABEL_CACHE_TTL_MS),
  });
}

/** Forget which labels exist (tests). */
export function forgetKnownLabels(): void {
  knownLabels.clear();
}

/** Creates the configured labels that do not exist yet (once per process and repository). */
export async function ensureLabels(input: {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  labels: readonly string[];
  guard?: WriteGuard;
}): Promise<void> {
  for (const name of input.labels) {
    const cacheKey = `${input.owner}/${input.repo}:${name}`;
    if (knownLabels.has(cacheKey)) continue;
    try {
      await input.octokit.request('GET /repos/{owner}/{repo}/labels/{name}', {
        owner: input.owner,
        repo: input.repo,
        name,
      });
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      (input.guard ?? noGuard)();
      try {
        await input.octokit.request('POST /repos/{owner}/{repo}/labels', {
          owner: input.owner,
          repo: input.repo,
          name,
          color: '5319e7',
          description: 'Production readiness findings filed by shipready',
        });
      } catch (createError) {
        // 422 already_exists: another evaluation created it meanwhile.
        if ((createError as { status?: number }).status !== 422) throw createError;
      }
    }
    knownLabels.set(cacheKey, true);
  }
}

export type IssueAction = 'created' | 'updated' | 'reopened' | 'unchanged' | 'skipped';

/** What ensureIssue did, and to which issue (`skipped`: nothing, no issue). */
export interface IssueOutcome {
  action: IssueAction;
  number?: number;
  /** The issue's html_url, as GitHub returned it. */
  url?: string;
}

function urlOf(data: unknown, fallback?: string): { url?: string } {
  const url = (data as ApiIssue | undefined)?.html_url ?? fallback;
  return url ? { url } : {};
}

/**
 * Opens, updates or reopens the issue for one key. An open issue with the same fingerprint is left alone (no
 * pings); a closed one is reopened with a comment (a regression): `reopenComment`, else the issue's own, else a
 * generic line.
 */
export async function ensureIssue(input: {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  issue: DesiredIssue;
  existing?: TrackedIssue;
  labels: readonly string[];
  /** False: do not open a new issue (preview mode, or the per-run cap is reached). */
  create: boolean;
  reopenComment?: string;
  guard?: WriteGuard;
}): Promise<IssueOutcome> {
  const guard = input.guard ?? noGuard;
  const { octokit, owner, repo, existing } = input;
  const body = withIssueMarkers(input.issue.body, input.issue.key, input.issue.fingerprint);
  if (existing?.state === 'open') {
    if (existing.fingerprint === input.issue.fingerprint)
      return { action: 'unchanged', number: existing.number, ...urlOf(undefined, existing.url) };
    guard();
    const response = await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      owner,
      repo,
      issue_number: existing.number,
      title: input.issue.title,
      body,
    });
    return { action: 'updated', number: existing.number, ...urlOf(response?.data, existing.url) };
  }
  if (existing) {
    guard();
    const response = await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      owner,
      repo,
      issue_number: existing.number,
      title: input.issue.title,
      body,
      state: 'open',
    });
    guard();
    await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: existing.number,
      body: input.reopenComment ?? input.issue.reopenComment ?? 'Reopened by shipready: this check fails again.',
    });
    return { action: 'reopened', number: existing.number, ...urlOf(response?.data, existing.url) };
  }
  if (!input.create) return { action: 'skipped' };
  await ensureLabels({ octokit, owner, repo, labels: input.labels, guard });
  guard();
  const response = await octokit.request('POST /repos/{owner}/{repo}/issues', {
    owner,
    repo,
    title: input.issue.title,
    body,
    labels: [...input.labels],
  });
  return { action: 'created', number: (response.data as ApiIssue).number, ...urlOf(response.data) };
}

/** Closes an open issue with a comment saying why; a closed or missing one is left alone. */
export async function ensureIssueClosing(input: {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  existing?: TrackedIssue;
  comment: string;
  guard?: WriteGuard;
}): Promise<{ action: 'closed' | 'unchanged'; number?: number; url?: string }> {
  const { octokit, owner, repo, existing } = input;
  if (!existing || existing.state !== 'open')
    return { action: 'unchanged', ...(existing ? { number: existing.number, ...urlOf(undefined, existing.url) } : {}) };
  const guard = input.guard ?? noGuard;
  guard();
  await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner,
    repo,
    issue_number: existing.number,
    body: input.comment,
  });
  guard();
  const response = await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    owner,
    repo,
    issue_number: existing.number,
    state: 'closed',
    state_reason: 'completed',
  });
  return { action: 'closed', number: existing.number, ...urlOf(response?.data, existing.url) };
}

/**
 * Why an issue that should be opened or reopened was not: `cap` — `issues.max` issues were already opened or
 * reopened this run (later runs continue); `not-requested` — a preview (`create: false`): new issues wait for the
 * "File issues" button or `issues.file: auto`.
 */
export type DeferReason = 'cap' | 'not-requested';

export interface ReconcileItem {
  key: string;
  title: string;
  action: 'open' | 'update' | 'reopen' | 'close' | 'unchanged';
  /** The issue's number: always when `done`; for a deferred reopen, the closed issue's. */
  number?: number;
  /** The issue's html_url, with the number. */
  url?: string;
  /** True when the action was carried out on GitHub; false when it was deferred (see `deferredBy`). */
  done: boolean;
  /** Set exactly when `done` is false. */
  deferredBy?: DeferReason;
}

/** An issue acted on: number and link, for "opened 5 issues (#12…#16)". */
export interface IssueRef {
  key: string;
  title: string;
  number: number;
  url?: string;
}

/**
 * Exactly what one reconcile did and did not do. Every list is derived from `items` once, in filing order; the
 * numbers a Check Run prints are these lists' lengths.
 *
 * - `opened`, `reopened`, `updated`, `closed`, `unchanged`: carried out (or, for `unchanged`, checked and left).
 * - `deferredByCap`: would have been opened or reopened, but `max` was used up (`opened.length + reopened.length
 *   === max` whenever it is non-empty). "opened 5 issues (#12…#16); 7 more are deferred by issues.max: 5".
 * - `notRequested`: new issues a preview lists; nothing was filed because filing was not requested.
 * - `deferred`: `deferredByCap.length` (kept for existing callers).
 */
export interface ReconcileResult {
  items: ReconcileItem[];
  opened: IssueRef[];
  reopened: IssueRef[];
  updated: IssueRef[];
  closed: IssueRef[];
  unchanged: IssueRef[];
  deferredByCap: ReconcileItem[];
  notRequested: ReconcileItem[];
  deferred: number;
  /** The per-run cap this run was held to (`issues.max`). */
  max: number;
}

/** The result's lists and counts, from its items (the one structure every count comes from). */
export function summarizeReconcile(items: ReconcileItem[], max: number): ReconcileResult {
  const refs = (action: ReconcileItem['action']): IssueRef[] =>
    items
      .filter((item) => item.done && item.action === action && item.number !== undefined)
      .map((item) => ({
        key: item.key,
        title: item.title,
        number: item.number!,
        ...(item.url ? { url: item.url } : {}),
      }));
  const deferredByCap = items.filter((item) => !item.done && item.deferredBy === 'cap');
  return {
    items,
    opened: refs('open'),
    reopened: refs('reopen'),
    updated: refs('update'),
    closed: refs('close'),
    unchanged: refs('unchanged'),
    deferredByCap,
    notRequested: items.filter((item) => !item.done && item.deferredBy === 'not-requested'),
    deferred: deferredByCap.length,
    max,
  };
}

const ACTION_OF: Record<Exclude<IssueAction, 'skipped'>, ReconcileItem['action']> = {
  created: 'open',
  updated: 'update',
  reopened: 'reopen',
  unchanged: 'unchanged',
};

/**
 * Brings the repository's issues in line with one default-branch evaluation, under a per-repository lock (so a
 * push and a "File issues" click cannot both open the same issue). `desired` is taken in the order given (the
 * plan's filing order: severity, then located findings before settings). Issues already open are always kept
 * current (updated, closed). Opening a new issue needs `create`; opening and reopening both notify people, so
 * together they are held to `max` per run, in that order; what the cap leaves is deferred to later runs.
 */
export async function reconcileIssues(input: {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  creator?: string;
  labels: readonly string[];
  desired: readonly DesiredIssue[];
  resolved: readonly ResolvedIssue[];
  create: boolean;
  max: number;
  /** Overrides the issue's own `reopenComment`. */
  reopenComment?: (issue: DesiredIssue) => string;
  guard?: WriteGuard;
}): Promise<ReconcileResult> {
  const { octokit, owner, repo } = input;
  return withLock(`issues:${owner}/${repo}`, async () => {
    const tracked = await listTrackedIssues({ octokit, owner, repo, creator: input.creator, label: input.labels[0] });
    const items: ReconcileItem[] = [];
    let notified = 0;
    for (const issue of input.desired) {
      const existing = tracked.get(issue.key);
      const wouldNotify = existing?.state !== 'open';
      if (wouldNotify && !existing && !input.create) {
        items.push({ key: issue.key, title: issue.title, action: 'open', done: false, deferredBy: 'not-requested' });
        continue;
      }
      if (wouldNotify && notified >= input.max) {
        items.push({
          key: issue.key,
          title: issue.title,
          action: existing ? 'reopen' : 'open',
          ...(existing ? { number: existing.number, ...urlOf(undefined, existing.url) } : {}),
          done: false,
          deferredBy: 'cap',
        });
        continue;
      }
      const reopenComment = input.reopenComment?.(issue);
      const outcome = await ensureIssue({
        octokit,
        owner,
        repo,
        issue,
        existing,
        labels: input.labels,
        create: input.create,
        ...(reopenComment === undefined ? {} : { reopenComment }),
        guard: input.guard,
      });
      // `skipped` cannot happen here (a new issue without `create` is deferred above); the guard narrows the type.
      if (outcome.action === 'skipped') continue;
      if (outcome.action === 'created' || outcome.action === 'reopened') notified += 1;
      items.push({
        key: issue.key,
        title: issue.title,
        action: ACTION_OF[outcome.action],
        ...(outcome.number === undefined ? {} : { number: outcome.number }),
        ...(outcome.url ? { url: outcome.url } : {}),
        done: true,
      });
    }
    for (const done of input.resolved) {
      const existing = tracked.get(done.key);
      const outcome = await ensureIssueClosing({
        octokit,
        owner,
        repo,
        existing,
        comment: done.comment,
        guard: input.guard,
      });
      if (outcome.action === 'closed')
        items.push({
          key: done.key,
          title: existing!.title,
          action: 'close',
          number: outcome.number!,
          ...(outcome.url ? { url: outcome.url } : {}),
          done: true,
        });
    }
    return summarizeReconcile(items, input.max);
  });
}
