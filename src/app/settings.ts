/**
 * The App's settings from its environment: one variable per setting, all SHIPREADY_-prefixed except those Probot
 * and GitHub define (APP_ID, GHE_HOST…), each documented in `.env.example`. `createApp` (both `probot run` and
 * `npm start`) reads them here, so a setting has one name and one default.
 */
import { DEFAULT_BLOB_CACHE_BYTES } from '../github/blob-cache.js';
import { DEFAULT_LABEL_CACHE_TTL_MS } from '../github/issues.js';
import {
  DEFAULT_REPORT_ENTRIES,
  DEFAULT_REPORT_TTL_MS,
  DEFAULT_SETTINGS_ENTRIES,
  DEFAULT_SETTINGS_TTL_MS,
} from './caches.js';
import { DEFAULT_CHECK_RUN_GRACE_MS } from './flow/check-run.js';
import { DEFAULT_ORG_CONFIG_ENTRIES, DEFAULT_ORG_CONFIG_TTL_MS, DEFAULT_REPO_CONFIG_ENTRIES } from './config.js';
import { DEFAULT_REDELIVERY_INTERVAL_MS, DEFAULT_REDELIVERY_LOOKBACK_MS } from './redelivery.js';
import { defaultStateDir, journalScope } from './journal.js';
import { DEFAULT_SWEEPER_INTERVAL_MS, DEFAULT_SWEEPER_STALE_MS } from './sweeper.js';

export interface AppSettings {
  queue: {
    /** SHIPREADY_QUEUE_CONCURRENCY: evaluations run at once in this process. */
    concurrency: number;
    /** SHIPREADY_QUEUE_MAX_PENDING: evaluations that may wait. */
    maxPending: number;
  };
  /** The process's caches: bounded in size, and in age where their content can change on GitHub. */
  caches: {
    /** SHIPREADY_BLOB_CACHE_BYTES: blob texts, tree listings and ETagged answers (immutable or revalidated). */
    blobBytes: number;
    /** SHIPREADY_REPORT_CACHE_ENTRIES / _TTL_MS: reports of base commits. */
    reportEntries: number;
    reportTtlMs: number;
    /** SHIPREADY_SETTINGS_CACHE_ENTRIES / _TTL_MS: repository settings reused by PR evaluations. */
    settingsEntries: number;
    settingsTtlMs: number;
    /** SHIPREADY_LABEL_CACHE_TTL_MS: how long a label is taken to exist before it is checked again. */
    labelTtlMs: number;
    /** SHIPREADY_ORG_CONFIG_CACHE_ENTRIES / _TTL_MS: the org `.github` repository's config, per owner. */
    orgConfigEntries: number;
    orgConfigTtlMs: number;
    /** SHIPREADY_REPO_CONFIG_CACHE_ENTRIES / _TTL_MS: a repository's own config, for its PR evaluations. */
    repoConfigEntries: number;
    repoConfigTtlMs: number;
  };
  /**
   * SHIPREADY_CHECK_RUN_GRACE_MS: an evaluation that ends within this time creates its Check Run completed (one
   * request); a longer one creates it in progress when the time is up, then completes it (0: in progress at once).
   */
  checkRunGraceMs: number;
  /** The sweeper of Check Runs left in progress (src/app/sweeper.ts). */
  sweeper: {
    /** SHIPREADY_SWEEPER_INTERVAL_MS: how often (0: never). */
    intervalMs: number;
    /** SHIPREADY_SWEEPER_STALE_MS: a run in progress longer than this is swept. */
    staleAfterMs: number;
    /** SHIPREADY_SWEEPER_REQUEUES: times one evaluation is re-queued before its run is completed for good. */
    maxRequeues: number;
  };
  /** Redelivery of failed webhook deliveries (src/app/redelivery.ts). */
  redelivery: {
    /** SHIPREADY_REDELIVERY_INTERVAL_MS: how often (0: never). */
    intervalMs: number;
    /** SHIPREADY_REDELIVERY_LOOKBACK_MS: failed deliveries older than this are left alone. */
    lookbackMs: number;
  };
  /**
   * Without Redis, the journal of Check Runs left in progress (src/app/journal.ts): SHIPREADY_STATE_DIR, default
   * `$XDG_STATE_HOME/shipready` (`~/.local/state/shipready`); `off` keeps them in memory only. Under jest, only an
   * explicit SHIPREADY_STATE_DIR turns it on (test processes must not share one). `scope`: the GitHub and App the
   * runs belong to.
   */
  journal?: { dir: string; scope: string };
  /** REDIS_URL: shared state (queue, locks, the sweeper's runs) when set. */
  redisUrl?: string;
  /** SHIPREADY_REDIS_PREFIX: the prefix of every Redis key. */
  redisPrefix: string;
  /** GHE_PROTOCOL://GHE_HOST, when the App runs against GitHub Enterprise Server. */
  serverUrl?: string;
  /** SHIPREADY_DOCS_URL: where the check pages are published. */
  docsBaseUrl?: string;
}

