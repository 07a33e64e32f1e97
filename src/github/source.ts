import type { Octokit } from '@octokit/rest';
import type {
  BranchProtection,
  FileText,
  ReadLimits,
  SettingKey,
  Settings,
  SettingState,
  SettingValues,
  SnapshotSource,
  Target,
  TreeEntry,
  TreeListing,
} from '../snapshot/types.js';
import { packEntries, packedWeight, unpackListing, type PackedTreeListing } from '../snapshot/packed-listing.js';
import { ENTRIES_PER_TURN, nextTurn } from '../snapshot/turns.js';
import { BlobCache, type CachedBlob } from './blob-cache.js';
import { inlineTreeParser, toEntry, type GitTreeResponse, type TreeParser } from './tree-parse.js';
import { GitHubApiError, QuotaExhaustedError, resetTimeFrom, toGitHubError } from './errors.js';

export { BlobCache, type CachedBlob } from './blob-cache.js';
export { GitHubApiError, QuotaExhaustedError } from './errors.js';

/** What the source needs of an Octokit: Probot's `context.octokit` fits, and so does `new Octokit()`. */
export interface OctokitLike {
  request: Octokit['request'];
  graphql: Octokit['graphql'];
}

/** A pino-like logger (Probot's `context.log` fits). */
export interface SourceLogger {
  debug?(object: Record<string, unknown>, message?: string): void;
  warn?(object: Record<string, unknown>, message?: string): void;
}

/**
 * How file texts are batched into GraphQL queries. GitHub documents a limit of 500,000 nodes per query and a
 * 10-second timeout per request; `object(oid:)` fields are plain nodes (no connections), so the binding limits
 * are the time GitHub takes to serve many blob texts and the size of the answer. Defaults: a query of at most
 * 200,000 characters (a blob named by its id with the shared fragment is ~70, so about 2,700 blobs; by path, longer),
 * at most 8 MiB of expected text per query (sizes come from the tree), and 5,000 aliases, a backstop the two bounds
 * before it reach first (GitHub documents no alias limit; 250 made a 2,000-file commit cost nine queries instead of
 * two, 2,000 made it cost two instead of one). Assumed, not measured against github.com: that a query within these
 * bounds is answered within the 10-second timeout.
 */
export interface GraphqlBatchLimits {
  maxAliases: number;
  maxQueryChars: number;
  maxExpectedBytes: number;
}

export interface GitHubSourceOptions {
  octokit: OctokitLike;
  owner: string;
  repo: string;
  /** The commit to read. */
  sha: string;
  /** The ref the commit was reached from (for the report only). */
  ref?: string;
  /** The repository's default branch: settings (branch protection) are read for it. */
  defaultBranch: string;
  /** Blob texts by SHA, shared across deliveries. A private cache is made when omitted. */
  cache?: BlobCache;
  log?: SourceLogger;
  batch?: Partial<GraphqlBatchLimits>;
  /**
   * Parses recursive tree answers (10 MB of JSON for 100,000 files). The App passes a TreeParserThread so that the
   * parse runs off its event loop; inline by default.
   */
  treeParser?: TreeParser;
  /**
   * Whether a repository is known not to exist (or not to be visible), from a read made moments ago (the config's
   * GraphQL query answers NOT_FOUND for the org's `.github` repository): its community files need no request then.
   */
  knownMissingRepository?: (owner: string, repo: string) => boolean;
}

export interface GitHubSourceStats {
  /** REST requests made. */
  rest: number;
  /** GraphQL requests made. */
  graphql: number;
  /** Blob texts served from the cache. */
  blobsFromCache: number;
  /** Blob texts fetched from GitHub. */
  blobsFetched: number;
  /** Conditional REST requests GitHub answered 304 (not counted against the primary rate limit). */
  notModified: number;
  /** Tree listings (whole commits or walked sub-trees) served from the cache. */
  treesFromCache: number;
  /** The lowest primary quota GitHub reported during this source's requests (for /metrics), by resource. */
  rateLimit: { core?: { remaining: number; resetAt: Date }; graphql?: { remaining: number; resetAt: Date } };
}

const DEFAULT_BATCH: GraphqlBatchLimits = {
  maxAliases: 5_000,
  maxQueryChars: 200_000,
  maxExpectedBytes: 8 * 1024 * 1024,
};
/** GitHub cuts `Blob.text` at 512,000 bytes (`isTruncated`); a query's expected size counts a blob at most this much. */
const GITHUB_TEXT_LIMIT = 512_000;
/**
 * A text GitHub cut that the engine wants more of is fetched whole through the git blobs API (base64, up to 100 MB),
 * for blobs up to this size (a lockfile of 600 KB must parse; a 50 MB data file is not worth it).
 */
const FULL_BLOB_MAX_BYTES = 8 * 1024 * 1024;
/** At most this many such fetches per read: each is a REST request. */
const FULL_BLOB_MAX_COUNT = 25;
/** The blob fields every alias selects, once per query as a named fragment (each alias then spends `...B`). */
const BLOB_FRAGMENT_NAME = 'B';
const BLOB_FRAGMENT = `fragment ${BLOB_FRAGMENT_NAME} on Blob { text isBinary isTruncated byteSize oid }`;
/** What a query spends besides its aliases: the variables, `repository(…)`, `rateLimit` and the fragment. */
const QUERY_OVERHEAD_CHARS = 160 + BLOB_FRAGMENT.length;

