import { z } from 'zod';
import { CRITICAL_EVENTS } from '../protocol/events.ts';
import type { LatencyThresholds } from '../protocol/latency.ts';
import type { ProtocolProfile } from '../protocol/profile.ts';
import type { WsAuthTransport } from '../ws/recording-socket.ts';

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
  wsAuth: WsAuthTransport;
  /** The transports the target accepts on the upgrade (WS_AUTH_ACCEPTED); the others must be refused. */
  wsAuthAccepted: WsAuthTransport[];
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
}

export type LoginStrategy = 'ui' | 'api-token' | 'bypass';

export interface LoginSettings {
  /** ui: the login form; api-token: an API login whose token is put in the page's storage; bypass: a test-login endpoint. */
  strategy: LoginStrategy;
  /** The localStorage key the UI reads its access token from. */
  tokenStorageKey: string;
  bypass: { path: string; header: string; key: string | undefined };
}

/** The contract's UI hooks, the keys UI_SELECTORS may override. */
export const UI_TEST_IDS = ['login-email', 'login-password', 'login-submit', 'login-error', 'chat-input', 'chat-send', 'assistant-message'] as const;

const wholeMilliseconds = z.coerce.number('must be a whole number of milliseconds').int('must be a whole number of milliseconds').positive('must be more than 0 ms');
const milliseconds = (fallback: number) => wholeMilliseconds.default(fallback);
const optionalMilliseconds = wholeMilliseconds.optional();

/** A JSON object of non-empty strings, with its keys limited to `keys`. */
const jsonMap = (keys: readonly string[], example: string) =>
  z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `is not JSON (e.g. ${example})` });
        return z.NEVER;
      }
    })
    .pipe(
      z.record(z.string(), z.string().min(1, 'maps a name to an empty string'), `must be a JSON object of strings, e.g. ${example}`).superRefine((map, context) => {
        const unknown = Object.keys(map).filter((key) => !keys.includes(key));
        if (unknown.length > 0) context.addIssue({ code: 'custom', message: `names ${unknown.join(', ')}, which is not one of ${keys.join(', ')}` });
      }),
    );

