// A run's figures against the pass conditions it was given: above the summary, while thresholds.ts (the
// conditions themselves, part of the plan) stays at the ground with the scenario that carries them.

import type { LoadSummary } from './summary.ts';
import { RATES, type Operator, type Threshold, type ThresholdFigure } from './thresholds.ts';

export interface ThresholdResult {
  expression: string;
  met: boolean;
  /** What the run measured, as the expression writes it (`812 ms`, `0.2 %`, `143 runs/s`), or why nothing was. */
  measured: string;
}

export function evaluateThresholds(summary: LoadSummary, thresholds: readonly Threshold[]): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const measured = measure(summary, threshold.figure);
    if (measured === undefined) return { expression: threshold.expression, met: false, measured: 'no samples' };
    return { expression: threshold.expression, met: compare(measured.value, threshold.operator, threshold.value), measured: measured.shown };
  });
}

function measure(summary: LoadSummary, figure: ThresholdFigure): { value: number; shown: string } | undefined {
  switch (figure.kind) {
    case 'latency': {
      const value = summary.latency[figure.measure][figure.statistic];
      return value === undefined ? undefined : { value, shown: `${value} ms` };
    }
    case 'errors': {
      const count = Object.values(summary.errors).reduce((sum, errors) => sum + errors, 0);
      if (figure.unit === 'count') return { value: count, shown: `${count} failed` };
      return { value: summary.errorRate * 100, shown: `${(summary.errorRate * 100).toFixed(2)} % (${count} of ${summary.attempts})` };
    }
    case 'rate': {
      const value = summary[RATES[figure.rate]];
      return { value, shown: `${value} ${figure.rate}` };
    }
  }
}

function compare(measured: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return measured < limit;
    case '<=':
      return measured <= limit;
    case '>':
      return measured > limit;
    case '>=':
      return measured >= limit;
  }
}
