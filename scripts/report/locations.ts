import { isAbsolute, join, relative, resolve } from 'node:path';
import { evidenceLocations } from '../../support/config/settings/evidence.ts';

/** Where the report reads and writes, all under REPORTS_DIR (default `reports`, git-ignored). */
export interface ReportLocations {
  reportsDir: string;
  /** Written by allure-playwright during `npx playwright test`. */
  resultsDir: string;
  /** The multi-file report: a folder to serve (`npx allure open <folder>`) or publish. */
  multiFileDir: string;
  /** The single-file report's folder; its index.html is the file to attach to an issue. */
  singleFileDir: string;
  singleFile: string;
  /**
   * Allure 3's history (`historyPath`): one JSON line per generated report, read by the next generation
   * for the history and trend views. A fresh CI clone has none; see scripts/report.ts for carrying it.
   */
  historyFile: string;
  /** Where a report that failed the outside-request check is kept for inspection, instead of publishing it. */
  rejectedDir: string;
}

export function reportLocations(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ReportLocations {
  const reportsDir = resolve(cwd, evidenceLocations(env).reportsDir);
  const singleFileDir = join(reportsDir, 'allure-report-single');
  return {
    reportsDir,
    resultsDir: join(reportsDir, 'allure-results'),
    multiFileDir: join(reportsDir, 'allure-report'),
    singleFileDir,
    singleFile: join(singleFileDir, 'index.html'),
    historyFile: join(reportsDir, 'allure-history.jsonl'),
    rejectedDir: join(reportsDir, 'allure-report-rejected'),
  };
}

/** A path as the reader would type it: relative to the working directory when inside it, else absolute. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const shown = relative(cwd, path);
  return shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : path;
}
