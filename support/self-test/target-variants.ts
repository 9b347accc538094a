import type { Stage } from '../verdict/stages.ts';

/**
 * Ways a real service differs from the reference one, each as the reference service's setting that
 * reproduces it and the harness settings that cope with it. The self-test runs the smoke suite against
 * a separately started instance per row, as a staging run would; a row with `fails` gives the harness a
 * wrong setting and expects the verdict to name the stage, and the message the setting to change.
 */
export interface TargetVariant {
  name: string;
  /** The reference service's environment for this variant. */
  service: Record<string, string>;
  /** The harness's settings for it (beyond the target's URL, accounts and key). */
  harness: Record<string, string>;
  /** The tests to run (a Playwright --grep), `@smoke` unless a variant only concerns some. */
  grep?: string;
  fails?: { stage: Stage; message: RegExp };
}

const BYPASS_KEY = 'self-test-bypass-key-0123456789';
const DATA_QA_SELECTORS = Object.fromEntries(
  ['login-email', 'login-password', 'login-submit', 'login-error', 'chat-input', 'chat-send', 'assistant-message'].map((hook) => [hook, `[data-qa="${hook}"]`]),
);
const RENAMED_EVENTS = {
  agent_started: 'run.started',
  agent_thinking: 'run.thinking',
  tool_executing: 'tool.started',
  tool_completed: 'tool.finished',
  agent_completed: 'run.completed',
};

/** The real product's differences at once, as the reference service reproduces them (README, "Protocol variants"). */
export const PRODUCTION_SHAPE: Record<string, string> = {
  WS_REFUSAL: 'error-then-close',
  WS_WELCOME_ENVELOPE: 'data',
  ECHO_PROMPT: 'false',
  WS_TIMESTAMPS: 'epoch-seconds',
  ANSWER_SHAPE: 'object',
  STREAM_CHUNKS: 'true',
  HEARTBEAT_MS: '200',
  START_MESSAGE: 'payload',
  TICKETS: 'false',
  EVENT_USER_ID: 'null',
  TOOL_DURATION_FIELD: 'execution_time',
};

/** The harness settings the README documents for a service in the production shape: configuration only, no check switched off. */
export const PRODUCTION_SHAPE_SETTINGS: Record<string, string> = {
  WS_AUTH_ACCEPTED: 'subprotocol,header,query',
  START_MESSAGE: '{"type":"user_message","payload":{"text":"{{text}}","references":[],"thread_id":"{{thread_id}}"}}',
  ANSWER_PATH: 'final_response.response',
  RUN_EXTRA_EVENTS: 'agent_response_chunk',
  EVENT_FIELDS: 'essential',
};

/** The production shape with a fault switched on: the settings that make it pass must not hide the fault. */
const productionShapeWith = (fault: string, grep: string, fails: TargetVariant['fails']): TargetVariant => ({
  name: `the production shape with ${fault}, under the same settings`,
  service: { ...PRODUCTION_SHAPE, TEST_MODE: 'true', FAULTS: fault },
  harness: PRODUCTION_SHAPE_SETTINGS,
  grep,
  fails,
});

export const TARGET_VARIANTS: readonly TargetVariant[] = [
  { name: 'the contract as written', service: {}, harness: {} },
  {
    name: 'ticket-only WebSocket auth (a load balancer strips Authorization)',
    service: { WS_AUTH_MODES: 'ticket' },
    harness: { WS_AUTH: 'ticket', WS_AUTH_ACCEPTED: 'ticket' },
  },
  { name: 'events wrapped in payload', service: { WS_ENVELOPE: 'payload' }, harness: { WS_ENVELOPE: 'payload' } },
  { name: 'events wrapped in data, read with WS_ENVELOPE=auto', service: { WS_ENVELOPE: 'data' }, harness: {} },
  { name: 'a connection_ready welcome', service: { WS_WELCOME_TYPE: 'connection_ready' }, harness: { WS_WELCOME_TYPES: 'connection_ready' } },
  { name: 'its own event names', service: { EVENT_NAMES: JSON.stringify(RENAMED_EVENTS) }, harness: { EVENT_NAME_MAP: JSON.stringify(RENAMED_EVENTS) } },
  // Every test logs in: the golden path alone shows a 4 s login is survived, at a fraction of the time.
  { name: 'a slow login (4 s)', service: { LOGIN_DELAY_MS: '4000' }, harness: {}, grep: '@golden-path' },
  { name: 'a UI behind OAuth, entered with an API token', service: { UI_LOGIN: 'oauth' }, harness: { LOGIN_STRATEGY: 'api-token' } },
  {
    name: 'a test-login endpoint guarded by a bypass key',
    service: { TEST_MODE: 'true', TEST_LOGIN_BYPASS_KEY: BYPASS_KEY, UI_LOGIN: 'oauth' },
    harness: { LOGIN_STRATEGY: 'bypass', BYPASS_KEY },
  },
  {
    name: 'UI hooks on data-qa, mapped with UI_SELECTORS',
    service: { UI_TEST_ID_ATTRIBUTE: 'data-qa' },
    harness: { UI_SELECTORS: JSON.stringify(DATA_QA_SELECTORS) },
    grep: '@golden-path',
  },
  { name: "the production shape (all of the real product's differences at once)", service: PRODUCTION_SHAPE, harness: PRODUCTION_SHAPE_SETTINGS },
  productionShapeWith('drop_event:tool_completed', 'over HTTP', { stage: 'agent-events', message: /broke the event rules: tool_completed never arrived/ }),
  productionShapeWith('fallback_answer', 'over HTTP', { stage: 'ai-response', message: /toMatch/ }),
  productionShapeWith('wrong_answer', 'over HTTP', { stage: 'ai-response', message: /toMatch/ }),
  productionShapeWith('cross_user_fanout', 'two users at once', { stage: 'isolation', message: /toEqual/ }),
  productionShapeWith('accept_alg_none', 'alg.none|unsigned', { stage: 'security', message: /answered 200|welcomed the socket/ }),
  {
    name: "the production shape read with the contract's settings",
    service: PRODUCTION_SHAPE,
    harness: {},
    grep: 'over HTTP',
    fails: { stage: 'agent-events', message: /set START_MESSAGE to its shape/ },
  },
  {
    name: 'ticket-only auth, but the harness sends a header',
    service: { WS_AUTH_MODES: 'ticket' },
    harness: { WS_AUTH: 'header' },
    fails: { stage: 'websocket', message: /set WS_AUTH to a transport it accepts/ },
  },
  {
    name: 'payload envelope, but the harness expects root',
    service: { WS_ENVELOPE: 'payload' },
    harness: { WS_ENVELOPE: 'root' },
    fails: { stage: 'websocket', message: /set WS_ENVELOPE=payload/ },
  },
  {
    name: 'UI hooks on data-qa the harness was not told of',
    service: { UI_TEST_ID_ATTRIBUTE: 'data-qa' },
    harness: {},
    grep: '@golden-path',
    fails: { stage: 'ui', message: /toBeVisible/ },
  },
  {
    name: 'a connection_ready welcome the harness was not told of',
    service: { WS_WELCOME_TYPE: 'connection_ready' },
    harness: { WS_WELCOME_TYPES: 'connection_established' },
    fails: { stage: 'websocket', message: /add it to WS_WELCOME_TYPES/ },
  },
];
