/**
 * `npm run report`: the Allure report of the last `npx playwright test`, as evidence that can be linked
 * from an issue: REPORTS_DIR/allure-results (written by allure-playwright) → REPORTS_DIR/allure-report/
 * (multi-file; serve it or publish it as a static site) and REPORTS_DIR/allure-report-single/index.html
 * (one self-contained file to attach to an issue). Both are stripped of the Google Analytics Allure
 * injects and checked to request nothing from any other host; a report failing that check is not
 * published (exit 1). No results: exit 2. REPORTS_DIR defaults to `reports`.
 *
 * History: Allure 3 keeps one JSON line per generated report in REPORTS_DIR/allure-history.jsonl (its
 * `historyPath`), which the next generation reads for the history and trend views; `npm run report`
 * appends to it. A fresh CI clone has no such file, so each CI report would start a new history. To
 * carry it, restore that one file from the previous run before `npm run report` and keep it afterwards,
 * e.g. on GitHub Actions:
 *
 *   - uses: actions/cache/restore@v4          # the newest history of this branch, if any
 *     with: { path: reports/allure-history.jsonl, key: allure-history-${{ github.ref_name }}-${{ github.run_id }},
 *             restore-keys: allure-history-${{ github.ref_name }}- }
 *   - run: npm run report
 *   - uses: actions/cache/save@v4
 *     if: always()
 *     with: { path: reports/allure-history.jsonl, key: allure-history-${{ github.ref_name }}-${{ github.run_id }} }
 *
 * or, on any CI, download the previous run's artifact that holds reports/allure-history.jsonl into
 * reports/ first, and upload the file again with this run's artifacts. A missing file is not an error;
 * a damaged one is (delete it to start afresh). The file keeps the last 20 runs (allure-config.ts).
 */
import { buildReport, type ReportPhase } from './report/build-report.ts';
import { displayPath, reportLocations } from './report/locations.ts';
import { ReportError } from './report/report-error.ts';
import { exitWithProblems, parseOptions } from './shared/options.ts';

const USAGE = 'usage: npm run report   (reads REPORTS_DIR/allure-results, REPORTS_DIR defaults to reports; no options)';
const { problems } = parseOptions(USAGE, {});
if (problems.length > 0) exitWithProblems('report', USAGE, problems, 'no report was built');

const locations = reportLocations();
const started = performance.now();

function formatPhase({ name, detail, ms }: ReportPhase): string {
  return `report: ${name.padEnd(8)} ${formatMs(ms).padStart(8)}  ${detail}`;
}

function formatMs(ms: number): string {
  return `${Math.round(ms).toLocaleString('en')} ms`;
}

try {
  console.log(`report: building the Allure report of ${displayPath(locations.resultsDir)}`);
  const built = await buildReport(locations, (phase) => console.log(formatPhase(phase)));
  console.log(
    `report: done in ${formatMs(performance.now() - started)}: ${built.results.results} test result(s), ${built.filesChecked} file(s) checked, no outside request`,
  );
  console.log(`  multi-file report:  ${displayPath(built.multiFileIndex)}   (serve it: npx allure open ${displayPath(locations.multiFileDir)})`);
  console.log(`  single-file report: ${displayPath(built.singleFile)}   (self-contained: attach it to an issue)`);
  console.log(`  history:            ${displayPath(locations.historyFile)}   (${built.historyRuns} run(s); keep it for the next report's trends)`);
} catch (error) {
  if (!(error instanceof ReportError)) {
    console.error(`report: failed unexpectedly after ${formatMs(performance.now() - started)}:`, error);
    process.exit(1);
  }
  console.error(`report: ${error.message}. Fix: ${error.fix}`);
  for (const line of error.details) console.error(`  - ${line}`);
  process.exit(error.exitCode);
}
