import type { LatencyThresholds } from '../../protocol/latency.ts';
import { setting, wholeMilliseconds } from './schemas.ts';

/**
 * Past a degraded threshold a run is degraded: reported, not failed. Unset, it is half the failing
 * threshold, so lowering a failing threshold alone never contradicts its default.
 */
const degradedThreshold = (measure: 'CONNECT' | 'FIRST_EVENT' | 'COMPLETION', field: keyof LatencyThresholds) =>
  setting({
    at: `degradedLatency.${field}`,
    schema: wholeMilliseconds.optional(),
    resolve: (degraded, read) => degraded ?? Math.floor(read.latency[field] / 2),
    fix: `set LATENCY_${measure}_DEGRADED_MS below LATENCY_${measure}_MS: past it a run is degraded, not failed`,
  });

/** How long each stage of a run may take before it fails, and before it is called degraded. */
export const LATENCY_SETTINGS = {
  LATENCY_CONNECT_MS: setting({
    at: 'latency.connectMs',
    schema: wholeMilliseconds.default(2000),
    fix: 'set LATENCY_CONNECT_MS to the most milliseconds from socket creation to its welcome frame, e.g. 2000',
  }),
  LATENCY_FIRST_EVENT_MS: setting({
    at: 'latency.firstEventMs',
    schema: wholeMilliseconds.default(3000),
    fix: "set LATENCY_FIRST_EVENT_MS to the most milliseconds from the prompt to the run's first event, e.g. 3000",
  }),
  LATENCY_COMPLETION_MS: setting({
    at: 'latency.completionMs',
    schema: wholeMilliseconds.default(10_000),
    fix: 'set LATENCY_COMPLETION_MS to the most milliseconds from the prompt to agent_completed, e.g. 10000',
  }),
  LATENCY_CONNECT_DEGRADED_MS: degradedThreshold('CONNECT', 'connectMs'),
  LATENCY_FIRST_EVENT_DEGRADED_MS: degradedThreshold('FIRST_EVENT', 'firstEventMs'),
  LATENCY_COMPLETION_DEGRADED_MS: degradedThreshold('COMPLETION', 'completionMs'),
};
