import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord, RunRegistry } from './sweeper.js';

/**
 * Without Redis, the Check Runs this process leaves in progress are known only to it: a restart (a deploy, a crash,
 * kill -9) would leave them spinning, and a required check would block its PR with "Evaluating…". The journal keeps
 * them in a small JSON file under the state directory (SHIPREADY_STATE_DIR), replaced atomically (written aside,
 * synced, renamed over) on every change, so that after a restart the sweeper finds the runs the previous process
 * left and evaluates them again or completes them.
 *
 * One process per directory: a lock file holds the pid; a directory whose lock names a live other process is not
 * used (that process's runs are its own). The file names the GitHub and App it belongs to: a journal written for
 * another one (a state directory reused elsewhere) is set aside, never acted on.
 */

interface JournalFile {
  version: 1;
  /** The GitHub API and App the runs belong to, e.g. `https://api.github.com#app=123`. */
  scope: string;
  records: RunRecord[];
}

export interface JournalLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** `$XDG_STATE_HOME/shipready`, else `~/.local/state/shipready`: state that should outlive the process. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME?.trim() || join(homedir(), '.local', 'state');
  return join(base, 'shipready');
}

/** The GitHub API and App a journal belongs to, from Probot's variables (GHE_HOST/GHE_PROTOCOL, APP_ID). */
export function journalScope(env: NodeJS.ProcessEnv): string {
  const host = env.GHE_HOST?.trim();
  const api = host ? `${env.GHE_PROTOCOL?.trim() || 'https'}://${host}` : 'https://api.github.com';
  return `${api}#app=${env.APP_ID?.trim() || '?'}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class FileRunRegistry implements RunRegistry {
  readonly file: string;
  readonly #lock: string;
  readonly #scope: string;
  readonly #maxEntries: number;
  readonly #records = new Map<number, RunRecord>();
  /** Runs the previous process left (found in the file at start): not being evaluated by anyone. */
  readonly #orphans = new Set<number>();
  #current: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;
  #closed = false;

  private constructor(dir: string, scope: string, maxEntries: number) {
    this.file = join(dir, 'runs.json');
    this.#lock = join(dir, 'runs.lock');
    this.#scope = scope;
    this.#maxEntries = maxEntries;
  }

  /**
   * The journal in `dir` (created if missing), its previous runs loaded as orphans; undefined, with a log line,
   * when the directory cannot be used (not writable, or held by another live process): runs are then remembered in
   * memory only, as before.
   */
  static open(options: {
    dir: string;
    scope: string;
    maxEntries?: number;
    log?: JournalLogger;
  }): FileRunRegistry | undefined {
    const { dir, scope, log } = options;
    const journal = new FileRunRegistry(dir, scope, Math.max(1, options.maxEntries ?? 10_000));
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!journal.#takeLock(log)) return undefined;
    } catch (error) {
      log?.warn(
        { err: error, dir },
        'run journal: the state directory is not usable; Check Runs in progress are remembered in memory only',
      );
      return undefined;
    }
    journal.#load(log);
    return journal;
  }

  #takeLock(log?: JournalLogger): boolean {
    try {
      writeFileSync(this.#lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(this.#lock, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      log?.warn(
        { dir: this.#lock, pid: holder },
        `run journal: the state directory is in use by process ${holder}; give each instance its own SHIPREADY_STATE_DIR. Check Runs in progress are remembered in memory only`,
      );
      return false;
    }
    // Left by a process that is gone (killed): ours now.
    writeFileSync(this.#lock, String(process.pid), { mode: 0o600 });
    return true;
  }

  #load(log?: JournalLogger): void {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    let parsed: JournalFile | undefined;
    try {
      parsed = JSON.parse(text) as JournalFile;
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.version !== 1 || !Array.isArray(parsed.records)) {
      const aside = `${this.file}.unreadable-${Date.now()}`;
      renameSync(this.file, aside);
      log?.warn({ file: aside }, 'run journal: unreadable, set aside; starting empty');
      return;
    }
    if (parsed.scope !== this.#scope) {
      log?.warn(
        { file: this.file, scope: parsed.scope, expected: this.#scope },
        'run journal: written for another GitHub or App; its runs are not ours and are left alone',
      );
      return;
    }
    for (const record of parsed.records.slice(-this.#maxEntries)) {
      if (typeof record?.checkRunId !== 'number') continue;
      this.#records.set(record.checkRunId, record);
      this.#orphans.add(record.checkRunId);
    }
    if (this.#orphans.size)
      log?.info(
        { file: this.file, runs: this.#orphans.size },
        'run journal: Check Runs left in progress by the previous process',
      );
  }

  async started(record: RunRecord): Promise<void> {
    this.#records.delete(record.checkRunId);
    this.#orphans.delete(record.checkRunId);
    this.#records.set(record.checkRunId, record);
    while (this.#records.size > this.#maxEntries) {
      const oldest = this.#records.keys().next().value!;
      this.#records.delete(oldest);
      this.#orphans.delete(oldest);
    }
    await this.#persist();
  }

  async finished(checkRunId: number): Promise<void> {
    this.#orphans.delete(checkRunId);
    if (this.#records.delete(checkRunId)) await this.#persist();
  }

  async startedBefore(cutoff: number, limit: number): Promise<RunRecord[]> {
    return [...this.#records.values()]
      .filter((record) => record.startedAt < cutoff)
      .sort((a, b) => a.startedAt - b.startedAt)
      .slice(0, limit);
  }

  /** Hands the previous process's runs to the caller (the sweeper at start), once: they are then ordinary records. */
  async takeOrphans(limit: number): Promise<RunRecord[]> {
    const taken: RunRecord[] = [];
    for (const id of this.#orphans) {
      if (taken.length >= limit) break;
      const record = this.#records.get(id);
      if (record) taken.push(record);
      this.#orphans.delete(id);
    }
    return taken;
  }

  async size(): Promise<number> {
    return this.#records.size;
  }

  /** Writes what is pending and releases the directory (shutdown). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#current;
    try {
      if (readFileSync(this.#lock, 'utf8').trim() === String(process.pid)) unlinkSync(this.#lock);
    } catch {
      // Gone already.
    }
  }

  /** One write at a time; changes made while one is under way are written by the next, together. */
  #persist(): Promise<void> {
    if (this.#queued) return this.#queued;
    const next = this.#current.then(() => {
      this.#queued = undefined;
      return this.#write();
    });
    this.#queued = next;
    this.#current = next.catch(() => undefined);
    return next;
  }

  async #write(): Promise<void> {
    const content: JournalFile = { version: 1, scope: this.#scope, records: [...this.#records.values()] };
    const aside = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(aside, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(content));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(aside, this.file);
  }
}
