import { isWelcome } from './events.ts';
import type { TranscriptEntry, Violation } from './sequence.ts';

/** Milliseconds allowed per stage of a run before it counts as failed. */
export interface LatencyThresholds {
  connectMs: number;
  firstEventMs: number;
  completionMs: number;
}

/**
 * How much longer than its latency threshold a wait for a stage lasts: a slow step is still measured, and
 * reported as over its threshold by the latency check, not cut short as missing.
 */
export const GRACE_MS = 5000;

export interface RunLatency {
  /** From creating the socket to its welcome frame. */
  connectMs?: number;
  /** From sending the prompt to the run's first event. */
  firstEventMs?: number;
  /** From sending the prompt to agent_completed. */
  completionMs?: number;
}

/** Measures one run from the socket's transcript; `sentAt` is when the prompt left, on the same clock. */
export function measureRun(transcript: readonly TranscriptEntry[], runId: unknown, sentAt: number): RunLatency {
  const welcome = transcript.find(({ frame }) => isWelcome(frame.type));
  const ofRun = transcript.filter(({ frame }) => frame.run_id === runId);
  const completed = ofRun.find(({ frame }) => frame.type === 'agent_completed');
  return {
    connectMs: welcome?.at,
    firstEventMs: ofRun[0] ? ofRun[0].at - sentAt : undefined,
    completionMs: completed ? completed.at - sentAt : undefined,
  };
}

const STAGE_NAMES: Record<keyof LatencyThresholds, string> = {
  connectMs: 'connect',
  firstEventMs: 'first event',
  completionMs: 'completion',
};

export function checkLatency(measured: RunLatency, thresholds: LatencyThresholds): Violation[] {
  return (Object.keys(STAGE_NAMES) as Array<keyof LatencyThresholds>).flatMap((key): Violation[] => {
    const value = measured[key];
    if (value === undefined || value <= thresholds[key]) return [];
    return [{ rule: 'latency', message: `${STAGE_NAMES[key]} took ${value.toFixed(1)} ms, over the ${thresholds[key]} ms threshold` }];
  });
}
