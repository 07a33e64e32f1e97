import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ObjectStore, type FlatFile, type SimFile, type SimFiles } from './git.js';
import { githubValidator, type MatchedOperation } from './openapi.js';
import { answerGraphql } from './graphql.js';
import { commentableLines, unifiedPatch } from './diff.js';

export type { SimFile, SimFiles } from './git.js';

/** Repository settings the settings endpoints answer from. Omitted keys take the defaults noted. */
export interface SimSettings {
  /** security_and_analysis.secret_scanning (default false). */
  secretScanning?: boolean;
  /** security_and_analysis.secret_scanning_push_protection (default false). */
  secretPushProtection?: boolean;
  /** Omit security_and_analysis from GET /repos/{o}/{r}, as GitHub does for callers without admin rights (default true). */
  securityAndAnalysisVisible?: boolean;
  /** GET /vulnerability-alerts: 204 when true, 404 when false (default false). */
  dependabotAlerts?: boolean;
  /** GET /private-vulnerability-reporting → { enabled } (default false). */
  privateVulnerabilityReporting?: boolean;
  /** GET /code-scanning/default-setup (default not-configured). */
  codeScanning?: { state: 'configured' | 'not-configured'; languages?: string[] };
  /** The license GitHub detected (default null). */
  license?: { spdx_id: string; name: string; key?: string; path?: string } | null;
  /** Branch → rules GET /rules/branches/{branch} returns (raw GitHub rule objects: { type, parameters? }). */
  rulesets?: Record<string, Array<{ type: string; parameters?: Record<string, unknown>; ruleset_id?: number }>>;
  /** Branch → classic protection (raw GitHub JSON, e.g. { required_pull_request_reviews: { required_approving_review_count: 1 } }). */
  classicProtection?: Record<string, Record<string, unknown>>;
}

export interface SimRepoInit {
  owner: string;
  name: string;
  /** Files of the first commit (path → content). */
  files?: SimFiles;
  /** Or a directory on disk whose files (recursively, symlinks kept) make the first commit. */
  fixture?: string;
  defaultBranch?: string;
  private?: boolean;
  settings?: SimSettings;
  installationId?: number;
  /** A recursive tree listing with more entries than this comes back truncated (GitHub: 100,000 entries / 7 MB). */
  truncateTreesOver?: number;
}

export interface SimCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  details_url?: string;
  external_id?: string;
  output: { title: string | null; summary: string | null; text: string | null; annotations_count: number };
  /** Every annotation sent, in order (GitHub appends annotations on each update). */
  annotations: Array<Record<string, unknown>>;
  actions: Array<Record<string, unknown>>;
  /** Each create/update body, in order. */
  history: Array<Record<string, unknown>>;
}

export interface SimComment {
  id: number;
  issue_number: number;
  body: string;
  user: { login: string; type: string; id: number };
  created_at: string;
  updated_at: string;
}

export interface SimIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  assignees: string[];
  user: { login: string; type: string; id: number };
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Each create/update body, in order. */
  history: Array<Record<string, unknown>>;
}

export interface SimPull {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  head: { ref: string; sha: string; repo: string };
  base: { ref: string; sha: string; repo: string };
  user: { login: string; type: string; id: number };
}

export interface SimReview {
  id: number;
  pull_number: number;
  commit_id: string;
  body: string;
  state: 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED';
  user: { login: string; type: string; id: number };
  submitted_at: string;
}

export interface SimReviewComment {
  id: number;
  pull_number: number;
  review_id: number;
  commit_id: string;
  path: string;
  /** The lines (head side) the comment was made on, at `commit_id`. */
  original_start_line: number;
  original_line: number;
  /** Their text then: GitHub keeps a comment on the current diff only while those lines are unchanged. */
  original_text: string[];
  body: string;
  user: { login: string; type: string; id: number };
  created_at: string;
  updated_at: string;
}

/** A delivery of the App's webhook (`GET /app/hook/deliveries`). */
export interface SimDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  /** `OK`, or what went wrong (GitHub's wording: "Invalid HTTP Response: 503", "timed out"). */
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
}

export interface SimLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export class SimRepo {
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  defaultBranch: string;
  private: boolean;
  settings: SimSettings;
  installationId: number;
  truncateTreesOver?: number;
  readonly branches = new Map<string, string>();
  readonly pulls = new Map<number, SimPull>();
  readonly issues = new Map<number, SimIssue>();
  readonly comments: SimComment[] = [];
  readonly checkRuns: SimCheckRun[] = [];
  readonly labels: SimLabel[] = [];
  /** Tag name → commit (lightweight tags: `sim.tag`). */
  readonly tags = new Map<string, string>();
  readonly reviews: SimReview[] = [];
  readonly reviewComments: SimReviewComment[] = [];
  nextNumber = 1;

  constructor(init: SimRepoInit, id: number) {
    this.owner = init.owner;
    this.name = init.name;
    this.id = id;
    this.defaultBranch = init.defaultBranch ?? 'main';
    this.private = init.private ?? false;
    this.settings = init.settings ?? {};
    this.installationId = init.installationId ?? 1;
    this.truncateTreesOver = init.truncateTreesOver;
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }
}

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  /** The OpenAPI path template (e.g. '/repos/{owner}/{repo}/issues'), '/graphql' for GraphQL, undefined when nothing matched. */
  route?: string;
  operationId?: string;
  status: number;
  body?: unknown;
}

export interface Violation {
  kind: 'invalid-request' | 'unknown-route' | 'unimplemented';
  method: string;
  url: string;
  errors: string[];
}

export interface Fault {
  /** Matched against the path (string: substring; RegExp: test). Omitted: every request. */
  path?: string | RegExp;
  method?: string;
  status: number;
  /** How many matching requests fail (default 1; Infinity for all). */
  times?: number;
  /** Every matching request fails for this long from now (then the fault is gone), however many there are. */
  forMs?: number;
  /** Close the connection without answering (a connection reset: the client sees ECONNRESET / "fetch failed"). */
  reset?: boolean;
  message?: string;
  headers?: Record<string, string>;
}

export interface SimulatorOptions {
  repos?: SimRepoInit[];
  /** Milliseconds added to every response. */
  latencyMs?: number;
  /** Validate requests against GitHub's OpenAPI description (default true). */
  validate?: boolean;
  appId?: number;
  appSlug?: string;
  /** Bytes of Blob.text GraphQL returns before it sets isTruncated (default 512,000, as GitHub). */
  blobTextLimit?: number;
  /** Primary rate limit per hour (default 5000). */
  rateLimit?: number;
  /** Send ETags on GET answers and answer a matching If-None-Match with 304 (default true). */
  etags?: boolean;
  /** Fill the properties GitHub's response schemas require and the simulator did not set (default true). */
  completeResponses?: boolean;
  /** Check the simulator's own 2xx JSON answers against GitHub's response schemas; mismatches go to `responseViolations` (default false). */
  validateResponses?: boolean;
}

export interface RequestCounts {
  total: number;
  rest: number;
  graphql: number;
  /** REST requests that changed something (POST/PATCH/PUT/DELETE). */
  writes: number;
  /** Blob objects asked for in GraphQL queries. */
  graphqlObjects: number;
  /** Conditional GETs answered 304 Not Modified (they do not use the primary quota, as on GitHub). */
  notModified: number;
  /** 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}' → count; 'POST /graphql' for GraphQL. */
  byRoute: Record<string, number>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies were validated against the OpenAPI description
type JsonBody = Record<string, any>;

const now = () => new Date().toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const JSON_TYPE = 'application/json; charset=utf-8';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function filesFromDirectory(root: string, prefix = '', into: SimFiles = {}): SimFiles {
  for (const name of readdirSync(join(root, prefix)).sort()) {
    if (name === '.git') continue;
    const relative = prefix ? `${prefix}/${name}` : name;
    const full = join(root, relative);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) into[relative] = { symlink: readlinkSync(full) };
    else if (stat.isDirectory()) filesFromDirectory(root, relative, into);
    else
      into[relative] = (stat.mode & 0o111) !== 0 ? { content: readFileSync(full), mode: '100755' } : readFileSync(full);
  }
  return into;
}

