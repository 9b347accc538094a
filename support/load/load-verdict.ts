import { LOAD_MEASURES, failedAttempts, type LoadSummary } from './summary.ts';
import type { ThresholdResult } from './threshold-results.ts';

export interface LoadVerdict {
  pass: boolean;
  /** Why it failed: the leaks first (always a failure), then each missed threshold. */
  reasons: string[];
}

/** A load run passes with no leak and every threshold met; leaks are never a threshold. */
export function judgeLoad(summary: Pick<LoadSummary, 'leaks'>, thresholds: readonly ThresholdResult[]): LoadVerdict {
  const reasons = [
    ...(summary.leaks > 0 ? [`${summary.leaks} frame(s) reached another user's socket`] : []),
    ...thresholds.filter(({ met }) => !met).map(({ expression, measured }) => `threshold ${expression} missed (${measured})`),
  ];
  return { pass: reasons.length === 0, reasons };
}

/** The threshold lines of the end-of-run output: each met or missed, with what was measured. */
export function formatThresholds(thresholds: readonly ThresholdResult[]): string {
  return thresholds.map(({ expression, met, measured }) => `threshold ${expression.padEnd(24)} ${met ? 'met   ' : 'MISSED'}  (${measured})`).join('\n');
}

/** The verdict as Markdown, for `npm run comment -- --verdict reports/load/verdict.md` and a CI job summary. */
export function renderLoadVerdictMarkdown(run: {
  title: string;
  target: string;
  summary: LoadSummary;
  thresholds: readonly ThresholdResult[];
  verdict: LoadVerdict;
}): string {
  const { summary, verdict } = run;
  const ms = (value: number | undefined) => (value === undefined ? '–' : `${value} ms`);
  const number = (value: number) => value.toLocaleString('en-US');
  return [
    `### ${verdict.pass ? '✅ PASS' : '❌ FAIL'}: ${run.title}`,
    '',
    `Target ${run.target}; rates ${summary.rateWindow}.`,
    ...(verdict.reasons.length > 0 ? ['', ...verdict.reasons.map((reason) => `- ${reason}`)] : []),
    '',
    '| figure | value |',
    '|---|---|',
    `| users, attempts, verified runs | ${number(summary.users)}, ${number(summary.attempts)}, ${number(summary.verifiedRuns)} |`,
    `| sockets: connected, at most open at once | ${number(summary.connected)}, ${summary.peakOpenSockets === undefined ? '–' : number(summary.peakOpenSockets)} |`,
    `| logins/s, connects/s, runs/s, verified events/s | ${summary.loginsPerSecond}, ${summary.connectsPerSecond}, ${summary.runsPerSecond}, ${number(summary.verifiedEventsPerSecond)} |`,
    ...LOAD_MEASURES.map(
      ({ key, label }) =>
        `| ${label} p50 / p95 / p99 / max | ${(['p50', 'p95', 'p99', 'max'] as const).map((statistic) => ms(summary.latency[key][statistic])).join(' / ')} |`,
    ),
    ...summary.soaks.map((soak) => `| soak completion p95, first / last ${soak.windowSeconds} s | ${ms(soak.first.p95)} / ${ms(soak.last.p95)} |`),
    `| errors | ${number(failedAttempts(summary))} (${(summary.errorRate * 100).toFixed(2)} %)${
      Object.keys(summary.errors).length > 0
        ? `: ${Object.entries(summary.errors)
            .map(([stage, count]) => `${stage} ${count}`)
            .join(', ')}`
        : ''
    } |`,
    `| leaks | ${number(summary.leaks)} |`,
    ...(run.thresholds.length > 0
      ? [
          '',
          '| threshold | measured | |',
          '|---|---|---|',
          ...run.thresholds.map(({ expression, measured, met }) => `| \`${expression}\` | ${measured} | ${met ? 'met' : '**missed**'} |`),
        ]
      : []),
    ...(summary.examples.length > 0
      ? [
          '',
          '<details><summary>First failures and leaks</summary>',
          '',
          ...summary.examples.map((example) => `- \`${example.replaceAll('`', "'")}\``),
          '',
          '</details>',
        ]
      : []),
    '',
  ].join('\n');
}
