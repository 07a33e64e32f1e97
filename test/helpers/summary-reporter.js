/**
 * Prints one plain closing line, `tests: N passed, N failed`, as the very last line of the run (after Jest's own
 * summary), so CI logs that read closing lines can tell how many tests ran.
 */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
    // Stdout writes are synchronous for files and pipes on Linux, so writing at exit is safe.
    process.once('exit', () => process.stdout.write(line));
  }
}
