import { jsonMapSetting } from '../json-setting.ts';

/** The contract's run events: the ones a service may call by other names. */
export const RUN_EVENTS = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] as const;
export type RunEvent = (typeof RUN_EVENTS)[number];

/** Contract name → the name this service sends. Events not in it keep their contract names. */
export type EventNames = Readonly<Partial<Record<RunEvent, string>>>;

/** Frame types that are not run events; an event renamed to one of them could not be told apart. */
const OTHER_FRAME_TYPES = ['connection_established', 'connection_ready', 'pong', 'error', 'user_message', 'ping'];

function isRunEvent(name: string): name is RunEvent {
  return (RUN_EVENTS as readonly string[]).includes(name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a map is unusable, or undefined when it is fine. */
function problemOf(json: unknown): string | undefined {
  if (!isPlainObject(json)) return 'must be a JSON object such as {"agent_started":"run.started"}';
  const unknown = Object.keys(json).filter((name) => !isRunEvent(name));
  if (unknown.length > 0) {
    return `names unknown event(s) ${unknown.map((name) => `'${name}'`).join(', ')}; it may rename: ${RUN_EVENTS.join(', ')}`;
  }
  const notNames = Object.entries(json).filter(([, name]) => typeof name !== 'string' || !/^\S{1,64}$/.test(name));
  if (notNames.length > 0) {
    return `gives ${notNames.map(([event]) => event).join(', ')} a name that is not a string of 1-64 characters without spaces`;
  }
  const sent = RUN_EVENTS.map((event) => (json[event] as string | undefined) ?? event);
  const clashing = sent.filter((name, index) => sent.indexOf(name) !== index || OTHER_FRAME_TYPES.includes(name));
  if (clashing.length > 0) {
    return `would send ${[...new Set(clashing)].map((name) => `'${name}'`).join(', ')} for two different frames; give each event a name of its own`;
  }
  return undefined;
}

/** `EVENT_NAMES={"agent_started":"run.started",…}`: JSON, known contract events only, one name per event. */
export const eventNamesSetting = jsonMapSetting<EventNames>('{"agent_started":"run.started"}', problemOf).default({});

/** The name this service sends for a frame type: renamed if it is a mapped run event, else unchanged. */
export function sentName(type: string, names: EventNames): string {
  return (isRunEvent(type) ? names[type] : undefined) ?? type;
}
