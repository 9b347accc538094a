import { activeProtocol, type ProtocolProfile } from './profile.ts';

/** The five events every golden-path run must show, in this order of first appearance. */
export const CRITICAL_EVENTS = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] as const;
export type CriticalEvent = (typeof CRITICAL_EVENTS)[number];

/** What is wrong with one field's value, or undefined when it is right. */
type FieldRule = (value: unknown) => string | undefined;

const kind = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const mustBe =
  (expected: string, holds: (value: unknown) => boolean): FieldRule =>
  (value) =>
    holds(value) ? undefined : `must be ${expected} (got ${kind(value)}${typeof value === 'string' && value === '' ? ', empty' : ''})`;
// ISO 8601 date and time with seconds and a zone (Z or an offset), as the contract's examples are.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const text = mustBe('a string', (value) => typeof value === 'string');
const isoTimestamp: FieldRule = (value) =>
  typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'must be an ISO 8601 timestamp';
// Epoch seconds (a float, as Python services send) or milliseconds, between 2001 and 2286.
const anyTimestamp: FieldRule = (value) =>
  value === undefined || isoTimestamp(value) === undefined || (typeof value === 'number' && ((value >= 1e9 && value < 1e10) || (value >= 1e12 && value < 1e13)))
    ? undefined
    : 'must be an ISO 8601 timestamp, epoch seconds or epoch milliseconds';
const name = mustBe('a non-empty string', (value) => typeof value === 'string' && value !== '');
const runFields: Record<string, FieldRule> = {
  user_id: name,
  thread_id: name,
  run_id: name,
  timestamp: isoTimestamp,
};

/**
 * EVENT_FIELDS=essential: only what correctness needs. The run id binds an event to its run, the
 * execution id pairs a tool's events, the answer is read at ANSWER_PATH (see answer.ts); a user id, when
 * it is not null, must be a name (a null one is judged by the run's thread binding, in sequence.ts), and
 * a timestamp may come in any of the forms real services send.
 */
const essentialRunFields: Record<string, FieldRule> = {
  run_id: name,
  user_id: (value) => (value === undefined || value === null ? undefined : name(value)),
  timestamp: anyTimestamp,
};
const ESSENTIAL_EVENT_FIELDS: Record<CriticalEvent, Record<string, FieldRule>> = {
  agent_started: essentialRunFields,
  agent_thinking: essentialRunFields,
  tool_executing: { ...essentialRunFields, execution_id: name },
  tool_completed: { ...essentialRunFields, execution_id: name },
  agent_completed: essentialRunFields,
};

/**
 * The fields each run event must carry, with their types; extra fields are allowed. Plain checks, not a
 * schema library: they run once for every event of every run, and the harness's own cost per run is
 * part of what it is measured on (npm run bench).
 */
const EVENT_FIELDS: Record<CriticalEvent, Record<string, FieldRule>> = {
  agent_started: { ...runFields, agent_name: name, task_description: text },
  agent_thinking: { ...runFields, reasoning: text },
  tool_executing: {
    ...runFields,
    tool_name: name,
    tool_args: mustBe('an object', (value) => kind(value) === 'object'),
    execution_id: name,
  },
  tool_completed: {
    ...runFields,
    tool_name: name,
    execution_id: name,
    results: (value) => (value === undefined ? 'is required' : undefined),
    duration_ms: mustBe('a number ≥ 0', (value) => typeof value === 'number' && value >= 0),
    success: mustBe('a boolean', (value) => typeof value === 'boolean'),
  },
  agent_completed: { ...runFields, status: name, final_response: text },
};

/** Every field of the event that is missing or of the wrong type, as "<field> <problem>", under EVENT_FIELDS. */
export function fieldProblems(type: CriticalEvent, frame: Record<string, unknown>, profile: ProtocolProfile = activeProtocol()): string[] {
  const rules = profile.eventFields === 'essential' ? ESSENTIAL_EVENT_FIELDS : EVENT_FIELDS;
  return Object.entries(rules[type]).flatMap(([field, rule]) => {
    const problem = rule(frame[field]);
    return problem ? [`${field} ${problem}`] : [];
  });
}

/** Whether a frame type is the service's welcome (WS_WELCOME_TYPES; the contract's is connection_established). */
export function isWelcome(type: unknown, profile: ProtocolProfile = activeProtocol()): boolean {
  return profile.welcomeTypes.includes(type as string);
}

/**
 * What an error frame says: `code: message` as the contract sends it, or the text of `error` /
 * `error_message` where a service puts it there (`{"type":"error","error":"…"}`).
 */
export function errorDescription(frame: Record<string, unknown>): string {
  const text = frame.message ?? frame.error ?? frame.error_message;
  const code = frame.code ?? frame.error_code;
  return code === undefined ? String(text) : `${String(code)}: ${String(text)}`;
}

export function isCriticalEvent(type: unknown): type is CriticalEvent {
  return (CRITICAL_EVENTS as readonly unknown[]).includes(type);
}
