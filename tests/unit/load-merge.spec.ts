import { test, expect } from '@playwright/test';
import type { UserOutcome } from '../../support/load/types.ts';
import { second } from './load-seconds.ts';
import { combinedSeconds } from '../../support/load/shard-figures.ts';
import { summariseLoad } from '../../support/load/summary.ts';
import type { LoadFigures } from '../../support/load/types.ts';

const T = 1_700_000_000_000;
const verified = (email: string, completionMs: number): UserOutcome => ({
  email,
  leaks: [],
  verifiedEvents: 6,
  connectMs: 10,
  firstEventMs: 5,
  completionMs,
  at: T,
});

/** A shard that ran turns from second `from` to `to` (exclusive), `runsPerSecond` each second. */
function shard(name: string, from: number, to: number, runsPerSecond: number, completions: number[]): LoadFigures {
  const seconds = Array.from({ length: to - from }, (_, index) =>
    second(T + (from + index) * 1000, { runs: runsPerSecond, events: runsPerSecond * 6, connects: 1, open: 5 }),
  );
  return {
    outcomes: completions.map((completion, index) => verified(`${name}-${index}@x.test`, completion)),
    loginPhaseMs: 0,
    connectPhaseMs: (to - from) * 1000,
    runPhaseMs: (to - from) * 1000,
    seconds,
  };
}

test('rates of shards are summed over the window in which all of them ran, not over each one’s own time', () => {
  // Shard A ran seconds 0-9 at 10 runs/s, shard B seconds 5-14 at 20 runs/s: both ran in seconds 5-9.
  const a = shard('a', 0, 10, 10, [100]);
  const b = shard('b', 5, 15, 20, [100]);

  const summary = summariseLoad([a, b]);

  expect(summary.runsPerSecond).toBe(30);
  expect(summary.verifiedEventsPerSecond).toBe(180);
  expect(summary.connectsPerSecond).toBe(2);
  expect(summary.rateWindow).toBe('summed over the 5 s in which all 2 shards were running turns (and likewise for logins and connects)');
});

test('percentiles of shards are recomputed from every sample, not averaged from theirs', () => {
  // A's p95 is 100 ms, B's 1000 ms: their mean, 550 ms, is no latency any attempt had.
  const a = shard(
    'a',
    0,
    10,
    1,
    Array.from({ length: 90 }, () => 100),
  );
  const b = shard(
    'b',
    0,
    10,
    1,
    Array.from({ length: 10 }, () => 1000),
  );

  const summary = summariseLoad([a, b]);

  expect(summariseLoad(a).latency.completionMs.p95).toBe(100);
  expect(summariseLoad(b).latency.completionMs.p95).toBe(1000);
  expect(summary.latency.completionMs).toEqual({ p50: 100, p90: 100, p95: 1000, p99: 1000, max: 1000 });
  expect(summary).toMatchObject({ users: 100, attempts: 100, verifiedRuns: 100 });
});

test('shards that never ran at the same time have no common window: their own rates are summed, and the summary says so', () => {
  const twenty = Array.from({ length: 20 }, () => 100);
  const summary = summariseLoad([shard('a', 0, 10, 10, twenty), shard('b', 20, 30, 20, twenty)]);

  // Each shard's own rate: 20 verified runs over its 10 s of turns, 2 runs/s.
  expect(summary.runsPerSecond).toBe(4);
  expect(summary.rateWindow).toBe('each of the 2 shards over its own time, summed: the shards did not run at the same time');
});

test('the timeline of several shards adds them up second by second: sockets open at once, runs, errors', () => {
  const merged = combinedSeconds([shard('a', 0, 2, 10, []), shard('b', 1, 3, 20, [])]);

  expect(merged.map(({ at, runs, open }) => ({ second: (at - T) / 1000, runs, open }))).toEqual([
    { second: 0, runs: 10, open: 5 },
    { second: 1, runs: 30, open: 10 },
    { second: 2, runs: 20, open: 5 },
  ]);
});
