import type { ExpectMatcherState } from '@playwright/test';
import { checkLatency, type LatencyThresholds, type RunLatency } from '../protocol/latency.ts';
import { formatViolations } from './received-frames.ts';

const format = (value: number | undefined) => (value === undefined ? 'not reached' : `${Math.round(value)} ms`);

/** Connect, first event and completion each within their threshold. */
export function toMeetLatency(this: ExpectMatcherState, received: RunLatency, thresholds: LatencyThresholds) {
  const violations = checkLatency(received, thresholds);
  const pass = violations.length === 0;
  const table =
    `  connect ${format(received.connectMs)} (≤ ${thresholds.connectMs} ms), ` +
    `first event ${format(received.firstEventMs)} (≤ ${thresholds.firstEventMs} ms), ` +
    `completion ${format(received.completionMs)} (≤ ${thresholds.completionMs} ms)`;
  return {
    name: 'toMeetLatency',
    pass,
    message: () =>
      pass
        ? `Expected a latency over a threshold, but all are within:\n${table}`
        : `Expected: every stage within its threshold\nReceived:\n${table}\nOver:\n${formatViolations(violations)}`,
  };
}
