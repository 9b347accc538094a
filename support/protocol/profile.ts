/** How a service shaped its event: fields at the root, or wrapped in `payload` or `data`. */
export type Envelope = 'root' | 'payload' | 'data';

/**
 * A handshake the service asks of every socket before it takes a message: it sends `frame`, the client
 * answers `reply` (JSON, `{{handshake.<path>}}` filled from that frame), and, where `done` is set, the
 * service confirms with a frame of that type.
 */
export interface Handshake {
  frame: string;
  reply: string;
  done: string | undefined;
}

/** How the harness's socket presents its credential beyond the transport: the subprotocols offered, extra query parameters and headers. */
export interface CredentialShape {
  /** Offered with WS_AUTH=subprotocol, in order; `{{token}}` is the access token (WS_SUBPROTOCOLS). */
  subprotocols: readonly string[];
  /** Query parameters added to every socket URL, e.g. `env=staging` (WS_QUERY). */
  query: string | undefined;
  /** Headers added to every upgrade, e.g. X-Environment (WS_HEADERS). */
  headers: Readonly<Record<string, string>>;
}

/**
 * How a particular service speaks the contract: where it puts an event's fields and type, what its
 * frames and ids are called, what it asks of a socket before a message, and what a run of it may carry.
 * The defaults are the contract's; a service that differs is described by settings, never by code.
 */
export interface ProtocolProfile {
  /** `auto` accepts any of the three forms; a named one is what the service must send. */
  envelope: Envelope | 'auto';
  /** The key that holds a frame's type, in both directions (WS_TYPE_KEY). */
  typeKey: string;
  /** A frame of one of these types carries its real type under the key named here, e.g. system_message → event (WS_WRAPPERS). */
  wrappers: Readonly<Record<string, string>>;
  /** Contract id field → the service's name for it, e.g. run_id → runId (WS_ID_FIELDS). */
  idFields: Readonly<Record<string, string>>;
  welcomeTypes: readonly string[];
  /** Contract name → the service's name, for the events it names differently. */
  eventNames: Readonly<Record<string, string>>;
  credentials: CredentialShape;
  handshake: Handshake | undefined;
  /** The start message as JSON, with {{text}}, {{thread_id}}, {{request_id}} and {{handshake.<path>}} where the values go (START_MESSAGE). */
  startMessage: string;
  /** Where the answer sits in agent_completed, as a dotted path (ANSWER_PATH). */
  answerPath: string;
  /** Event types a run may carry besides the contract's, outside the order rules: chunks, deltas, progress (RUN_EXTRA_EVENTS). */
  extraRunEvents: readonly string[];
  /** Event types a run may carry only after its agent_completed, e.g. cleanup (RUN_CLOSING_EVENTS). */
  closingEvents: readonly string[];
  /** Whether a run may start sub-agents: several agent_started, still one agent_completed (RUN_SUB_AGENTS). */
  subAgents: boolean;
  /** strict: every field the contract names; essential: only what correctness needs (EVENT_FIELDS). */
  eventFields: 'strict' | 'essential';
}

export const CONTRACT_START_MESSAGE = '{"type":"user_message","text":"{{text}}","thread_id":"{{thread_id}}"}';

export const CONTRACT_PROTOCOL: ProtocolProfile = {
  envelope: 'auto',
  typeKey: 'type',
  wrappers: {},
  idFields: {},
  welcomeTypes: ['connection_established', 'connection_ready'],
  eventNames: {},
  credentials: { subprotocols: ['jwt-auth', 'jwt-auth.{{token}}'], query: undefined, headers: {} },
  handshake: undefined,
  startMessage: CONTRACT_START_MESSAGE,
  answerPath: 'final_response',
  extraRunEvents: [],
  closingEvents: [],
  subAgents: false,
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
