import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AllureConfig } from 'allure';
import { MULTI_FILE_PLUGIN_ID, SINGLE_FILE_PLUGIN_ID, allureConfig } from './allure-config.ts';
import { ReportError } from './report-error.ts';

export interface GeneratedReports {
  /** The multi-file report's folder (index.html, the app's script, data/, widgets/). */
  multiFileDir: string;
  /** The single-file report. */
  singleFile: string;
}

/** Both reports of `resultsDir` under `outputDir`, this run appended to the history at `historyPath`. */
export async function generateAllureReports(options: { resultsDir: string; outputDir: string; historyPath: string }): Promise<GeneratedReports> {
  await runAllure(allureConfig({ output: options.outputDir, historyPath: options.historyPath }), options.resultsDir);
  const generated = {
    multiFileDir: join(options.outputDir, MULTI_FILE_PLUGIN_ID),
    singleFile: join(options.outputDir, SINGLE_FILE_PLUGIN_ID, 'index.html'),
  };
  for (const path of [join(generated.multiFileDir, 'index.html'), generated.singleFile]) {
    if (!(await stat(path).catch(() => undefined))?.isFile()) {
      throw new ReportError(
        `Allure finished without writing ${path}`,
        "the layout of Allure's output has changed (a new `allure` version?): check scripts/report/generate.ts against it",
      );
    }
  }
  return generated;
}

/**
 * One Allure 3 generation, in this process, through its programmatic API: @allurereport/core, which
 * `allure generate` itself calls, and which the `allure` package depends on at the same pinned version.
 * With two or more report plugins Allure writes each into `<output>/<plugin id>/`; with one, straight
 * into `<output>`.
 */
export async function runAllure(config: AllureConfig, resultsDir: string): Promise<void> {
  // Allure's documented analytics opt-out. In 3.18.0 only the allure2 plugin reads it (the awesome
  // plugin injects Google Analytics regardless), so strip-analytics.ts does the actual work; it is set
  // anyway so that any plugin honouring it does.
  process.env.ALLURE_NO_ANALYTICS = 'true';
  // Loaded here, not at the top: it takes ~0.7 s, which a run without results need not wait for.
  const { AllureReport, resolveConfig } = await import('@allurereport/core');
  const report = new AllureReport(await resolveConfig(config));
  await report.start();
  await report.readDirectory(resultsDir);
  await report.done();
}
