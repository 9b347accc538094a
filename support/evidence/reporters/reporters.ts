import type { ReporterDescription } from '@playwright/test';
import { allureCategories } from '../../verdict/categories.ts';
import type { EvidenceReporterOptions } from './evidence-reporter.ts';

const EVIDENCE_REPORTER = './support/evidence/reporters/evidence-reporter.ts';

export interface OutputLocations {
  reportsDir: string;
  testResultsDir: string;
}

/**
 * The reporters of a whole run, and of the merge of a sharded one: the same evidence either way. The
 * evidence reporter comes last, because it scrubs what the others wrote.
 */
export function evidenceReporters({ reportsDir, testResultsDir }: OutputLocations): ReporterDescription[] {
  const allureResultsDir = `${reportsDir}/allure-results`;
  const playwrightHtmlDir = `${reportsDir}/playwright-html`;
  const jsonReportFile = `${reportsDir}/results.json`;
  const evidence: EvidenceReporterOptions = {
    mode: 'verdict',
    reportsDir,
    allureResultsDir,
    runOutput: [testResultsDir, allureResultsDir, playwrightHtmlDir, jsonReportFile],
  };
  return [
    ['list'],
    ['html', { open: 'never', outputFolder: playwrightHtmlDir }],
    ['json', { outputFile: jsonReportFile }],
    // Only test.step steps, not every Playwright call: the report reads as the golden path's story, and
    // a call's title would carry the text typed into a password field.
    ['./support/evidence/reporters/allure-reporter.ts', { resultsDir: allureResultsDir, detail: false, suiteTitle: true, categories: allureCategories() }],
    // The load project's slices, added up (nothing without it).
    ['./support/load/load-reporter.ts'],
    [EVIDENCE_REPORTER, evidence],
  ];
}

/**
 * The reporters of one shard (`--shard=i/n`): a blob for the merge step, scrubbed like any output before
 * it leaves the machine; the verdict is the merge's to decide.
 */
export function shardReporters({ reportsDir, testResultsDir }: OutputLocations): ReporterDescription[] {
  const blobDir = `${reportsDir}/blob`;
  const evidence: EvidenceReporterOptions = {
    mode: 'scrub-only',
    reportsDir,
    allureResultsDir: `${reportsDir}/allure-results`,
    runOutput: [testResultsDir, blobDir],
  };
  return [['list'], ['blob', { outputDir: blobDir }], [EVIDENCE_REPORTER, evidence]];
}
