import type { JSONReport, JSONReportSuite } from '@playwright/test/reporter';
import type { RunLatency } from '../../support/protocol/latency.ts';

export interface RunSummary {
  total: number;
  passed: number;
  flaky: number;
  failed: number;
  /** "title: first line of the error", one per failed or flaky test. */
  failures: string[];
  /** Every attempt's measurements, from the `latency` annotation the evidence fixture writes. */
  latency: { connectMs: number[]; firstEventMs: number[]; completionMs: number[] };
}

/** Counts outcomes and gathers latencies from a Playwright JSON report (reports/results.json). */
export function summariseRuns(report: JSONReport): RunSummary {
  const summary: RunSummary = { total: 0, passed: 0, flaky: 0, failed: 0, failures: [], latency: { connectMs: [], firstEventMs: [], completionMs: [] } };
  const visit = (suite: JSONReportSuite) => {
    for (const spec of suite.specs) {
      for (const test of spec.tests) {
        summary.total++;
        if (test.status === 'expected') summary.passed++;
        else if (test.status === 'flaky') summary.flaky++;
        else if (test.status === 'unexpected') summary.failed++;
        if (test.status === 'flaky' || test.status === 'unexpected') {
          const error = test.results.find((result) => result.error)?.error?.message ?? 'no error message';
          summary.failures.push(`${spec.title}: ${error.split('\n')[0]}`);
        }
        for (const result of test.results) {
          for (const annotation of result.annotations ?? []) {
            if (annotation.type !== 'latency' || !annotation.description) continue;
            const measured = JSON.parse(annotation.description) as RunLatency;
            for (const key of ['connectMs', 'firstEventMs', 'completionMs'] as const) {
              if (measured[key] !== undefined) summary.latency[key].push(measured[key]);
            }
          }
        }
      }
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report.suites) visit(suite);
  return summary;
}
