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
}

/** An issue the evaluation wants open, as rendered: the body carries the key and fingerprint markers. */
export interface DesiredIssue {
  key: string;
  title: string;
  body: string;
  fingerprint: string;
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
    };
    const known = tracked.get(key);
    if (!known || (known.state === 'closed' && candidate.state === 'open')) tracked.set(key, candidate);
  }
  return tracked;
}

const knownLabels = new Set<string>();

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
    knownLabels.add(cacheKey);
  }
}

export type IssueAction = 'created' | 'updated' | 'reopened' | 'unchanged' | 'skipped';

/**
 * Opens, updates or reopens the issue for one key. An open issue with the same fingerprint is left alone (no
 * pings); a closed one is reopened with a comment (a regression).
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
}): Promise<{ action: IssueAction; number?: number }> {
  const guard = input.guard ?? noGuard;
  const { octokit, owner, repo, existing } = input;
  const body = withIssueMarkers(input.issue.body, input.issue.key, input.issue.fingerprint);
  if (existing?.state === 'open') {
    if (existing.fingerprint === input.issue.fingerprint) return { action: 'unchanged', number: existing.number };
    guard();
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      owner,
      repo,
      issue_number: existing.number,
      title: input.issue.title,
      body,
    });
    return { action: 'updated', number: existing.number };
  }
  if (existing) {
    guard();
    await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
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
      body: input.reopenComment ?? 'Reopened by shipready: this check fails again.',
    });
    return { action: 'reopened', number: existing.number };
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
  return { action: 'created', number: (response.data as ApiIssue).number };
}

/** Closes an open issue with a comment saying why; a closed or missing one is left alone. */
export async function ensureIssueClosing(input: {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  existing?: TrackedIssue;
  comment: string;
  guard?: WriteGuard;
}): Promise<{ action: 'closed' | 'unchanged'; number?: number }> {
  const { octokit, owner, repo, existing } = input;
  if (!existing || existing.state !== 'open')
    return { action: 'unchanged', ...(existing ? { number: existing.number } : {}) };
  const guard = input.guard ?? noGuard;
  guard();
  await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
    owner,
    repo,
    issue_number: existing.number,
    body: input.comment,
  });
  guard();
  await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    owner,
    repo,
    issue_number: existing.number,
    state: 'closed',
    state_reason: 'completed',
  });
  return { action: 'closed', number: existing.number };
}

export interface ReconcileItem {
  key: string;
  title: string;
  action: 'open' | 'update' | 'reopen' | 'close' | 'unchanged';
  number?: number;
  /** False when the action was only planned: preview mode, or an `open` left over by the per-run cap. */
  done: boolean;
}

export interface ReconcileResult {
  items: ReconcileItem[];
  /** Issues not opened because of the per-run cap (`issues.max`); later runs open them. */
  deferred: number;
}

/**
 * Brings the repository's issues in line with one default-branch evaluation, under a per-repository lock (so a
 * push and a "File issues" click cannot both open the same issue). Issues already filed are always maintained
 * (updated, reopened, closed); new ones are opened only when `create` is set, at most `max` per run (reopenings
 * count too: both notify people).
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
  reopenComment?: (issue: DesiredIssue) => string;
  guard?: WriteGuard;
}): Promise<ReconcileResult> {
  const { octokit, owner, repo } = input;
  return withLock(`issues:${owner}/${repo}`, async () => {
    const tracked = await listTrackedIssues({ octokit, owner, repo, creator: input.creator, label: input.labels[0] });
    const result: ReconcileResult = { items: [], deferred: 0 };
    let opened = 0;
    for (const issue of input.desired) {
      const existing = tracked.get(issue.key);
      const mayCreate = input.create && opened < input.max;
      const reopenComment = input.reopenComment?.(issue);
      if (existing?.state === 'closed' && input.create && opened >= input.max) {
        result.deferred += 1;
        result.items.push({
          key: issue.key,
          title: issue.title,
          action: 'reopen',
          number: existing.number,
          done: false,
        });
        continue;
      }
      const outcome = await ensureIssue({
        octokit,
        owner,
        repo,
        issue,
        existing,
        labels: input.labels,
        create: mayCreate,
        reopenComment,
        guard: input.guard,
      });
      if (outcome.action === 'skipped') {
        if (input.create) result.deferred += 1;
        result.items.push({ key: issue.key, title: issue.title, action: 'open', done: false });
        continue;
      }
      if (outcome.action === 'created' || outcome.action === 'reopened') opened += 1;
      const action =
        outcome.action === 'created'
          ? 'open'
          : outcome.action === 'updated'
            ? 'update'
            : outcome.action === 'reopened'
              ? 'reopen'
              : 'unchanged';
      result.items.push({ key: issue.key, title: issue.title, action, number: outcome.number, done: true });
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
        result.items.push({
          key: done.key,
          title: existing!.title,
          action: 'close',
          number: outcome.number,
          done: true,
        });
    }
    return result;
  });
}
