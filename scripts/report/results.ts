import { readdir } from 'node:fs/promises';
import { displayPath } from './locations.ts';
import { NO_RESULTS_EXIT_CODE, ReportError } from './report-error.ts';

export interface ResultsSummary {
  /** `*-result.json` files: one per test (and retry). */
  results: number;
  /** Everything else allure-playwright writes: attachments, containers, environment. */
  otherFiles: number;
}

const RESULT_FILE = /-result\.json$/;

/**
 * What allure-playwright left in `resultsDir`. No folder, or a folder without a single result, is not a
 * report-worthy state: it fails with exit code 2 and says how to get results.
 */
export async function readResultsSummary(resultsDir: string): Promise<ResultsSummary> {
  let names: string[];
  try {
    names = await readdir(resultsDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    throw noResults(resultsDir, 'does not exist');
  }
  const results = names.filter((name) => RESULT_FILE.test(name)).length;
  if (results === 0) throw noResults(resultsDir, names.length === 0 ? 'is empty' : `holds no *-result.json (${names.length} other file(s))`);
  return { results, otherFiles: names.length - results };
}

function noResults(resultsDir: string, state: string): ReportError {
  return new ReportError(
    `no Allure results to report: ${displayPath(resultsDir)} ${state}`,
    'run `npx playwright test` first (allure-playwright writes the results there), or point REPORTS_DIR at the folder that holds allure-results/',
    NO_RESULTS_EXIT_CODE,
  );
}
