import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MULTI_FILE_PLUGIN_ID, SINGLE_FILE_PLUGIN_ID } from './allure-config.ts';
import { generateAllureReports } from './generate.ts';
import { countHistoryEntries } from './history.ts';
import { displayPath, type ReportLocations } from './locations.ts';
import { findOutsideRequestsInDirectory, formatOutsideRequest, type OutsideRequest } from './outside-requests.ts';
import { ReportError } from './report-error.ts';
import { readResultsSummary, type ResultsSummary } from './results.ts';
import { stripAnalyticsFromFile } from './strip-analytics.ts';

export interface ReportPhase {
  name: string;
  /** What the phase found or did, in a few words. */
  detail: string;
  ms: number;
}

export interface BuiltReport {
  results: ResultsSummary;
  multiFileIndex: string;
  singleFile: string;
  /** Runs in the history file, this one included. */
  historyRuns: number;
  /** Files read by the outside-request check, both reports together. */
  filesChecked: number;
}

/** Labels the check's findings carry, matching the folders the reports are published to. */
const MULTI_FILE_LABEL = 'allure-report';
const SINGLE_FILE_LABEL = 'allure-report-single';

/**
 * Builds both reports from REPORTS_DIR/allure-results: generate them, strip the analytics Allure injects,
 * check that nothing in them requests another host, and only then put them (and the history grown by
 * this run) in place. Everything is written to a staging folder inside REPORTS_DIR first, so a failed
 * generation or check never leaves a half-written report or a history counting a run with no report.
 */
export async function buildReport(locations: ReportLocations, onPhase: (phase: ReportPhase) => void = () => {}): Promise<BuiltReport> {
  const phase = async <T>(name: string, run: () => Promise<T>, describe: (value: T) => string): Promise<T> => {
    const started = performance.now();
    const value = await run();
    onPhase({ name, detail: describe(value), ms: performance.now() - started });
    return value;
  };

  const results = await phase(
    'results',
    () => readResultsSummary(locations.resultsDir),
    ({ results, otherFiles }) => `${results} test result(s) and ${otherFiles} other file(s) in ${displayPath(locations.resultsDir)}`,
  );
  const earlierRuns = await phase(
    'history',
    () => countHistoryEntries(locations.historyFile),
    (runs) =>
      runs > 0 ? `${runs} earlier run(s) in ${displayPath(locations.historyFile)}` : `none yet at ${displayPath(locations.historyFile)}: this run starts it`,
  );

  await mkdir(locations.reportsDir, { recursive: true });
  // Inside REPORTS_DIR, so the final moves are renames on one file system.
  const staging = await mkdtemp(join(locations.reportsDir, '.allure-staging-'));
  try {
    const stagedHistory = join(staging, 'allure-history.jsonl');
    if (earlierRuns > 0) await copyFile(locations.historyFile, stagedHistory);
    const stagedOutput = join(staging, 'allure');

    const generated = await phase(
      'generate',
      () => generateAllureReports({ resultsDir: locations.resultsDir, outputDir: stagedOutput, historyPath: stagedHistory }),
      () => 'Allure 3 awesome report, multi-file and single-file',
    );

    await phase(
      'strip',
      async () => [
        { page: `${MULTI_FILE_LABEL}/index.html`, removed: await stripAnalyticsFromFile(join(generated.multiFileDir, 'index.html')) },
        { page: `${SINGLE_FILE_LABEL}/index.html`, removed: await stripAnalyticsFromFile(generated.singleFile) },
      ],
      describeStripped,
    );

    const scans = await phase(
      'verify',
      () =>
        Promise.all([
          findOutsideRequestsInDirectory(generated.multiFileDir, MULTI_FILE_LABEL),
          findOutsideRequestsInDirectory(dirname(generated.singleFile), SINGLE_FILE_LABEL),
        ]),
      (done) => {
        const findings = done.flatMap((scan) => scan.findings).length;
        const files = done.reduce((sum, scan) => sum + scan.files, 0);
        return findings === 0 ? `${files} file(s) checked, no outside request` : `${findings} outside request(s) in ${files} file(s)`;
      },
    );
    const findings = scans.flatMap((scan) => scan.findings);
    if (findings.length > 0) await reject(locations, stagedOutput, findings);

    await phase(
      'publish',
      async () => {
        await rm(locations.multiFileDir, { recursive: true, force: true });
        await rename(generated.multiFileDir, locations.multiFileDir);
        await rm(locations.singleFileDir, { recursive: true, force: true });
        await mkdir(locations.singleFileDir, { recursive: true });
        await rename(generated.singleFile, locations.singleFile);
        // Allure only logs a failure to append the history; the report is good without it, so it still goes out.
        if (await exists(stagedHistory)) await rename(stagedHistory, locations.historyFile);
        await rm(locations.rejectedDir, { recursive: true, force: true });
      },
      () => `${displayPath(locations.multiFileDir)}/, ${displayPath(locations.singleFile)}, ${displayPath(locations.historyFile)}`,
    );
    return {
      results,
      multiFileIndex: join(locations.multiFileDir, 'index.html'),
      singleFile: locations.singleFile,
      historyRuns: await countHistoryEntries(locations.historyFile),
      filesChecked: scans.reduce((sum, scan) => sum + scan.files, 0),
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function describeStripped(pages: Array<{ page: string; removed: string[] }>): string {
  const stripped = pages.filter(({ removed }) => removed.length > 0);
  if (stripped.length === 0) return 'no analytics found to remove';
  const same = stripped.every(({ removed }) => removed.join('; ') === stripped[0]!.removed.join('; '));
  if (same) return `removed from ${stripped.map(({ page }) => page).join(' and ')}: ${stripped[0]!.removed.join('; ')}`;
  return stripped.map(({ page, removed }) => `removed from ${page}: ${removed.join('; ')}`).join('; ');
}

/**
 * A report that would call another host is not published. It is kept for inspection, and the reports of
 * an earlier run are removed, so that nothing at the published paths can pass for this run's evidence.
 */
async function reject(locations: ReportLocations, stagedOutput: string, findings: OutsideRequest[]): Promise<never> {
  await rm(locations.rejectedDir, { recursive: true, force: true });
  await mkdir(locations.rejectedDir, { recursive: true });
  // The two reports only: Allure's own overview page beside them still carries its analytics.
  for (const variant of [MULTI_FILE_PLUGIN_ID, SINGLE_FILE_PLUGIN_ID]) {
    await rename(join(stagedOutput, variant), join(locations.rejectedDir, variant));
  }
  await rm(locations.multiFileDir, { recursive: true, force: true });
  await rm(locations.singleFileDir, { recursive: true, force: true });
  throw new ReportError(
    `the generated report would make ${findings.length} request(s) to other hosts, so it was not published ` +
      `(kept for inspection in ${displayPath(locations.rejectedDir)}/: ${MULTI_FILE_PLUGIN_ID}/ is ${MULTI_FILE_LABEL}, ` +
      `${SINGLE_FILE_PLUGIN_ID}/ is ${SINGLE_FILE_LABEL})`,
    'a match under data/ comes from what a test attached or described: make the test attach it without outside resources; ' +
      "a match in Allure's page or app: remove it in scripts/report/strip-analytics.ts, or, if reading the code around it " +
      'shows it is no request, add the exact URL with the reason to REVIEWED_SCRIPT_URLS in scripts/report/outside-requests.ts',
    1,
    findings.map(formatOutsideRequest),
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
