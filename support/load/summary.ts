import { percentile } from '../stats/percentile.ts';
import type { ConcurrentRunsResult, UserOutcome } from './concurrent-runs.ts';

type Measure = 'loginMs' | 'connectMs' | 'firstEventMs' | 'completionMs';
/** The stages a load run times for each user, in the golden path's order, with their labels. */
export const LOAD_MEASURES: ReadonlyArray<{ key: Measure; label: string }> = [
  { key: 'loginMs', label: 'login' },
  { key: 'connectMs', label: 'connect' },
  { key: 'firstEventMs', label: 'first event' },
  { key: 'completionMs', label: 'completion' },
];

export interface LoadSummary {
  users: number;
  connected: number;
  verifiedRuns: number;
  loginsPerSecond: number;
  connectsPerSecond: number;
  verifiedEvents: number;
  verifiedEventsPerSecond: number;
  /** p50/p95/p99 per stage, in ms. */
  latency: Record<Measure, { p50?: number; p95?: number; p99?: number }>;
  /** Users whose run failed, by the stage it failed at. */
  errors: Record<string, number>;
  errorRate: number;
  leaks: number;
  /** The first few failures and leaks, for a reader. */
  examples: string[];
}

/**
 * The figures of one run, or of the slices of a distributed one (each machine ran a slice of the users at
 * the same time): rates add up over the slices, each slice's count over its own phase; percentiles,
 * errors and leaks are taken over every user of every slice.
 */
export function summariseLoad(slices: ConcurrentRunsResult | readonly ConcurrentRunsResult[]): LoadSummary {
  const results = Array.isArray(slices) ? (slices as readonly ConcurrentRunsResult[]) : [slices as ConcurrentRunsResult];
  const outcomes = results.flatMap((result) => result.outcomes);
  const round = (value: number | undefined) => (value === undefined ? undefined : Math.round(value));
  const latency = Object.fromEntries(
    LOAD_MEASURES.map(({ key }) => {
      const values = outcomes.flatMap((outcome) => (outcome[key] === undefined ? [] : [outcome[key]]));
      return [key, { p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), p99: round(percentile(values, 99)) }];
    }),
  ) as LoadSummary['latency'];
  const failed = outcomes.filter((outcome) => outcome.failure);
  const errors: Record<string, number> = {};
  for (const { failure } of failed) errors[failure!.stage] = (errors[failure!.stage] ?? 0) + 1;
  const verifiedEvents = outcomes.reduce((sum, outcome) => sum + outcome.verifiedEvents, 0);
  const isConnected = (outcome: UserOutcome) => outcome.connectMs !== undefined;
  const rate = (count: (outcomes: readonly UserOutcome[]) => number, phase: (result: ConcurrentRunsResult) => number) =>
    results.reduce((sum, result) => sum + perSecond(count(result.outcomes), phase(result)), 0);
  return {
    users: outcomes.length,
    connected: outcomes.filter(isConnected).length,
    verifiedRuns: outcomes.filter((outcome) => outcome.verifiedEvents > 0).length,
    loginsPerSecond: rate((slice) => slice.filter((outcome) => outcome.loginMs !== undefined).length, (result) => result.loginPhaseMs),
    connectsPerSecond: rate((slice) => slice.filter(isConnected).length, (result) => result.connectPhaseMs),
    verifiedEvents,
    verifiedEventsPerSecond: rate((slice) => slice.reduce((sum, outcome) => sum + outcome.verifiedEvents, 0), (result) => result.runPhaseMs),
    latency,
    errors,
    errorRate: outcomes.length === 0 ? 0 : failed.length / outcomes.length,
    leaks: outcomes.reduce((sum, outcome) => sum + outcome.leaks.length, 0),
    examples: [...failed.slice(0, 5).map(describeFailure), ...outcomes.flatMap((outcome) => outcome.leaks.slice(0, 1).map((leak) => `${outcome.email}: leak: ${leak}`)).slice(0, 5)],
  };
}

/** The end-of-run table. */
export function formatLoadSummary(summary: LoadSummary): string {
  const ms = (value: number | undefined) => (value === undefined ? '–' : `${value} ms`);
  return [
    `users ${summary.users}, connected ${summary.connected}, verified runs ${summary.verifiedRuns}`,
    `logins/s ${summary.loginsPerSecond}   connects/s ${summary.connectsPerSecond}   verified events/s ${summary.verifiedEventsPerSecond} (${summary.verifiedEvents} events)`,
    'stage          p50        p95        p99',
    ...LOAD_MEASURES.map(({ key, label }) => `${label.padEnd(12)} ${ms(summary.latency[key].p50).padStart(8)}   ${ms(summary.latency[key].p95).padStart(8)}   ${ms(summary.latency[key].p99).padStart(8)}`),
    `errors ${Object.values(summary.errors).reduce((sum, count) => sum + count, 0)} (${(summary.errorRate * 100).toFixed(1)} %)${Object.keys(summary.errors).length > 0 ? `: ${Object.entries(summary.errors).map(([stage, count]) => `${stage} ${count}`).join(', ')}` : ''}   leaks ${summary.leaks}`,
    ...summary.examples.map((example) => `  ✘ ${example}`),
  ].join('\n');
}

function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.round((count / ms) * 1000) : 0;
}

function describeFailure(outcome: UserOutcome): string {
  return `${outcome.email}: [${outcome.failure!.stage}] ${outcome.failure!.message}`;
}
