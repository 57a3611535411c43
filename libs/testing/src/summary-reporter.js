// Ends every jest run with one plain line, "N passed, N failed", for CI and people alike.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    // A suite that failed to load has no failed tests of its own; count it so the line never lies.
    const brokenSuites = results.testResults.filter((r) => r.testExecError).length;
    const failed = results.numFailedTests + brokenSuites;
    process.stdout.write(
      `\n${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
  }
}
module.exports = SummaryReporter;
