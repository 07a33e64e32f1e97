/**
 * The App's settings from its environment: one variable per setting, all SHIPREADY_-prefixed except those Probot
 * and GitHub define (APP_ID, GHE_HOST…), each documented in `.env.example`. `createApp` (both `probot run` and
 * `npm start`) reads them here, so a setting has one name and one default.
 */
export interface AppSettings {
  queue: {
    /** SHIPREADY_QUEUE_CONCURRENCY: evaluations run at once in this process. */
    concurrency: number;
    /** SHIPREADY_QUEUE_MAX_PENDING: evaluations that may wait. */
    maxPending: number;
  };
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
    ...(env.GHE_HOST ? { serverUrl: `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}` } : {}),
    ...(env.SHIPREADY_DOCS_URL ? { docsBaseUrl: env.SHIPREADY_DOCS_URL } : {}),
  };
}

/** A positive integer, or the default when the variable is unset, empty or not one. */
export function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}