interface BlobNode {
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  byteSize?: number;
  oid?: string;
}

/** The parts of GET /repos/{owner}/{repo}/branches/{branch}/protection the source reads. */
interface ClassicProtection {
  required_pull_request_reviews?: { required_approving_review_count?: number } | null;
  required_status_checks?: unknown;
  allow_force_pushes?: { enabled?: boolean };
  allow_deletions?: { enabled?: boolean };
}

interface GraphqlErrorLike {
  message?: string;
  type?: string;
  path?: Array<string | number>;
}

/**
 * A response body's bytes, read chunk by chunk with a turn of the event loop after each chunk: `Response.arrayBuffer()`
 * drains a body that has already arrived in one go (a 10 MB tree listing held the event loop for a quarter of a
 * second). The result is a buffer of its own, so it can be transferred to the parser thread.
 */
async function readBody(stream: ReadableStream<Uint8Array>): Promise<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
    await nextTurn();
  }
  const body = new Uint8Array(new ArrayBuffer(length));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body.buffer;
}

/** The first `maxBytes` bytes of a text, never splitting a UTF-8 sequence. */
function cutText(text: string, maxBytes: number): { text: string; cut: boolean } {
  if (text.length * 3 <= maxBytes) return { text, cut: false };
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, cut: false };
  let end = maxBytes;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1;
  return { text: bytes.subarray(0, end).toString('utf8'), cut: true };
}

/** True when GitHub cut the text, the blob is small enough to fetch whole, and the engine wants more of it. */
function wantsMoreThan(blob: CachedBlob, maxFileBytes: number): boolean {
  if (!blob.truncated || blob.binary || blob.text === null || blob.size > FULL_BLOB_MAX_BYTES) return false;
  return Buffer.byteLength(blob.text, 'utf8') < maxFileBytes;
}

function toFileText(path: string, blob: CachedBlob, maxFileBytes: number): FileText {
  if (blob.binary) return { path, text: null, binary: true, truncated: blob.truncated, size: blob.size };
  if (blob.text === null)
    return {
      path,
      text: null,
      binary: false,
      truncated: blob.truncated,
      size: blob.size,
      error: 'GitHub returned no text for this blob',
    };
  const { text: cutTo, cut } = cutText(blob.text, maxFileBytes);
  const text = cutTo.charCodeAt(0) === 0xfeff ? cutTo.slice(1) : cutTo;
  return { path, text, binary: false, truncated: blob.truncated || cut, size: blob.size };
}

function isGraphqlResponseError(
  error: unknown,
): error is { errors?: GraphqlErrorLike[]; data?: unknown; headers?: Record<string, string> } {
  return Boolean(error && typeof error === 'object' && Array.isArray((error as { errors?: unknown }).errors));
}

/**
 * One commit of a GitHub repository, read with as few requests as the API allows: one recursive tree request
 * (walking sub-trees only when GitHub truncates it), every needed file text in one GraphQL query (split only when
 * it would be too large), blob texts cached by SHA across deliveries, and settings from the fewest endpoints.
 */
export class GitHubSource implements SnapshotSource {
  readonly kind = 'github' as const;
  readonly stats: GitHubSourceStats = {
    rest: 0,
    graphql: 0,
    blobsFromCache: 0,
    blobsFetched: 0,
    notModified: 0,
    treesFromCache: 0,
    rateLimit: {},
  };
  private readonly octokit: OctokitLike;
  private readonly owner: string;
  private readonly repo: string;
  private readonly sha: string;
  private readonly ref: string | undefined;
  private readonly defaultBranch: string;
  private readonly cache: BlobCache;
  private readonly log: SourceLogger;
  private readonly batch: GraphqlBatchLimits;
  private repository?: Promise<Record<string, unknown>>;
  private rootTree: string | undefined;
  private readonly treeParser: TreeParser;
  private readonly knownMissingRepository: ((owner: string, repo: string) => boolean) | undefined;
  private fullBlobs = 0;

  constructor(options: GitHubSourceOptions) {
    this.octokit = options.octokit;
    this.owner = options.owner;
    this.repo = options.repo;
    this.sha = options.sha;
    this.ref = options.ref;
    this.defaultBranch = options.defaultBranch;
    this.cache = options.cache ?? new BlobCache();
    this.log = options.log ?? {};
    this.batch = { ...DEFAULT_BATCH, ...options.batch };
    this.treeParser = options.treeParser ?? inlineTreeParser;
    this.knownMissingRepository = options.knownMissingRepository;
  }

  target(): Target {
    return { source: 'github', repository: `${this.owner}/${this.repo}`, ref: this.ref, sha: this.sha };
  }

  // ------------------------------------------------------------------ requests

