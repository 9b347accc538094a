import type { RunExpectation, TranscriptEntry } from '../../support/protocol/sequence.ts';

/** The run every valid transcript below belongs to. */
export const RUN = { runId: 'run-1', userId: 'user-1', threadId: 'thread-1' } as const satisfies RunExpectation;

/** Socket time zero on the wall clock, so `timestamp` and `at` tell the same story. */
const SOCKET_OPENED = Date.parse('2026-01-01T00:00:00.000Z');

/** One event of a run at `at` ms, carrying the run's ids and an ISO timestamp beside `fields`. */
export function runEvent(at: number, type: string, fields: Record<string, unknown> = {}, run: RunExpectation = RUN): TranscriptEntry {
  return {
    at,
    frame: {
      type,
      user_id: run.userId,
      thread_id: run.threadId,
      run_id: run.runId,
      timestamp: new Date(SOCKET_OPENED + at).toISOString(),
      ...fields,
    },
  };
}

/** The welcome frame a service sends when the socket opens; it names no user. */
export function welcome(at: number): TranscriptEntry {
  return { at, frame: { type: 'connection_established', connection_id: 'conn-1' } };
}

/**
 * One complete calculator run, as the contract wants it: started, thinking, a tool executed and
 * completed, thinking again, completed. A fresh array each call, so a test may change it freely.
 */
export function validRun(run: RunExpectation = RUN): TranscriptEntry[] {
  return [
    runEvent(100, 'agent_started', { agent_name: 'reference-agent', task_description: 'What is 2 + 3?' }, run),
    runEvent(150, 'agent_thinking', { reasoning: 'This needs the calculator.' }, run),
    runEvent(200, 'tool_executing', { tool_name: 'calculator', tool_args: { expression: '2 + 3' }, execution_id: 'exec-1' }, run),
    runEvent(260, 'tool_completed', { tool_name: 'calculator', execution_id: 'exec-1', results: { value: '5' }, duration_ms: 60, success: true }, run),
    runEvent(300, 'agent_thinking', { reasoning: 'The calculator says 5.' }, run),
    runEvent(400, 'agent_completed', { status: 'completed', final_response: '2 + 3 = 5' }, run),
  ];
}

/** Indexes into `validRun()`, so a mutation names the event it changes. */
export const AT = { started: 0, thinking: 1, executing: 2, toolCompleted: 3, thinkingAgain: 4, completed: 5 } as const;

/** The transcript with the frame at `index` changed by `fields` (`undefined` deletes a field). */
export function patched(transcript: readonly TranscriptEntry[], index: number, fields: Record<string, unknown>): TranscriptEntry[] {
  return transcript.map((entry, i) => {
    if (i !== index) return entry;
    const frame = { ...entry.frame, ...fields };
    for (const [key, value] of Object.entries(fields)) if (value === undefined) delete frame[key];
    return { ...entry, frame };
  });
}

/** The transcript without the frames at `indexes`. */
export function without(transcript: readonly TranscriptEntry[], ...indexes: number[]): TranscriptEntry[] {
  return transcript.filter((_, i) => !indexes.includes(i));
}

/** The transcript with `entries` inserted before the frame at `index`. */
export function inserted(transcript: readonly TranscriptEntry[], index: number, ...entries: TranscriptEntry[]): TranscriptEntry[] {
  return [...transcript.slice(0, index), ...entries, ...transcript.slice(index)];
}

/** The transcript with the frames at `i` and `j` trading places. */
export function swapped(transcript: readonly TranscriptEntry[], i: number, j: number): TranscriptEntry[] {
  const copy = [...transcript];
  [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  return copy;
}
