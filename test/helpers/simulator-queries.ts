/** What the App wrote to the simulator, as the tests ask it: Check Runs by commit, shipready's issues and comments. */
import type { SimCheckRun, Simulator } from '../simulator/index.js';
import { waitFor } from './app-process.js';
import { COMMENT_MARKER, REPO } from './webhooks.js';

export const checkRunsOn = (sim: Simulator, sha: string, repo = REPO): SimCheckRun[] =>
  sim.repo(repo).checkRuns.filter((run) => run.head_sha === sha);

/** Waits for a completed Check Run on `sha`; `context` (an App's log tail) goes into the timeout's message. */
export const completedRunOn = (
  sim: Simulator,
  sha: string,
  options: { timeoutMs?: number; context?: () => string } = {},
): Promise<SimCheckRun> =>
  waitFor(
    `a completed Check Run on ${sha.slice(0, 7)}`,
    () => checkRunsOn(sim, sha).find((run) => run.status === 'completed'),
    options,
  );

/** The remediation issues shipready filed (each marked with its check). */
export const shipreadyIssues = (sim: Simulator, repo = REPO) =>
  [...sim.repo(repo).issues.values()].filter((issue) => issue.body?.includes('<!-- shipready:check='));

/** shipready's sticky comments on PR `number`. */
export const shipreadyComments = (sim: Simulator, number: number, repo = REPO) =>
  sim.repo(repo).comments.filter((comment) => comment.issue_number === number && comment.body.includes(COMMENT_MARKER));