  /**
   * One REST request. `conditional`: send the ETag of the last answer (kept in the shared cache) so that an
   * unchanged answer is a 304, which GitHub does not count against the primary rate limit.
   */
  private async rest<T>(
    route: string,
    parameters: Record<string, unknown>,
    options: { conditional?: boolean; nativeJson?: boolean; raw?: boolean } = {},
  ): Promise<{ status: number; data: T }> {
    this.stats.rest += 1;
    const key = options.conditional ? `${route} ${JSON.stringify(parameters)}` : undefined;
    const cached = key ? this.cache.getResponse(key) : undefined;
    try {
      const withCache = cached ? { ...parameters, headers: { 'if-none-match': cached.etag } } : parameters;
      // Octokit parses bodies with a bigint-preserving JSON parser that is ~10× slower than JSON.parse: a
      // 100,000-entry tree (10 MB) held the event loop for a second, so large bodies are parsed natively.
      // `raw`: the body's bytes, for a parser off the event loop.
      const unparsed = options.nativeJson || options.raw;
      const response = await this.octokit.request(
        route,
        unparsed ? { ...withCache, request: { parseSuccessResponseBody: false } } : withCache,
      );
      if (unparsed && response.data && typeof response.data === 'object' && 'getReader' in response.data) {
        const stream = response.data as ReadableStream<Uint8Array>;
        response.data = options.raw ? await readBody(stream) : JSON.parse(await new Response(stream).text());
      } else if (options.raw && !(response.data instanceof ArrayBuffer)) {
        // An Octokit without fetch streams (a test double) hands back a value: its JSON is the body.
        const text = typeof response.data === 'string' ? response.data : JSON.stringify(response.data);
        response.data = new TextEncoder().encode(text).buffer;
      }
      this.noteRateLimit('core', response.headers as Record<string, unknown>);
      const etag = (response.headers as Record<string, unknown>).etag;
      if (key && typeof etag === 'string') {
        const chars = response.data === undefined ? 0 : JSON.stringify(response.data).length;
        this.cache.setResponse(key, { etag, status: response.status, data: response.data }, chars);
      }
      return { status: response.status, data: response.data as T };
    } catch (error) {
      this.noteRateLimit('core', (error as { response?: { headers?: Record<string, unknown> } }).response?.headers);
      if (cached && (error as { status?: number }).status === 304) {
        this.stats.notModified += 1;
        return { status: cached.status, data: cached.data as T };
      }
      throw toGitHubError(error, route);
    }
  }

  private noteRateLimit(resource: 'core' | 'graphql', headers: Record<string, unknown> | undefined): void {
    const remaining = Number(headers?.['x-ratelimit-remaining']);
    const reset = Number(headers?.['x-ratelimit-reset']);
    if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    this.recordRateLimit(resource, remaining, new Date(reset * 1000));
  }

  private recordRateLimit(resource: 'core' | 'graphql', remaining: number, resetAt: Date): void {
    const known = this.stats.rateLimit[resource];
    if (!known || remaining < known.remaining) this.stats.rateLimit[resource] = { remaining, resetAt };
  }

  /** Like `rest`, but a GitHubApiError comes back as a value (quota and credential failures still throw). */
  private async tryRest<T>(
    route: string,
    parameters: Record<string, unknown>,
    options: { conditional?: boolean } = { conditional: true },
  ): Promise<{ ok: true; status: number; data: T } | { ok: false; error: GitHubApiError }> {
    try {
      const response = await this.rest<T>(route, parameters, options);
      return { ok: true, status: response.status, data: response.data };
    } catch (error) {
      if (error instanceof GitHubApiError && error.kind !== 'unauthorized') return { ok: false, error };
      throw error;
    }
  }

  // ------------------------------------------------------------------ tree

  private async getTree(
    treeSha: string,
    recursive: boolean,
    owner = this.owner,
    repo = this.repo,
    conditional = false,
  ): Promise<GitTreeResponse> {
    const response = await this.rest<GitTreeResponse>(
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
      { owner, repo, tree_sha: treeSha, ...(recursive ? { recursive: '1' } : {}) },
      { conditional, nativeJson: true },
    );
    return response.data;
  }

  /** The commit's root tree SHA, once `listTree` ran: equal trees mean equal files (reuse the base's results). */
  get treeSha(): string | undefined {
    return this.rootTree;
  }

  async listTree(): Promise<TreeListing> {
    return unpackListing(await this.listPackedTree());
  }

  /**
   * The listing in columns (what the App's main thread holds and posts to the evaluation worker). A commit's tree
   * never changes: it is kept by commit SHA, so the base of every PR is listed once.
   */
  async listPackedTree(): Promise<PackedTreeListing> {
    const key = `listing:${this.owner}/${this.repo}@${this.sha}`;
    const cached = this.cache.getImmutable<PackedTreeListing>(key);
    if (cached) {
      this.stats.treesFromCache += 1;
      this.rootTree = cached.treeSha;
      return cached;
    }
    // Concurrent evaluations on one base commit (PRs pushed at once) list it once.
    const listing = await this.cache.shareInflight(key, async () => {
      const fetched = await this.fetchTree();
      if (!fetched.truncated) this.cache.setImmutable(key, fetched, packedWeight(fetched));
      return fetched;
    });
    this.rootTree ??= listing.treeSha;
    return listing;
  }

