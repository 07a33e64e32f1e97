/**
 * The hidden HTML comments by which shipready finds its own PR comment and issues again. Defined, written and parsed
 * only here, so the renderer that writes a marker and the GitHub code that reads it back can never disagree.
 *
 * A marker counts only on a line of its own, exactly as written here. Repository text never produces such a line:
 * every renderer escapes it (`<` becomes `\<` or `&lt;`, line breaks become spaces, see escape.ts), so a finding
 * message or a file name that contains `<!-- shipready:check=other -->` is shown as text and is not taken as ours.
 */

/** The sticky PR comment: its first and last line. */
export const COMMENT_MARKER = '<!-- shipready:comment -->';

/** The key of the dashboard issue (`issues.mode: dashboard`); per-check issues are keyed by check id. */
export const DASHBOARD_KEY = 'dashboard';

/** The dashboard issue's marker. */
export const DASHBOARD_MARKER = '<!-- shipready:dashboard -->';

/** Review comments with a fix (a ```suggestion), keyed by what they change: see src/github/reviews.ts. */
const SUGGESTION_KIND = 'suggestion';
/** The review that carries the suggestions of one head commit. */
const REVIEW_KIND = 'review';
/** The fix pull request of `shipready fix` on the default branch (src/github/fix-pull.ts). */
export const FIX_PULL_MARKER = '<!-- shipready:fixpull -->';

/** Check ids as the registry spells them (the file name): lower-case words joined by hyphens. */
const CHECK_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** Fingerprints: the renderer writes SHA-256 hex; any short token of URL-safe characters is read back. */
const FINGERPRINT = /^[A-Za-z0-9_-]{1,128}$/;

/** One marker line: `<!-- shipready:<kind> -->` or `<!-- shipready:<kind>=<value> -->`. */
const MARKER_LINE = /^<!-- shipready:([a-z]{1,16})(?:=([A-Za-z0-9_-]{1,128}))? -->$/;

/** The marker of a per-check issue. Throws on an id that is not a check id (it could not be read back). */
export function checkMarker(checkId: string): string {
  if (!CHECK_ID.test(checkId)) throw new Error(`Not a check id: ${JSON.stringify(checkId)}`);
  return `<!-- shipready:check=${checkId} -->`;
}

/** The marker holding what an issue is about, hashed: an issue whose fingerprint is unchanged is left alone. */
export function fingerprintMarker(fingerprint: string): string {
  if (!FINGERPRINT.test(fingerprint)) throw new Error(`Not a fingerprint: ${JSON.stringify(fingerprint)}`);
  return `<!-- shipready:fingerprint=${fingerprint} -->`;
}

/** The marker that identifies the issue of `key` (a check id, or `dashboard`). */
export function keyMarker(key: string): string {
  return key === DASHBOARD_KEY ? DASHBOARD_MARKER : checkMarker(key);
}

/** The marker of a review comment with a suggestion; `key` is a hash of the check, file and lines it changes. */
export function suggestionMarker(key: string): string {
  if (!FINGERPRINT.test(key)) throw new Error(`Not a suggestion key: ${JSON.stringify(key)}`);
  return `<!-- shipready:${SUGGESTION_KIND}=${key} -->`;
}

/** The marker of the review made for head commit `sha`: one review per head, never a second. */
export function reviewMarker(sha: string): string {
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`Not a commit SHA: ${JSON.stringify(sha)}`);
  return `<!-- shipready:${REVIEW_KIND}=${sha} -->`;
}

export interface Markers {
  /** The body is shipready's sticky PR comment. */
  comment: boolean;
  /** The body is a review comment with a suggestion: its key. */
  suggestion?: string;
  /** The body is the review of this head commit. */
  review?: string;
  /** The body is the fix pull request's. */
  fixPull?: boolean;
  /** The body is the dashboard issue. */
  dashboard: boolean;
  /** The check a per-check issue is about. */
  checkId?: string;
  fingerprint?: string;
}

/** Marker lines of a body; a CRLF body (edited in the browser) reads the same. */
function markerLines(body: string): Array<{ kind: string; value?: string }> {
  const found: Array<{ kind: string; value?: string }> = [];
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.startsWith('<!-- shipready:')) continue;
    const match = MARKER_LINE.exec(line);
    if (match) found.push({ kind: match[1], ...(match[2] === undefined ? {} : { value: match[2] }) });
  }
  return found;
}

/**
 * Reads the markers back from a body (never from a title: people edit titles). When a kind appears more than once,
 * the last one wins: shipready writes its markers at the end.
 */
export function parseMarkers(body: string | null | undefined): Markers {
  const markers: Markers = { comment: false, dashboard: false };
  for (const { kind, value } of markerLines(body ?? '')) {
    if (kind === 'comment' && value === undefined) markers.comment = true;
    else if (kind === 'dashboard' && value === undefined) markers.dashboard = true;
    else if (kind === 'check' && value !== undefined && CHECK_ID.test(value)) markers.checkId = value;
    else if (kind === 'fingerprint' && value !== undefined) markers.fingerprint = value;
    else if (kind === SUGGESTION_KIND && value !== undefined) markers.suggestion = value;
    else if (kind === REVIEW_KIND && value !== undefined) markers.review = value;
    else if (kind === 'fixpull' && value === undefined) markers.fixPull = true;
  }
  return markers;
}

/** True when `marker` (one of the markers above) stands on a line of its own in `body`. */
export function hasMarker(body: string | null | undefined, marker: string): boolean {
  if (!body) return false;
  return body.split('\n').some((raw) => (raw.endsWith('\r') ? raw.slice(0, -1) : raw) === marker);
}

/** The key of an issue body: `dashboard`, the check id, or undefined when the issue is not ours. */
export function issueKeyOf(body: string | null | undefined): string | undefined {
  const markers = parseMarkers(body);
  return markers.dashboard ? DASHBOARD_KEY : markers.checkId;
}

/**
 * An issue body ending with exactly our markers: the key's marker and the fingerprint. Marker lines already in the
 * body are dropped first, so writing twice (the renderer, then the writer) gives the same body.
 */
export function withIssueMarkers(body: string, key: string, fingerprint: string): string {
  const text = body
    .split('\n')
    .filter((raw) => !MARKER_LINE.test(raw.endsWith('\r') ? raw.slice(0, -1) : raw))
    .join('\n')
    .trimEnd();
  return `${text}\n\n${keyMarker(key)}\n${fingerprintMarker(fingerprint)}`;
}
