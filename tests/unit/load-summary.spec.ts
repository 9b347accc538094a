import { test, expect } from '@playwright/test';
import type { UserOutcome } from '../../support/load/types.ts';
import { second } from './load-seconds.ts';
import { formatLoadSummary, summariseLoad } from '../../support/load/summary.ts';

const verified = (email: string, completionMs: number, at?: number): UserOutcome => ({
  email,
  leaks: [],
  verifiedEvents: 6,
  loginMs: 50,
  connectMs: 10,
  firstEventMs: 20,
  completionMs,
  at,
});

test('figures: connects, runs and verified events per second, percentiles and the maximum, errors by stage, leaks', () => {
  const outcomes: UserOutcome[] = [
    verified('a@x.test', 100),
    verified('b@x.test', 200),
    { email: 'c@x.test', leaks: [], verifiedEvents: 0, failure: { stage: 'auth', message: 'Could not log in: 503' } },
    { ...verified('d@x.test', 300), leaks: ["frames of another user's run r-9"] },
  ];

  const summary = summariseLoad({ outcomes, loginPhaseMs: 1000, connectPhaseMs: 500, runPhaseMs: 400 });

  expect(summary).toMatchObject({
    users: 4,
    attempts: 4,
    connected: 3,
    verifiedRuns: 3,
    loginsPerSecond: 3,
    connectsPerSecond: 6,
    runsPerSecond: 8,
    verifiedEvents: 18,
    verifiedEventsPerSecond: 45,
    latency: { completionMs: { p50: 200, p90: 300, p95: 300, p99: 300, max: 300 }, loginMs: { p50: 50 } },
    errors: { auth: 1 },
    errorRate: 0.25,
    leaks: 1,
    timeline: [],
  });
  const table = formatLoadSummary(summary);
  expect(table).toContain('logins/s 3   connects/s 6   runs/s 8   verified events/s 45 (18 events)');
  expect(table).toContain('completion      200 ms    300 ms    300 ms    300 ms    300 ms');
  expect(table).toContain('errors 1 (25.0 %): auth 1   leaks 1');
  expect(table).toContain('  ✘ c@x.test: [auth] Could not log in: 503');
  expect(table).toContain("  ✘ d@x.test: leak: frames of another user's run r-9");
});

test('turns of the same user are attempts of one user: users are counted once, the error rate over attempts', () => {
  const outcomes: UserOutcome[] = [
    verified('a@x.test', 100),
    { ...verified('a@x.test', 120), loginMs: undefined, connectMs: undefined },
    { email: 'a@x.test', leaks: [], verifiedEvents: 0, failure: { stage: 'ai-response', message: 'wrong' } },
  ];

  expect(summariseLoad({ outcomes, loginPhaseMs: 1, connectPhaseMs: 1, runPhaseMs: 1 })).toMatchObject({
    users: 1,
    attempts: 3,
    connected: 1,
    verifiedRuns: 2,
    errorRate: 1 / 3,
  });
});

test('latency over time: each window has the runs that ended in it, so a drift shows where the percentiles hide it', () => {
  const start = 1_700_000_000_000;
  // 300 s; each second one run, taking 100 ms at first and 100 ms more every minute.
  const outcomes = Array.from({ length: 300 }, (_, index) => verified(`u${index % 10}@x.test`, 100 + Math.floor(index / 60) * 100, start + index * 1000 + 500));
  const seconds = Array.from({ length: 300 }, (_, index) => second(start + index * 1000, { runs: 1, open: 10, active: 10 }));

  const summary = summariseLoad({
    outcomes,
    loginPhaseMs: 1,
    connectPhaseMs: 1,
    runPhaseMs: 300_000,
    seconds,
    phases: [{ label: 'soak', startedAt: start, rampEndedAt: start, soakEndsAt: start + 300_000, endedAt: start + 300_000 }],
  });

  expect(summary.timeline).toHaveLength(100);
  expect(summary.timeline[0]).toMatchObject({ fromSecond: 0, seconds: 3, runsPerSecond: 1, open: 10, completion: { p95: 100 } });
  expect(summary.timeline.at(-1)).toMatchObject({ fromSecond: 297, completion: { p95: 500 } });
  expect(summary.soaks).toEqual([
    {
      phase: 'soak',
      windowSeconds: 60,
      first: expect.objectContaining({ runs: 60, p95: 100 }),
      last: expect.objectContaining({ runs: 60, p95: 500 }),
      p95Change: 4,
    },
  ]);
  expect(summary.phases).toEqual([{ label: 'soak', fromSecond: 0 }]);
  expect(summary.peakOpenSockets).toBe(10);
  expect(formatLoadSummary(summary)).toContain('soak (soak): completion p95 100 ms in its first 60 s at full population, 500 ms in its last 60 s (+400 %)');
});

test("a soak's first minute starts after its ramp, and a short soak compares its halves", () => {
  const start = 1_700_000_000_000;
  const outcomes = [verified('ramping@x.test', 5000, start + 5000), verified('a@x.test', 100, start + 12_000), verified('b@x.test', 110, start + 28_000)];

  const { soaks } = summariseLoad({
    outcomes,
    loginPhaseMs: 1,
    connectPhaseMs: 1,
    runPhaseMs: 1,
    seconds: [second(start)],
    phases: [{ label: 'soak', startedAt: start, rampEndedAt: start + 10_000, soakEndsAt: start + 30_000, endedAt: start + 31_000 }],
  });

  expect(soaks[0]).toMatchObject({ windowSeconds: 10, first: { runs: 1, p95: 100 }, last: { runs: 1, p95: 110 } });
  expect(soaks[0]!.p95Change).toBeCloseTo(0.1);
});

test('a second the clock missed (the process got no CPU for it) is a gap in the counts, not a fall to zero', () => {
  const start = 1_700_000_000_000;
  const seconds = [second(start, { runs: 5, open: 3 }), second(start + 2000, { runs: 10, open: 3 })];

  const { timeline } = summariseLoad({ outcomes: [verified('a@x.test', 100, start + 1500)], loginPhaseMs: 1, connectPhaseMs: 1, runPhaseMs: 1, seconds });

  expect(timeline.map(({ fromSecond, runsPerSecond, open, completion }) => ({ fromSecond, runsPerSecond, open, p50: completion.p50 }))).toEqual([
    { fromSecond: 0, runsPerSecond: 5, open: 3, p50: undefined },
    { fromSecond: 1, runsPerSecond: undefined, open: undefined, p50: 100 },
    { fromSecond: 2, runsPerSecond: 10, open: 3, p50: undefined },
  ]);
});