/** A local GitHub API: see README.md beside this file. */
export class Simulator {
  readonly objects = new ObjectStore();
  readonly repos = new Map<string, SimRepo>();
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  /** With `validateResponses`: the simulator's answers that differ from GitHub's response schemas (simulator bugs). */
  readonly responseViolations: Violation[] = [];
  counts: RequestCounts = { total: 0, rest: 0, graphql: 0, writes: 0, graphqlObjects: 0, notModified: 0, byRoute: {} };
  latencyMs: number;
  validate: boolean;
  readonly appId: number;
  readonly appSlug: string;
  blobTextLimit: number;
  rateLimit: number;
  etags: boolean;
  validateResponses: boolean;
  completeResponses: boolean;
  private used = 0;
  private quotaResetAt: Date | undefined;
  /**
   * When the primary window resets (default: the next full hour): `x-ratelimit-reset` says it, and once it has passed
   * the quota is renewed (nothing used) and the window is the next full hour again.
   */
  rateLimitResetAt: Date | undefined;
  private faults: Array<Fault & { remaining: number; until?: number }> = [];
  /** Called as each request arrives, before faults are matched (a test can start a fault mid-evaluation). */
  onRequest?: (request: { method: string; path: string }) => void;
  /** The App's webhook deliveries, oldest first (listed newest first, as GitHub does). */
  readonly deliveries: SimDelivery[] = [];
  /** Ids of the deliveries redelivered through `POST /app/hook/deliveries/{id}/attempts`, in order. */
  readonly redelivered: number[] = [];
  /** Status code a redelivery gets (default 200: the App took it). */
  redeliveryStatusCode = 200;
  /** Called for each redelivery (a test can send the payload to the App again). */
  onRedeliver?: (original: SimDelivery, redelivery: SimDelivery) => void;
  private nextId = 1000;
  private server!: Server;
  url = '';

  constructor(options: SimulatorOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.validate = options.validate ?? true;
    this.appId = options.appId ?? 1;
    this.appSlug = options.appSlug ?? 'shipready';
    this.blobTextLimit = options.blobTextLimit ?? 512_000;
    this.rateLimit = options.rateLimit ?? 5000;
    this.etags = options.etags ?? true;
    this.validateResponses = options.validateResponses ?? false;
    this.completeResponses = options.completeResponses ?? true;
    for (const repo of options.repos ?? []) this.addRepo(repo);
  }

  /** Primary quota used since the start or the last `restoreQuota()` (REST requests, less 304s). */
  get quotaUsed(): number {
    return this.used;
  }

  get bot() {
    return { login: `${this.appSlug}[bot]`, type: 'Bot', id: 9000 + this.appId };
  }

  // ---------------------------------------------------------------- lifecycle

