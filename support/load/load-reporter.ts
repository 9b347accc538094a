import { readFileSync } from 'node:fs';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import type { ConcurrentRunsResult } from './types.ts';
import { loadReportFolder, writeLoadReport } from './report-files.ts';
import { formatLoadSummary, summariseLoad } from './summary.ts';

/** The attachment in which each slice of the load project hands its raw figures to this reporter. */
export const LOAD_SLICE_ATTACHMENT = 'load-slice.json';

export interface LoadSliceAttachment {
  target: string;
  result: ConcurrentRunsResult;
}

/**
 * Adds up the slices of the load project: in one run, or in `npm run merge-reports` over the blobs of
 * every machine of a sharded one, where each machine ran its own slice of the users at the same time.
 * Writes reports/load/summary.json and index.html, and prints the table. A run without the load project
 * writes nothing.
 */
export default class LoadReporter implements Reporter {
  readonly #slices = new Map<string, LoadSliceAttachment>();

  onTestEnd(test: TestCase, result: TestResult): void {
    const attachment = result.attachments.find(({ name }) => name === LOAD_SLICE_ATTACHMENT);
    if (!attachment) return;
    const text = attachment.body?.toString('utf8') ?? readFileSync(attachment.path!, 'utf8');
    // A retried slice counts once: its last attempt.
    this.#slices.set(test.id, JSON.parse(text) as LoadSliceAttachment);
  }

  onEnd(): void {
    if (this.#slices.size === 0) return;
    const slices = [...this.#slices.values()];
    const summary = summariseLoad(slices.map(({ result }) => result));
    const targets = [...new Set(slices.map(({ target }) => target))].join(', ');
    const folder = loadReportFolder();
    writeLoadReport(folder, {
      summary,
      outcomes: slices.flatMap(({ result }) => result.outcomes),
      target: targets,
      title: `Load: ${summary.users} users in ${slices.length} slice(s)`,
    });
    console.log(`\n== load: ${slices.length} slice(s) added up ==\n${formatLoadSummary(summary)}\n(${folder}/index.html)`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