const schema = z.object({
  TARGET: z.enum(['local', 'external']).default('local'),
  TARGET_PROFILE: z.string().regex(/^[\w-]+$/, 'must be a profile name like "staging"').optional(),
  BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  WS_URL: z.url({ protocol: /^wss?$/, error: 'must be a ws(s):// URL' }).optional(),
  TEST_USER_EMAIL: z.email('must be an email address').optional(),
  TEST_USER_PASSWORD: z.string().optional(),
  TEST_USER2_EMAIL: z.email('must be an email address').optional(),
  TEST_USER2_PASSWORD: z.string().optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  WS_AUTH: z.enum(['subprotocol', 'header', 'query', 'ticket'], 'must be one of subprotocol, header, query, ticket').default('subprotocol'),
  WS_AUTH_ACCEPTED: z
    .string()
    .regex(/^\s*(subprotocol|header|query|ticket)(\s*,\s*(subprotocol|header|query|ticket))*\s*$/, 'must be a comma list of subprotocol, header, query, ticket')
    .default('subprotocol,header,query,ticket'),
  POSTGRES_IMAGE: z.string().default('postgres:16-alpine'),
  REDIS_IMAGE: z.string().default('redis:7-alpine'),
  LOCAL_STACK_REUSE: z.enum(['true', 'false'], 'must be true or false').default('false'),
  LOCAL_SERVICE_FAULTS: z
    .string()
    .regex(/^\s*[a-z_0-9]+(:[^,]+)?(\s*,\s*[a-z_0-9]+(:[^,]+)?)*\s*$/, 'must be a comma list of fault switches, name or name:parameter')
    .optional(),
  LATENCY_CONNECT_MS: milliseconds(2000),
  LATENCY_FIRST_EVENT_MS: milliseconds(3000),
  LATENCY_COMPLETION_MS: milliseconds(10_000),
  // Unset: half the failing threshold, so lowering a failing threshold alone never contradicts its default.
  LATENCY_CONNECT_DEGRADED_MS: optionalMilliseconds,
  LATENCY_FIRST_EVENT_DEGRADED_MS: optionalMilliseconds,
  LATENCY_COMPLETION_DEGRADED_MS: optionalMilliseconds,
  WS_ENVELOPE: z.enum(['auto', 'root', 'payload', 'data'], 'must be one of auto, root, payload, data').default('auto'),
  WS_WELCOME_TYPES: z
    .string()
    .regex(/^\s*[\w.:-]+(\s*,\s*[\w.:-]+)*\s*$/, 'must be a comma list of frame types, e.g. connection_established,connection_ready')
    .default('connection_established,connection_ready'),
  EVENT_NAME_MAP: jsonMap([...CRITICAL_EVENTS, 'error'], '{"agent_started":"run.started"}').optional(),
  UI_SELECTORS: jsonMap(UI_TEST_IDS, '{"login-email":"#email"}').optional(),
  LOGIN_STRATEGY: z.enum(['ui', 'api-token', 'bypass'], 'must be one of ui, api-token, bypass').default('ui'),
  TOKEN_STORAGE_KEY: z.string().min(1).default('netra_access_token'),
  BYPASS_LOGIN_PATH: z.string().regex(/^\//, 'must be a path starting with /').default('/auth/test-login'),
  BYPASS_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name').default('X-Test-Bypass-Key'),
  BYPASS_KEY: z.string().min(1).optional(),
});

/** How to fix each setting, shown beside its problem. */
const FIXES: Record<string, string> = {
  TARGET: 'set TARGET=local (spin up everything here) or TARGET=external (test BASE_URL)',
  BASE_URL: "set BASE_URL to the service's address, e.g. https://staging.example.com",
  WS_URL: 'set WS_URL to the WebSocket endpoint, e.g. wss://staging.example.com/ws, or unset it to derive it from BASE_URL',
  TEST_USER_EMAIL: 'set TEST_USER_EMAIL to the email of a test account on the target (with TEST_USER_PASSWORD)',
  TEST_USER_PASSWORD: 'set TEST_USER_PASSWORD to the password of that account (with TEST_USER_EMAIL)',
  TEST_USER2_EMAIL: 'set both TEST_USER2_EMAIL and TEST_USER2_PASSWORD, or neither',
  TEST_USER2_PASSWORD: 'set both TEST_USER2_EMAIL and TEST_USER2_PASSWORD, or neither',
  LATENCY_CONNECT_DEGRADED_MS: 'set LATENCY_CONNECT_DEGRADED_MS below LATENCY_CONNECT_MS: past it a run is degraded, not failed',
  LATENCY_FIRST_EVENT_DEGRADED_MS: 'set LATENCY_FIRST_EVENT_DEGRADED_MS below LATENCY_FIRST_EVENT_MS: past it a run is degraded, not failed',
  LATENCY_COMPLETION_DEGRADED_MS: 'set LATENCY_COMPLETION_DEGRADED_MS below LATENCY_COMPLETION_MS: past it a run is degraded, not failed',
  WS_AUTH_ACCEPTED: 'set WS_AUTH_ACCEPTED to the transports the target accepts, e.g. ticket behind a load balancer that strips Authorization',
  WS_ENVELOPE: 'set WS_ENVELOPE to where the service puts event fields: root, payload, data, or auto (any of them)',
  WS_WELCOME_TYPES: "set WS_WELCOME_TYPES to the service's first-frame type(s), comma-separated",
  EVENT_NAME_MAP: "set EVENT_NAME_MAP to a JSON object from the contract's event names to the service's, or unset it",
  UI_SELECTORS: "set UI_SELECTORS to a JSON object from the contract's data-testids to this UI's selectors, or unset it",
  LOGIN_STRATEGY: 'set LOGIN_STRATEGY to ui (the login form), api-token (API login, token put in the page) or bypass (a test-login endpoint)',
  BYPASS_KEY: 'set BYPASS_KEY to the key of the test-login endpoint (LOGIN_STRATEGY=bypass), or choose another LOGIN_STRATEGY',
  BYPASS_LOGIN_PATH: 'set BYPASS_LOGIN_PATH to the test-login endpoint, e.g. /auth/test-login',
  BYPASS_HEADER: 'set BYPASS_HEADER to the header that carries the bypass key, e.g. X-Test-Bypass-Key',
  LOCAL_STACK_REUSE: 'set LOCAL_STACK_REUSE=true to keep the local containers between runs (npm run stack:down removes them), or unset it',
  LOCAL_SERVICE_FAULTS: 'set LOCAL_SERVICE_FAULTS to fault switches of the bundled service, e.g. drop_event:tool_completed, or unset it (see the README\'s fault table)',
  JWT_SECRET: "set JWT_SECRET to the target's HS256 signing key, or unset it (minted-token tests are then skipped)",
  LATENCY_CONNECT_MS: 'set LATENCY_CONNECT_MS to the most milliseconds from socket creation to its welcome frame, e.g. 2000',
  LATENCY_FIRST_EVENT_MS: "set LATENCY_FIRST_EVENT_MS to the most milliseconds from the prompt to the run's first event, e.g. 3000",
  LATENCY_COMPLETION_MS: 'set LATENCY_COMPLETION_MS to the most milliseconds from the prompt to agent_completed, e.g. 10000',
};

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} setting(s) missing or malformed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/** The WebSocket URL of a service: `ws(s)://<host>/ws` beside its http(s) base URL. */
export function deriveWsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/$/, '')}/ws`;
  return url.toString();
}

export interface SettingsOptions {
  /**
   * Whether an external target needs TEST_USER_EMAIL and TEST_USER_PASSWORD: the suite does (it logs in
   * as that account); `npm run load` does not (its users come from LOAD_USERS_FILE or JWT_SECRET).
   */
  requireTestAccount?: boolean;
}

/** Validates every setting at once; throws a SettingsError that lists each problem with its fix. */
export function loadSettings(env: NodeJS.ProcessEnv, { requireTestAccount = true }: SettingsOptions = {}): HarnessSettings {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(blankAsUnset);
  const problems: string[] = [];
  const problem = (name: string, text: string) => problems.push(`${name} ${text}${FIXES[name] ? `: ${FIXES[name]}` : ''}`);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problem(String(issue.path[0]), issue.message);
  }
  if (blankAsUnset.LOCAL_STACK_REUSE === 'true' && env.CI) {
    problem('LOCAL_STACK_REUSE', 'is true, but CI is set: a CI run starts and stops its own containers, so that nothing outlives it');
  }
  // Checked on the raw values too, so a malformed setting does not hide a missing one.
  if (blankAsUnset.TARGET === 'external') {
    if (blankAsUnset.LOCAL_SERVICE_FAULTS !== undefined) problem('LOCAL_SERVICE_FAULTS', 'is set, but TARGET=external starts no service to break');
    for (const name of ['BASE_URL', ...(requireTestAccount ? (['TEST_USER_EMAIL', 'TEST_USER_PASSWORD'] as const) : [])] as const) {
      if (blankAsUnset[name] === undefined) problem(name, 'is not set (required when TARGET=external)');
    }
  }
  for (const [email, password] of [
    ['TEST_USER_EMAIL', 'TEST_USER_PASSWORD'],
    ['TEST_USER2_EMAIL', 'TEST_USER2_PASSWORD'],
  ] as const) {
    if ((blankAsUnset[email] === undefined) !== (blankAsUnset[password] === undefined)) {
      problem(blankAsUnset[email] === undefined ? email : password, 'is not set while its pair is');
    }
  }
  if (parsed.success && !parsed.data.WS_AUTH_ACCEPTED.includes(parsed.data.WS_AUTH)) {
    problem('WS_AUTH', `is ${parsed.data.WS_AUTH}, which WS_AUTH_ACCEPTED (${parsed.data.WS_AUTH_ACCEPTED}) says the target refuses: set WS_AUTH to one of those`);
  }
  if (blankAsUnset.LOGIN_STRATEGY === 'bypass' && blankAsUnset.BYPASS_KEY === undefined) problem('BYPASS_KEY', 'is not set (required when LOGIN_STRATEGY=bypass)');
  if (parsed.success) {
    const values = parsed.data;
    for (const [measure, failed, degraded] of [
      ['CONNECT', values.LATENCY_CONNECT_MS, values.LATENCY_CONNECT_DEGRADED_MS],
      ['FIRST_EVENT', values.LATENCY_FIRST_EVENT_MS, values.LATENCY_FIRST_EVENT_DEGRADED_MS],
      ['COMPLETION', values.LATENCY_COMPLETION_MS, values.LATENCY_COMPLETION_DEGRADED_MS],
    ] as const) {
      if (degraded !== undefined && degraded >= failed) problem(`LATENCY_${measure}_DEGRADED_MS`, `is ${degraded}, not below LATENCY_${measure}_MS (${failed})`);
    }
  }
  if (!parsed.success || problems.length > 0) throw new SettingsError(problems);

  const values = parsed.data;
  const external = values.TARGET === 'external';
  return {
    target: values.TARGET,
    profile: values.TARGET_PROFILE,
    baseUrl: external ? values.BASE_URL : undefined,
    wsUrl: external ? (values.WS_URL ?? deriveWsUrl(values.BASE_URL!)) : undefined,
    user: values.TEST_USER_EMAIL ? { email: values.TEST_USER_EMAIL, password: values.TEST_USER_PASSWORD! } : undefined,
    secondUser: values.TEST_USER2_EMAIL ? { email: values.TEST_USER2_EMAIL, password: values.TEST_USER2_PASSWORD! } : undefined,
    jwtSecret: values.JWT_SECRET,
    wsAuth: values.WS_AUTH,
    wsAuthAccepted: values.WS_AUTH_ACCEPTED.split(',').map((transport) => transport.trim() as WsAuthTransport),
    postgresImage: values.POSTGRES_IMAGE,
    redisImage: values.REDIS_IMAGE,
    localStackReuse: values.LOCAL_STACK_REUSE === 'true',
    localServiceFaults: values.LOCAL_SERVICE_FAULTS?.split(',').map((fault) => fault.trim()) ?? [],
    latency: {
      connectMs: values.LATENCY_CONNECT_MS,
      firstEventMs: values.LATENCY_FIRST_EVENT_MS,
      completionMs: values.LATENCY_COMPLETION_MS,
    },
    degradedLatency: {
      connectMs: values.LATENCY_CONNECT_DEGRADED_MS ?? Math.floor(values.LATENCY_CONNECT_MS / 2),
      firstEventMs: values.LATENCY_FIRST_EVENT_DEGRADED_MS ?? Math.floor(values.LATENCY_FIRST_EVENT_MS / 2),
      completionMs: values.LATENCY_COMPLETION_DEGRADED_MS ?? Math.floor(values.LATENCY_COMPLETION_MS / 2),
    },
    protocol: {
      envelope: values.WS_ENVELOPE,
      welcomeTypes: values.WS_WELCOME_TYPES.split(',').map((type) => type.trim()),
      eventNames: values.EVENT_NAME_MAP ?? {},
    },
    login: {
      strategy: values.LOGIN_STRATEGY,
      tokenStorageKey: values.TOKEN_STORAGE_KEY,
      bypass: { path: values.BYPASS_LOGIN_PATH, header: values.BYPASS_HEADER, key: values.BYPASS_KEY },
    },
    uiSelectors: values.UI_SELECTORS ?? {},
  };
}
