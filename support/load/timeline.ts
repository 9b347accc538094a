import type { PhaseWindow, SecondCounts, UserOutcome } from './types.ts';
import { statistics, type LatencyStatistics } from './latency-statistics.ts';

/** At most this many windows over a run, however long: enough to see a drift, few enough to draw. */
const MAX_WINDOWS = 120;

/** What the second clock counted in a window. */
export interface WindowCounts {
  /** The most sockets open, and visits under way, in any of its seconds. */
  open: number;
  active: number;
  connectsPerSecond: number;
  runsPerSecond: number;
  errors: number;
  leaks: number;
}

/**
 * A stretch of the run: its throughput, and the latency of the attempts that ended in it. A window in
 * which the second clock did not tick (the process got no CPU, or was busy, for over a second: its counts
 * are in the next tick) has no counts, and the plots show a gap there rather than a fall to zero.
 */
export interface TimelineWindow extends Partial<WindowCounts> {
  /** From the start of the run, in seconds. */
  fromSecond: number;
  seconds: number;
  connect: LatencyStatistics;
  completion: LatencyStatistics;
}

/** A soak's first and last stretch at full population, compared: a service that slows down over time shows here. */
export interface SoakDrift {
  phase: string;
  /** A minute, or half the soak after its ramp when that is shorter. */
  windowSeconds: number;
  first: { runs: number } & LatencyStatistics;
  last: { runs: number } & LatencyStatistics;
  /** last p95 ÷ first p95 − 1: 0.2 is 20 % slower at the end. */
  p95Change?: number;
}

/** The run in windows of whole seconds (one, or more for a long run), from its timeline and the attempts' end times. */
export function latencyOverTime(outcomes: readonly UserOutcome[], seconds: readonly SecondCounts[]): TimelineWindow[] {
  if (seconds.length === 0) return [];
  const start = seconds[0]!.at;
  const span = (seconds.at(-1)!.at + 1000 - start) / 1000;
  const width = Math.max(1, Math.ceil(span / MAX_WINDOWS));
  const count = Math.ceil(span / width);
  const windowOf = (at: number) => Math.min(count - 1, Math.max(0, Math.floor((at - start) / 1000 / width)));
  const windows = Array.from({ length: count }, (_, index) => ({ index, seconds: [] as SecondCounts[], connect: [] as number[], completion: [] as number[] }));
  for (const second of seconds) windows[windowOf(second.at)]!.seconds.push(second);
  for (const outcome of outcomes) {
    if (outcome.at === undefined) continue;
    const window = windows[windowOf(outcome.at)]!;
    if (outcome.connectMs !== undefined) window.connect.push(outcome.connectMs);
    if (outcome.completionMs !== undefined && outcome.verifiedEvents > 0) window.completion.push(outcome.completionMs);
  }
  const sum = (window: (typeof windows)[number], key: 'connects' | 'runs' | 'errors' | 'leaks') =>
    window.seconds.reduce((total, second) => total + second[key], 0);
  const counts = (window: (typeof windows)[number]): WindowCounts | undefined =>
    window.seconds.length === 0
      ? undefined
      : {
          open: Math.max(...window.seconds.map(({ open }) => open)),
          active: Math.max(...window.seconds.map(({ active }) => active)),
          connectsPerSecond: Math.round(sum(window, 'connects') / width),
          runsPerSecond: Math.round(sum(window, 'runs') / width),
          errors: sum(window, 'errors'),
          leaks: sum(window, 'leaks'),
        };
  return windows.map((window) => ({
    fromSecond: window.index * width,
    seconds: width,
    ...counts(window),
    connect: statistics(window.connect),
    completion: statistics(window.completion),
  }));
}

/**
 * The completion latency of a soak's verified runs in its first minute after the ramp (the whole
 * population there) against its last minute before users stopped coming back.
 */
export function soakDrift(phase: PhaseWindow & { soakEndsAt: number }, outcomes: readonly UserOutcome[]): SoakDrift {
  const windowMs = Math.min(60_000, Math.max(0, phase.soakEndsAt - phase.rampEndedAt) / 2);
  const between = (from: number, to: number) => {
    const completions = outcomes
      .filter(({ at, verifiedEvents }) => at !== undefined && at >= from && at < to && verifiedEvents > 0)
      .map(({ completionMs }) => completionMs!);
    return { runs: completions.length, ...statistics(completions) };
  };
  const first = between(phase.rampEndedAt, phase.rampEndedAt + windowMs);
  const last = between(phase.soakEndsAt - windowMs, phase.soakEndsAt);
  return {
    phase: phase.label,
    windowSeconds: Math.round(windowMs / 1000),
    first,
    last,
    ...(first.p95 && last.p95 !== undefined ? { p95Change: last.p95 / first.p95 - 1 } : {}),
  };
}
