import type { Stage } from '../verdict/stages.ts';

/**
 * One row per fault switch of the reference service (or more, where several specs must each catch it):
 * the production failure it reproduces, the specs that must catch it, and the stage the verdict must
 * name. Adding a fault is adding a row; the self-test refuses to pass while the service offers a switch
 * that has none.
 */
export interface FaultRow {
  /** The FAULTS value: `name` or `name:parameter`. */
  fault: string;
  stage: Stage;
  /** Spec files (from the repository root) run against the faulty service. */
  specs: string[];
  /** How the harness notices, for the README's table. */
  noticedBy: string;
  /**
   * `external` (default): the service is started apart, with the fault, and the harness is pointed at it.
   * `local`: the harness starts the stack itself with LOCAL_SERVICE_FAULTS, for faults only a local run
   * can see (a service that never starts, a database the harness reads).
   */
  target?: 'external' | 'local';
  /** Further settings for the run, e.g. a tighter latency threshold. */
  env?: Record<string, string>;
}

const API = 'tests/golden-path/api.spec.ts';

export const FAULT_MATRIX: readonly FaultRow[] = [
  {
    fault: 'startup_dependency_missing',
    stage: 'infrastructure',
    specs: [API],
    target: 'local',
    noticedBy: 'the bundled service exits 3 at start; its one-line reason is in the error',
  },
  { fault: 'db_timeout', stage: 'auth', specs: [API], noticedBy: 'login answers 503 database_timeout' },
  { fault: 'login_503:4000', stage: 'auth', specs: [API], noticedBy: 'login answers 503 after 4 s' },
  { fault: 'ws_close_1011', stage: 'agent-events', specs: [API], noticedBy: 'the socket closes with 1011 before agent_completed' },
  { fault: 'drop_event:tool_completed', stage: 'agent-events', specs: [API], noticedBy: 'sequence rule: tool_completed missing for an execution_id' },
  { fault: 'reorder_events', stage: 'agent-events', specs: [API], noticedBy: 'sequence rule: agent_thinking before agent_started' },
  { fault: 'tool_before_thinking', stage: 'agent-events', specs: [API], noticedBy: 'sequence rule: tool_executing before any agent_thinking' },
  { fault: 'duplicate_event:agent_completed', stage: 'agent-events', specs: [API], noticedBy: 'sequence rule: agent_completed exactly once' },
  { fault: 'fallback_answer', stage: 'ai-response', specs: [API], noticedBy: "the answer does not carry this run's nonce" },
  {
    fault: 'wrong_answer',
    stage: 'ai-response',
    specs: [API],
    noticedBy: 'the answer carries a number one off the product: the check reads thousands separators, not nearby numbers',
  },
  {
    fault: 'cross_user_fanout',
    stage: 'isolation',
    specs: ['tests/isolation/concurrent-users.spec.ts'],
    noticedBy: "ownership check: a frame with another user's user_id/run_id",
  },
  {
    fault: 'cross_user_fanout',
    stage: 'isolation',
    specs: ['tests/isolation/many-users.spec.ts'],
    target: 'local',
    noticedBy: "100 users at once: every frame on every socket checked against its owner and the other users' run ids",
  },
  {
    fault: 'accept_expired_token',
    stage: 'security',
    specs: ['tests/auth/token-rejection.spec.ts'],
    noticedBy: '/auth/me and the WebSocket accept an expired token',
  },
  { fault: 'accept_alg_none', stage: 'security', specs: ['tests/auth/token-rejection.spec.ts'], noticedBy: 'an unsigned alg:none token is accepted' },
  { fault: 'accept_wrong_audience', stage: 'security', specs: ['tests/auth/token-rejection.spec.ts'], noticedBy: 'a token for another audience is accepted' },
  {
    fault: 'accept_foreign_origin',
    stage: 'security',
    specs: ['tests/auth/websocket-access.spec.ts'],
    noticedBy: 'an upgrade from Origin https://evil.example is welcomed',
  },
  {
    fault: 'accept_no_credential:/api/v1/websocket',
    stage: 'security',
    specs: ['tests/auth/websocket-access.spec.ts'],
    noticedBy: 'the alias /api/v1/websocket welcomes a socket with no credential as demo-user-001, while /ws refuses it',
  },
  {
    fault: 'relaxed_bad_token',
    stage: 'security',
    specs: ['tests/auth/token-rejection.spec.ts'],
    noticedBy: 'a bad token is welcomed; the failure names the identity given, relaxed-user',
  },
  {
    fault: 'welcome_wrong_user',
    stage: 'security',
    specs: ['tests/auth/websocket-access.spec.ts'],
    noticedBy: 'the welcome names the user id\'s first 8 characters and "...", not the token\'s user',
  },
  {
    fault: 'accept_foreign_thread',
    stage: 'security',
    specs: ['tests/isolation/thread-ownership.spec.ts'],
    noticedBy: "a message naming another user's thread starts a run in it",
  },
  {
    fault: 'logout_keeps_refresh_token',
    stage: 'security',
    specs: ['tests/auth/logout.spec.ts'],
    noticedBy: 'the refresh token still works after POST /auth/logout',
  },
  {
    fault: 'crash_on_bad_frame',
    stage: 'security',
    specs: ['tests/auth/hostile-frames.spec.ts'],
    noticedBy: 'the socket ends with 1006 on a frame that is not JSON, and the next golden path finds no service',
  },
  {
    fault: 'slow_agent:3000',
    stage: 'latency',
    specs: [API],
    env: { LATENCY_COMPLETION_MS: '2000' },
    noticedBy: 'agent_completed arrives after the completion threshold (2 s here)',
  },
  { fault: 'ui_no_render', stage: 'ui', specs: ['tests/golden-path/browser.spec.ts'], noticedBy: 'the events arrive, but the answer never shows in the page' },
  {
    fault: 'answer_not_persisted',
    stage: 'persistence',
    specs: ['tests/golden-path/usage-report.spec.ts'],
    target: 'local',
    noticedBy: 'the messages table has the prompt but not the answer for the run id',
  },
];
