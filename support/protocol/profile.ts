import type { Envelope } from './normalise.ts';

/**
 * How a particular service speaks the contract: where it puts an event's fields, what its welcome frame
 * is called, and what it calls the contract's events. The defaults are the contract's; a staging
 * service that differs is described by WS_ENVELOPE, WS_WELCOME_TYPES and EVENT_NAME_MAP, never by code.
 */
export interface ProtocolProfile {
  /** `auto` accepts any of the three forms; a named one is what the service must send. */
  envelope: Envelope | 'auto';
  welcomeTypes: readonly string[];
  /** Contract name → the service's name, for the events it names differently. */
  eventNames: Readonly<Record<string, string>>;
  /** The start message as JSON, with {{text}}, {{thread_id}} and {{request_id}} where the values go (START_MESSAGE). */
  startMessage: string;
  /** Where the answer sits in agent_completed, as a dotted path (ANSWER_PATH). */
  answerPath: string;
  /** Event types a run may carry besides the contract's, outside the order rules: chunks, deltas, progress (RUN_EXTRA_EVENTS). */
  extraRunEvents: readonly string[];
  /** strict: every field the contract names; essential: only what correctness needs (EVENT_FIELDS). */
  eventFields: 'strict' | 'essential';
}

export const CONTRACT_START_MESSAGE = '{"type":"user_message","text":"{{text}}","thread_id":"{{thread_id}}"}';

export const CONTRACT_PROTOCOL: ProtocolProfile = {
  envelope: 'auto',
  welcomeTypes: ['connection_established', 'connection_ready'],
  eventNames: {},
  startMessage: CONTRACT_START_MESSAGE,
  answerPath: 'final_response',
  extraRunEvents: [],
  eventFields: 'strict',
};

let active: ProtocolProfile = CONTRACT_PROTOCOL;

/**
 * The profile of the service under test in this process. The settings fixture sets it from the
 * settings once per worker; it is process-wide because it is configuration, like the environment it
 * comes from, and every frame this process records is read with it.
 */
export function activeProtocol(): ProtocolProfile {
  return active;
}

export function useProtocol(profile: ProtocolProfile): void {
  active = profile;
}
