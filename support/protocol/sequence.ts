import { CRITICAL_EVENTS, errorDescription, fieldProblems, isCriticalEvent } from './events.ts';
import { activeProtocol, type ProtocolProfile } from './profile.ts';

/** A frame as the checks see it: its fields lifted to one level (see normalise.ts), with its arrival time. */
export interface TranscriptEntry {
  /** Milliseconds since the socket was created. */
  at: number;
  frame: Record<string, unknown>;
}

export interface RunExpectation {
  runId: unknown;
  userId: string;
  /** When given, every event must carry it. */
  threadId?: unknown;
}

export type RuleId =
  | 'missing-event'
  | 'started-not-first'
  | 'started-not-once'
  | 'closing-before-completed'
  | 'tool-before-thinking'
  | 'completed-not-once'
  | 'completed-not-last'
  | 'tool-not-completed'
  | 'tool-completed-unannounced'
  | 'foreign-user'
  | 'foreign-thread'
  | 'unbound-event'
  | 'invalid-fields'
  | 'error-frame'
  | 'unknown-event'
  | 'latency';

export interface Violation {
  rule: RuleId;
  message: string;
}

export const EXPECTED_SEQUENCE =
  'agent_started (first) → agent_thinking (≥1) → tool_executing → tool_completed (same execution_id) → … → agent_completed (exactly once, last)';

/**
 * Checks one run's events against the contract's rules. Returns every violation, not just the first,
 * so a failure shows the whole picture.
 */
export function checkRun(transcript: readonly TranscriptEntry[], expected: RunExpectation, profile: ProtocolProfile = activeProtocol()): Violation[] {
  // Frame numbers are transcript line numbers, as formatTranscript prints them.
  const numbered = transcript.map((entry, index) => ({ line: index + 1, frame: entry.frame }));
  const ofRun = numbered.filter(({ frame }) => frame.run_id === expected.runId);
  const allTypes = ofRun.map(({ frame }) => String(frame.type));
  // The order rules read the contract's events; listed extras (chunks, progress) only have to belong to the run.
  const events = ofRun.map(({ frame }) => frame).filter((frame) => isCriticalEvent(frame.type));
  const types = events.map((frame) => String(frame.type));
  const violations: Violation[] = [];
  const add = (rule: RuleId, message: string) => violations.push({ rule, message });

  for (const type of CRITICAL_EVENTS) {
    if (!types.includes(type)) add('missing-event', `${type} never arrived`);
  }
  const unknown = [
    ...new Set(
      allTypes.filter((type) => !isCriticalEvent(type) && type !== 'error' && !profile.extraRunEvents.includes(type) && !profile.closingEvents.includes(type)),
    ),
  ];
  if (unknown.length > 0) {
    const wrappers = wrapperHints(ofRun.map(({ frame }) => frame).filter((frame) => unknown.includes(String(frame.type))));
    add(
      'unknown-event',
      `the run sent ${unknown.join(', ')}, which the contract does not name: if these are this service's names for contract events, map them in EVENT_NAME_MAP; if they are extra events inside a run (chunks, progress), list them in RUN_EXTRA_EVENTS; if they only follow agent_completed (cleanup), in RUN_CLOSING_EVENTS${wrappers}`,
    );
  }
  if (types.length > 0 && types[0] !== 'agent_started') {
    add('started-not-first', `the first event of the run is ${types[0]}, not agent_started`);
  }
  const starts = types.filter((type) => type === 'agent_started').length;
  if (starts > 1 && !profile.subAgents) {
    add('started-not-once', `agent_started arrived ${starts} times: if this service's runs start sub-agents, set RUN_SUB_AGENTS=true`);
  }
  // With no agent_thinking at all, missing-event already says so.
  const firstTool = types.indexOf('tool_executing');
  if (firstTool >= 0 && types.includes('agent_thinking') && !types.slice(0, firstTool).includes('agent_thinking')) {
    add('tool-before-thinking', 'tool_executing arrived before any agent_thinking: the agent must think at least once before it calls a tool');
  }
  const completions = types.filter((type) => type === 'agent_completed').length;
  if (completions > 1) add('completed-not-once', `agent_completed arrived ${completions} times`);
  const firstCompletion = types.indexOf('agent_completed');
  if (firstCompletion >= 0 && firstCompletion < types.length - 1) {
    add('completed-not-last', `${types.slice(firstCompletion + 1).join(', ')} arrived after agent_completed`);
  }

  const completedAt = allTypes.indexOf('agent_completed');
  const earlyClosing = allTypes.filter((type, index) => profile.closingEvents.includes(type) && (completedAt < 0 || index < completedAt));
  if (earlyClosing.length > 0) {
    add(
      'closing-before-completed',
      `${[...new Set(earlyClosing)].join(', ')} arrived before agent_completed, but RUN_CLOSING_EVENTS allows them only after it`,
    );
  }

  const announced = new Set<unknown>();
  for (const frame of events) {
    if (frame.type === 'tool_executing') announced.add(frame.execution_id);
    if (frame.type === 'tool_completed' && !announced.has(frame.execution_id)) {
      add('tool-completed-unannounced', `tool_completed for execution_id ${String(frame.execution_id)} had no tool_executing before it`);
    }
  }
  for (const executionId of announced) {
    const completed = events.some((frame) => frame.type === 'tool_completed' && frame.execution_id === executionId);
    if (!completed) add('tool-not-completed', `tool_executing ${String(executionId)} has no tool_completed with the same execution_id`);
  }

  // A run whose every event names one other thread is a start message whose thread id the service did not take: said once, with the setting.
  const threads = [...new Set(ofRun.map(({ frame }) => frame.thread_id).filter((thread) => thread !== undefined))];
  const everyThread = expected.threadId !== undefined && threads.length === 1 && threads[0] !== expected.threadId ? threads : undefined;
  if (everyThread) {
    add(
      'foreign-thread',
      `every event of the run belongs to thread ${String(everyThread[0])}, not ${String(expected.threadId)}, the one the start message named: if the service did not read it there, set START_MESSAGE to put {{thread_id}} where it reads a thread id (or {{handshake.thread_id}}, where a handshake hands one out); otherwise the reply was filed under another conversation`,
    );
  }
  for (const { line, frame } of ofRun) {
    const namesUser = frame.user_id !== undefined && frame.user_id !== null;
    if (namesUser && frame.user_id !== expected.userId) {
      add('foreign-user', `frame ${line} (${String(frame.type)}) belongs to user ${String(frame.user_id)}, not ${expected.userId}`);
    }
    if (expected.threadId !== undefined && frame.thread_id !== undefined && frame.thread_id !== expected.threadId && everyThread === undefined) {
      add('foreign-thread', `frame ${line} (${String(frame.type)}) belongs to thread ${String(frame.thread_id)}, not ${String(expected.threadId)}`);
    }
    // Strict field rules already require a user id; under essential ones, an event without one must be bound by the thread the harness chose.
    if (!namesUser && profile.eventFields === 'essential' && (expected.threadId === undefined || frame.thread_id !== expected.threadId)) {
      add(
        'unbound-event',
        `frame ${line} (${String(frame.type)}) names no user and not this turn's thread: isolation cannot be judged for it; a service whose events carry no user id must echo the thread id the harness sends (START_MESSAGE with {{thread_id}})`,
      );
    }
    const problems = isCriticalEvent(frame.type) ? fieldProblems(frame.type, frame, profile) : [];
    if (problems.length > 0) add('invalid-fields', `frame ${line} (${String(frame.type)}): ${problems.join('; ')}`);
  }
  // An error of this run, or one bound to no run (an answer to what this client sent), breaks the run.
  for (const { line, frame } of numbered) {
    if (frame.type === 'error' && (frame.run_id === expected.runId || frame.run_id === undefined)) {
      add('error-frame', `frame ${line}: the service sent an error: ${errorDescription(frame)}`);
    }
  }
  return violations;
}

