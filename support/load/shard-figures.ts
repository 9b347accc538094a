import type { LoadFigures, PhaseWindow, SecondCounts } from './types.ts';

export interface LoadRates {
  loginsPerSecond: number;
  connectsPerSecond: number;
  runsPerSecond: number;
  verifiedEventsPerSecond: number;
  /** How the rates were taken, for a reader: over one run, or summed over the shards' common window. */
  rateWindow: string;
}

type Kind = 'logins' | 'connects' | 'runs' | 'events';

/**
 * Rates per second. One run: each step's count over the time from its first start to its last end.
 * Several shards, each with its timeline: each shard's count in the window in which every shard was doing
 * that step (from the latest first second to the earliest last one), over that window, summed; the ramps
 * at either end, where only some machines ran, would otherwise pass for the whole fleet's rate. Shards
 * that never ran at the same time have no such window: their own rates are summed, and `rateWindow` says so.
 */
export function combinedRates(shards: readonly LoadFigures[]): LoadRates {
  const ownRate = (count: (shard: LoadFigures) => number, ms: (shard: LoadFigures) => number) =>
    Math.round(shards.reduce((sum, shard) => sum + perSecond(count(shard), ms(shard)), 0));
  const own = {
    loginsPerSecond: ownRate(
      (shard) => shard.outcomes.filter((outcome) => outcome.loginMs !== undefined).length,
      (shard) => shard.loginPhaseMs,
    ),
    connectsPerSecond: ownRate(
      (shard) => shard.outcomes.filter((outcome) => outcome.connectMs !== undefined).length,
      (shard) => shard.connectPhaseMs,
    ),
    runsPerSecond: ownRate(
      (shard) => shard.outcomes.filter((outcome) => outcome.verifiedEvents > 0).length,
      (shard) => shard.runPhaseMs,
    ),
    verifiedEventsPerSecond: ownRate(
      (shard) => shard.outcomes.reduce((sum, outcome) => sum + outcome.verifiedEvents, 0),
      (shard) => shard.runPhaseMs,
    ),
  };
  if (shards.length === 1) return { ...own, rateWindow: "over each step's own time, from its first start to its last end" };
  const timelines = shards.map((shard) => shard.seconds ?? []);
  const runs = commonWindow(timelines, 'runs');
  if (timelines.some((seconds) => seconds.length === 0) || !runs) {
    return { ...own, rateWindow: `each of the ${shards.length} shards over its own time, summed: the shards did not run at the same time` };
  }
  const overCommonWindow = (kind: Kind, fallback: number) => {
    const window = commonWindow(timelines, kind);
    if (!window) return fallback;
    const count = timelines
      .flat()
      .filter(({ at }) => at >= window.from && at < window.to)
      .reduce((sum, second) => sum + second[kind], 0);
    return Math.round(perSecond(count, window.to - window.from));
  };
  return {
    loginsPerSecond: overCommonWindow('logins', own.loginsPerSecond),
    connectsPerSecond: overCommonWindow('connects', own.connectsPerSecond),
    runsPerSecond: overCommonWindow('runs', own.runsPerSecond),
    verifiedEventsPerSecond: overCommonWindow('events', own.verifiedEventsPerSecond),
    rateWindow: `summed over the ${Math.round((runs.to - runs.from) / 1000)} s in which all ${shards.length} shards were running turns (and likewise for logins and connects)`,
  };
}

/** The seconds of every shard added up, second by second: the timeline of the whole run. */
export function combinedSeconds(shards: readonly LoadFigures[]): SecondCounts[] {
  const bySecond = new Map<number, SecondCounts>();
  for (const second of shards.flatMap((shard) => shard.seconds ?? [])) {
    const sum = bySecond.get(second.at);
    if (!sum) bySecond.set(second.at, { ...second });
    else for (const key of ['active', 'open', 'logins', 'connects', 'runs', 'events', 'errors', 'leaks'] as const) sum[key] += second[key];
  }
  return [...bySecond.values()].sort((a, b) => a.at - b.at);
}

/** Each phase over every shard: from the first shard's start to the last shard's end. */
export function combinedPhases(shards: readonly LoadFigures[]): PhaseWindow[] {
  const phases: PhaseWindow[] = [];
  for (const shard of shards) {
    for (const [index, phase] of (shard.phases ?? []).entries()) {
      const known = phases[index];
      phases[index] = known
        ? {
            ...known,
            startedAt: Math.min(known.startedAt, phase.startedAt),
            rampEndedAt: Math.max(known.rampEndedAt, phase.rampEndedAt),
            endedAt: Math.max(known.endedAt, phase.endedAt),
          }
        : { ...phase };
    }
  }
  return phases;
}

/** The window, to the second, in which every shard was doing `kind`; undefined when there is none. */
function commonWindow(timelines: ReadonlyArray<readonly SecondCounts[]>, kind: Kind): { from: number; to: number } | undefined {
  const spans = timelines.map((seconds) => seconds.filter((second) => second[kind] > 0)).filter((active) => active.length > 0);
  if (spans.length < timelines.length) return undefined;
  const from = Math.max(...spans.map((active) => active[0]!.at));
  const to = Math.min(...spans.map((active) => active.at(-1)!.at + 1000));
  return to - from >= 1000 ? { from, to } : undefined;
}

function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count / ms) * 1000 : 0;
}
