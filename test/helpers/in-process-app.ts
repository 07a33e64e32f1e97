/**
 * The real App (createApp: real catalog, real GitHubSource) loaded into a Probot of this process, against the
 * simulator over HTTP: deliveries go in through `probot.receive`, and what the App wrote is what the simulator
 * recorded. Probot's throttling is off (it only spaces the writes out).
 */
import { afterEach } from '@jest/globals';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp, type AppDeps, type ShipreadyApp } from '../../src/app/index.js';
import { forgetKnownLabels } from '../../src/github/issues.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/index.js';
import { startServer, type ShipreadyServer } from '../../src/app/server.js';
import { appEnv, appPrivateKey } from './app-process.js';

export interface InProcessApp {
  sim: Simulator;
  app: ShipreadyApp;
  probot: Probot;
  /** Delivers one event and waits until the queue has run everything it caused. */
  receive(name: string, payload: unknown, id?: string): Promise<void>;
}

let key: string | undefined;

export async function startAppInProcess(
  simulator: SimulatorOptions,
  deps: Omit<AppDeps, 'logger'> = {},
): Promise<InProcessApp> {
  forgetKnownLabels();
  const sim = await startSimulator(simulator);
  const logger = pino({ level: 'silent' });
  const app = createApp({ logger, ...deps });
  const probot = new Probot({
    appId: 1,
    privateKey: (key ??= appPrivateKey()),
    baseUrl: sim.url,
    log: logger,
    Octokit: ProbotOctokit.defaults({ throttle: { enabled: false } }),
  });
  await probot.load(app);
  let deliveries = 0;
  const receive = async (name: string, payload: unknown, id = `delivery-${(deliveries += 1)}`) => {
    await probot.receive({ id, name, payload } as never);
    await app.queue.onIdle();
  };
  return { sim, app, probot, receive };
}

/** `startAppInProcess` for one test file: the simulators of the Apps it starts are closed after each test. */
export function appsClosedAfterEach(): typeof startAppInProcess {
  const sims: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((sim) => sim.close()));
  });
  return async (simulator, deps) => {
    const started = await startAppInProcess(simulator, deps);
    sims.push(started.sim);
    return started;
  };
}

/**
 * `npm start` in this process (startServer: its own HTTP server, metrics, shutdown) against the simulator, on a
 * free port, evaluating in process (no worker pool) unless `env` says otherwise; the caller closes it.
 */
export function startServerOn(
  sim: Simulator,
  options: { secret: string; env?: NodeJS.ProcessEnv; logLevel?: string },
): Promise<ShipreadyServer> {
  return startServer({
    env: {
      ...appEnv({ githubUrl: sim.url, secret: options.secret, privateKey: (key ??= appPrivateKey()) }),
      SHIPREADY_EVALUATION_WORKERS: '0',
      ...options.env,
    },
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: options.logLevel ?? 'silent' }),
  });
}
