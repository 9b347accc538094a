import type { LatencyThresholds } from '../../protocol/latency.ts';
import type { ProtocolProfile } from '../../protocol/profile.ts';
import type { WsAuthTransport } from '../../ws/recording-socket.ts';

export interface Account {
  email: string;
  password: string;
}

export interface HarnessSettings {
  target: 'local' | 'external';
  profile: string | undefined;
  /** External targets only; a local run learns its URLs from the service it starts. */
  baseUrl: string | undefined;
  wsUrl: string | undefined;
  user: Account | undefined;
  secondUser: Account | undefined;
  jwtSecret: string | undefined;
  /** The target's liveness endpoint (HEALTH_PATH), which the preflight asks before anything starts. */
  healthPath: string;
  /** The target's readiness endpoint (READINESS_PATH); a target without one gets the check skipped. */
  readinessPath: string;
  wsAuth: WsAuthTransport;
  /** The transports the target accepts on the upgrade (WS_AUTH_ACCEPTED); the others must be refused. */
  wsAuthAccepted: WsAuthTransport[];
  ticket: TicketSettings;
  postgresImage: string;
  redisImage: string;
  /** LOCAL_STACK_REUSE: the Postgres and Redis containers are kept for the next run, and taken from the last. */
  localStackReuse: boolean;
  /** Fault switches for the bundled service of a local run (LOCAL_SERVICE_FAULTS): a red run on purpose. */
  localServiceFaults: string[];
  latency: LatencyThresholds;
  /** Past these, a run is degraded: reported, not failed. Each is below its failing threshold. */
  degradedLatency: LatencyThresholds;
  protocol: ProtocolProfile;
  login: LoginSettings;
  /** Contract data-testid → the Playwright selector this UI uses instead (UI_SELECTORS). */
  uiSelectors: Record<string, string>;
  /** A prompt with {{nonce}} for agents that do not do arithmetic (GOLDEN_PROMPT); unset, the arithmetic prompt. */
  goldenPrompt: string | undefined;
  evidence: EvidenceSettings;
}

/** Where a run writes its evidence and what it keeps (see evidenceLocations for the code that runs before the settings). */
export interface EvidenceSettings {
  trace: 'off' | 'on' | 'retain-on-failure';
  reportsDir: string;
  testResultsDir: string;
  reportUrl: string | undefined;
}

export type LoginStrategy = 'ui' | 'api-token' | 'bypass';

export interface LoginSettings {
  /** ui: the login form; api-token: an API login whose token is put in the page's storage; bypass: a test-login endpoint. */
  strategy: LoginStrategy;
  /** The auth service where it is a host of its own (AUTH_URL); undefined: the target's own address. */
  authUrl: string | undefined;
  /** The password login: its path and JSON body, with {{email}} and {{password}}. */
  path: string;
  body: string;
  /** Where the access token and the user id sit in a login's answer (dotted paths). */
  tokenPath: string;
  userIdPath: string;
  /** The localStorage key the UI reads its access token from. */
  tokenStorageKey: string;
  bypass: { path: string; header: string; key: string | undefined; body: string };
}

/** The ticket endpoint of the ticket transport, and where its answer holds the ticket. */
export interface TicketSettings {
  path: string;
  field: string;
}

/** The contract's UI hooks, the keys UI_SELECTORS may override. */
export const UI_TEST_IDS = ['login-email', 'login-password', 'login-submit', 'login-error', 'chat-input', 'chat-send', 'assistant-message'] as const;
