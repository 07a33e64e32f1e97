import { Octokit } from '@octokit/rest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/index.js';

/** A simulator with one repository `acme/api` and an Octokit on it (no retries: faults must surface). */
export async function simulatorWithRepo(options: SimulatorOptions = {}): Promise<{ sim: Simulator; octokit: Octokit }> {
  const sim = await startSimulator({
    repos: [{ owner: 'acme', name: 'api', files: { 'README.md': '# api\n' } }],
    ...options,
  });
  const octokit = new Octokit({ baseUrl: sim.url, auth: 'test-token', request: { retries: 0 } });
  return { sim, octokit };
}
