import { test, expect } from '@playwright/test';
import { checkLatency, measureRun, type LatencyThresholds, type RunLatency } from '../../support/protocol/latency.ts';
import type { TranscriptEntry, Violation } from '../../support/protocol/sequence.ts';
import { AT, RUN, runEvent, validRun, welcome, without } from './transcripts.ts';

/** The prompt leaves 80 ms after the socket opened; validRun() starts at 100 ms and completes at 400 ms. */
const SENT_AT = 80;

test.describe('measureRun', () => {
  const otherRun = { runId: 'run-2', userId: 'user-1', threadId: 'thread-1' };

  const measurements: Array<{ title: string; transcript: TranscriptEntry[]; measured: RunLatency }> = [
    {
      title: 'a complete run measures connect from socket creation, and first event and completion from the prompt',
      transcript: [welcome(30), ...validRun()],
      measured: { connectMs: 30, firstEventMs: 20, completionMs: 320 },
    },
    {
      title: 'connection_ready counts as the welcome frame',
      transcript: [{ at: 45, frame: { type: 'connection_ready' } }, ...validRun()],
      measured: { connectMs: 45, firstEventMs: 20, completionMs: 320 },
    },
    {
      title: 'a socket without a welcome frame has no connect time',
      transcript: validRun(),
      measured: { connectMs: undefined, firstEventMs: 20, completionMs: 320 },
    },
    {
      title: 'a run that never completes has no completion time',
      transcript: [welcome(30), ...without(validRun(), AT.completed)],
      measured: { connectMs: 30, firstEventMs: 20, completionMs: undefined },
    },
    {
      title: 'a run that never starts has neither first event nor completion time',
      transcript: [welcome(30)],
      measured: { connectMs: 30, firstEventMs: undefined, completionMs: undefined },
    },
    {
      title: 'frames of another run do not count as the first event or the completion',
      transcript: [welcome(30), runEvent(90, 'agent_started', {}, otherRun), runEvent(95, 'agent_completed', {}, otherRun), ...validRun()],
      measured: { connectMs: 30, firstEventMs: 20, completionMs: 320 },
    },
  ];

  for (const { title, transcript, measured } of measurements) {
    test(title, () => {
      expect(measureRun(transcript, RUN.runId, SENT_AT)).toEqual(measured);
    });
  }
});

test.describe('checkLatency', () => {
  const thresholds: LatencyThresholds = { connectMs: 2000, firstEventMs: 3000, completionMs: 10_000 };
  const within: Required<RunLatency> = { connectMs: 100, firstEventMs: 200, completionMs: 1000 };

  const checks: Array<{ title: string; measured: RunLatency; violations: Violation[] }> = [
    { title: 'every stage within its threshold passes', measured: within, violations: [] },
    {
      title: 'every stage exactly at its threshold passes',
      measured: { connectMs: 2000, firstEventMs: 3000, completionMs: 10_000 },
      violations: [],
    },
    {
      title: 'a slow connect is reported',
      measured: { ...within, connectMs: 2001 },
      violations: [{ rule: 'latency', message: 'connect took 2001.0 ms, over the 2000 ms threshold' }],
    },
    {
      title: 'a slow first event is reported',
      measured: { ...within, firstEventMs: 3500 },
      violations: [{ rule: 'latency', message: 'first event took 3500.0 ms, over the 3000 ms threshold' }],
    },
    {
      title: 'a slow completion is reported, its time given to a tenth of a millisecond',
      measured: { ...within, completionMs: 12_345.6 },
      violations: [{ rule: 'latency', message: 'completion took 12345.6 ms, over the 10000 ms threshold' }],
    },
    {
      title: 'every slow stage is reported, in the order of the run',
      measured: { connectMs: 2500, firstEventMs: 4000, completionMs: 20_000 },
      violations: [
        { rule: 'latency', message: 'connect took 2500.0 ms, over the 2000 ms threshold' },
        { rule: 'latency', message: 'first event took 4000.0 ms, over the 3000 ms threshold' },
        { rule: 'latency', message: 'completion took 20000.0 ms, over the 10000 ms threshold' },
      ],
    },
    {
      title: 'stages never reached are not latency violations',
      measured: { connectMs: undefined, firstEventMs: undefined, completionMs: undefined },
      violations: [],
    },
    {
      title: 'a stage never reached does not hide a slow one',
      measured: { connectMs: 5000 },
      violations: [{ rule: 'latency', message: 'connect took 5000.0 ms, over the 2000 ms threshold' }],
    },
  ];

  for (const { title, measured, violations } of checks) {
    test(title, () => {
      expect(checkLatency(measured, thresholds)).toEqual(violations);
    });
  }
});
