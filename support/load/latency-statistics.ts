import { percentile } from '../stats/percentile.ts';

export interface LatencyStatistics {
  p50?: number;
  p90?: number;
  p95?: number;
  p99?: number;
  max?: number;
}

/** Nearest-rank percentiles and the maximum of the values, rounded to whole ms; none for no values. */
export function statistics(values: readonly number[]): LatencyStatistics {
  if (values.length === 0) return {};
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(sorted, p)!);
  return { p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: Math.round(sorted.at(-1)!) };
}
