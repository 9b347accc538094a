import type { Stage } from '../verdict/stages.ts';
import { GATEWAY_SHAPE, LATER_PRODUCT_BYPASS_KEY, LATER_PRODUCT_SHAPE, LLM_PRODUCT_SHAPE } from './reference-shapes.ts';

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
  /** The harness's settings for it (beyond the target's URL, accounts and key); a function where they name the started service's auth host. */
  harness: Record<string, string> | ((service: { authUrl: string }) => Record<string, string>);
  /** The tests to run (a Playwright --grep), `@smoke` unless a variant only concerns some. */
  grep?: string;
  fails?: { stage: Stage; message: RegExp };
}

/** The harness settings of a variant for a started instance of it. */
export function harnessSettingsFor(variant: TargetVariant, service: { authUrl: string }): Record<string, string> {
  return typeof variant.harness === 'function' ? variant.harness(service) : variant.harness;
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

/** The harness settings docs/SETTINGS.md gives for the same product a month later: configuration only, no check switched off. */
export const LATER_PRODUCT_SETTINGS = (service: { authUrl: string }): Record<string, string> => ({
  AUTH_URL: service.authUrl,
  LOGIN_STRATEGY: 'bypass',
  BYPASS_KEY: LATER_PRODUCT_BYPASS_KEY,
  BYPASS_LOGIN_PATH: '/auth/e2e/test-auth',
  BYPASS_HEADER: 'X-E2E-Bypass-Key',
  BYPASS_LOGIN_BODY: '{"email":"{{email}}","name":"{{email}}","permissions":["read","write"],"simulate_oauth":true}',
  WS_AUTH: 'subprotocol',
  WS_AUTH_ACCEPTED: 'subprotocol,query,header',
  WS_SUBPROTOCOLS: 'jwt.staging.{{token}}',
  WS_QUERY: 'env=staging',
  WS_HEADERS: '{"X-Environment":"staging"}',
  WS_WRAPPERS: 'system_message:event',
  HANDSHAKE_FRAME: 'handshake_response',
  HANDSHAKE_REPLY: '{"type":"handshake_acknowledged","thread_id":"{{handshake.thread_id}}"}',
  HANDSHAKE_DONE: 'handshake_complete',
  START_MESSAGE: '{"type":"user_message","payload":{"content":"{{text}}","thread_id":"{{handshake.thread_id}}","run_id":"{{request_id}}"}}',
  ANSWER_PATH: 'result.response',
  RUN_SUB_AGENTS: 'true',
  RUN_CLOSING_EVENTS: 'cleanup_started,cleanup_complete',
  EVENT_FIELDS: 'essential',
});

export const GATEWAY_SETTINGS: Record<string, string> = {
  LOGIN_PATH: '/api/auth/signin',
  LOGIN_TOKEN_PATH: 'token',
  START_MESSAGE: '{"type":"user_message","text":"{{text}}","threadId":"{{thread_id}}"}',
  HEALTH_PATH: '/healthz',
  READINESS_PATH: '/readyz',
  WS_ID_FIELDS: JSON.stringify({ run_id: 'runId', thread_id: 'threadId', user_id: 'userId', execution_id: 'toolCallId' }),
  WS_AUTH_ACCEPTED: 'subprotocol,header,query',
};

export const LLM_PRODUCT_SETTINGS: Record<string, string> = {
  WS_TYPE_KEY: 'event',
  START_MESSAGE: '{"event":"chat.send","message":{"role":"user","content":[{"type":"text","text":"{{text}}"}]},"conversationId":"{{thread_id}}"}',
  EVENT_NAME_MAP: JSON.stringify(RENAMED_EVENTS),
  WS_ID_FIELDS: JSON.stringify({ run_id: 'runId', thread_id: 'conversationId', execution_id: 'callId' }),
  RUN_EXTRA_EVENTS: 'agent_response_chunk',
};

/** A variant's settings less the named ones: to show that each is needed, and that its absence is named. */
const withoutSettings = (settings: Record<string, string>, ...names: string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(settings).filter(([name]) => !names.includes(name)));

/** The later product with a fault switched on: the settings that make it pass must not hide the fault. */
const laterProductWith = (fault: string, grep: string, fails: TargetVariant['fails']): TargetVariant => ({
  name: `the later product with ${fault}, under the same settings`,
  service: { ...LATER_PRODUCT_SHAPE, FAULTS: fault },
  harness: LATER_PRODUCT_SETTINGS,
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
    name: 'the same product a month later (its own auth host, a handshake, wrapped events, sub-agents)',
    service: LATER_PRODUCT_SHAPE,
    harness: LATER_PRODUCT_SETTINGS,
  },
  laterProductWith('drop_event:tool_completed', 'over HTTP', { stage: 'agent-events', message: /tool_completed never arrived/ }),
  laterProductWith('wrong_answer', 'over HTTP', { stage: 'ai-response', message: /toMatch/ }),
  laterProductWith('cross_user_fanout', 'two users at once', { stage: 'isolation', message: /only frames of user/ }),
  laterProductWith('accept_alg_none', 'alg.none|unsigned', { stage: 'security', message: /answered 200|welcomed the socket/ }),
  laterProductWith('accept_foreign_thread', 'thread ownership', { stage: 'security', message: /ran the message in thread|neither refused/ }),
  { name: 'a gateway shape (its own login path and answer, /healthz, camelCase ids)', service: GATEWAY_SHAPE, harness: GATEWAY_SETTINGS },
  {
    name: 'an LLM-product shape (frames typed under event, a chat.send message of parts, its own names and ids)',
    service: LLM_PRODUCT_SHAPE,
    harness: LLM_PRODUCT_SETTINGS,
  },
  {
    name: 'the later product without its handshake settings',
    service: LATER_PRODUCT_SHAPE,
    harness: (service) => ({
      ...withoutSettings(LATER_PRODUCT_SETTINGS(service), 'HANDSHAKE_FRAME', 'HANDSHAKE_REPLY', 'HANDSHAKE_DONE'),
      START_MESSAGE: '{"type":"user_message","payload":{"content":"{{text}}","thread_id":"{{thread_id}}"}}',
    }),
    grep: 'over HTTP',
    fails: { stage: 'websocket', message: /set HANDSHAKE_FRAME and HANDSHAKE_REPLY/ },
  },
  {
    name: 'the later product without its subprotocol template',
    service: LATER_PRODUCT_SHAPE,
    harness: (service) => withoutSettings(LATER_PRODUCT_SETTINGS(service), 'WS_SUBPROTOCOLS'),
    grep: 'over HTTP',
    fails: { stage: 'websocket', message: /WS_SUBPROTOCOLS/ },
  },
  {
    name: 'the gateway shape with cross_user_fanout, under its settings (users named userId)',
    service: { ...GATEWAY_SHAPE, TEST_MODE: 'true', FAULTS: 'cross_user_fanout' },
    harness: GATEWAY_SETTINGS,
    grep: 'two users at once',
    fails: { stage: 'isolation', message: /only frames of user/ },
  },
  {
    name: 'the LLM-product shape with drop_event:tool_completed, under its settings (events renamed, typed under event)',
    service: { ...LLM_PRODUCT_SHAPE, TEST_MODE: 'true', FAULTS: 'drop_event:tool_completed' },
    harness: LLM_PRODUCT_SETTINGS,
    grep: 'over HTTP',
    fails: { stage: 'agent-events', message: /tool_completed never arrived/ },
  },
  {
    name: 'the gateway shape without its id names',
    service: GATEWAY_SHAPE,
    harness: withoutSettings(GATEWAY_SETTINGS, 'WS_ID_FIELDS'),
    grep: 'over HTTP',
    fails: { stage: 'agent-events', message: /set WS_ID_FIELDS/ },
  },
  {
    name: 'the LLM-product shape without its type key',
    service: LLM_PRODUCT_SHAPE,
    harness: withoutSettings(LLM_PRODUCT_SETTINGS, 'WS_TYPE_KEY'),
    grep: 'over HTTP',
    fails: { stage: 'websocket', message: /set WS_TYPE_KEY/ },
  },
  {
    name: 'the gateway shape read with the contract login',
    service: GATEWAY_SHAPE,
    harness: { HEALTH_PATH: '/healthz', READINESS_PATH: '/readyz', WS_AUTH_ACCEPTED: 'subprotocol,header,query' },
    grep: 'over HTTP',
    fails: { stage: 'auth', message: /LOGIN_PATH/ },
  },
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
    grep: 'over HTTP',
    fails: { stage: 'websocket', message: /set WS_AUTH to a transport it accepts/ },
  },
  {
    name: 'payload envelope, but the harness expects root',
    service: { WS_ENVELOPE: 'payload' },
    harness: { WS_ENVELOPE: 'root' },
    grep: 'over HTTP',
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
    grep: 'over HTTP',
    fails: { stage: 'websocket', message: /add it to WS_WELCOME_TYPES/ },
  },
];
