/**
 * Webhook deliveries as GitHub sends them, for tests of the App: payloads built on the real ones in
 * test/fixtures/webhooks (a repository `acme/api` on installation 1, default branch `main`), and signed POSTs to
 * a running App.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'webhooks');
export const REPO = 'acme/api';
export const COMMENT_MARKER = '<!-- shipready:comment -->';
export const NO_COMMIT = '0'.repeat(40);

/** A real payload from test/fixtures/webhooks (a fresh copy each time: tests may edit it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')) as T;
}

/** The `repository` of a payload: acme/api, default branch main (`pushedAt` orders pushes, as on GitHub). */
export function repository(options: { pushedAt?: number } = {}) {
  const base = fixture('push').repository;
  return {
    ...base,
    id: 1,
    name: 'api',
    full_name: REPO,
    owner: { ...base.owner, login: 'acme', name: 'acme' },
    default_branch: 'main',
    master_branch: 'main',
    ...(options.pushedAt === undefined ? {} : { pushed_at: options.pushedAt }),
  };
}

/** A push to main moving it from `before` to `after`. */
export function pushPayload(after: string, before: string = NO_COMMIT, options: { pushedAt?: number } = {}) {
  return {
    ...fixture('push'),
    ref: 'refs/heads/main',
    before,
    after,
    created: false,
    deleted: false,
    repository: repository(options),
    installation: { id: 1 },
  };
}

export interface PullPayloadOptions {
  action?: string;
  number: number;
  /** The head branch and commit. */
  branch: string;
  head: string;
  /** The base commit (of main). */
  base: string;
  updatedAt?: string;
  /** `synchronize`: the head before the push. */
  before?: string;
}

/** A pull_request delivery (default `opened`) for a PR of `branch` into main. */
export function pullPayload(options: PullPayloadOptions) {
  const payload = fixture('pull_request.opened');
  payload.action = options.action ?? 'opened';
  payload.number = options.number;
  if (options.before) payload.before = options.before;
  Object.assign(payload.pull_request, {
    number: options.number,
    state: 'open',
    draft: false,
    ...(options.updatedAt ? { updated_at: options.updatedAt } : {}),
    head: { ...payload.pull_request.head, ref: options.branch, sha: options.head, repo: repository() },
    base: { ...payload.pull_request.base, ref: 'main', sha: options.base, repo: repository() },
  });
  payload.repository = repository();
  payload.installation = { id: 1 };
  return payload;
}

/**
 * A click on one of the buttons of shipready's Check Run on main (`check_run.requested_action`); `externalId`, the
 * run's external_id (the commit it was compared with), or the fixture's empty one.
 */
export function requestedActionPayload(
  run: { id: number; head_sha: string },
  identifier = 'open-fix-pr',
  options: { externalId?: string } = {},
) {
  const payload = fixture('check_run.requested_action');
  Object.assign(payload.check_run, {
    id: run.id,
    head_sha: run.head_sha,
    ...(options.externalId !== undefined ? { external_id: options.externalId } : {}),
    html_url: `https://github.com/${REPO}/runs/${run.id}`,
    app: { ...payload.check_run.app, slug: 'shipready' },
    check_suite: { ...payload.check_run.check_suite, head_branch: 'main', head_sha: run.head_sha },
  });
  payload.requested_action = { identifier };
  payload.repository = repository();
  payload.installation = { id: 1 };
  return payload;
}

/** The `X-Hub-Signature-256` GitHub sends with `body`. */
export const signature = (body: string, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** POSTs one signed delivery to a running App's webhook path; its answer. */
export async function deliver(
  appUrl: string,
  delivery: { event: string; payload: unknown; id: string; secret: string },
): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(delivery.payload);
  const response = await fetch(`${appUrl}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': delivery.event,
      'x-github-delivery': delivery.id,
      'x-hub-signature-256': signature(body, delivery.secret),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}
