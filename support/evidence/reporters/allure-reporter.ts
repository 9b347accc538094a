import type { FullConfig } from '@playwright/test/reporter';
import { AllureReporter } from 'allure-playwright';

/**
 * allure-playwright, able to run in `playwright merge-reports` too: there the config it is handed has no
 * projects (they arrive later, one event each), and it reads its folders from the first one. The folders
 * only serve visual-comparison snapshots, which this suite does not take.
 */
export default class MergeableAllureReporter extends AllureReporter {
  override onConfigure(config: FullConfig): void {
    const placeholder = { outputDir: config.rootDir, snapshotDir: config.rootDir } as FullConfig['projects'][number];
    super.onConfigure(config.projects.length > 0 ? config : { ...config, projects: [placeholder] });
  }
}
