import { noGuard, type OctokitLike, type WriteGuard } from './octokit.js';
import { chunkAnnotations, type CheckRunAction, type CheckRunAnnotation } from '../report/check-run.js';

export const CHECK_RUN_NAME = 'Production readiness';
// The renderer owns the shapes GitHub takes (and its limits); the writer sends them as they are.
export { type CheckRunAction, type CheckRunAnnotation } from '../report/check-run.js';

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckRunAnnotation[];
}

export type Conclusion = 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required';

export interface EnsureCheckRunInput {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  headSha: string;
  /** The id of the run created earlier in this evaluation; absent → create one. */
  id?: number;
  name?: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: Conclusion;
  output?: CheckRunOutput;
  actions?: CheckRunAction[];
  detailsUrl?: string;
  externalId?: string;
  /** When the evaluation began: a run's `started_at` on creation, whatever state it is created in (default now). */
  startedAt?: Date;
  now?: () => Date;
  guard?: WriteGuard;
  /**
   * Called once the first request (the one that sets the status) succeeded, and after each extra annotation batch,
   * with the annotations sent so far: a batch that fails leaves the run in that state with those annotations, and the
   * caller must know (a completed run is not set back in progress by a retry, which sends only the rest).
   */
  onWritten?: (handle: CheckRunHandle, annotationsSent: number) => void;
}

export interface CheckRunHandle {
  id: number;
  /** The App's slug from the response (`<slug>[bot]` is the author of our comments and issues). */
  appSlug?: string;
  /** The run's page on GitHub (linked from the PR comment). */
  htmlUrl?: string;
  /** Requests this call made (1 + one per extra batch of 50 annotations). */
  requests: number;
}

/**
 * Creates the Check Run (no id) or updates it (id). Annotations beyond the first 50 go out in successive updates
 * with the same title and summary: GitHub appends the annotations of each update to the run.
 */
export async function ensureCheckRun(input: EnsureCheckRunInput): Promise<CheckRunHandle> {
  const guard = input.guard ?? noGuard;
  const now = input.now ?? (() => new Date());
  const [first = [], ...rest] = chunkAnnotations(input.output?.annotations ?? []);
  const output = input.output ? { ...input.output, annotations: first.length ? first : undefined } : undefined;
  const body: Record<string, unknown> = {
    owner: input.owner,
    repo: input.repo,
    status: input.status,
    // A run created completed (a quick evaluation) still shows how long the evaluation took.
    ...(input.id === undefined && input.status !== 'queued'
      ? { started_at: (input.startedAt ?? now()).toISOString() }
      : {}),
    ...(input.status === 'completed'
      ? { conclusion: input.conclusion ?? 'neutral', completed_at: now().toISOString() }
      : {}),
    ...(output ? { output: dropUndefined(output) } : {}),
    // An update with an empty list removes the buttons; one without `actions` keeps them (as GitHub does).
    ...(input.actions && (input.actions.length || input.id !== undefined)
      ? { actions: input.actions.slice(0, 3) }
      : {}),
    ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    ...(input.externalId ? { external_id: input.externalId } : {}),
  };
  guard();
  let id = input.id;
  let appSlug: string | undefined;
  let htmlUrl: string | undefined;
  if (id === undefined) {
    const response = await input.octokit.request('POST /repos/{owner}/{repo}/check-runs', {
      ...body,
      name: input.name ?? CHECK_RUN_NAME,
      head_sha: input.headSha,
    } as never);
    const data = response.data as { id: number; html_url?: string | null; app?: { slug?: string } | null };
    id = data.id;
    appSlug = data.app?.slug ?? undefined;
    htmlUrl = data.html_url ?? undefined;
  } else {
    await input.octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      ...body,
      check_run_id: id,
    } as never);
  }
  let requests = 1;
  const handle = { id, ...(appSlug ? { appSlug } : {}), ...(htmlUrl ? { htmlUrl } : {}) };
  let annotationsSent = first.length;
  input.onWritten?.({ ...handle, requests }, annotationsSent);
  for (const batch of rest) {
    guard();
    await input.octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: input.owner,
      repo: input.repo,
      check_run_id: id,
      output: { title: input.output!.title, summary: input.output!.summary, annotations: batch },
    } as never);
    requests += 1;
    annotationsSent += batch.length;
    input.onWritten?.({ ...handle, requests }, annotationsSent);
  }
  return { id, ...(appSlug ? { appSlug } : {}), ...(htmlUrl ? { htmlUrl } : {}), requests };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
