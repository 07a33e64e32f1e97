/**
 * The real App (createApp: real catalog, real GitHubSource) loaded into a Probot of this process, against the
 * simulator over HTTP: deliveries go in through `probot.receive`, and what the App wrote is what the simulator
 * recorded. Probot's throttling is off (it only spaces the writes out).
 */
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp, type AppDeps, type ShipreadyApp } from '../../src/app/index.js';
import { forgetKnownLabels } from '../../src/github/issues.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/index.js';
import { appPrivateKey } from './app-process.js';

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