  /** A recursive listing, parsed by the tree parser (off the event loop in the App). */
  private async getParsedTree(treeSha: string) {
    const response = await this.rest<ArrayBuffer>(
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
      { owner: this.owner, repo: this.repo, tree_sha: treeSha, recursive: '1' },
      { raw: true },
    );
    return this.treeParser.parse(response.data);
  }

  private async fetchTree(): Promise<PackedTreeListing> {
    const root = await this.getParsedTree(this.sha);
    this.rootTree = root.sha;
    if (!root.truncated) return { ...root.listing, treeSha: root.sha };
    // GitHub cut the recursive listing (over 100,000 entries or 7 MB): walk the sub-trees, one by one. The parts
    // are joined here, on the calling thread: only trees beyond GitHub's limit take this path.
    const entries: TreeEntry[] = [];
    let walked = 0;
    let truncated = false;
    const addPart = (part: PackedTreeListing, prefix: string) => {
      for (const entry of unpackListing(part).entries) entries.push({ ...entry, path: prefix + entry.path });
    };
    const walk = async (treeSha: string, prefix: string, tryRecursive: boolean): Promise<void> => {
      if (tryRecursive) {
        // A tree SHA names immutable content: sub-trees unchanged since the last walk are not asked again.
        const known = this.cache.getImmutable<PackedTreeListing>(`subtree:${treeSha}`);
        if (known) {
          this.stats.treesFromCache += 1;
          addPart(known, prefix);
          return;
        }
        const listing = await this.getParsedTree(treeSha);
        walked += 1;
        if (!listing.truncated) {
          this.cache.setImmutable(`subtree:${treeSha}`, listing.listing, packedWeight(listing.listing));
          addPart(listing.listing, prefix);
          return;
        }
      }
      const level = await this.getTree(treeSha, false);
      walked += 1;
      if (level.truncated) truncated = true;
      for (const item of level.tree) {
        if (item.type === 'tree' && item.sha && item.path) await walk(item.sha, `${prefix}${item.path}/`, true);
        else {
          const entry = toEntry(item, prefix);
          if (entry) entries.push(entry);
        }
      }
    };
    await walk(root.sha, '', false);
    const warnings = [
      `GitHub truncated the recursive tree listing of ${this.owner}/${this.repo}; the tree was read sub-tree by sub-tree (${walked} more requests)`,
    ];
    if (truncated)
      warnings.push(
        'a single directory was too large for GitHub to list in full: some files are missing from the listing',
      );
    this.log.warn?.({ owner: this.owner, repo: this.repo, walked }, 'tree truncated by GitHub; walked sub-trees');
    return packEntries(entries, { truncated, warnings, treeSha: root.sha });
  }

  // ------------------------------------------------------------------ files

  async readFiles(entries: TreeEntry[], limits: ReadLimits): Promise<Map<string, FileText>> {
    const files = new Map<string, FileText>();
    /** Blob SHA (or path when the tree gave none) → the paths that hold it. */
    const wanted = new Map<string, { path: string; size: number; paths: string[]; sha?: string }>();
    /** Blobs another evaluation is fetching right now: their answers are awaited, not asked for again. */
    const awaited: Array<{ entry: TreeEntry; answer: Promise<CachedBlob | undefined> }> = [];
    const claimed = new Set<string>();
    const want = (entry: TreeEntry) => {
      const key = entry.sha ?? `path:${entry.path}`;
      const group = wanted.get(key);
      if (group) group.paths.push(entry.path);
      else wanted.set(key, { path: entry.path, size: entry.size, paths: [entry.path], sha: entry.sha });
    };
    try {
      for (const [index, entry] of entries.entries()) {
        if (index > 0 && index % ENTRIES_PER_TURN === 0) await nextTurn();
        if (entry.kind !== 'file') {
          files.set(entry.path, {
            path: entry.path,
            text: null,
            binary: false,
            truncated: false,
            size: entry.size,
            error: `${entry.kind} not followed`,
          });
          continue;
        }
        const cached = entry.sha ? this.cache.get(entry.sha) : undefined;
        // A text GitHub cut, cached by a read that wanted less, is read again when this read wants more.
        if (cached && !wantsMoreThan(cached, limits.maxFileBytes)) {
          this.stats.blobsFromCache += 1;
          files.set(entry.path, toFileText(entry.path, cached, limits.maxFileBytes));
          continue;
        }
        if (entry.sha && !claimed.has(entry.sha)) {
          const other = this.cache.inflight(entry.sha);
          if (other) {
            awaited.push({ entry, answer: other });
            continue;
          }
          if (this.cache.claim(entry.sha)) claimed.add(entry.sha);
        }
        want(entry);
      }
      await this.fetchWanted([...wanted.values()], files, limits, claimed);
      // What another evaluation fetched; what it could not (or cut shorter than wanted here) is fetched now.
      wanted.clear();
      for (const { entry, answer } of awaited) {
        const blob = await answer;
        if (blob && !wantsMoreThan(blob, limits.maxFileBytes)) {
          this.stats.blobsFromCache += 1;
          files.set(entry.path, toFileText(entry.path, blob, limits.maxFileBytes));
        } else want(entry);
      }
      await this.fetchWanted([...wanted.values()], files, limits, claimed);
    } finally {
      // A fetch that failed (or never ran) releases its waiters: they fetch for themselves.
      for (const sha of claimed) this.cache.settle(sha, undefined);
    }
    return files;
  }

