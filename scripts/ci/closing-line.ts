// The closing line CI prints, `N passed, N failed[, N skipped]`, from the stats of Playwright's JSON report.

export interface PlaywrightStats {
  expected: number;
  unexpected: number;
  flaky: number;
  skipped: number;
}

export interface RunOutcome {
  line: string;
  /** What the reader should know beyond the line: flaky tests, errors outside any test. */
  remarks: string[];
  failed: boolean;
}

/**
 * Counts the way the runner decided: where the run was configured with failOnFlakyTests (the project's own
 * CI), a test that passed only on a retry failed the run, so it is counted as failed, not as passed; the
 * line then agrees with the exit code. Errors outside any test (a preflight, a global setup) count as failures.
 */
export function closingLine(stats: PlaywrightStats, failOnFlakyTests: boolean, errorsOutsideTests: number): RunOutcome {
  const remarks: string[] = [];
  if (stats.flaky > 0) {
    remarks.push(
      failOnFlakyTests
        ? `${stats.flaky} test(s) passed only on a retry (flaky); counted as failed, as this run fails on flaky tests`
        : `${stats.flaky} test(s) passed only on a retry (flaky); counted as passed`,
    );
  }
  if (errorsOutsideTests > 0) remarks.push(`${errorsOutsideTests} error(s) outside any test (e.g. preflight); see the output above`);
  const flakyFailed = failOnFlakyTests ? stats.flaky : 0;
  const passed = stats.expected + stats.flaky - flakyFailed;
  const failed = stats.unexpected + flakyFailed + errorsOutsideTests;
  const skipped = stats.skipped > 0 ? `, ${stats.skipped} skipped` : '';
  return { line: `${passed} passed, ${failed} failed${skipped}`, remarks, failed: failed > 0 };
}
