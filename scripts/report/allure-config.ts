// Types only: the `allure` package's entry point is its CLI, which runs (and prints its help) on import,
// although its typings declare a defineConfig export.
import type { AllureConfig } from 'allure';
import { allureCategories } from '../../support/verdict/categories.ts';

export const REPORT_NAME = 'Golden path';

/** Plugin ids double as the folders Allure writes each report into, under the output folder. */
export const MULTI_FILE_PLUGIN_ID = 'awesome';
export const SINGLE_FILE_PLUGIN_ID = 'awesome-single';

/**
 * History entries kept: each holds every test's status, message and trace, so an unbounded file grows by
 * the size of a run's results every time; 20 runs is enough for the trend charts.
 */
export const HISTORY_LIMIT = 20;

/**
 * The Allure 3 configuration: both reports come from one generation (the results are read and the
 * history appended once), as two instances of the awesome plugin, the second with `singleFile: true`.
 * Kept in code rather than in an allurerc.mjs so that no bare `npx allure generate` picks it up and
 * writes a report that still carries Google Analytics (see strip-analytics.ts): `npm run report` is the
 * way to build it.
 */
export function allureConfig(locations: { output: string; historyPath: string }): AllureConfig {
  const awesome = { reportName: REPORT_NAME };
  return {
    name: REPORT_NAME,
    output: locations.output,
    historyPath: locations.historyPath,
    historyLimit: HISTORY_LIMIT,
    // Allure 3's report files failures by the categories of its configuration; the categories.json that
    // allure-playwright writes into the results is read by the Allure 2 report only.
    categories: allureCategories(),
    plugins: {
      [MULTI_FILE_PLUGIN_ID]: { import: '@allurereport/plugin-awesome', options: { ...awesome, singleFile: false } },
      [SINGLE_FILE_PLUGIN_ID]: { import: '@allurereport/plugin-awesome', options: { ...awesome, singleFile: true } },
      // Allure adds its agent plugin (Markdown output for coding agents) unless one is configured; it writes
      // nothing without an outputDir, and is turned off here so the generation does only what is asked.
      agent: { enabled: false },
    },
  };
}