  private async fetchWanted(
    items: Array<{ path: string; size: number; paths: string[]; sha?: string }>,
    files: Map<string, FileText>,
    limits: ReadLimits,
    claimed: Set<string>,
  ): Promise<void> {
    for (const batch of this.planBatches(items)) {
      const answers = await this.fetchBatch(batch);
      await this.completeCutTexts(batch, answers, limits.maxFileBytes);
      await nextTurn();
      for (const [index, item] of batch.entries()) {
        // A batch is up to thousands of blobs: the answers are taken in slices.
        if (index > 0 && index % ENTRIES_PER_TURN === 0) await nextTurn();
        const answer = answers[index]!;
        if (item.sha && claimed.delete(item.sha))
          this.cache.settle(item.sha, 'error' in answer ? undefined : answer.blob);
        for (const path of item.paths) {
          if ('error' in answer)
            files.set(path, {
              path,
              text: null,
              binary: false,
              truncated: false,
              size: item.size,
              error: answer.error,
            });
          else files.set(path, toFileText(path, answer.blob, limits.maxFileBytes));
        }
      }
    }
  }

  /**
   * GraphQL cuts texts at 512,000 bytes. Where the engine reads more than that (1 MiB by default: a large
   * package-lock.json must still parse), the whole blob comes from the git blobs API — one REST request each,
   * bounded in size and count.
   */
  private async completeCutTexts(
    batch: Array<{ path: string; size: number }>,
    answers: Array<{ blob: CachedBlob; oid?: string } | { error: string }>,
    maxFileBytes: number,
  ): Promise<void> {
    for (let index = 0; index < batch.length; index += 1) {
      const answer = answers[index];
      if ('error' in answer || !answer.oid) continue;
      if (!wantsMoreThan(answer.blob, maxFileBytes)) continue;
      if (this.fullBlobs >= FULL_BLOB_MAX_COUNT) {
        this.log.warn?.({ path: batch[index].path }, 'too many large texts: this one stays cut at 512,000 bytes');
        continue;
      }
      this.fullBlobs += 1;
      const fetched = await this.tryRest<{ content?: string; encoding?: string; size?: number }>(
        'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
        { owner: this.owner, repo: this.repo, file_sha: answer.oid },
        { conditional: false },
      );
      if (!fetched.ok || fetched.data.encoding !== 'base64' || typeof fetched.data.content !== 'string') continue;
      const bytes = Buffer.from(fetched.data.content, 'base64');
      const full: CachedBlob = { text: bytes.toString('utf8'), binary: false, truncated: false, size: bytes.length };
      this.cache.set(answer.oid, full);
      answers[index] = { blob: full, oid: answer.oid };
    }
  }

  /**
   * How one blob is named in a query: by its blob id when the tree gave one (`object(oid:)`, ~60 characters), else
   * by revision and path (`object(expression:)`, which grows with the path). Both select the named fragment.
   */
  private objectField(alias: string, item: { path: string; sha?: string }): string {
    // JSON string escapes (\" \\ \n \uXXXX) are valid GraphQL string escapes.
    const argument = item.sha
      ? `oid: ${JSON.stringify(item.sha)}`
      : `expression: ${JSON.stringify(`${this.sha}:${item.path}`)}`;
    return `${alias}: object(${argument}) { ...${BLOB_FRAGMENT_NAME} }`;
  }

  /** Splits the wanted blobs into queries within the alias, query-size and expected-bytes limits. */
  private planBatches<T extends { path: string; size: number; sha?: string }>(items: T[]): T[][] {
    const batches: T[][] = [];
    let current: T[] = [];
    let chars = QUERY_OVERHEAD_CHARS;
    let bytes = 0;
    for (const item of items) {
      const aliasChars = this.objectField(`f${current.length}`, item).length + 1;
      const expected = Math.min(item.size, GITHUB_TEXT_LIMIT);
      if (
        current.length &&
        (current.length >= this.batch.maxAliases ||
          chars + aliasChars > this.batch.maxQueryChars ||
          bytes + expected > this.batch.maxExpectedBytes)
      ) {
        batches.push(current);
        current = [];
        chars = QUERY_OVERHEAD_CHARS;
        bytes = 0;
      }
      current.push(item);
      chars += aliasChars;
      bytes += expected;
    }
    if (current.length) batches.push(current);
    return batches;
  }

