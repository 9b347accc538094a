import type { LoadTotals, SecondCounts } from './types.ts';
import type { LoadRecord } from './load-record.ts';

/**
 * Once a second, on the wall clock's whole seconds (so that the seconds of machines running shards of one
 * run line up), what the run did in that second goes into the record's timeline and to `onSecond`, for
 * live progress. `stop()` takes the last, partial second.
 */
export function startSecondClock(record: LoadRecord, onSecond?: (second: SecondCounts, totals: Readonly<LoadTotals>) => void): { stop(): void } {
  let counted = { ...record.totals };
  let since = Date.now();
  const tick = () => {
    const now = Date.now();
    const second: SecondCounts = { at: Math.floor(since / 1000) * 1000, phase: record.phase, ...record.peaks, ...difference(record.totals, counted) };
    record.seconds.push(second);
    Object.assign(record.peaks, { active: record.active, open: record.open });
    counted = { ...record.totals };
    since = now;
    onSecond?.(second, record.totals);
  };
  let interval: NodeJS.Timeout | undefined;
  const aligned = setTimeout(
    () => {
      tick();
      interval = setInterval(tick, 1000);
    },
    1000 - (Date.now() % 1000),
  );
  return {
    stop() {
      clearTimeout(aligned);
      clearInterval(interval);
      tick();
    },
  };
}

function difference(now: LoadTotals, before: LoadTotals): LoadTotals {
  return {
    logins: now.logins - before.logins,
    connects: now.connects - before.connects,
    runs: now.runs - before.runs,
    events: now.events - before.events,
    errors: now.errors - before.errors,
    leaks: now.leaks - before.leaks,
  };
}
