import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { OctokitLike } from '../github/octokit.js';
import type { SweepLock } from './sweeper.js';

/**
 * Redelivery of failed webhook deliveries, as GitHub's documentation recommends for Apps ("Handling failed webhook
 * deliveries"): GitHub does not retry a delivery the App did not take (down, restarting, 503 from a full queue), so
 * a periodic job lists the App's recent deliveries (`GET /app/hook/deliveries`, as the App: a JWT) and asks GitHub
 * to send each failed one again (`POST /app/hook/deliveries/{id}/attempts`) — once per delivery (GUID).
 */

export interface HookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status: string;
  status_code: number;
  event: string;
  action?: string | null;
}

/** Remembers which deliveries (GUIDs) were redelivered, so each is redelivered once across instances. */
export interface RedeliveredStore {
  /** True the first time a GUID is marked (this instance redelivers it); false after. */
  markOnce(guid: string): Promise<boolean>;
  /** Undoes a mark whose redelivery request failed, so the next run tries again. */
  unmark(guid: string): Promise<void>;
}

export class MemoryRedeliveredStore implements RedeliveredStore {
  readonly #marked: LRUCache<string, true>;
  constructor(ttlMs: number) {
    this.#marked = new LRUCache({ max: 100_000, ttl: Math.max(1, ttlMs) });
  }
  async markOnce(guid: string): Promise<boolean> {
    if (this.#marked.has(guid)) return false;
    this.#marked.set(guid, true);
    return true;
  }
  async unmark(guid: string): Promise<void> {
    this.#marked.delete(guid);
  }
}

/** `SET prefix:redelivered:<guid> 1 NX PX ttl`: the instance whose SET succeeds redelivers. */
export class RedisRedeliveredStore implements RedeliveredStore {
  constructor(
    private readonly client: Redis,
    private readonly ttlMs: number,
    private readonly prefix = 'shipready',
  ) {}
  async markOnce(guid: string): Promise<boolean> {
    return (await this.client.set(`${this.prefix}:redelivered:${guid}`, '1', 'PX', this.ttlMs, 'NX')) === 'OK';
  }
  async unmark(guid: string): Promise<void> {
    await this.client.del(`${this.prefix}:redelivered:${guid}`);
  }
}

export interface RedeliveryOptions {
  /** An Octokit authenticated as the App (Probot's `app.auth()`: a JWT). */
  appOctokit: () => Promise<OctokitLike>;
  lock: SweepLock;
  store: RedeliveredStore;
  /** How often (SHIPREADY_REDELIVERY_INTERVAL_MS, default 10 min). */
  intervalMs?: number;
  /** Deliveries older than this are left alone (SHIPREADY_REDELIVERY_LOOKBACK_MS, default 6 h). */
  lookbackMs?: number;
  /** Pages of 100 deliveries read at most per run. */
  maxPages?: number;
  now?: () => Date;
  log?: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
  onRedelivered?: (delivery: HookDelivery) => void;
}

export interface RedeliveryResult {
  skipped: boolean;
  /** Deliveries read. */
  listed: number;
  /** Deliveries (GUIDs) whose every attempt failed, within the lookback. */
  failed: number;
  redelivered: number;
  /** Failed GUIDs left alone: redelivered before (here, by another instance, or by hand). */
  alreadyRedelivered: number;
  /** Redelivery requests GitHub refused (tried again next run). */
  errors: number;
}

export const DEFAULT_REDELIVERY_INTERVAL_MS = 10 * 60_000;
export const DEFAULT_REDELIVERY_LOOKBACK_MS = 6 * 60 * 60_000;

export class WebhookRedelivery {
  readonly #options: RedeliveryOptions;
  readonly intervalMs: number;
  readonly lookbackMs: number;
  #timer?: NodeJS.Timeout;
  #running?: Promise<RedeliveryResult>;

  constructor(options: RedeliveryOptions) {
    this.#options = options;
    this.intervalMs = Math.max(1, options.intervalMs ?? DEFAULT_REDELIVERY_INTERVAL_MS);
    this.lookbackMs = Math.max(1, options.lookbackMs ?? DEFAULT_REDELIVERY_LOOKBACK_MS);
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.redeliverOnce().catch(() => undefined), this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  redeliverOnce(): Promise<RedeliveryResult> {
    this.#running ??= this.#run().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #run(): Promise<RedeliveryResult> {
    const { lock, store, log } = this.#options;
    const result: RedeliveryResult = {
      skipped: false,
      listed: 0,
      failed: 0,
      redelivered: 0,
      alreadyRedelivered: 0,
      errors: 0,
    };
    if (!(await lock.acquire('redelivery', Math.max(1, this.intervalMs - 1000)))) return { ...result, skipped: true };
    const octokit = await this.#options.appOctokit();
    const cutoff = (this.#options.now ?? (() => new Date()))().getTime() - this.lookbackMs;
    const deliveries = await this.#list(octokit, cutoff);
    result.listed = deliveries.length;
    // Attempts of one event share its GUID (a redelivery too): a GUID is failed when none of its attempts is OK.
    const byGuid = new Map<string, HookDelivery[]>();
    for (const delivery of deliveries) byGuid.set(delivery.guid, [...(byGuid.get(delivery.guid) ?? []), delivery]);
    for (const [guid, attempts] of byGuid) {
      if (attempts.some((attempt) => attempt.status === 'OK')) continue;
      result.failed += 1;
      // Once: a GUID redelivered before (a `redelivery` attempt in the log, or marked by an instance) is left.
      if (attempts.some((attempt) => attempt.redelivery) || !(await store.markOnce(guid))) {
        result.alreadyRedelivered += 1;
        continue;
      }
      const latest = attempts.reduce((a, b) => (Date.parse(b.delivered_at) > Date.parse(a.delivered_at) ? b : a));
      try {
        await octokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: latest.id });
        result.redelivered += 1;
        this.#options.onRedelivered?.(latest);
        log?.info(
          { guid, deliveryId: latest.id, event: latest.event, status: latest.status },
          'failed webhook delivery redelivered',
        );
      } catch (error) {
        result.errors += 1;
        await store.unmark(guid);
        log?.warn({ err: error, guid, deliveryId: latest.id }, 'could not redeliver a failed webhook delivery');
      }
    }
    return result;
  }

  /** Newest first, page by page (GitHub's cursor in the Link header), until older than `cutoff`. */
  async #list(octokit: OctokitLike, cutoff: number): Promise<HookDelivery[]> {
    const listed: HookDelivery[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < (this.#options.maxPages ?? 10); page += 1) {
      const response = await octokit.request('GET /app/hook/deliveries', {
        per_page: 100,
        ...(cursor ? { cursor } : {}),
      });
      const items = response.data as HookDelivery[];
      let older = false;
      for (const item of items) {
        if (Date.parse(item.delivered_at) < cutoff) {
          older = true;
          break;
        }
        listed.push(item);
      }
      cursor = nextCursor(String((response.headers as Record<string, unknown>).link ?? ''));
      if (older || !cursor || !items.length) break;
    }
    return listed;
  }
}

/** The `cursor` of the `rel="next"` link, if any. */
function nextCursor(link: string): string | undefined {
  for (const part of link.split(',')) {
    if (!part.includes('rel="next"')) continue;
    const start = part.indexOf('<');
    const end = part.indexOf('>', start + 1);
    if (start === -1 || end === -1) continue;
    return new URL(part.slice(start + 1, end)).searchParams.get('cursor') ?? undefined;
  }
  return undefined;
}