  async listen(): Promise<void> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: Error) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': JSON_TYPE });
        response.end(JSON.stringify({ message: `simulator crashed: ${error.stack ?? error.message}` }));
      });
    });
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- repositories and commits

  addRepo(init: SimRepoInit): SimRepo {
    const repo = new SimRepo(init, this.nextId++);
    this.repos.set(repo.fullName.toLowerCase(), repo);
    const files = init.fixture ? filesFromDirectory(init.fixture) : (init.files ?? { 'README.md': `# ${init.name}\n` });
    this.commit(repo.fullName, {
      branch: repo.defaultBranch,
      changes: files,
      message: 'Initial commit',
      replace: true,
    });
    return repo;
  }

  repo(fullName: string): SimRepo {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`simulator: no repository ${fullName}`);
    return repo;
  }

  /**
   * Adds a commit on `branch` (created from `from`, default the default branch, when it does not exist) and moves
   * the branch to it. `changes`: path → content, or null to delete; `replace: true` starts from an empty tree.
   * Returns the new commit's SHA.
   */
  commit(
    fullName: string,
    options: {
      branch?: string;
      from?: string;
      changes: Record<string, SimFile | null>;
      message?: string;
      replace?: boolean;
    },
  ): string {
    const repo = this.repo(fullName);
    const branch = options.branch ?? repo.defaultBranch;
    const parent =
      repo.branches.get(branch) ??
      (options.from ? this.resolveCommit(repo, options.from) : repo.branches.get(repo.defaultBranch));
    const files: Map<string, FlatFile> =
      parent && !options.replace ? this.objects.flatten(this.objects.commits.get(parent)!.tree) : new Map();
    for (const [path, file] of Object.entries(options.changes)) {
      const clean = path.replace(/^\.?\//, '');
      if (file === null) files.delete(clean);
      else files.set(clean, this.objects.toFlat(file));
    }
    const tree = this.objects.writeFiles(files);
    const sha = this.objects.writeCommit(
      tree,
      parent ? [parent] : [],
      options.message ?? `Update ${Object.keys(options.changes).join(', ')}`,
    );
    repo.branches.set(branch, sha);
    for (const pull of repo.pulls.values()) {
      if (pull.head.repo === repo.fullName && pull.head.ref === branch) pull.head.sha = sha;
      if (pull.base.ref === branch) pull.base.sha = sha;
    }
    return sha;
  }

  /** Points a branch at a commit (creates the branch when needed). */
  setBranch(fullName: string, branch: string, sha: string): void {
    const repo = this.repo(fullName);
    if (!this.objects.commits.has(sha)) throw new Error(`simulator: no commit ${sha}`);
    repo.branches.set(branch, sha);
  }

  /** The commit a branch points at. */
  head(fullName: string, branch?: string): string {
    const repo = this.repo(fullName);
    const sha = repo.branches.get(branch ?? repo.defaultBranch);
    if (!sha) throw new Error(`simulator: no branch ${branch} in ${fullName}`);
    return sha;
  }

  /** Opens a pull request from `head` (a branch of this repo, or of `headRepo` for a fork) into `base`. */
  openPull(
    fullName: string,
    options: {
      head: string;
      base?: string;
      headRepo?: string;
      title?: string;
      body?: string;
      draft?: boolean;
      user?: string;
    },
  ): SimPull {
    const repo = this.repo(fullName);
    const headRepo = options.headRepo ? this.repo(options.headRepo) : repo;
    const base = options.base ?? repo.defaultBranch;
    const pull: SimPull = {
      number: repo.nextNumber++,
      title: options.title ?? `Change ${options.head}`,
      body: options.body ?? null,
      state: 'open',
      draft: options.draft ?? false,
      head: { ref: options.head, sha: this.head(headRepo.fullName, options.head), repo: headRepo.fullName },
      base: { ref: base, sha: this.head(repo.fullName, base), repo: repo.fullName },
      user: { login: options.user ?? 'octocat', type: 'User', id: 1 },
    };
    repo.pulls.set(pull.number, pull);
    return pull;
  }

  /** Points tag `name` at a commit (default: the default branch's head). */
  tag(fullName: string, name: string, sha?: string): string {
    const repo = this.repo(fullName);
    const target = sha ?? this.head(fullName);
    if (!this.objects.commits.has(target)) throw new Error(`simulator: no commit ${target}`);
    repo.tags.set(name, target);
    return target;
  }

  /** A commit SHA for a SHA, a branch or tag name, 'heads/<branch>', 'tags/<tag>' or their 'refs/' forms. */
  resolveCommit(repo: SimRepo, ref: string): string | undefined {
    if (this.objects.commits.has(ref)) return ref;
    const branch = ref.replace(/^refs\//, '').replace(/^heads\//, '');
    if (repo.branches.has(branch)) return repo.branches.get(branch);
    const tag = ref.replace(/^refs\//, '').replace(/^tags\//, '');
    if (repo.tags.has(tag)) return repo.tags.get(tag);
    if (ref === 'HEAD') return repo.branches.get(repo.defaultBranch);
    if (/^[0-9a-f]{7,39}$/.test(ref)) return [...this.objects.commits.keys()].find((sha) => sha.startsWith(ref));
    return undefined;
  }

  // ---------------------------------------------------------------- counters and faults

  resetCounts(): void {
    this.counts = { total: 0, rest: 0, graphql: 0, writes: 0, graphqlObjects: 0, notModified: 0, byRoute: {} };
    this.requests.length = 0;
  }

  /** The next `times` requests whose path matches answer `status` (5xx, 403 "Resource not accessible", …). */
  failNext(fault: Fault): void {
    if (fault.forMs !== undefined) this.faults.push({ ...fault, remaining: Infinity, until: Date.now() + fault.forMs });
    else this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** The next `times` matching requests (or all of them for `forMs`) have their connection closed unanswered. */
  resetConnections(options: { path?: string | RegExp; method?: string; times?: number; forMs?: number } = {}): void {
    this.failNext({ ...options, status: 0, reset: true });
  }

  /** Records a delivery of the App's webhook, as GitHub's log of them holds it (`statusCode` 0: no answer). */
  recordDelivery(init: {
    guid?: string;
    event: string;
    action?: string;
    statusCode: number;
    deliveredAt?: Date;
    installationId?: number;
    repositoryId?: number;
    redelivery?: boolean;
  }): SimDelivery {
    const delivery: SimDelivery = {
      id: this.nextId++,
      guid: init.guid ?? `${this.nextId.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      delivered_at: (init.deliveredAt ?? new Date()).toISOString(),
      redelivery: init.redelivery ?? false,
      duration: 0.05,
      status:
        init.statusCode === 0
          ? 'timed out'
          : init.statusCode < 400
            ? 'OK'
            : `Invalid HTTP Response: ${init.statusCode}`,
      status_code: init.statusCode,
      event: init.event,
      action: init.action ?? null,
      installation_id: init.installationId ?? 1,
      repository_id: init.repositoryId ?? null,
    };
    this.deliveries.push(delivery);
    return delivery;
  }

  /** The next `times` matching requests get GitHub's secondary rate limit answer (403 with retry-after). */
  secondaryRateLimit(options: { path?: string | RegExp; times?: number; retryAfter?: number } = {}): void {
    this.failNext({
      path: options.path,
      times: options.times,
      status: 403,
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
      headers: { 'retry-after': String(options.retryAfter ?? 1) },
    });
  }

  /** Primary quota exhausted until `resetAt` (default in one hour): every request answers 403 with x-ratelimit-remaining: 0. */
  exhaustQuota(resetAt = new Date(Date.now() + 3600_000)): void {
    this.quotaResetAt = resetAt;
  }

  restoreQuota(): void {
    this.quotaResetAt = undefined;
    this.used = 0;
  }

  clearFaults(): void {
    this.faults = [];
    this.quotaResetAt = undefined;
  }

  // ---------------------------------------------------------------- HTTP

  private rateHeaders(resource: string): Record<string, string> {
    const reset = this.quotaResetAt ?? this.rateLimitResetAt ?? new Date(Math.ceil(Date.now() / 3600_000) * 3600_000);
    const remaining = this.quotaResetAt ? 0 : Math.max(0, this.rateLimit - this.used);
    return {
      'x-ratelimit-limit': String(this.rateLimit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(this.rateLimit - remaining),
      'x-ratelimit-reset': String(Math.floor(reset.getTime() / 1000)),
      'x-ratelimit-resource': resource,
      'x-github-request-id': `SIM:${this.counts.total}`,
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    // Octokit's baseUrl may carry a prefix (GitHub Enterprise style /api/v3): strip it.
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const method = (request.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    let bodyError: string | undefined;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch (error) {
        bodyError = `the body is not JSON: ${(error as Error).message}`;
      }
    }
    const isGraphql = method === 'POST' && (path === '/graphql' || path === '/api/graphql');
    this.counts.total += 1;
    if (isGraphql) this.counts.graphql += 1;
    else this.counts.rest += 1;
    if (!isGraphql && method !== 'GET' && method !== 'HEAD') this.counts.writes += 1;
    if (this.rateLimitResetAt && Date.now() >= this.rateLimitResetAt.getTime()) {
      this.used = 0;
      this.rateLimitResetAt = undefined;
    }
    if (!isGraphql) this.used += 1;
    const record: RecordedRequest = { method, url: `${path}${url.search}`, status: 0, body };
    this.requests.push(record);
    this.onRequest?.({ method, path });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const resource = isGraphql ? 'graphql' : path.startsWith('/search') ? 'search' : 'core';
      const all = { ...this.rateHeaders(resource), ...headers };
      if (payload === undefined || status === 204 || status === 304) {
        response.writeHead(status, all);
        response.end();
      } else if (typeof payload === 'string' || payload instanceof Buffer) {
        response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...all });
        response.end(payload);
      } else {
        if (!isGraphql && status < 300 && this.completeResponses) {
          payload = githubValidator().completeResponse(method, path, status, payload);
        }
        if (this.validateResponses && !isGraphql && status < 300) {
          const errors = githubValidator().validateResponse(method, path, status, payload);
          if (errors.length) this.responseViolations.push({ kind: 'invalid-request', method, url: record.url, errors });
        }
        const json = JSON.stringify(payload);
        if (method === 'GET' && status === 200 && this.etags) {
          // Conditional requests: an unchanged answer is 304 and, as on GitHub, costs no quota.
          const etag = `W/"${createHash('sha1').update(json).digest('hex')}"`;
          if (request.headers['if-none-match'] === etag) {
            record.status = 304;
            this.counts.notModified += 1;
            this.used = Math.max(0, this.used - 1);
            response.writeHead(304, { ...this.rateHeaders(resource), etag });
            response.end();
            return;
          }
          all.etag = etag;
        }
        response.writeHead(status, { 'content-type': JSON_TYPE, ...all });
        response.end(json);
      }
    };
    if (this.latencyMs > 0) await sleep(this.latencyMs);

    let operation: MatchedOperation | undefined;
    if (isGraphql) {
      record.route = '/graphql';
      const errors = bodyError
        ? [bodyError]
        : typeof (body as { query?: unknown })?.query !== 'string'
          ? ['a GraphQL request needs a JSON body with a "query" string']
          : [];
      if (errors.length) return this.reject(send, record, 'invalid-request', errors);
    } else {
      const validator = githubValidator();
      const found = validator.match(method, path);
      if (!found) {
        return this.reject(
          send,
          record,
          'unknown-route',
          [`no operation for ${method} ${path} in GitHub's OpenAPI description`],
          404,
        );
      }
      operation = {
        method: found.operation.method,
        template: found.operation.template,
        operationId: found.operation.operationId,
        params: found.params,
      };
      record.route = operation.template;
      record.operationId = operation.operationId;
      if (this.validate) {
        const result = bodyError
          ? { ok: false as const, errors: [bodyError] }
          : validator.validate({ method, path, query: url.searchParams, body, hasBody: raw.length > 0 });
        if (!result.ok) return this.reject(send, record, 'invalid-request', result.errors);
      }
    }
    const routeKey = `${method} ${record.route}`;
    this.counts.byRoute[routeKey] = (this.counts.byRoute[routeKey] ?? 0) + 1;

    if (this.quotaResetAt && this.quotaResetAt.getTime() > Date.now()) {
      if (isGraphql) {
        return send(200, {
          data: null,
          errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation.' }],
        });
      }
      return send(403, {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
      });
    }
    const fault = this.faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.until === undefined || Date.now() < candidate.until) &&
        (!candidate.method || candidate.method.toUpperCase() === method) &&
        (!candidate.path ||
          (typeof candidate.path === 'string' ? path.includes(candidate.path) : candidate.path.test(path))),
    );
    if (fault) {
      fault.remaining -= 1;
      if (fault.reset) {
        record.status = 0;
        request.socket.destroy();
        return;
      }
      return send(
        fault.status,
        { message: fault.message ?? `simulated ${fault.status}`, documentation_url: 'https://docs.github.com/rest' },
        fault.headers,
      );
    }

    try {
      if (isGraphql) {
        const answer = answerGraphql(this, body as { query: string; variables?: Record<string, unknown> });
        this.counts.graphqlObjects += answer.objects;
        return send(200, answer.payload);
      }
      const handler = this.routes[operation!.operationId];
      if (!handler) {
        return this.reject(
          send,
          record,
          'unimplemented',
          [`the simulator does not implement ${operation!.operationId} (${routeKey})`],
          501,
        );
      }
      const result = handler.call(this, {
        params: operation!.params,
        query: url.searchParams,
        body: body as JsonBody,
        headers: request.headers,
        url,
      });
      return send(result.status ?? 200, result.body, result.headers);
    } catch (error) {
      if (error instanceof HttpError)
        return send(error.status, {
          message: error.message,
          documentation_url: 'https://docs.github.com/rest',
          ...error.extra,
        });
      throw error;
    }
  }

  private reject(
    send: (status: number, payload: unknown) => void,
    record: RecordedRequest,
    kind: Violation['kind'],
    errors: string[],
    status = 400,
  ) {
    this.violations.push({ kind, method: record.method, url: record.url, errors });
    return send(status, { message: `simulator: ${kind}: ${errors.join('; ')}`, errors });
  }

  // ---------------------------------------------------------------- helpers for handlers

  private repoOf(params: Record<string, string>): SimRepo {
    const repo = this.repos.get(`${params.owner}/${params.repo}`.toLowerCase());
    if (!repo) throw new HttpError(404, 'Not Found');
    return repo;
  }

  private repoJson(repo: SimRepo) {
    const owner = { login: repo.owner, id: 100, type: 'Organization', url: `${this.url}/users/${repo.owner}` };
    const s = repo.settings;
    const license = s.license
      ? {
          key: s.license.key ?? s.license.spdx_id.toLowerCase(),
          name: s.license.name,
          spdx_id: s.license.spdx_id,
          url: null,
          node_id: 'L',
        }
      : null;
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: repo.fullName,
      owner,
      private: repo.private,
      visibility: repo.private ? 'private' : 'public',
      fork: false,
      archived: false,
      disabled: false,
      html_url: `https://github.com/${repo.fullName}`,
      url: `${this.url}/repos/${repo.fullName}`,
      default_branch: repo.defaultBranch,
      license,
      ...(s.securityAndAnalysisVisible === false
        ? {}
        : {
            security_and_analysis: {
              secret_scanning: { status: s.secretScanning ? 'enabled' : 'disabled' },
              secret_scanning_push_protection: { status: s.secretPushProtection ? 'enabled' : 'disabled' },
            },
          }),
    };
  }

  private page<T>(query: URLSearchParams, url: URL, items: T[]): { body: T[]; headers: Record<string, string> } {
    const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30)));
    const page = Math.max(1, Number(query.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (target: number) => {
      const next = new URL(`${this.url}${url.pathname}${url.search}`);
      next.searchParams.set('page', String(target));
      return next.toString();
    };
    const links: string[] = [];
    if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    return {
      body: items.slice((page - 1) * perPage, page * perPage),
      headers: links.length ? { link: links.join(', ') } : {},
    };
  }

  private checkRunJson(repo: SimRepo, run: SimCheckRun) {
    const { annotations: _annotations, history: _history, ...rest } = run;
    return {
      ...rest,
      node_id: `CR_${run.id}`,
      url: `${this.url}/repos/${repo.fullName}/check-runs/${run.id}`,
      html_url: `https://github.com/${repo.fullName}/runs/${run.id}`,
      app: { id: this.appId, slug: this.appSlug, name: this.appSlug },
      check_suite: { id: 1 },
      pull_requests: [],
    };
  }

  private issueJson(repo: SimRepo, issue: SimIssue) {
    const { history: _history, ...rest } = issue;
    return {
      ...rest,
      id: repo.id * 100000 + issue.number,
      node_id: `I_${issue.number}`,
      labels: issue.labels.map((name) => this.labelJson(this.ensureLabel(repo, name))),
      assignees: issue.assignees.map((login) => ({ login })),
      html_url: `https://github.com/${repo.fullName}/issues/${issue.number}`,
      url: `${this.url}/repos/${repo.fullName}/issues/${issue.number}`,
      repository_url: `${this.url}/repos/${repo.fullName}`,
      comments: repo.comments.filter((comment) => comment.issue_number === issue.number).length,
      locked: false,
    };
  }

  private commentJson(repo: SimRepo, comment: SimComment) {
    return {
      ...comment,
      node_id: `IC_${comment.id}`,
      html_url: `https://github.com/${repo.fullName}/issues/${comment.issue_number}#issuecomment-${comment.id}`,
      issue_url: `${this.url}/repos/${repo.fullName}/issues/${comment.issue_number}`,
      url: `${this.url}/repos/${repo.fullName}/issues/comments/${comment.id}`,
      author_association: 'NONE',
    };
  }

  private labelJson(label: SimLabel) {
    return {
      ...label,
      node_id: `LA_${label.id}`,
      default: false,
      url: `${this.url}/labels/${encodeURIComponent(label.name)}`,
    };
  }

  private ensureLabel(repo: SimRepo, name: string): SimLabel {
    let label = repo.labels.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (!label) repo.labels.push((label = { id: this.nextId++, name, color: 'ededed', description: null }));
    return label;
  }

  private pullJson(repo: SimRepo, pull: SimPull) {
    const side = (part: SimPull['head']) => {
      const partRepo = this.repo(part.repo);
      return {
        ref: part.ref,
        sha: part.sha,
        label: `${partRepo.owner}:${part.ref}`,
        repo: this.repoJson(partRepo),
        user: { login: partRepo.owner },
      };
    };
    return {
      id: repo.id * 100000 + pull.number,
      node_id: `PR_${pull.number}`,
      number: pull.number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      draft: pull.draft,
      merged: false,
      user: pull.user,
      head: side(pull.head),
      base: side(pull.base),
      html_url: `https://github.com/${repo.fullName}/pull/${pull.number}`,
      url: `${this.url}/repos/${repo.fullName}/pulls/${pull.number}`,
      // The counts GitHub sends with a full pull request (and its webhooks), as they are now.
      comments: repo.comments.filter((comment) => comment.issue_number === pull.number).length,
      review_comments: repo.reviewComments.filter((comment) => comment.pull_number === pull.number).length,
    };
  }

  private pullOf(repo: SimRepo, number: string): SimPull {
    const pull = repo.pulls.get(Number(number));
    if (!pull) throw new HttpError(404, 'Not Found');
    return pull;
  }

  private textAt(commit: string, path: string): string | undefined {
    const tree = this.objects.commits.get(commit)?.tree;
    const item = tree ? this.objects.resolvePath(tree, path) : undefined;
    if (!item || item.type !== 'blob') return undefined;
    return this.objects.blobs.get(item.sha)?.toString('utf8');
  }

  /** The files a pull request changes: its base compared with `head` (default its head), text files only. */
  private changedFiles(pull: SimPull, head = pull.head.sha) {
    const flat = (sha: string) => this.objects.flatten(this.objects.commits.get(sha)!.tree);
    const before = flat(pull.base.sha);
    const after = flat(head);
    const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
    return paths
      .filter((path) => before.get(path)?.sha !== after.get(path)?.sha)
      .map((path) => ({
        path,
        status: !before.has(path) ? 'added' : !after.has(path) ? 'removed' : 'modified',
        before: before.has(path) ? this.textAt(pull.base.sha, path) : undefined,
        after: after.has(path) ? this.textAt(head, path) : undefined,
      }));
  }

  private pullFileTexts(pull: SimPull, path: string, head: string) {
    return this.changedFiles(pull, head).find((file) => file.path === path);
  }

  private reviewJson(repo: SimRepo, review: SimReview) {
    return {
      ...review,
      node_id: `PRR_${review.id}`,
      html_url: `https://github.com/${repo.fullName}/pull/${review.pull_number}#pullrequestreview-${review.id}`,
      pull_request_url: `${this.url}/repos/${repo.fullName}/pulls/${review.pull_number}`,
      author_association: 'NONE',
      _links: {
        html: { href: `https://github.com/${repo.fullName}/pull/${review.pull_number}#pullrequestreview-${review.id}` },
        pull_request: { href: `${this.url}/repos/${repo.fullName}/pulls/${review.pull_number}` },
      },
    };
  }

  /**
   * A review comment as GitHub lists it: `line` is where it stands on the current head, null (outdated) once the
   * lines it was made on changed.
   */
  private reviewCommentJson(repo: SimRepo, comment: SimReviewComment) {
    const pull = repo.pulls.get(comment.pull_number)!;
    const current = this.textAt(pull.head.sha, comment.path)?.split('\n');
    const same =
      current !== undefined &&
      current.slice(comment.original_start_line - 1, comment.original_line).join('\n') ===
        comment.original_text.join('\n');
    const { original_text: _text, review_id, pull_number, ...rest } = comment;
    const html = `https://github.com/${repo.fullName}/pull/${pull_number}#discussion_r${comment.id}`;
    return {
      ...rest,
      node_id: `PRRC_${comment.id}`,
      pull_request_review_id: review_id,
      diff_hunk: '@@',
      position: same ? comment.original_line : null,
      original_position: comment.original_line,
      original_commit_id: comment.commit_id,
      commit_id: same ? pull.head.sha : comment.commit_id,
      line: same ? comment.original_line : null,
      start_line: same && comment.original_start_line < comment.original_line ? comment.original_start_line : null,
      original_start_line: comment.original_start_line < comment.original_line ? comment.original_start_line : null,
      side: 'RIGHT',
      start_side: comment.original_start_line < comment.original_line ? 'RIGHT' : null,
      html_url: html,
      url: `${this.url}/repos/${repo.fullName}/pulls/comments/${comment.id}`,
      pull_request_url: `${this.url}/repos/${repo.fullName}/pulls/${pull_number}`,
      author_association: 'NONE',
      _links: {
        self: { href: `${this.url}/repos/${repo.fullName}/pulls/comments/${comment.id}` },
        html: { href: html },
        pull_request: { href: `${this.url}/repos/${repo.fullName}/pulls/${pull_number}` },
      },
    };
  }

  private refJson(repo: SimRepo, branch: string) {
    const sha = repo.branches.get(branch)!;
    return {
      ref: `refs/heads/${branch}`,
      node_id: 'REF',
      url: `${this.url}/repos/${repo.fullName}/git/refs/heads/${branch}`,
      object: { sha, type: 'commit', url: `${this.url}/repos/${repo.fullName}/git/commits/${sha}` },
    };
  }

  private isAncestor(ancestor: string, sha: string): boolean {
    const queue = [sha];
    const seen = new Set<string>();
    while (queue.length) {
      const next = queue.pop()!;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.objects.commits.get(next)?.parents ?? []));
    }
    return false;
  }

  private treeItemJson(repo: SimRepo, path: string, item: { mode: string; type: string; sha: string; size?: number }) {
    return {
      path,
      mode: item.mode,
      type: item.type,
      sha: item.sha,
      ...(item.type === 'blob' ? { size: item.size ?? 0 } : {}),
      url: `${this.url}/repos/${repo.fullName}/git/${item.type === 'tree' ? 'trees' : 'blobs'}/${item.sha}`,
    };
  }

  private listTree(
    repo: SimRepo,
    sha: string,
    recursive: boolean,
    prefix = '',
    into: Array<ReturnType<Simulator['treeItemJson']>> = [],
  ) {
    for (const item of this.objects.trees.get(sha) ?? []) {
      const path = prefix + item.name;
      into.push(this.treeItemJson(repo, path, item));
      if (recursive && item.type === 'tree') this.listTree(repo, item.sha, true, `${path}/`, into);
    }
    return into;
  }

  private findIssue(repo: SimRepo, number: string): SimIssue {
    const issue = repo.issues.get(Number(number));
    if (!issue) throw new HttpError(404, 'Not Found');
    return issue;
  }

  // ---------------------------------------------------------------- routes (by OpenAPI operationId)

  private readonly routes: Record<
    string,
    (
      this: Simulator,
      request: {
        params: Record<string, string>;
        query: URLSearchParams;
        body: JsonBody;
        headers: IncomingMessage['headers'];
        url: URL;
      },
    ) => { status?: number; body?: unknown; headers?: Record<string, string> }
  > = {
    'meta/root': () => ({ body: { current_user_url: `${this.url}/user` } }),
    'rate-limit/get': function () {
      const core = this.rateHeaders('core');
      const rate = {
        limit: this.rateLimit,
        remaining: Number(core['x-ratelimit-remaining']),
        reset: Number(core['x-ratelimit-reset']),
        used: Number(core['x-ratelimit-used']),
      };
      return { body: { resources: { core: rate, graphql: rate, search: rate }, rate } };
    },

    // Apps
    'apps/get-authenticated': function () {
      return {
        body: {
          id: this.appId,
          slug: this.appSlug,
          name: this.appSlug,
          owner: { login: 'simulator' },
          permissions: {},
          events: [],
        },
      };
    },
    'apps/create-installation-access-token': function ({ params }) {
      return {
        status: 201,
        body: {
          token: `ghs_simulator${params.installation_id}`,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: { checks: 'write', contents: 'read', issues: 'write', pull_requests: 'write', metadata: 'read' },
          repository_selection: 'all',
        },
      };
    },
    'apps/list-webhook-deliveries': function ({ query, url }) {
      // Newest first; the cursor is opaque to clients (here: the offset of the page's first delivery).
      const status = query.get('status');
      const listed = [...this.deliveries]
        .reverse()
        .filter((delivery) => !status || (status === 'success') === (delivery.status === 'OK'));
      const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30)));
      const start = Math.max(0, Number(query.get('cursor') ?? 0) || 0);
      const body = listed.slice(start, start + perPage);
      const headers: Record<string, string> = {};
      if (start + perPage < listed.length) {
        const next = new URL(`${this.url}${url.pathname}${url.search}`);
        next.searchParams.set('cursor', String(start + perPage));
        headers.link = `<${next.toString()}>; rel="next"`;
      }
      return { body, headers };
    },
    'apps/get-webhook-delivery': function ({ params }) {
      const delivery = this.deliveries.find((candidate) => candidate.id === Number(params.delivery_id));
      if (!delivery) throw new HttpError(404, 'Not Found');
      return {
        body: {
          ...delivery,
          url: '',
          request: { headers: {}, payload: {} },
          response: { headers: {}, payload: null },
        },
      };
    },
    'apps/redeliver-webhook-delivery': function ({ params }) {
      const original = this.deliveries.find((candidate) => candidate.id === Number(params.delivery_id));
      if (!original) throw new HttpError(404, 'Not Found');
      this.redelivered.push(original.id);
      const redelivery = this.recordDelivery({
        guid: original.guid,
        event: original.event,
        ...(original.action ? { action: original.action } : {}),
        statusCode: this.redeliveryStatusCode,
        ...(original.installation_id !== null ? { installationId: original.installation_id } : {}),
        ...(original.repository_id !== null ? { repositoryId: original.repository_id } : {}),
        redelivery: true,
      });
      this.onRedeliver?.(original, redelivery);
      return { status: 202, body: {} };
    },
    'apps/get-installation': function ({ params }) {
      const repo = [...this.repos.values()].find(
        (candidate) => candidate.installationId === Number(params.installation_id),
      );
      if (!repo) throw new HttpError(404, 'Not Found');
      return {
        body: {
          id: repo.installationId,
          app_id: this.appId,
          app_slug: this.appSlug,
          account: { login: repo.owner, type: 'Organization' },
          permissions: {},
          events: [],
        },
      };
    },
    'apps/get-repo-installation': function ({ params }) {
      const repo = this.repoOf(params);
      return {
        body: {
          id: repo.installationId,
          app_id: this.appId,
          app_slug: this.appSlug,
          account: { login: repo.owner, type: 'Organization' },
          permissions: {},
          events: [],
        },
      };
    },
    'apps/list-repos-accessible-to-installation': function ({ query, url }) {
      const page = this.page(
        query,
        url,
        [...this.repos.values()].map((repo) => this.repoJson(repo)),
      );
      return { body: { total_count: this.repos.size, repositories: page.body }, headers: page.headers };
    },

    // Repository, git data
    'repos/get': function ({ params }) {
      return { body: this.repoJson(this.repoOf(params)) };
    },
    'repos/list-branches': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const all = [...repo.branches].map(([name, sha]) => ({
        name,
        commit: { sha, url: `${this.url}/repos/${repo.fullName}/commits/${sha}` },
        protected: Boolean(repo.settings.classicProtection?.[name]),
      }));
      return this.page(query, url, all);
    },
    'repos/get-branch': function ({ params }) {
      const repo = this.repoOf(params);
      const sha = repo.branches.get(params.branch);
      if (!sha) throw new HttpError(404, 'Branch not found');
      const commit = this.objects.commits.get(sha)!;
      return {
        body: {
          name: params.branch,
          commit: { sha, commit: { tree: { sha: commit.tree }, message: commit.message } },
          protected: Boolean(repo.settings.classicProtection?.[params.branch]),
        },
      };
    },
    'git/get-ref': function ({ params }) {
      const repo = this.repoOf(params);
      const branch = params.ref.replace(/^heads\//, '');
      const sha = params.ref.startsWith('heads/') ? repo.branches.get(branch) : undefined;
      if (!sha) throw new HttpError(404, 'Not Found');
      return {
        body: {
          ref: `refs/heads/${branch}`,
          node_id: 'REF',
          url: `${this.url}/repos/${repo.fullName}/git/refs/heads/${branch}`,
          object: { sha, type: 'commit', url: `${this.url}/repos/${repo.fullName}/git/commits/${sha}` },
        },
      };
    },
    'repos/get-commit': function ({ params }) {
      const repo = this.repoOf(params);
      const sha = this.resolveCommit(repo, params.ref);
      if (!sha) throw new HttpError(422, `No commit found for SHA: ${params.ref}`);
      const commit = this.objects.commits.get(sha)!;
      return {
        body: {
          sha,
          node_id: `C_${sha}`,
          commit: {
            message: commit.message,
            tree: { sha: commit.tree },
            author: { name: 'Simulator', email: 'simulator@example.com', date: commit.date },
            committer: { name: 'Simulator', email: 'simulator@example.com', date: commit.date },
          },
          parents: commit.parents.map((parent) => ({ sha: parent })),
          html_url: `https://github.com/${repo.fullName}/commit/${sha}`,
        },
      };
    },
    'git/get-commit': function ({ params }) {
      const repo = this.repoOf(params);
      const commit = this.objects.commits.get(params.commit_sha);
      if (!commit) throw new HttpError(404, 'Not Found');
      return {
        body: {
          sha: commit.sha,
          tree: { sha: commit.tree, url: `${this.url}/repos/${repo.fullName}/git/trees/${commit.tree}` },
          parents: commit.parents.map((sha) => ({ sha })),
          message: commit.message,
          url: `${this.url}/repos/${repo.fullName}/git/commits/${commit.sha}`,
        },
      };
    },
    'git/get-tree': function ({ params, query }) {
      const repo = this.repoOf(params);
      let treeSha: string | undefined;
      if (this.objects.trees.has(params.tree_sha)) treeSha = params.tree_sha;
      else {
        const commit = this.resolveCommit(repo, params.tree_sha);
        treeSha = commit ? this.objects.commits.get(commit)!.tree : undefined;
      }
      if (!treeSha) throw new HttpError(404, 'Not Found');
      const recursive = query.has('recursive');
      let tree = this.listTree(repo, treeSha, recursive);
      let truncated = false;
      if (recursive && repo.truncateTreesOver !== undefined && tree.length > repo.truncateTreesOver) {
        tree = tree.slice(0, repo.truncateTreesOver);
        truncated = true;
      }
      return {
        body: { sha: treeSha, url: `${this.url}/repos/${repo.fullName}/git/trees/${treeSha}`, tree, truncated },
      };
    },
    'git/get-blob': function ({ params }) {
      const repo = this.repoOf(params);
      const blob = this.objects.blobs.get(params.file_sha);
      if (!blob) throw new HttpError(404, 'Not Found');
      return {
        body: {
          sha: params.file_sha,
          node_id: 'B',
          size: blob.length,
          content: blob.toString('base64'),
          encoding: 'base64',
          url: `${this.url}/repos/${repo.fullName}/git/blobs/${params.file_sha}`,
        },
      };
    },
    'repos/get-content': function ({ params, query, headers }) {
      const repo = this.repoOf(params);
      const sha = this.resolveCommit(repo, query.get('ref') ?? repo.defaultBranch);
      if (!sha) throw new HttpError(404, `No commit found for the ref ${query.get('ref')}`);
      const path = params.path.replace(/^\/+|\/+$/g, '');
      const item = this.objects.resolvePath(this.objects.commits.get(sha)!.tree, path);
      if (!item) throw new HttpError(404, 'Not Found');
      const raw = String(headers.accept ?? '').includes('raw');
      if (item.type === 'tree') {
        return {
          body: this.listTree(repo, item.sha, false).map((child) => ({
            name: child.path,
            path: path ? `${path}/${child.path}` : child.path,
            sha: child.sha,
            size: child.size ?? 0,
            type: child.type === 'tree' ? 'dir' : 'file',
          })),
        };
      }
      if (item.type !== 'blob') throw new HttpError(404, 'Not Found');
      const blob = this.objects.blobs.get(item.sha)!;
      if (raw) return { body: blob, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' } };
      return {
        body: {
          type: 'file',
          encoding: 'base64',
          size: blob.length,
          name: path.split('/').pop(),
          path,
          content: blob.toString('base64'),
          sha: item.sha,
          url: `${this.url}/repos/${repo.fullName}/contents/${path}`,
          git_url: `${this.url}/repos/${repo.fullName}/git/blobs/${item.sha}`,
          html_url: `https://github.com/${repo.fullName}/blob/${sha}/${path}`,
          download_url: null,
        },
      };
    },

    // Settings
    'repos/get-branch-rules': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const rules = (repo.settings.rulesets?.[params.branch] ?? []).map((rule, index) => ({
        ruleset_source_type: 'Repository',
        ruleset_source: repo.fullName,
        ruleset_id: rule.ruleset_id ?? index + 1,
        ...rule,
      }));
      return this.page(query, url, rules);
    },
    'repos/get-branch-protection': function ({ params }) {
      const repo = this.repoOf(params);
      const protection = repo.settings.classicProtection?.[params.branch];
      if (!protection) throw new HttpError(404, 'Branch not protected');
      return {
        body: { url: `${this.url}/repos/${repo.fullName}/branches/${params.branch}/protection`, ...protection },
      };
    },
    'repos/check-vulnerability-alerts': function ({ params }) {
      const repo = this.repoOf(params);
      if (!repo.settings.dependabotAlerts) throw new HttpError(404, 'Vulnerability alerts are disabled.');
      return { status: 204 };
    },
    'repos/check-private-vulnerability-reporting': function ({ params }) {
      return { body: { enabled: Boolean(this.repoOf(params).settings.privateVulnerabilityReporting) } };
    },
    'code-scanning/get-default-setup': function ({ params }) {
      const setup = this.repoOf(params).settings.codeScanning ?? { state: 'not-configured', languages: [] };
      return {
        body: {
          state: setup.state,
          languages: setup.languages ?? [],
          query_suite: 'default',
          updated_at: '2026-01-01T00:00:00Z',
          schedule: setup.state === 'configured' ? 'weekly' : null,
        },
      };
    },

    // Pulls
    'pulls/get': function ({ params }) {
      const repo = this.repoOf(params);
      const pull = repo.pulls.get(Number(params.pull_number));
      if (!pull) throw new HttpError(404, 'Not Found');
      return { body: this.pullJson(repo, pull) };
    },
    'pulls/list': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const state = query.get('state') ?? 'open';
      const head = query.get('head');
      const base = query.get('base');
      const pulls = [...repo.pulls.values()].filter(
        (pull) =>
          (state === 'all' || pull.state === state) &&
          (!base || pull.base.ref === base) &&
          (!head || `${this.repo(pull.head.repo).owner}:${pull.head.ref}` === head),
      );
      const page = this.page(query, url, pulls);
      return { body: page.body.map((pull) => this.pullJson(repo, pull)), headers: page.headers };
    },
    'repos/list-pull-requests-associated-with-commit': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const pulls = [...repo.pulls.values()].filter((pull) => pull.head.sha === params.commit_sha);
      const page = this.page(query, url, pulls);
      return { body: page.body.map((pull) => this.pullJson(repo, pull)), headers: page.headers };
    },

    // Tags (action refs resolve through them)
    'repos/list-tags': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const tags = [...repo.tags].map(([name, sha]) => ({
        name,
        commit: { sha, url: `${this.url}/repos/${repo.fullName}/commits/${sha}` },
        zipball_url: `${this.url}/repos/${repo.fullName}/zipball/refs/tags/${name}`,
        tarball_url: `${this.url}/repos/${repo.fullName}/tarball/refs/tags/${name}`,
        node_id: `TAG_${name}`,
      }));
      return this.page(query, url, tags);
    },

    // Pull request files and reviews
    'pulls/list-files': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const pull = this.pullOf(repo, params.pull_number);
      const files = this.changedFiles(pull).map(({ path, before, after, status }) => {
        const patch = unifiedPatch(before ?? '', after ?? '');
        const rows = patch?.split('\n') ?? [];
        return {
          sha: after === undefined ? '0'.repeat(40) : this.objects.writeBlob(after),
          filename: path,
          status,
          additions: rows.filter((row) => row.startsWith('+')).length,
          deletions: rows.filter((row) => row.startsWith('-')).length,
          changes: rows.filter((row) => row.startsWith('+') || row.startsWith('-')).length,
          blob_url: `https://github.com/${repo.fullName}/blob/${pull.head.sha}/${path}`,
          raw_url: `https://github.com/${repo.fullName}/raw/${pull.head.sha}/${path}`,
          contents_url: `${this.url}/repos/${repo.fullName}/contents/${path}?ref=${pull.head.sha}`,
          ...(patch === undefined ? {} : { patch }),
        };
      });
      return this.page(query, url, files);
    },
    'pulls/create-review': function ({ params, body }) {
      const repo = this.repoOf(params);
      const pull = this.pullOf(repo, params.pull_number);
      const commit = body.commit_id ?? pull.head.sha;
      if (!this.objects.commits.has(commit)) throw new HttpError(422, `No commit found for SHA: ${commit}`);
      const review: SimReview = {
        id: this.nextId++,
        pull_number: pull.number,
        commit_id: commit,
        body: body.body ?? '',
        state:
          body.event === 'APPROVE' ? 'APPROVED' : body.event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED',
        user: this.bot,
        submitted_at: now(),
      };
      const comments: SimReviewComment[] = [];
      for (const comment of (body.comments ?? []) as JsonBody[]) {
        const texts = this.pullFileTexts(pull, comment.path, commit);
        const line = Number(comment.line);
        const start = Number(comment.start_line ?? comment.line);
        const allowed = texts ? commentableLines(texts.before ?? '', texts.after ?? '') : new Set<number>();
        for (let at = start; at <= line; at += 1)
          if (!allowed.has(at))
            throw new HttpError(422, 'Unprocessable Entity', {
              errors: [`Pull request review thread line must be part of the diff (${comment.path}:${at})`],
            });
        comments.push({
          id: this.nextId++,
          pull_number: pull.number,
          review_id: review.id,
          commit_id: commit,
          path: comment.path,
          original_start_line: start,
          original_line: line,
          original_text: (texts?.after ?? '').split('\n').slice(start - 1, line),
          body: comment.body,
          user: this.bot,
          created_at: now(),
          updated_at: now(),
        });
      }
      repo.reviews.push(review);
      repo.reviewComments.push(...comments);
      return { body: this.reviewJson(repo, review) };
    },
    'pulls/list-reviews': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const pull = this.pullOf(repo, params.pull_number);
      const page = this.page(
        query,
        url,
        repo.reviews.filter((review) => review.pull_number === pull.number),
      );
      return { body: page.body.map((review) => this.reviewJson(repo, review)), headers: page.headers };
    },
    'pulls/update-review': function ({ params, body }) {
      const repo = this.repoOf(params);
      const review = repo.reviews.find(
        (candidate) =>
          candidate.id === Number(params.review_id) && candidate.pull_number === Number(params.pull_number),
      );
      if (!review) throw new HttpError(404, 'Not Found');
      review.body = body.body;
      return { body: this.reviewJson(repo, review) };
    },
    'pulls/list-review-comments': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const pull = this.pullOf(repo, params.pull_number);
      const page = this.page(
        query,
        url,
        repo.reviewComments.filter((comment) => comment.pull_number === pull.number),
      );
      return { body: page.body.map((comment) => this.reviewCommentJson(repo, comment)), headers: page.headers };
    },
    'pulls/update-review-comment': function ({ params, body }) {
      const repo = this.repoOf(params);
      const comment = repo.reviewComments.find((candidate) => candidate.id === Number(params.comment_id));
      if (!comment) throw new HttpError(404, 'Not Found');
      comment.body = body.body;
      comment.updated_at = now();
      return { body: this.reviewCommentJson(repo, comment) };
    },
    'pulls/delete-review-comment': function ({ params }) {
      const repo = this.repoOf(params);
      const index = repo.reviewComments.findIndex((candidate) => candidate.id === Number(params.comment_id));
      if (index < 0) throw new HttpError(404, 'Not Found');
      repo.reviewComments.splice(index, 1);
      return { status: 204 };
    },

    // Opening and updating pull requests
    'pulls/create': function ({ params, body }) {
      const repo = this.repoOf(params);
      const head = String(body.head).includes(':') ? String(body.head).split(':')[1] : String(body.head);
      if (!repo.branches.has(head))
        throw new HttpError(422, 'Validation Failed', { errors: [{ field: 'head', code: 'invalid' }] });
      if (!repo.branches.has(body.base))
        throw new HttpError(422, 'Validation Failed', { errors: [{ field: 'base', code: 'invalid' }] });
      const open = [...repo.pulls.values()].find(
        (pull) =>
          pull.state === 'open' &&
          pull.head.repo === repo.fullName &&
          pull.head.ref === head &&
          pull.base.ref === body.base,
      );
      if (open)
        throw new HttpError(422, 'Validation Failed', {
          errors: [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `A pull request already exists for ${repo.owner}:${head}.`,
            },
          ],
        });
      const pull = this.openPull(repo.fullName, {
        head,
        base: body.base,
        title: body.title,
        body: body.body,
        draft: body.draft,
      });
      pull.user = this.bot;
      return { status: 201, body: this.pullJson(repo, pull) };
    },
    'pulls/update': function ({ params, body }) {
      const repo = this.repoOf(params);
      const pull = this.pullOf(repo, params.pull_number);
      if (body.title !== undefined) pull.title = body.title;
      if (body.body !== undefined) pull.body = body.body;
      if (body.state !== undefined) pull.state = body.state;
      return { body: this.pullJson(repo, pull) };
    },

    // Git data: blobs, trees, commits and refs
    'git/create-blob': function ({ params, body }) {
      const repo = this.repoOf(params);
      const content = body.encoding === 'base64' ? Buffer.from(body.content, 'base64') : Buffer.from(body.content);
      const sha = this.objects.writeBlob(content);
      return { status: 201, body: { sha, url: `${this.url}/repos/${repo.fullName}/git/blobs/${sha}` } };
    },
    'git/create-tree': function ({ params, body }) {
      const repo = this.repoOf(params);
      if (body.base_tree && !this.objects.trees.has(body.base_tree)) throw new HttpError(422, 'Invalid tree info');
      const files = body.base_tree ? this.objects.flatten(body.base_tree) : new Map<string, FlatFile>();
      for (const item of body.tree as JsonBody[]) {
        if (item.sha === null && item.content === undefined) {
          files.delete(item.path);
          continue;
        }
        const sha = item.content !== undefined ? this.objects.writeBlob(item.content) : item.sha;
        const blob = this.objects.blobs.get(sha);
        if (item.type === 'blob' && !blob)
          throw new HttpError(422, 'Invalid tree info', { errors: [`no blob ${sha}`] });
        files.set(item.path, { mode: item.mode, type: item.type, sha, size: blob?.length ?? 0 });
      }
      const sha = this.objects.writeFiles(files);
      return {
        status: 201,
        body: {
          sha,
          url: `${this.url}/repos/${repo.fullName}/git/trees/${sha}`,
          tree: this.listTree(repo, sha, false),
          truncated: false,
        },
      };
    },
    'git/create-commit': function ({ params, body }) {
      const repo = this.repoOf(params);
      if (!this.objects.trees.has(body.tree)) throw new HttpError(422, 'Tree SHA does not exist');
      for (const parent of body.parents ?? [])
        if (!this.objects.commits.has(parent))
          throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
      const sha = this.objects.writeCommit(body.tree, body.parents ?? [], body.message);
      const commit = this.objects.commits.get(sha)!;
      const person = { name: 'shipready[bot]', email: 'bot@example.com', date: commit.date };
      return {
        status: 201,
        body: {
          sha,
          node_id: `C_${sha}`,
          url: `${this.url}/repos/${repo.fullName}/git/commits/${sha}`,
          html_url: `https://github.com/${repo.fullName}/commit/${sha}`,
          author: person,
          committer: person,
          message: commit.message,
          tree: { sha: commit.tree, url: `${this.url}/repos/${repo.fullName}/git/trees/${commit.tree}` },
          parents: commit.parents.map((parent) => ({
            sha: parent,
            url: `${this.url}/repos/${repo.fullName}/git/commits/${parent}`,
            html_url: `https://github.com/${repo.fullName}/commit/${parent}`,
          })),
          verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
        },
      };
    },
    'git/create-ref': function ({ params, body }) {
      const repo = this.repoOf(params);
      const match = /^refs\/heads\/(.+)$/.exec(body.ref);
      if (!match) throw new HttpError(422, 'Reference name must start with refs/heads/ here');
      if (repo.branches.has(match[1])) throw new HttpError(422, 'Reference already exists');
      if (!this.objects.commits.has(body.sha)) throw new HttpError(422, 'Object does not exist');
      repo.branches.set(match[1], body.sha);
      return { status: 201, body: this.refJson(repo, match[1]) };
    },
    'git/update-ref': function ({ params, body }) {
      const repo = this.repoOf(params);
      const branch = params.ref.replace(/^heads\//, '');
      const current = params.ref.startsWith('heads/') ? repo.branches.get(branch) : undefined;
      if (!current) throw new HttpError(422, 'Reference does not exist');
      if (!this.objects.commits.has(body.sha)) throw new HttpError(422, 'Object does not exist');
      if (!body.force && !this.isAncestor(current, body.sha)) throw new HttpError(422, 'Update is not a fast forward');
      repo.branches.set(branch, body.sha);
      for (const pull of repo.pulls.values())
        if (pull.head.repo === repo.fullName && pull.head.ref === branch) pull.head.sha = body.sha;
      return { body: this.refJson(repo, branch) };
    },
    'git/delete-ref': function ({ params }) {
      const repo = this.repoOf(params);
      const branch = params.ref.replace(/^heads\//, '');
      if (!params.ref.startsWith('heads/') || !repo.branches.delete(branch))
        throw new HttpError(422, 'Reference does not exist');
      return { status: 204 };
    },

    // Check runs
    'checks/create': function ({ params, body }) {
      const repo = this.repoOf(params);
      if (!this.objects.commits.has(body.head_sha))
        throw new HttpError(422, 'No commit found for SHA: ' + body.head_sha);
      const run: SimCheckRun = {
        id: this.nextId++,
        name: body.name,
        head_sha: body.head_sha,
        status: body.conclusion ? 'completed' : (body.status ?? 'queued'),
        conclusion: body.conclusion ?? null,
        started_at: body.started_at ?? now(),
        completed_at: body.completed_at ?? (body.conclusion ? now() : null),
        details_url: body.details_url,
        external_id: body.external_id,
        output: { title: null, summary: null, text: null, annotations_count: 0 },
        annotations: [],
        actions: body.actions ?? [],
        history: [body],
      };
      this.applyOutput(run, body.output);
      repo.checkRuns.push(run);
      return { status: 201, body: this.checkRunJson(repo, run) };
    },
    'checks/update': function ({ params, body }) {
      const repo = this.repoOf(params);
      const run = repo.checkRuns.find((candidate) => candidate.id === Number(params.check_run_id));
      if (!run) throw new HttpError(404, 'Not Found');
      run.history.push(body);
      if (body.name) run.name = body.name;
      if (body.status) run.status = body.status;
      if (body.conclusion) {
        run.conclusion = body.conclusion;
        run.status = 'completed';
        run.completed_at = body.completed_at ?? now();
      }
      if (body.details_url) run.details_url = body.details_url;
      if (body.external_id) run.external_id = body.external_id;
      if (body.actions) run.actions = body.actions;
      this.applyOutput(run, body.output);
      return { body: this.checkRunJson(repo, run) };
    },
    'checks/get': function ({ params }) {
      const repo = this.repoOf(params);
      const run = repo.checkRuns.find((candidate) => candidate.id === Number(params.check_run_id));
      if (!run) throw new HttpError(404, 'Not Found');
      return { body: this.checkRunJson(repo, run) };
    },
    'checks/list-for-ref': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const sha = this.resolveCommit(repo, params.ref);
      if (!sha) throw new HttpError(422, `No commit found for SHA: ${params.ref}`);
      const name = query.get('check_name');
      const status = query.get('status');
      const runs = repo.checkRuns
        .filter((run) => run.head_sha === sha && (!name || run.name === name) && (!status || run.status === status))
        .reverse();
      const page = this.page(query, url, runs);
      return {
        body: { total_count: runs.length, check_runs: page.body.map((run) => this.checkRunJson(repo, run)) },
        headers: page.headers,
      };
    },
    'checks/list-annotations': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const run = repo.checkRuns.find((candidate) => candidate.id === Number(params.check_run_id));
      if (!run) throw new HttpError(404, 'Not Found');
      return this.page(query, url, run.annotations);
    },

    // Issue comments
    'issues/create-comment': function ({ params, body }) {
      const repo = this.repoOf(params);
      const number = Number(params.issue_number);
      if (!repo.issues.has(number) && !repo.pulls.has(number)) throw new HttpError(404, 'Not Found');
      const comment: SimComment = {
        id: this.nextId++,
        issue_number: number,
        body: body.body,
        user: this.bot,
        created_at: now(),
        updated_at: now(),
      };
      repo.comments.push(comment);
      return { status: 201, body: this.commentJson(repo, comment) };
    },
    'issues/update-comment': function ({ params, body }) {
      const repo = this.repoOf(params);
      const comment = repo.comments.find((candidate) => candidate.id === Number(params.comment_id));
      if (!comment) throw new HttpError(404, 'Not Found');
      comment.body = body.body;
      comment.updated_at = now();
      return { body: this.commentJson(repo, comment) };
    },
    'issues/get-comment': function ({ params }) {
      const repo = this.repoOf(params);
      const comment = repo.comments.find((candidate) => candidate.id === Number(params.comment_id));
      if (!comment) throw new HttpError(404, 'Not Found');
      return { body: this.commentJson(repo, comment) };
    },
    'issues/delete-comment': function ({ params }) {
      const repo = this.repoOf(params);
      const index = repo.comments.findIndex((candidate) => candidate.id === Number(params.comment_id));
      if (index < 0) throw new HttpError(404, 'Not Found');
      repo.comments.splice(index, 1);
      return { status: 204 };
    },
    'issues/list-comments': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const number = Number(params.issue_number);
      if (!repo.issues.has(number) && !repo.pulls.has(number)) throw new HttpError(404, 'Not Found');
      const page = this.page(
        query,
        url,
        repo.comments.filter((comment) => comment.issue_number === number),
      );
      return { body: page.body.map((comment) => this.commentJson(repo, comment)), headers: page.headers };
    },

    // Issues and labels
    'issues/create': function ({ params, body }) {
      const repo = this.repoOf(params);
      const labels = ((body.labels ?? []) as Array<string | { name: string }>).map((label) =>
        typeof label === 'string' ? label : label.name,
      );
      for (const label of labels) this.ensureLabel(repo, label);
      const issue: SimIssue = {
        number: repo.nextNumber++,
        title: String(body.title),
        body: body.body ?? null,
        state: 'open',
        state_reason: null,
        labels,
        assignees: body.assignees ?? [],
        user: this.bot,
        created_at: now(),
        updated_at: now(),
        closed_at: null,
        history: [body],
      };
      repo.issues.set(issue.number, issue);
      return { status: 201, body: this.issueJson(repo, issue) };
    },
    'issues/update': function ({ params, body }) {
      const repo = this.repoOf(params);
      const issue = this.findIssue(repo, params.issue_number);
      issue.history.push(body);
      if (body.title !== undefined && body.title !== null) issue.title = String(body.title);
      if (body.body !== undefined) issue.body = body.body;
      if (body.state && body.state !== issue.state) {
        issue.state = body.state;
        issue.closed_at = body.state === 'closed' ? now() : null;
        issue.state_reason =
          body.state === 'closed' ? (body.state_reason ?? 'completed') : (body.state_reason ?? 'reopened');
      }
      if (body.labels) {
        issue.labels = (body.labels as Array<string | { name: string }>).map((label) =>
          typeof label === 'string' ? label : label.name,
        );
        for (const label of issue.labels) this.ensureLabel(repo, label);
      }
      if (body.assignees) issue.assignees = body.assignees;
      issue.updated_at = now();
      return { body: this.issueJson(repo, issue) };
    },
    'issues/get': function ({ params }) {
      const repo = this.repoOf(params);
      return { body: this.issueJson(repo, this.findIssue(repo, params.issue_number)) };
    },
    'issues/list-for-repo': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const state = query.get('state') ?? 'open';
      const labels = (query.get('labels') ?? '')
        .split(',')
        .map((label) => label.trim().toLowerCase())
        .filter(Boolean);
      const creator = query.get('creator');
      const issues = [...repo.issues.values()]
        .filter(
          (issue) =>
            (state === 'all' || issue.state === state) &&
            labels.every((label) => issue.labels.some((name) => name.toLowerCase() === label)) &&
            (!creator || issue.user.login === creator),
        )
        .sort((a, b) => (query.get('direction') === 'asc' ? a.number - b.number : b.number - a.number));
      const page = this.page(query, url, issues);
      return { body: page.body.map((issue) => this.issueJson(repo, issue)), headers: page.headers };
    },
    'issues/add-labels': function ({ params, body }) {
      const repo = this.repoOf(params);
      const issue = this.findIssue(repo, params.issue_number);
      const names = (Array.isArray(body) ? body : (body.labels ?? [])) as Array<string | { name: string }>;
      for (const label of names.map((entry) => (typeof entry === 'string' ? entry : entry.name))) {
        this.ensureLabel(repo, label);
        if (!issue.labels.includes(label)) issue.labels.push(label);
      }
      return { body: issue.labels.map((name) => this.labelJson(this.ensureLabel(repo, name))) };
    },
    'issues/create-label': function ({ params, body }) {
      const repo = this.repoOf(params);
      if (repo.labels.some((label) => label.name.toLowerCase() === String(body.name).toLowerCase())) {
        throw new HttpError(422, 'Validation Failed', {
          errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
        });
      }
      const label: SimLabel = {
        id: this.nextId++,
        name: body.name,
        color: body.color ?? 'ededed',
        description: body.description ?? null,
      };
      repo.labels.push(label);
      return { status: 201, body: this.labelJson(label) };
    },
    'issues/get-label': function ({ params }) {
      const repo = this.repoOf(params);
      const label = repo.labels.find((candidate) => candidate.name.toLowerCase() === params.name.toLowerCase());
      if (!label) throw new HttpError(404, 'Not Found');
      return { body: this.labelJson(label) };
    },
    'issues/list-labels-for-repo': function ({ params, query, url }) {
      const repo = this.repoOf(params);
      const page = this.page(query, url, repo.labels);
      return { body: page.body.map((label) => this.labelJson(label)), headers: page.headers };
    },
    'search/issues-and-pull-requests': function ({ query, url }) {
      const q = query.get('q') ?? '';
      const terms: string[] = [];
      const filters: Array<[string, string]> = [];
      for (const match of q.matchAll(/(-?[\w.]+):("[^"]*"|\S+)|"([^"]*)"|(\S+)/g)) {
        if (match[1]) filters.push([match[1].toLowerCase(), match[2].replace(/^"|"$/g, '')]);
        else terms.push((match[3] ?? match[4]).toLowerCase());
      }
      const results: Array<{ repo: SimRepo; issue: SimIssue }> = [];
      for (const repo of this.repos.values()) {
        for (const issue of repo.issues.values()) {
          const ok = filters.every(([key, value]) => {
            switch (key) {
              case 'repo':
                return repo.fullName.toLowerCase() === value.toLowerCase();
              case 'is':
              case 'type':
                return value === 'issue' || value === issue.state;
              case 'state':
                return value === issue.state;
              case 'label':
                return issue.labels.some((label) => label.toLowerCase() === value.toLowerCase());
              case 'author':
                return issue.user.login === value || issue.user.login === value.replace(/^app\//, '') + '[bot]';
              case 'in':
                return true;
              default:
                return true;
            }
          });
          const text = `${issue.title}\n${issue.body ?? ''}`.toLowerCase();
          if (ok && terms.every((term) => text.includes(term))) results.push({ repo, issue });
        }
      }
      const page = this.page(query, url, results);
      return {
        body: {
          total_count: results.length,
          incomplete_results: false,
          items: page.body.map(({ repo, issue }) => ({ ...this.issueJson(repo, issue), body: issue.body ?? '' })),
        },
        headers: page.headers,
      };
    },
  };

  private applyOutput(run: SimCheckRun, output: Record<string, unknown> | undefined): void {
    if (!output) return;
    if (output.title !== undefined) run.output.title = output.title as string;
    if (output.summary !== undefined) run.output.summary = output.summary as string;
    if (output.text !== undefined) run.output.text = output.text as string;
    const annotations = (output.annotations ?? []) as Array<Record<string, unknown>>;
    run.annotations.push(...annotations);
    run.output.annotations_count = run.annotations.length;
  }
}

/** Starts a simulator on 127.0.0.1 (a free port). Close it with `await simulator.close()`. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = new Simulator(options);
  await simulator.listen();
  return simulator;
}
