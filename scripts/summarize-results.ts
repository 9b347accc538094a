// Prints the closing line CI reads, `N passed, N failed[, N skipped]`, from Playwright's JSON report.
import { readFileSync } from 'node:fs';

interface Stats {
  expected: number;
  unexpected: number;
  flaky: number;
  skipped: number;
}

const path = process.argv[2] ?? 'reports/results.json';
let report: { stats?: Stats; errors?: Array<{ message?: string }> };
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.error(`no test report at ${path} (${(error as Error).message}): the runner stopped before reporting`);
  console.log('0 passed, 0 failed');
  process.exit(1);
}

const stats = report.stats ?? { expected: 0, unexpected: 0, flaky: 0, skipped: 0 };
const globalErrors = report.errors?.length ?? 0;
if (stats.flaky > 0) console.error(`${stats.flaky} test(s) passed only on a retry (flaky); counted as passed`);
if (globalErrors > 0) console.error(`${globalErrors} error(s) outside any test (e.g. preflight); see the output above`);
const failed = stats.unexpected + globalErrors;
const line = `${stats.expected + stats.flaky} passed, ${failed} failed${stats.skipped > 0 ? `, ${stats.skipped} skipped` : ''}`;
console.log(line);
process.exit(failed > 0 ? 1 : 0);
