// Which failures are GitHub (or the network) having a bad moment, worth running the job again for, and which are
// not. The one place that decides it: the flow, the job runner and the final message all ask `transientFault`.

export type TransientKind = 'server' | 'secondary-rate-limit' | 'network';

export interface TransientFault {
  kind: TransientKind;
  /** The HTTP status, when GitHub answered. */
  status?: number;
  /** How long GitHub asked to wait (`retry-after` of a secondary rate limit): the next attempt is not sooner. */
  retryAfterMs?: number;
  /** A clause for the Check Run and the logs: "GitHub answered 502", "the connection to GitHub failed (ECONNRESET)". */
  description: string;
}

/** Node's and undici's codes for a connection that broke or never came. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * What undici, Node and Octokit say when a connection broke ("fetch failed", "socket hang up", undici's "other side
 * closed", a code inside the text). Octokit turns these into a RequestError with status 500 and no response.
 */
const NETWORK_MESSAGE =
  /fetch failed|socket hang up|other side closed|network socket disconnected|ECONNRESET|ETIMEDOUT|ECONNREFUSED|EPIPE|EAI_AGAIN/i;

/** GitHub's words for a secondary rate limit (older answers say "abuse detection"). */
const SECONDARY_LIMIT_MESSAGE = /secondary rate limit|abuse detection/i;

type Headers = Record<string, string | number | undefined>;

interface ErrorLike {
  name?: string;
  message?: string;
  code?: unknown;
  status?: unknown;
  kind?: unknown;
  retryAfterSeconds?: unknown;
  cause?: unknown;
  response?: { headers?: Headers; data?: unknown };
  headers?: Headers;
}

function header(headers: Headers | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
}

function githubMessageOf(error: ErrorLike): string {
  const data = error.response?.data;
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string')
    return (data as { message: string }).message;
  return typeof error.message === 'string' ? error.message : '';
}

function retryAfterMs(seconds: unknown): number | undefined {
  const value = Number(seconds);
  return Number.isFinite(value) && value > 0 ? Math.ceil(value * 1000) : undefined;
}

/** One error, not its causes. */
function classifyOne(error: ErrorLike): TransientFault | undefined {
  // The snapshot source's GitHubApiError has already sorted the failure (src/github/errors.ts).
  if (error.name === 'GitHubApiError') {
    const status = typeof error.status === 'number' ? error.status : undefined;
    if (error.kind === 'secondary-rate-limit') {
      const wait = retryAfterMs(error.retryAfterSeconds);
      return {
        kind: 'secondary-rate-limit',
        ...(status !== undefined ? { status } : {}),
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
        description: `GitHub's secondary rate limit refused a request (${status ?? 403})`,
      };
    }
    if (error.kind === 'server' && status !== undefined)
      return networkFault(error) ?? { kind: 'server', status, description: `GitHub answered ${status}` };
    if (error.kind === 'network')
      return (
        networkFault(error) ?? { kind: 'network', description: `the connection to GitHub failed (${detail(error)})` }
      );
    return undefined;
  }
  const status = typeof error.status === 'number' ? error.status : undefined;
  if (status === undefined) return networkFault(error);
  const headers = error.response?.headers ?? error.headers;
  if (status === 403 || status === 429) {
    const retryAfter = header(headers, 'retry-after');
    // An exhausted primary quota (no retry-after, nothing remaining) waits for its reset instead: not this.
    if (retryAfter === undefined && !SECONDARY_LIMIT_MESSAGE.test(githubMessageOf(error))) return undefined;
    const wait = retryAfterMs(retryAfter);
    return {
      kind: 'secondary-rate-limit',
      status,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      description: `GitHub's secondary rate limit refused a request (${status})`,
    };
  }
  if (status >= 500) {
    // Octokit reports a request that got no answer at all as a 500 without a response.
    if (error.response === undefined)
      return networkFault(error) ?? { kind: 'server', status, description: `GitHub answered ${status}` };
    return { kind: 'server', status, description: `GitHub answered ${status}` };
  }
  return undefined;
}

/** The failure's own words, after the route (`GET /x failed before GitHub answered: …`), on one short line. */
function detail(error: ErrorLike): string {
  const message = typeof error.message === 'string' ? error.message : '';
  const said = message.slice(message.lastIndexOf(': ') + 1).trim();
  return (said.split('\n')[0] ?? '').slice(0, 120) || 'no answer';
}

function networkFault(error: ErrorLike): TransientFault | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && NETWORK_CODES.has(code))
    return { kind: 'network', description: `the connection to GitHub failed (${code})` };
  const message = typeof error.message === 'string' ? error.message : '';
  const match = NETWORK_MESSAGE.exec(message);
  if (match) return { kind: 'network', description: `the connection to GitHub failed (${match[0]})` };
  return undefined;
}

/**
 * Is this failure transient — a 5xx, a secondary rate limit (403/429 with `retry-after` or GitHub's message), a
 * connection reset or timeout — so that the same evaluation is likely to succeed a little later? Looks through
 * `cause` (fetch's TypeError wraps the socket error). An exhausted primary quota is not transient here: it has a
 * known reset, which the queue waits for (`quotaResetOf`). Anything else (401, 404, 422, a bug, a config error)
 * would fail again the same way and keeps being reported at once.
 */
export function transientFault(error: unknown): TransientFault | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const failure = current as ErrorLike;
    if (failure.name === 'QuotaExhaustedError' || failure.name === 'SupersededError') return undefined;
    const fault = classifyOne(failure);
    if (fault) return fault;
    current = failure.cause;
  }
  return undefined;
}