  /** One GraphQL query for a batch; answers in the batch's order. Partial errors become that file's error. */
  /**
   * A GraphQL query whose answer is parsed with JSON.parse: Octokit's graphql parses with a bigint-preserving parser
   * 7–10× slower, and an 8 MB answer of blob texts then held the event loop for 40–70 ms. Errors come back as
   * octokit.graphql throws them (`errors`, `data`, `headers`). A test double without Octokit's endpoint defaults
   * goes through its own `graphql`.
   */
  private async graphql(query: string, variables: Record<string, unknown>): Promise<unknown> {
    const request = this.octokit.request as OctokitLike['request'] & {
      endpoint?: { DEFAULTS?: { baseUrl?: string } };
    };
    const baseUrl = request.endpoint?.DEFAULTS?.baseUrl;
    if (!baseUrl) return this.octokit.graphql(query, variables);
    // GitHub Enterprise Server serves GraphQL at /api/graphql beside the REST API's /api/v3, as octokit.graphql does.
    const enterprise = baseUrl.endsWith('/api/v3') || baseUrl.endsWith('/api/v3/');
    const response = await request('POST /graphql', {
      ...(enterprise ? { url: `${baseUrl.slice(0, baseUrl.lastIndexOf('/api/v3'))}/api/graphql` } : {}),
      query,
      variables,
      request: { parseSuccessResponseBody: false },
    });
    const stream = response.data as unknown;
    const text =
      stream && typeof stream === 'object' && 'getReader' in stream
        ? await new Response(stream as ReadableStream).text()
        : JSON.stringify(stream);
    const body = JSON.parse(text) as { data?: unknown; errors?: GraphqlErrorLike[] };
    if (Array.isArray(body.errors) && body.errors.length)
      throw Object.assign(new Error(body.errors.map((entry) => entry.message).join('; ')), {
        name: 'GraphqlResponseError',
        errors: body.errors,
        data: body.data,
        headers: response.headers,
      });
    return body.data;
  }

  private async fetchBatch(
    batch: Array<{ path: string; sha?: string }>,
  ): Promise<Array<{ blob: CachedBlob; oid?: string } | { error: string }>> {
    const fields = batch.map((item, index) => this.objectField(`f${index}`, item));
    // rateLimit costs nothing and tells the GraphQL quota left (REST headers do not cover GraphQL).
    const query = `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } rateLimit { remaining resetAt } } ${BLOB_FRAGMENT}`;
    this.stats.graphql += 1;
    let data:
      | {
          repository?: Record<string, BlobNode | null> | null;
          rateLimit?: { remaining?: number; resetAt?: string } | null;
        }
      | undefined;
    let errors: GraphqlErrorLike[] = [];
    try {
      data = (await this.graphql(query, { owner: this.owner, name: this.repo })) as typeof data;
    } catch (error) {
      if (!isGraphqlResponseError(error)) throw toGitHubError(error, 'POST /graphql');
      errors = error.errors ?? [];
      const limited = errors.find((entry) => entry.type === 'RATE_LIMITED');
      if (limited)
        throw new QuotaExhaustedError(resetTimeFrom(error.headers), `GraphQL: ${limited.message ?? 'RATE_LIMITED'}`);
      data = error.data as typeof data;
      if (!data?.repository) {
        throw new GitHubApiError({
          route: 'POST /graphql',
          kind: 'graphql',
          message: `GitHub's GraphQL API could not read ${this.owner}/${this.repo} at ${this.sha}: ${errors.map((entry) => entry.message).join('; ') || 'no data'}`,
        });
      }
    }
    const rate = data?.rateLimit;
    if (rate && typeof rate.remaining === 'number' && rate.resetAt)
      this.recordRateLimit('graphql', rate.remaining, new Date(rate.resetAt));
    const repository = data?.repository ?? {};
    const errorFor = new Map<string, string>();
    for (const entry of errors) {
      const alias = entry.path?.[1];
      if (typeof alias === 'string') errorFor.set(alias, entry.message ?? entry.type ?? 'GraphQL error');
    }
    return batch.map((item, index) => {
      const alias = `f${index}`;
      const node = repository[alias];
      if (errorFor.has(alias)) return { error: `GitHub could not read ${item.path}: ${errorFor.get(alias)}` };
      if (node === null || node === undefined)
        return { error: `GitHub found no blob at ${item.path} in ${this.sha.slice(0, 12)}` };
      if (typeof node.byteSize !== 'number') return { error: `${item.path} is not a file in ${this.sha.slice(0, 12)}` };
      const blob: CachedBlob = {
        text: node.isBinary ? null : (node.text ?? null),
        binary: Boolean(node.isBinary),
        truncated: Boolean(node.isTruncated),
        size: node.byteSize,
      };
      this.stats.blobsFetched += 1;
      if (node.oid) this.cache.set(node.oid, blob);
      return { blob, oid: node.oid };
    });
  }

  // ------------------------------------------------------------------ settings

