// Prints the closing line CI reads, `N passed, N failed[, N skipped]`, from Playwright's JSON report.
import { readFileSync } from 'node:fs';
import { closingLine, type PlaywrightStats } from './closing-line.ts';

const path = process.argv[2] ?? 'reports/results.json';
let report: { stats?: PlaywrightStats; config?: { failOnFlakyTests?: boolean }; errors?: unknown[] };
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.error(`no test report at ${path} (${(error as Error).message}): the runner stopped before reporting`);
  console.log('0 passed, 0 failed');
  process.exit(1);
}

const outcome = closingLine(
  report.stats ?? { expected: 0, unexpected: 0, flaky: 0, skipped: 0 },
  report.config?.failOnFlakyTests ?? false,
  report.errors?.length ?? 0,
);
for (const remark of outcome.remarks) console.error(remark);
console.log(outcome.line);
process.exit(outcome.failed ? 1 : 0);
