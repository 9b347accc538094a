import { StartupError } from './startup-error.ts';

/**
 * The production failures the service can reproduce on purpose, each with its default parameter.
 * They exist so the harness can prove it catches them; they are refused unless TEST_MODE is on.
 */
export const FAULT_CATALOGUE = {
  startup_dependency_missing: { parameter: undefined, effect: 'a required module is missing at start: exit code 3' },
  db_timeout: { parameter: undefined, effect: 'every request-time database query hits the statement timeout' },
  login_503: { parameter: '4000', effect: 'POST /auth/login waits <ms> and answers 503' },
  ws_close_1011: { parameter: undefined, effect: 'the socket that started a run is closed with 1011 after the first tool_executing' },
  drop_event: { parameter: 'tool_completed', effect: 'events of type <type> are never sent' },
  reorder_events: { parameter: undefined, effect: 'the first agent_thinking is sent before agent_started' },
  duplicate_event: { parameter: 'agent_completed', effect: 'events of type <type> are sent twice' },
  fallback_answer: { parameter: undefined, effect: 'the final answer is a canned fallback, whatever the tools returned' },
  wrong_answer: { parameter: undefined, effect: "the final answer's last number is one more than the tools returned" },
  cross_user_fanout: { parameter: undefined, effect: "every run's events reach every open socket, of any user" },
  accept_expired_token: { parameter: undefined, effect: 'expired access tokens are accepted' },
  accept_alg_none: { parameter: undefined, effect: 'unsigned (alg: none) tokens are accepted' },
  accept_wrong_audience: { parameter: undefined, effect: 'tokens for another audience are accepted' },
  accept_foreign_origin: { parameter: undefined, effect: 'WebSocket upgrades from any Origin are accepted' },
  accept_no_credential: { parameter: 'any', effect: 'a socket with no credential is welcomed as demo-user-001 on <path> (any: every WebSocket path)' },
  relaxed_bad_token: { parameter: undefined, effect: 'a rejected token is welcomed as a "relaxed" fallback user instead of refused' },
  welcome_wrong_user: { parameter: undefined, effect: 'the welcome names the user id cut to 8 characters and "..."' },
  accept_foreign_thread: { parameter: undefined, effect: "a message naming another user's thread runs in that thread" },
  logout_keeps_refresh_token: { parameter: undefined, effect: 'POST /auth/logout leaves the refresh token valid' },
  tool_before_thinking: { parameter: undefined, effect: 'the first agent_thinking is sent after the first tool_executing' },
  crash_on_bad_frame: { parameter: undefined, effect: 'a frame that is not JSON crashes the process' },
  slow_agent: { parameter: '5000', effect: 'agent_completed is sent <ms> late' },
  ui_no_render: { parameter: undefined, effect: 'the UI never renders the final answer' },
  answer_not_persisted: { parameter: undefined, effect: 'the final answer is not stored in the messages table' },
} as const satisfies Record<string, { parameter: string | undefined; effect: string }>;

export type FaultName = keyof typeof FAULT_CATALOGUE;

export interface Faults {
  has(name: FaultName): boolean;
  /** The parameter given as `name:parameter`, or the catalogue default. */
  parameter(name: FaultName): string;
  /** The active faults, for the startup log and the UI. */
  readonly active: readonly FaultName[];
}

function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULT_CATALOGUE, name);
}

/** Parses `FAULTS=name[:parameter],...`. */
export function parseFaults(spec: string, testMode: boolean): Faults {
  const parameters = new Map<FaultName, string>();
  const unknown: string[] = [];
  for (const entry of spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name = '', ...rest] = entry.split(':');
    if (!isFaultName(name)) {
      unknown.push(name);
      continue;
    }
    parameters.set(name, rest.length > 0 ? rest.join(':') : (FAULT_CATALOGUE[name].parameter ?? ''));
  }
  if (unknown.length > 0) {
    throw new StartupError(
      'config',
      `FAULTS names unknown fault(s) ${unknown.map((name) => `'${name}'`).join(', ')}`,
      `use any of: ${Object.keys(FAULT_CATALOGUE).join(', ')}`,
    );
  }
  if (parameters.size > 0 && !testMode) {
    throw new StartupError(
      'config',
      `FAULTS is set (${[...parameters.keys()].join(', ')}) but TEST_MODE is not 'true'; fault switches are refused outside test mode`,
      'unset FAULTS, or set TEST_MODE=true on a service that is only used for tests',
    );
  }
  return {
    has: (name) => parameters.has(name),
    parameter: (name) => parameters.get(name) ?? FAULT_CATALOGUE[name].parameter ?? '',
    active: [...parameters.keys()],
  };
}

/** A numeric fault parameter, e.g. the latency of login_503. */
export function faultMilliseconds(faults: Faults, name: FaultName): number {
  const value = Number(faults.parameter(name));
  if (!Number.isFinite(value) || value < 0) {
    throw new StartupError('config', `FAULTS gives ${name} the parameter '${faults.parameter(name)}'`, `write ${name}:<milliseconds>`);
  }
  return value;
}
