/**
 * The REAL App as a process, for end-to-end tests: the build output (`node dist/src/app/server.js`, or Probot's
 * `probot run ./dist/src/app/index.js`) against the simulator, with a fresh App key, its log kept for failures.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Builds dist/ (tsc) unless `SHIPREADY_E2E_NO_BUILD=1` and `entry` is there already; throws when it is missing. */
export function ensureBuilt(entry = 'dist/src/app/server.js'): void {
  if (process.env.SHIPREADY_E2E_NO_BUILD !== '1' || !existsSync(join(root, entry)))
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
  if (!existsSync(join(root, entry))) throw new Error(`${entry} is missing: the build failed`);
}

/** A fresh RSA key for the App (PKCS#1 PEM, as GitHub's App settings page gives it). */
export function appPrivateKey(): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `probe` (sync or async) every `intervalMs` until it gives a truthy value, and returns it; after `timeoutMs`
 * throws, with `context()` (an App's log tail) in the message.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; context?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${options.context ? `\n${options.context()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

/** The App's credentials and its GitHub (the simulator, over http): what it cannot start without. */
export function appEnv(options: { githubUrl: string; secret: string; privateKey?: string }): NodeJS.ProcessEnv {
  return {
    APP_ID: '1',
    PRIVATE_KEY: options.privateKey ?? appPrivateKey(),
    WEBHOOK_SECRET: options.secret,
    GHE_HOST: new URL(options.githubUrl).host,
    GHE_PROTOCOL: 'http',
  };
}

export interface AppProcess {
  readonly name: string;
  readonly process: ChildProcess;
  readonly url: string;
  /** Everything it has written (stdout and stderr). */
  log(): string;
  /** The last `lines` lines of its log, headed by its name. */
  tail(lines?: number): string;
  /** `signal` (SIGTERM), then SIGKILL if it has not exited after `graceMs`; its pipes are closed. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface AppProcessOptions {
  /** The simulator's URL: the App's GitHub (GHE_HOST over http). */
  githubUrl: string;
  secret: string;
  /** Default: a fresh key. */
  privateKey?: string;
  /** `server` (npm start, default) or `probot-run` (Probot's CLI loading the app function). */
  entry?: 'server' | 'probot-run';
  /** Shown in failure messages. */
  name?: string;
  /** More environment (REDIS_URL, SHIPREADY_*…), over the defaults. */
  env?: NodeJS.ProcessEnv;
}

/** Starts the built App on a free port of 127.0.0.1 and waits until it listens. */
export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const name = options.name ?? 'app';
  const probotRun = options.entry === 'probot-run';
  // npm start listens on port 0 and logs its URL; `probot run` needs the port beforehand.
  const port = probotRun ? await freePort() : 0;
  const args = probotRun
    ? [join(root, 'node_modules/probot/bin/probot.js'), 'run', './dist/src/app/index.js']
    : [join(root, 'dist/src/app/server.js')];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      ...appEnv(options),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Not the user-level default journal of runs in progress, which other test processes would share: a test that
      // needs one passes its own directory.
      SHIPREADY_STATE_DIR: 'off',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const record = (chunk: Buffer) => (log += chunk.toString());
  child.stdout!.on('data', record);
  child.stderr!.on('data', record);
  const tail = (lines = 40) => `--- ${name} (tail) ---\n${log.split('\n').slice(-lines).join('\n')}`;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) => {
    if (!exited()) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([gone, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      if (!exited()) child.kill('SIGKILL');
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  const url = probotRun
    ? await waitFor(`${name} to listen`, () => /Listening on/i.test(log) && `http://127.0.0.1:${port}`, {
        timeoutMs: 60_000,
        context: tail,
      })
    : await waitFor(`${name} to listen`, () => /"url":"(http:\/\/[^"]+)"/.exec(log)?.[1], {
        timeoutMs: 60_000,
        context: tail,
      });
  return { name, process: child, url, log: () => log, tail, stop };
}
