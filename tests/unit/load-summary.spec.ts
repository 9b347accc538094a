import { test, expect } from '@playwright/test';
import type { UserOutcome } from '../../support/load/concurrent-runs.ts';
import { formatLoadSummary, summariseLoad } from '../../support/load/summary.ts';

const verified = (email: string, completionMs: number): UserOutcome => ({ email, leaks: [], verifiedEvents: 6, loginMs: 50, connectMs: 10, firstEventMs: 20, completionMs });

test('figures: connects and verified events per second, percentiles, errors by stage, leaks', () => {
  const outcomes: UserOutcome[] = [
    verified('a@x.test', 100),
    verified('b@x.test', 200),
    { email: 'c@x.test', leaks: [], verifiedEvents: 0, failure: { stage: 'auth', message: 'Could not log in: 503' } },
    { ...verified('d@x.test', 300), leaks: ["frames of another user's run r-9"] },
  ];

  const summary = summariseLoad({ outcomes, loginPhaseMs: 1000, connectPhaseMs: 500, runPhaseMs: 400 });

  expect(summary).toMatchObject({
    users: 4,
    connected: 3,
    verifiedRuns: 3,
    loginsPerSecond: 3,
    connectsPerSecond: 6,
    verifiedEvents: 18,
    verifiedEventsPerSecond: 45,
    latency: { completionMs: { p50: 200, p95: 300, p99: 300 }, loginMs: { p50: 50 } },
    errors: { auth: 1 },
    errorRate: 0.25,
    leaks: 1,
  });
  const table = formatLoadSummary(summary);
  expect(table).toContain('logins/s 3   connects/s 6   verified events/s 45 (18 events)');
  expect(table).toContain('errors 1 (25.0 %): auth 1   leaks 1');
  expect(table).toContain('  ✘ c@x.test: [auth] Could not log in: 503');
  expect(table).toContain("  ✘ d@x.test: leak: frames of another user's run r-9");
});

test('slices of a distributed run: rates add up over the slices, percentiles are over every user', () => {
  const slice = (completions: number[], runPhaseMs: number) => ({
    outcomes: completions.map((completionMs, index) => verified(`u${completionMs}-${index}@x.test`, completionMs)),
    loginPhaseMs: 1000,
    connectPhaseMs: 500,
    runPhaseMs,
  });

  const summary = summariseLoad([slice([100, 200], 400), slice([300, 400, 500], 600)]);

  expect(summary).toMatchObject({
    users: 5,
    connected: 5,
    // 2 logins/s + 3 logins/s; 4 + 6 connects/s; 12 events in 0.4 s + 18 events in 0.6 s.
    loginsPerSecond: 5,
    connectsPerSecond: 10,
    verifiedEvents: 30,
    verifiedEventsPerSecond: 60,
    latency: { completionMs: { p50: 300, p99: 500 } },
  });
  expect(summariseLoad([slice([100, 200], 400)])).toEqual(summariseLoad(slice([100, 200], 400)));
});
