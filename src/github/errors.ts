/** Errors from GitHub's API, turned into messages a person can act on. */

/** The installation has used its primary rate limit: stop work cleanly and say when it comes back. */
export class QuotaExhaustedError extends Error {
  readonly resetAt: Date;

  constructor(resetAt: Date, detail?: string) {
    super(
      `GitHub API quota exhausted for this installation${detail ? ` (${detail})` : ''}; it resets at ${resetAt.toISOString()}`,
    );
    this.name = 'QuotaExhaustedError';
    this.resetAt = resetAt;
  }
}

export type GitHubErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'unprocessable'
  | 'server'
  | 'secondary-rate-limit'
  | 'network'
  | 'graphql'
  | 'other';

/** Any other failed request: `kind` says which, `message` says what to do about it. */
export class GitHubApiError extends Error {
  readonly status: number | undefined;
  readonly route: string;
  readonly kind: GitHubErrorKind;
  /** GitHub's own message, when it sent one. */
  readonly githubMessage: string | undefined;
  /** Seconds GitHub asked to wait (secondary rate limit). */
  readonly retryAfterSeconds: number | undefined;
  /** Permissions GitHub says the endpoint accepts (`x-accepted-github-permissions`), e.g. `administration: read`. */
  readonly acceptedPermissions: string | undefined;

  constructor(options: {
    message: string;
    status?: number;
    route: string;
    kind: GitHubErrorKind;
    githubMessage?: string;
    retryAfterSeconds?: number;
    acceptedPermissions?: string;
  }) {
    super(options.message);
    this.name = 'GitHubApiError';
    this.status = options.status;
    this.route = options.route;
    this.kind = options.kind;
    this.githubMessage = options.githubMessage;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.acceptedPermissions = options.acceptedPermissions;
  }
}

type Headers = Record<string, string | number | undefined>;

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Headers; data?: unknown };
  headers?: Headers;
}

function header(headers: Headers | undefined, name: string): string | undefined {
  const value = headers?.[name] ?? headers?.[name.toLowerCase()];
  return value === undefined ? undefined : String(value);
}

/** `administration=read; contents=read,issues=read` → `administration: read or contents: read and issues: read`. */
export function formatAcceptedPermissions(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const sets = value
    .split(';')
    .map((set) =>
      set
        .split(',')
        .map((permission) => permission.trim().replace('=', ': '))
        .filter(Boolean)
        .join(' and '),
    )
    .filter(Boolean);
  return sets.length ? sets.join(' or ') : undefined;
}

/** The reset time GitHub announced in `x-ratelimit-reset` (epoch seconds), or in an hour when it did not. */
export function resetTimeFrom(headers: Headers | undefined, now = Date.now()): Date {
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(now + 3600_000);
}

function githubMessageOf(error: RequestErrorLike): string | undefined {
  const data = error.response?.data;
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string')
    return (data as { message: string }).message;
  if (typeof data === 'string' && data.length && data.length < 500) return data;
  return undefined;
}

/**
 * Turns a failed Octokit request into a QuotaExhaustedError (primary quota used up) or a GitHubApiError whose
 * message names the route, the status and what it means. Errors that are already ours pass through.
 */
export function toGitHubError(error: unknown, route: string): Error {
  if (error instanceof QuotaExhaustedError || error instanceof GitHubApiError) return error;
  const failure = (error ?? {}) as RequestErrorLike;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const headers = failure.response?.headers ?? failure.headers;
  const githubMessage = githubMessageOf(failure);
  const said = githubMessage ? `: ${githubMessage}` : '';
  const acceptedPermissions = formatAcceptedPermissions(header(headers, 'x-accepted-github-permissions'));
  const retryAfter = header(headers, 'retry-after');
  const base = { status, route, githubMessage, acceptedPermissions };

  if ((status === 403 || status === 429) && header(headers, 'x-ratelimit-remaining') === '0' && !retryAfter) {
    return new QuotaExhaustedError(resetTimeFrom(headers), `${route} answered ${status}`);
  }
  if (
    (status === 403 || status === 429) &&
    (retryAfter !== undefined || /secondary rate limit|abuse/i.test(githubMessage ?? ''))
  ) {
    const seconds = retryAfter !== undefined && Number.isFinite(Number(retryAfter)) ? Number(retryAfter) : 60;
    return new GitHubApiError({
      ...base,
      kind: 'secondary-rate-limit',
      retryAfterSeconds: seconds,
      message: `GitHub's secondary rate limit stopped ${route} (${status}); retry after ${seconds} s — too many requests at once or too fast`,
    });
  }
  // Octokit reports a request that never got an answer (a reset connection, "fetch failed") as a 500 without a
  // response: that is the network, not GitHub's server.
  const unanswered = status === undefined || (status === 500 && failure.response === undefined);
  switch (unanswered ? undefined : status) {
    case undefined:
      return new GitHubApiError({
        ...base,
        kind: 'network',
        message: `${route} failed before GitHub answered: ${failure.message ?? String(error)}`,
      });
    case 401:
      return new GitHubApiError({
        ...base,
        kind: 'unauthorized',
        message: `GitHub rejected the credentials for ${route} (401${said}): the installation token is missing, invalid or expired`,
      });
    case 403:
      return new GitHubApiError({
        ...base,
        kind: 'forbidden',
        message: `GitHub refused ${route} (403${said})${acceptedPermissions ? `: the App needs the "${acceptedPermissions}" permission` : ': the App lacks a permission or the feature is not available'}`,
      });
    case 404:
      return new GitHubApiError({
        ...base,
        kind: 'not-found',
        message: `${route} was not found (404${said}): it does not exist, or the App cannot see it`,
      });
    case 409:
    case 422:
      return new GitHubApiError({
        ...base,
        kind: 'unprocessable',
        message: `GitHub could not process ${route} (${status}${said})`,
      });
    default:
      if (status !== undefined && status >= 500)
        return new GitHubApiError({
          ...base,
          kind: 'server',
          message: `GitHub failed on ${route} (${status}${said}); try again later`,
        });
      return new GitHubApiError({ ...base, kind: 'other', message: `${route} failed (${status}${said})` });
  }
}
