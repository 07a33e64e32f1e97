import { ConfigError } from '../engine/errors.js';
import { TOOL_VERSION } from '../version.js';
import { FIX_USAGE, FixUsageError, USAGE, UsageError } from './usage.js';

export { USAGE } from './usage.js';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Asks a yes/no question; absent when standard input is not a terminal (then `fix` never waits for one). */
  confirm?: (question: string) => Promise<boolean>;
}

const defaultIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  ...(process.stdin.isTTY ? { confirm: askOnTerminal } : {}),
});

async function askOnTerminal(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`shipready: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof FixUsageError) {
      io.stderr.write(`shipready: ${error.message}\n\n${FIX_USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      const { renderConfigErrorTerminal } = await import('../report/config-error.js');
      io.stderr.write(`shipready: ${renderConfigErrorTerminal(error)}`);
      return 2;
    }
    io.stderr.write(
      `shipready: unexpected error: ${(error as Error).stack ?? String(error)}\nPlease report this at https://github.com/shipready/shipready/issues\n`,
    );
    return 2;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  // Each command's modules load when it runs: `--version` and `--help` never load the checks or Octokit.
  if (command === 'checks') return (await import('./scan.js')).listChecks(io);
  if (command === 'scan') return (await import('./scan.js')).scan(rest, io);
  if (command === 'fix') return (await import('./fix.js')).runFix(rest, io);
  throw new UsageError(`unknown command "${command}"`);
}
