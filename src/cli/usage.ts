import { CONFIG_PATH } from '../config/path.js';

// The CLI's texts and usage errors, in a module that loads nothing else: `shipready --version` and `--help` start
// in Node's own start-up time (the commands' modules are imported when a command runs).

export const FIX_USAGE = `Usage:
  shipready fix [DIR] [options]    write the fixes shipready knows for the failing checks of a checkout

Options for fix:
  --check ID                          fix only this check (repeatable; default: every fixable check that fails)
  --dry-run                           print the diff and the score it would reach; write nothing
  --yes, -y                           write the fixes without asking
  --config FILE                       config file (default: DIR/${CONFIG_PATH} when it exists)

  The diff goes to standard output (a patch \`git apply\` takes), everything else to standard error. Without
  --yes it asks on a terminal; when standard input is not a terminal it only prints the diff (a dry run).
  Pinning actions to commit SHAs resolves tags through the GitHub API: set GITHUB_TOKEN (or GH_TOKEN), and
  GITHUB_API_URL for GitHub Enterprise Server; without a token that fix is skipped and says so.

Exit codes for fix: 0 fixes written, or nothing to fix; 1 fixes pending (dry run, not confirmed, or no
  terminal to ask on); 2 usage or config error, or a file could not be written.
`;

export class FixUsageError extends Error {}

export const USAGE = `Usage:
  shipready scan [DIR] [options]   audit a checkout (default: the current directory)
  shipready fix [DIR] [options]    write the fixes for failing checks (shipready fix --help)
  shipready checks                 list every check with its category and severity
  shipready --version | --help

Options for scan:
  --format text|json|markdown|sarif   output format (default: text)
  --output FILE                       write the report to FILE instead of standard output
  --config FILE                       config file (default: DIR/${CONFIG_PATH} when it exists)
  --fail-on critical|high|medium|low|none
                                      exit 1 when a check of this severity or higher fails (default: the config's gate.failOn, high)
  --min-score N                       exit 1 when the score is below N (default: the config's gate.minScore)
  --repo OWNER/NAME                   scan a GitHub repository through the API instead of a directory
                                      (token from GITHUB_TOKEN or GH_TOKEN; API root from GITHUB_API_URL)
  --ref REF                           with --repo: the branch, tag or commit (default: the default branch)

Exit codes for scan: 0 the gate passes, 1 it does not, 2 usage or config error.

${FIX_USAGE.slice(FIX_USAGE.indexOf('Options for fix:'))}`;

/** A mistake in the command line: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}
