/**
 * Long loops on a thread that also answers requests (the App's main thread, the CLI's progress) give the event loop
 * a turn every so often: a loop over 100,000 entries is tens of milliseconds, and a webhook waiting behind it is late.
 */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** Entries a loop handles between two turns: a few milliseconds of work on any of our loops. */
export const ENTRIES_PER_TURN = 500;
