/**
 * The reference service's environments for the three shapes of issue 22: real services the harness must
 * pass in their own shape. Plain settings, so the self-test can copy them into its target variants.
 */

/** The later product's test-login key: a fixed test-only value (it opens any account of a TEST_MODE service). */
export const LATER_PRODUCT_BYPASS_KEY = 'later-product-e2e-bypass-key';

/** The same product a month later (docs/REAL-SERVICES.md): its own auth host, env-bound socket credentials, a handshake, wrapped events, sub-agents. */
export const LATER_PRODUCT_SHAPE: Record<string, string> = {
  AUTH_PORT: '0',
  TEST_MODE: 'true',
  TEST_LOGIN_BYPASS_KEY: LATER_PRODUCT_BYPASS_KEY,
  TEST_LOGIN_PATH: '/auth/e2e/test-auth',
  TEST_LOGIN_HEADER: 'X-E2E-Bypass-Key',
  TEST_LOGIN_BODY: 'e2e',
  WS_AUTH_MODES: 'subprotocol,query,header',
  WS_AUTH_ENV: 'staging',
  TICKETS: 'false',
  WS_HANDSHAKE: 'before-welcome',
  WS_ENVELOPE: 'payload',
  WS_EVENT_WRAPPER: 'system_message',
  SUB_AGENTS: 'true',
  CLEANUP_EVENTS: 'true',
  ERROR_FRAME: 'error-field',
  START_MESSAGE: 'payload-content',
  ANSWER_FIELD: 'result',
  ANSWER_SHAPE: 'object',
  ECHO_PROMPT: 'false',
  WS_REFUSAL: 'error-then-close',
};

/** A service behind an API gateway: its own login path and answer, Kubernetes-style probes, camelCase ids, no tickets. */
export const GATEWAY_SHAPE: Record<string, string> = {
  LOGIN_PATH: '/api/auth/signin',
  LOGIN_RESPONSE: 'token',
  HEALTH_PATH: '/healthz',
  READY_PATH: '/readyz',
  WS_ID_NAMES: JSON.stringify({ run_id: 'runId', thread_id: 'threadId', user_id: 'userId', execution_id: 'toolCallId' }),
  TICKETS: 'false',
};

/** An LLM product's socket: frames typed under `event`, a chat.send message of content parts, its own event names and ids, a streamed answer. */
export const LLM_PRODUCT_SHAPE: Record<string, string> = {
  WS_TYPE_KEY: 'event',
  START_MESSAGE: 'nested',
  EVENT_NAMES: JSON.stringify({
    agent_started: 'run.started',
    agent_thinking: 'run.thinking',
    tool_executing: 'tool.started',
    tool_completed: 'tool.finished',
    agent_completed: 'run.completed',
  }),
  WS_ID_NAMES: JSON.stringify({ run_id: 'runId', thread_id: 'conversationId', execution_id: 'callId' }),
  ECHO_PROMPT: 'false',
  STREAM_CHUNKS: 'true',
};
