import type { JSONReport, JSONReportSuite } from '@playwright/test/reporter';
import type { RunLatency } from '../../support/protocol/latency.ts';

export interface RunSummary {
  /** Tests that ran: passed, flaky or failed (not skipped, nor left unrun by an interruption). */
  ran: number;
  passed: number;
  flaky: number;
  failed: number;
  /** "title: first line of the error", one per failed or flaky test. */
  failures: string[];
  /** Every attempt's measurements, from the `latency` annotation the evidence fixture writes. */
  latency: { connectMs: number[]; firstEventMs: number[]; completionMs: number[] };
  /** The first line of each error outside the tests, e.g. a failed preflight. */
  runErrors: string[];
}

/** Counts outcomes and gathers latencies from a Playwright JSON report (reports/results.json). */
export function summariseRuns(report: JSONReport): RunSummary {
  const summary: RunSummary = {
    ran: 0,
    passed: 0,
    flaky: 0,
    failed: 0,
    failures: [],
    latency: { connectMs: [], firstEventMs: [], completionMs: [] },
    runErrors: (report.errors ?? []).map((error) => firstLine(error.message ?? error.value ?? 'an error with no message')),
  };
  const visit = (suite: JSONReportSuite) => {
    for (const spec of suite.specs) {
      for (const test of spec.tests) {
        if (test.status === 'expected') summary.passed++;
        else if (test.status === 'flaky') summary.flaky++;
        else if (test.status === 'unexpected') summary.failed++;
        if (test.status === 'flaky' || test.status === 'unexpected') {
          const error = test.results.find((result) => result.error)?.error?.message ?? 'no error message';
          summary.failures.push(`${spec.title}: ${firstLine(error)}`);
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
  summary.ran = summary.passed + summary.flaky + summary.failed;
  return summary;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}

export interface PathOutcome {
  name: string;
  /** The runs asked for. */
  asked: number;
  /** Undefined when the path was never run (an earlier one ran nothing, or the command was interrupted). */
  summary?: RunSummary;
}

/**
 * Stable only when every run asked for ran and passed first time: a run of nothing (a failed preflight)
 * or of fewer tests than asked (an interruption) is not stable. Otherwise says, path by path, what fell short.
 */
export function stabilityVerdict(outcomes: readonly PathOutcome[]): { stable: boolean; line: string } {
  const shortfalls = outcomes.flatMap(({ name, asked, summary }) => {
    if (!summary) return [`the ${name} runs did not start`];
    if (summary.ran === 0) return [`nothing ran of ${asked} ${name} run(s)${summary.runErrors[0] ? `: ${summary.runErrors[0]}` : ''}`];
    return [
      ...(summary.ran !== asked ? [`ran ${summary.ran} of ${asked} ${name} runs`] : []),
      ...(summary.failed > 0 ? [`${summary.failed} ${name} run(s) failed`] : []),
      ...(summary.flaky > 0 ? [`${summary.flaky} ${name} run(s) passed only on a retry`] : []),
    ];
  });
  if (outcomes.length > 0 && shortfalls.length === 0) {
    return {
      stable: true,
      line: `stable: every run asked for ran and passed first time (${outcomes.map(({ name, asked }) => `${asked} ${name}`).join(', ')})`,
    };
  }
  return { stable: false, line: `NOT stable: ${shortfalls.length > 0 ? shortfalls.join('; ') : 'no run was asked for'}` };
}