  async readSettings(keys: SettingKey[]): Promise<Settings> {
    const wanted = new Set(keys);
    const settings: Settings = {};
    const set = <K extends SettingKey>(key: K, state: SettingState<SettingValues[K]>) => {
      (settings as Record<string, unknown>)[key] = state;
    };
    const tasks: Array<Promise<void>> = [];

    if (wanted.has('secretScanning') || wanted.has('secretPushProtection') || wanted.has('detectedLicense')) {
      tasks.push(
        this.repositoryJson().then((outcome) => {
          if (!outcome.ok) {
            const reason = this.reason(outcome.error, 'the repository', 'metadata: read');
            for (const key of ['secretScanning', 'secretPushProtection', 'detectedLicense'] as const) {
              if (wanted.has(key)) set(key, { status: 'not-supported', reason });
            }
            return;
          }
          const data = outcome.data;
          const security = data.security_and_analysis as
            Record<string, { status?: string } | undefined> | null | undefined;
          const hidden =
            'GitHub did not include security_and_analysis for this repository: it shows it only to callers that may administer the repository (the App needs the "administration: read" permission)';
          if (wanted.has('secretScanning')) {
            const status = security?.secret_scanning?.status;
            set(
              'secretScanning',
              status ? { status: 'ok', value: status === 'enabled' } : { status: 'not-supported', reason: hidden },
            );
          }
          if (wanted.has('secretPushProtection')) {
            const status = security?.secret_scanning_push_protection?.status;
            set(
              'secretPushProtection',
              status ? { status: 'ok', value: status === 'enabled' } : { status: 'not-supported', reason: hidden },
            );
          }
          if (wanted.has('detectedLicense')) {
            const license = data.license as { spdx_id?: string | null; name?: string | null } | null | undefined;
            set('detectedLicense', {
              status: 'ok',
              value: license
                ? {
                    spdxId: license.spdx_id && license.spdx_id !== 'NOASSERTION' ? license.spdx_id : null,
                    name: license.name ?? null,
                    path: null,
                  }
                : null,
            });
          }
        }),
      );
    }
    if (wanted.has('branchProtection'))
      tasks.push(this.branchProtection().then((state) => set('branchProtection', state)));
    if (wanted.has('dependabotAlerts')) {
      tasks.push(
        this.tryRest('GET /repos/{owner}/{repo}/vulnerability-alerts', { owner: this.owner, repo: this.repo }).then(
          (outcome) => {
            if (outcome.ok) set('dependabotAlerts', { status: 'ok', value: true });
            else if (outcome.error.status === 404) set('dependabotAlerts', { status: 'ok', value: false });
            else
              set('dependabotAlerts', {
                status: 'not-supported',
                reason: this.reason(outcome.error, 'Dependabot alerts', 'administration: read'),
              });
          },
        ),
      );
    }
    if (wanted.has('privateVulnerabilityReporting')) {
      tasks.push(
        this.tryRest<{ enabled?: boolean }>('GET /repos/{owner}/{repo}/private-vulnerability-reporting', {
          owner: this.owner,
          repo: this.repo,
        }).then((outcome) => {
          if (outcome.ok) set('privateVulnerabilityReporting', { status: 'ok', value: Boolean(outcome.data?.enabled) });
          else if (outcome.error.status === 422 || outcome.error.status === 404)
            set('privateVulnerabilityReporting', {
              status: 'not-supported',
              reason: `private vulnerability reporting is not available for this repository (GitHub answered ${outcome.error.status}: it exists for public repositories; otherwise the App needs the "administration: read" permission)`,
            });
          else
            set('privateVulnerabilityReporting', {
              status: 'not-supported',
              reason: this.reason(outcome.error, 'private vulnerability reporting', 'administration: read'),
            });
        }),
      );
    }
    if (wanted.has('codeScanningDefaultSetup')) {
      tasks.push(
        this.tryRest<{ state?: string; languages?: string[] }>(
          'GET /repos/{owner}/{repo}/code-scanning/default-setup',
          { owner: this.owner, repo: this.repo },
        ).then((outcome) => {
          if (outcome.ok) {
            set('codeScanningDefaultSetup', {
              status: 'ok',
              value: { configured: outcome.data?.state === 'configured', languages: outcome.data?.languages ?? [] },
            });
          } else if (
            outcome.error.status === 403 &&
            /advanced security|code security|not enabled|not available/i.test(outcome.error.githubMessage ?? '')
          ) {
            // Code scanning is not available for this repository (no GitHub Code Security): default setup is off.
            set('codeScanningDefaultSetup', { status: 'ok', value: { configured: false, languages: [] } });
          } else {
            set('codeScanningDefaultSetup', {
              status: 'not-supported',
              reason: this.reason(outcome.error, 'code scanning default setup', 'administration: read'),
            });
          }
        }),
      );
    }
    if (wanted.has('orgCommunityFiles'))
      tasks.push(this.orgCommunityFiles().then((state) => set('orgCommunityFiles', state)));
    await Promise.all(tasks);
    return settings;
  }

  /** A not-supported reason naming the permission (GitHub's `x-accepted-github-permissions` when it sent it). */
  private reason(error: GitHubApiError, what: string, permission: string): string {
    if (error.kind === 'forbidden' || error.kind === 'not-found') {
      return `${what} could not be read (GitHub answered ${error.status}${error.githubMessage ? `: ${error.githubMessage}` : ''}): the App needs the "${error.acceptedPermissions ?? permission}" permission`;
    }
    return `${what} could not be read: ${error.message}`;
  }

  private async repositoryJson(): Promise<
    { ok: true; data: Record<string, unknown> } | { ok: false; error: GitHubApiError }
  > {
    this.repository ??= this.rest<Record<string, unknown>>(
      'GET /repos/{owner}/{repo}',
      { owner: this.owner, repo: this.repo },
      { conditional: true },
    ).then((response) => response.data);
    try {
      return { ok: true, data: await this.repository };
    } catch (error) {
      if (error instanceof GitHubApiError && error.kind !== 'unauthorized') return { ok: false, error };
      throw error;
    }
  }