export const DEFAULT_QUEUE_CONCURRENCY = 4;
export const DEFAULT_QUEUE_MAX_PENDING = 500;

export function appSettingsFromEnv(env: NodeJS.ProcessEnv): AppSettings {
  return {
    queue: {
      concurrency: positiveInt(env.SHIPREADY_QUEUE_CONCURRENCY, DEFAULT_QUEUE_CONCURRENCY),
      maxPending: positiveInt(env.SHIPREADY_QUEUE_MAX_PENDING, DEFAULT_QUEUE_MAX_PENDING),
    },
    caches: {
      blobBytes: positiveInt(env.SHIPREADY_BLOB_CACHE_BYTES, DEFAULT_BLOB_CACHE_BYTES),
      reportEntries: positiveInt(env.SHIPREADY_REPORT_CACHE_ENTRIES, DEFAULT_REPORT_ENTRIES),
      reportTtlMs: positiveInt(env.SHIPREADY_REPORT_CACHE_TTL_MS, DEFAULT_REPORT_TTL_MS),
      settingsEntries: positiveInt(env.SHIPREADY_SETTINGS_CACHE_ENTRIES, DEFAULT_SETTINGS_ENTRIES),
      settingsTtlMs: positiveInt(env.SHIPREADY_SETTINGS_CACHE_TTL_MS, DEFAULT_SETTINGS_TTL_MS),
      labelTtlMs: positiveInt(env.SHIPREADY_LABEL_CACHE_TTL_MS, DEFAULT_LABEL_CACHE_TTL_MS),
      orgConfigEntries: positiveInt(env.SHIPREADY_ORG_CONFIG_CACHE_ENTRIES, DEFAULT_ORG_CONFIG_ENTRIES),
      orgConfigTtlMs: positiveInt(env.SHIPREADY_ORG_CONFIG_CACHE_TTL_MS, DEFAULT_ORG_CONFIG_TTL_MS),
      repoConfigEntries: positiveInt(env.SHIPREADY_REPO_CONFIG_CACHE_ENTRIES, DEFAULT_REPO_CONFIG_ENTRIES),
      repoConfigTtlMs: positiveInt(env.SHIPREADY_REPO_CONFIG_CACHE_TTL_MS, DEFAULT_ORG_CONFIG_TTL_MS),
    },
    checkRunGraceMs: nonNegativeInt(env.SHIPREADY_CHECK_RUN_GRACE_MS, DEFAULT_CHECK_RUN_GRACE_MS),
    sweeper: {
      intervalMs: nonNegativeInt(env.SHIPREADY_SWEEPER_INTERVAL_MS, DEFAULT_SWEEPER_INTERVAL_MS),
      staleAfterMs: positiveInt(env.SHIPREADY_SWEEPER_STALE_MS, DEFAULT_SWEEPER_STALE_MS),
      maxRequeues: nonNegativeInt(env.SHIPREADY_SWEEPER_REQUEUES, 1),
    },
    redelivery: {
      intervalMs: nonNegativeInt(env.SHIPREADY_REDELIVERY_INTERVAL_MS, DEFAULT_REDELIVERY_INTERVAL_MS),
      lookbackMs: positiveInt(env.SHIPREADY_REDELIVERY_LOOKBACK_MS, DEFAULT_REDELIVERY_LOOKBACK_MS),
    },
    ...journalSettings(env),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    redisPrefix: env.SHIPREADY_REDIS_PREFIX || 'shipready',
    ...(env.GHE_HOST ? { serverUrl: `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}` } : {}),
    ...(env.SHIPREADY_DOCS_URL ? { docsBaseUrl: env.SHIPREADY_DOCS_URL } : {}),
  };
}

function journalSettings(env: NodeJS.ProcessEnv): Pick<AppSettings, 'journal'> {
  const configured = env.SHIPREADY_STATE_DIR?.trim();
  if (configured === 'off') return {};
  if (!configured && env.JEST_WORKER_ID !== undefined) return {};
  return { journal: { dir: configured || defaultStateDir(env), scope: journalScope(env) } };
}

/** A positive integer, or the default when the variable is unset, empty or not one. */
export function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** A whole number of zero or more (0 turns a periodic job off), or the default. */
export function nonNegativeInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(parsed) && parsed >= 0 ? parsed : fallback;
}
