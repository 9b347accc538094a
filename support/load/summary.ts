import { statistics, type LatencyStatistics } from './latency-statistics.ts';
import { combinedPhases, combinedSeconds, combinedRates, type LoadRates } from './shard-figures.ts';
import { latencyOverTime, soakDrift, type SoakDrift, type TimelineWindow } from './timeline.ts';
import type { LoadFigures, Measure, UserOutcome } from './types.ts';

/** The stages a load run times, in the golden path's order, with their labels. */
export const LOAD_MEASURES: ReadonlyArray<{ key: Measure; label: string }> = [
  { key: 'loginMs', label: 'login' },
  { key: 'connectMs', label: 'connect' },
  { key: 'firstEventMs', label: 'first event' },
  { key: 'completionMs', label: 'completion' },
];

export interface LoadSummary extends LoadRates {
  /** Distinct users. */
  users: number;
  /** Turns taken, and logins or sockets that failed before any turn: what the error rate is counted over. */
  attempts: number;
  /** Sockets welcomed (a soaking user connects once per visit). */
  connected: number;
  /** The most sockets open at once, from the timeline. */
  peakOpenSockets?: number;
  verifiedRuns: number;
  verifiedEvents: number;
  /** The load client's CPU time (every shard's) per verified event, in µs: what checking a frame costs the harness. */
  clientCpuPerEventUs?: number;
  /** Per stage, in ms. */
  latency: Record<Measure, LatencyStatistics>;
  /** Attempts that failed, by the stage they failed at. */
  errors: Record<string, number>;
  errorRate: number;
  leaks: number;
  /** The first few failures and leaks, for a reader. */
  examples: string[];
  /** Latency and throughput over time, in up to 120 windows: a slow drift shows here, not in the percentiles. */
  timeline: TimelineWindow[];
  /** For each soak phase: the completion latency of its first minute at full population against its last minute. */
  soaks: SoakDrift[];
  /** Where each phase starts on the timeline. */
  phases: Array<{ label: string; fromSecond: number }>;
}

/**
 * The figures of one run, or of the shards of a distributed one: percentiles, errors and leaks are taken
 * over every attempt of every shard (never averaged from the shards' own); rates are summed over the
 * window in which all shards ran (see combinedRates).
 */
export function summariseLoad(figures: LoadFigures | readonly LoadFigures[]): LoadSummary {
  const shards = Array.isArray(figures) ? (figures as readonly LoadFigures[]) : [figures as LoadFigures];
  const outcomes = shards.flatMap((shard) => shard.outcomes);
  const latency = Object.fromEntries(
    LOAD_MEASURES.map(({ key }) => [key, statistics(outcomes.flatMap((outcome) => outcome[key] ?? []))]),
  ) as LoadSummary['latency'];
  const failed = outcomes.filter((outcome) => outcome.failure);
  const errors: Record<string, number> = {};
  for (const { failure } of failed) errors[failure!.stage] = (errors[failure!.stage] ?? 0) + 1;
  const verifiedEvents = outcomes.reduce((sum, outcome) => sum + outcome.verifiedEvents, 0);
  const seconds = combinedSeconds(shards);
  const phases = combinedPhases(shards);
  return {
    users: new Set(outcomes.map(({ email }) => email)).size,
    attempts: outcomes.length,
    connected: outcomes.filter((outcome) => outcome.connectMs !== undefined).length,
    ...(seconds.length > 0 ? { peakOpenSockets: Math.max(...seconds.map(({ open }) => open)) } : {}),
    verifiedRuns: outcomes.filter((outcome) => outcome.verifiedEvents > 0).length,
    verifiedEvents,
    ...(shards.every(({ clientCpuMs }) => clientCpuMs !== undefined) && verifiedEvents > 0
      ? { clientCpuPerEventUs: Math.round((shards.reduce((sum, { clientCpuMs }) => sum + clientCpuMs!, 0) * 1000) / verifiedEvents) }
      : {}),
    ...combinedRates(shards),
    latency,
    errors,
    errorRate: outcomes.length === 0 ? 0 : failed.length / outcomes.length,
    leaks: outcomes.reduce((sum, outcome) => sum + outcome.leaks.length, 0),
    examples: [
      ...failed.slice(0, 5).map(describeFailure),
      ...outcomes.flatMap((outcome) => outcome.leaks.slice(0, 1).map((leak) => `${outcome.email}: leak: ${leak}`)).slice(0, 5),
    ],
    timeline: latencyOverTime(outcomes, seconds),
    phases:
      seconds.length === 0 ? [] : phases.map(({ label, startedAt }) => ({ label, fromSecond: Math.max(0, Math.floor((startedAt - seconds[0]!.at) / 1000)) })),
    soaks: phases.flatMap((phase) => (phase.soakEndsAt === undefined ? [] : [soakDrift({ ...phase, soakEndsAt: phase.soakEndsAt }, outcomes)])),
  };
}

/** The end-of-run table. */
export function formatLoadSummary(summary: LoadSummary): string {
  const ms = (value: number | undefined) => (value === undefined ? '–' : `${value} ms`);
  const columns = ['p50', 'p90', 'p95', 'p99', 'max'] as const;
  return [
    `users ${summary.users}, attempts ${summary.attempts}, connected ${summary.connected}${summary.peakOpenSockets === undefined ? '' : ` (at most ${summary.peakOpenSockets} open at once)`}, verified runs ${summary.verifiedRuns}`,
    `logins/s ${summary.loginsPerSecond}   connects/s ${summary.connectsPerSecond}   runs/s ${summary.runsPerSecond}   verified events/s ${summary.verifiedEventsPerSecond} (${summary.verifiedEvents} events)`,
    `  (rates ${summary.rateWindow})${summary.clientCpuPerEventUs === undefined ? '' : `; the load client's CPU: ${summary.clientCpuPerEventUs} µs per verified event`}`,
    `stage       ${columns.map((column) => column.padStart(10)).join('')}`,
    ...LOAD_MEASURES.map(({ key, label }) => `${label.padEnd(12)}${columns.map((column) => ms(summary.latency[key][column]).padStart(10)).join('')}`),
    ...summary.soaks.map(
      (soak) =>
        `soak (${soak.phase}): completion p95 ${ms(soak.first.p95)} in its first ${soak.windowSeconds} s at full population, ${ms(soak.last.p95)} in its last ${soak.windowSeconds} s${soak.p95Change === undefined ? '' : ` (${formatChange(soak.p95Change)})`}`,
    ),
    `errors ${failedAttempts(summary)} (${(summary.errorRate * 100).toFixed(1)} %)${
      Object.keys(summary.errors).length > 0
        ? `: ${Object.entries(summary.errors)
            .map(([stage, count]) => `${stage} ${count}`)
            .join(', ')}`
        : ''
    }   leaks ${summary.leaks}`,
    ...summary.examples.map((example) => `  ✘ ${example}`),
  ].join('\n');
}

export function failedAttempts(summary: Pick<LoadSummary, 'errors'>): number {
  return Object.values(summary.errors).reduce((sum, count) => sum + count, 0);
}

/** `+9 %`, `-3 %`. */
export function formatChange(ratio: number): string {
  const percent = Math.round(ratio * 100);
  return `${percent >= 0 ? '+' : ''}${percent} %`;
}

function describeFailure(outcome: UserOutcome): string {
  return `${outcome.email}: [${outcome.failure!.stage}] ${outcome.failure!.message}`;
}