  private async branchProtection(): Promise<SettingState<BranchProtection>> {
    const branch = this.defaultBranch;
    const protection: BranchProtection = {
      branch,
      source: 'none',
      requiresPullRequest: false,
      requiredApprovals: 0,
      requiresStatusChecks: false,
      blocksForcePushes: false,
      blocksDeletions: false,
    };
    type Rule = { type?: string; parameters?: Record<string, unknown>; ruleset_id?: number; ruleset_source?: string };
    const rules = await this.tryRest<Rule[]>('GET /repos/{owner}/{repo}/rules/branches/{branch}', {
      owner: this.owner,
      repo: this.repo,
      branch,
      per_page: 100,
    });
    if (!rules.ok)
      return {
        status: 'not-supported',
        reason: this.reason(rules.error, `the rules of branch ${branch}`, 'metadata: read'),
      };
    const rulesets = new Set<string>();
    for (const rule of rules.data ?? []) {
      if (rule.ruleset_id !== undefined) rulesets.add(`${rule.ruleset_source ?? 'ruleset'}#${rule.ruleset_id}`);
      switch (rule.type) {
        case 'pull_request':
          protection.requiresPullRequest = true;
          protection.requiredApprovals = Math.max(
            protection.requiredApprovals,
            Number(rule.parameters?.required_approving_review_count ?? 0),
          );
          break;
        case 'required_status_checks':
          protection.requiresStatusChecks = true;
          break;
        case 'non_fast_forward':
          protection.blocksForcePushes = true;
          break;
        case 'deletion':
          protection.blocksDeletions = true;
          break;
      }
    }
    if (rules.data?.length) {
      protection.source = 'ruleset';
      protection.rulesets = [...rulesets];
    }
    const complete =
      protection.requiresPullRequest &&
      protection.requiresStatusChecks &&
      protection.blocksForcePushes &&
      protection.blocksDeletions;
    if (complete) return { status: 'ok', value: protection };

    // Rulesets do not say everything: classic branch protection may add the rest.
    const classic = await this.tryRest<ClassicProtection>('GET /repos/{owner}/{repo}/branches/{branch}/protection', {
      owner: this.owner,
      repo: this.repo,
      branch,
    });
    if (!classic.ok) {
      if (classic.error.status === 404 && /not protected/i.test(classic.error.githubMessage ?? ''))
        return { status: 'ok', value: protection };
      return {
        status: 'not-supported',
        reason: this.reason(
          classic.error,
          `classic branch protection of ${branch}${protection.source === 'ruleset' ? ' (its rulesets were read)' : ''}`,
          'administration: read',
        ),
      };
    }
    const data = classic.data ?? {};
    if (protection.source === 'none') protection.source = 'classic';
    if (data.required_pull_request_reviews) {
      protection.requiresPullRequest = true;
      protection.requiredApprovals = Math.max(
        protection.requiredApprovals,
        Number(data.required_pull_request_reviews.required_approving_review_count ?? 0),
      );
    }
    if (data.required_status_checks) protection.requiresStatusChecks = true;
    if (data.allow_force_pushes?.enabled === false || data.allow_force_pushes === undefined)
      protection.blocksForcePushes = true;
    if (data.allow_deletions?.enabled === false || data.allow_deletions === undefined)
      protection.blocksDeletions = true;
    return { status: 'ok', value: protection };
  }

  private async orgCommunityFiles(): Promise<SettingState<SettingValues['orgCommunityFiles']>> {
    const repository = `${this.owner}/.github`;
    if (this.repo.toLowerCase() === '.github') return { status: 'ok', value: { repository, paths: [] } };
    // As the 404 below: no such repository (the App may not see it), so no fallback files.
    if (this.knownMissingRepository?.(this.owner, '.github')) return { status: 'ok', value: { repository, paths: [] } };
    const repo = await this.tryRest<{ default_branch?: string }>('GET /repos/{owner}/{repo}', {
      owner: this.owner,
      repo: '.github',
    });
    if (!repo.ok) {
      if (repo.error.status === 404) return { status: 'ok', value: { repository, paths: [] } };
      return {
        status: 'not-supported',
        reason: this.reason(repo.error, `the ${repository} repository`, 'metadata: read'),
      };
    }
    let tree: GitTreeResponse;
    try {
      tree = await this.getTree(repo.data.default_branch ?? 'HEAD', true, this.owner, '.github', true);
    } catch (error) {
      if (error instanceof GitHubApiError && error.kind !== 'unauthorized') {
        // An empty repository has no tree (409/404): no fallback files.
        if (error.status === 409 || error.status === 404) return { status: 'ok', value: { repository, paths: [] } };
        return { status: 'not-supported', reason: this.reason(error, `the files of ${repository}`, 'contents: read') };
      }
      throw error;
    }
    const paths = tree.tree
      .filter((item) => item.type === 'blob' && item.path)
      .map((item) => item.path!)
      .filter((path) => {
        const parts = path.split('/');
        if (parts.length === 1) return true;
        if (parts.length === 2)
          return parts[0] === '.github' || parts[0] === 'docs' || parts[0].toUpperCase() === 'ISSUE_TEMPLATE';
        return parts.length === 3 && parts[0] === '.github' && parts[1].toUpperCase() === 'ISSUE_TEMPLATE';
      })
      .sort();
    return { status: 'ok', value: { repository, paths } };
  }
}
