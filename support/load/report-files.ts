import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UserOutcome } from './concurrent-runs.ts';
import { renderLatencyPage } from './latency-page.ts';
import type { LoadSummary } from './summary.ts';

/** Where a load run's figures go: `summary.json` for tools, `index.html` with the latency plots for people. */
export function loadReportFolder(reportsDir = process.env.REPORTS_DIR || 'reports'): string {
  return join(reportsDir, 'load');
}

export function writeLoadReport(folder: string, run: { summary: LoadSummary; outcomes: readonly UserOutcome[]; target: string; title: string }): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'summary.json'), `${JSON.stringify(run.summary, null, 2)}\n`);
  writeFileSync(join(folder, 'index.html'), renderLatencyPage({ ...run, generatedAt: new Date() }));
}