/**
 * Frames of an unknown type that carry a contract event's name in a field of theirs are wrappers of that
 * event (`{"type":"system_message","event":"agent_thinking",…}`): the hint names WS_WRAPPERS to set.
 */
function wrapperHints(frames: readonly Record<string, unknown>[]): string {
  const hints = new Set<string>();
  for (const frame of frames) {
    const key = Object.keys(frame).find((field) => field !== 'type' && isCriticalEvent(frame[field]));
    if (key !== undefined) hints.add(`${String(frame.type)}:${key}`);
  }
  return hints.size === 0 ? '' : `; these carry contract events inside them: set WS_WRAPPERS=${[...hints].join(',')}`;
}

/** Every frame on a socket that names a user must name this one: anything else is a cross-user leak. */
export function checkOwnership(transcript: readonly TranscriptEntry[], userId: string): Violation[] {
  return transcript
    .filter(({ frame }) => frame.user_id !== undefined && frame.user_id !== null && frame.user_id !== userId)
    .map(({ frame }) => ({
      rule: 'foreign-user' as const,
      message: `${String(frame.type)} of run ${String(frame.run_id)} belongs to user ${String(frame.user_id)}, not ${userId}`,
    }));
}

/** The transcript as aligned lines: arrival time, type, and the ids that bind it. */
export function formatTranscript(transcript: readonly TranscriptEntry[]): string {
  if (transcript.length === 0) return '  (no frames)';
  return transcript
    .map(({ at, frame }, index) => {
      const ids = ['run_id', 'user_id', 'thread_id', 'execution_id']
        .filter((key) => frame[key] !== undefined)
        .map((key) => `${key}=${String(frame[key])}`)
        .join(' ');
      const detail = frame.type === 'error' ? ` ${errorDescription(frame)}` : '';
      return `  ${String(index + 1).padStart(3)}  ${`+${Math.round(at)}ms`.padStart(9)}  ${String(frame.type).padEnd(22)} ${ids}${detail}`;
    })
    .join('\n');
}
