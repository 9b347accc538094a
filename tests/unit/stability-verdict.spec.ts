import { test, expect } from '@playwright/test';
import { stabilityVerdict, type RunSummary } from '../../scripts/stability/results.ts';

function summary(counts: Partial<Pick<RunSummary, 'passed' | 'flaky' | 'failed' | 'runErrors'>>): RunSummary {
  const { passed = 0, flaky = 0, failed = 0, runErrors = [] } = counts;
  return { ran: passed + flaky + failed, passed, flaky, failed, failures: [], latency: { connectMs: [], firstEventMs: [], completionMs: [] }, runErrors };
}

test.describe('stabilityVerdict', () => {
  test('is stable when every run asked for ran and passed first time', () => {
    expect(
      stabilityVerdict([
        { name: 'api', asked: 60, summary: summary({ passed: 60 }) },
        { name: 'browser', asked: 6, summary: summary({ passed: 6 }) },
      ]),
    ).toEqual({ stable: true, line: 'stable: every run asked for ran and passed first time (60 api, 6 browser)' });
  });

  test('a run of nothing is not stable, and says why nothing ran', () => {
    const preflight = '[stage:infrastructure] 1 problem(s) before the run; nothing was started:';
    expect(
      stabilityVerdict([
        { name: 'api', asked: 5, summary: summary({ runErrors: [preflight] }) },
        { name: 'browser', asked: 1 },
      ]),
    ).toEqual({
      stable: false,
      line: `NOT stable: nothing ran of 5 api run(s): ${preflight}; the browser runs did not start`,
    });
  });

  test('fewer runs than asked, every one passed, is not stable', () => {
    expect(stabilityVerdict([{ name: 'api', asked: 60, summary: summary({ passed: 3 }) }])).toEqual({
      stable: false,
      line: 'NOT stable: ran 3 of 60 api runs',
    });
  });

  test('a failed or flaky run is not stable', () => {
    expect(stabilityVerdict([{ name: 'api', asked: 10, summary: summary({ passed: 8, failed: 1, flaky: 1 }) }])).toEqual({
      stable: false,
      line: 'NOT stable: 1 api run(s) failed; 1 api run(s) passed only on a retry',
    });
  });

  test('no path at all is not stable', () => {
    expect(stabilityVerdict([]).stable).toBe(false);
  });
});
