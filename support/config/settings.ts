import { z } from 'zod';
import { CRITICAL_EVENTS } from '../protocol/events.ts';
import type { LatencyThresholds } from '../protocol/latency.ts';
import { CONTRACT_START_MESSAGE, type ProtocolProfile } from '../protocol/profile.ts';
import type { WsAuthTransport } from '../ws/recording-socket.ts';
import { problemList } from './problem-list.ts';
import { fillFields, type EveryFieldFilled, type FieldPath, type Setting } from './setting-table.ts';

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
  /** The target's readiness endpoint (READINESS_PATH); a target without one gets the check skipped. */
  readinessPath: string;
  /** A prompt with {{nonce}} for agents that do not do arithmetic (GOLDEN_PROMPT); unset, the arithmetic prompt. */
  goldenPrompt: string | undefined;
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

const wholeMilliseconds = z.coerce
  .number('must be a whole number of milliseconds')
  .int('must be a whole number of milliseconds')
  .positive('must be more than 0 ms');

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
      z
        .record(z.string(), z.string().min(1, 'maps a name to an empty string'), `must be a JSON object of strings, e.g. ${example}`)
        .superRefine((map, context) => {
          const unknown = Object.keys(map).filter((key) => !keys.includes(key));
          if (unknown.length > 0) context.addIssue({ code: 'custom', message: `names ${unknown.join(', ')}, which is not one of ${keys.join(', ')}` });
        }),
    );

/** A comma-separated list whose items `pattern` limits to `Item`s, read as those items. */
const commaList = <Item extends string = string>(pattern: RegExp, message: string) =>
  z
    .string()
    .regex(pattern, message)
    .transform((list) => list.split(',').map((item) => item.trim() as Item));

function isJsonObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const setting = <Path extends FieldPath<HarnessSettings>, Read>(declaration: Setting<HarnessSettings, Path, Read>) => declaration;

/**
 * Past a degraded threshold a run is degraded: reported, not failed. Unset, it is half the failing
 * threshold, so lowering a failing threshold alone never contradicts its default.
 */
const degradedThreshold = (measure: 'CONNECT' | 'FIRST_EVENT' | 'COMPLETION', field: keyof LatencyThresholds) =>
  setting({
    at: `degradedLatency.${field}`,
    schema: wholeMilliseconds.optional(),
    resolve: (degraded, read) => degraded ?? Math.floor(read.latency[field] / 2),
    fix: `set LATENCY_${measure}_DEGRADED_MS below LATENCY_${measure}_MS: past it a run is degraded, not failed`,
  });

const SECOND_USER_FIX = 'set both TEST_USER2_EMAIL and TEST_USER2_PASSWORD, or neither';

/**
 * Every setting, in the order its problems are listed: its schema (the default is the schema's), the field
 * of HarnessSettings it fills, and how to fix a problem with it. A new setting is one entry here.
 */
const SETTINGS = {
  TARGET: setting({
    at: 'target',
    schema: z.enum(['local', 'external']).default('local'),
    fix: 'set TARGET=local (spin up everything here) or TARGET=external (test BASE_URL)',
  }),
  TARGET_PROFILE: setting({
    at: 'profile',
    schema: z
      .string()
      .regex(/^[\w-]+$/, 'must be a profile name like "staging"')
      .optional(),
  }),
  // A local run learns its URLs from the service it starts.
  BASE_URL: setting({
    at: 'baseUrl',
    schema: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    resolve: (baseUrl, read) => (read.target === 'external' ? baseUrl : undefined),
    fix: "set BASE_URL to the service's address, e.g. https://staging.example.com",
  }),
  WS_URL: setting({
    at: 'wsUrl',
    schema: z.url({ protocol: /^wss?$/, error: 'must be a ws(s):// URL' }).optional(),
    resolve: (wsUrl, read) => (read.target === 'external' ? (wsUrl ?? (read.baseUrl && deriveWsUrl(read.baseUrl))) : undefined),
    fix: 'set WS_URL to the WebSocket endpoint, e.g. wss://staging.example.com/ws, or unset it to derive it from BASE_URL',
  }),
  TEST_USER_EMAIL: setting({
    at: 'user.email',
    schema: z.email('must be an email address').optional(),
    fix: 'set TEST_USER_EMAIL to the email of a test account on the target (with TEST_USER_PASSWORD)',
  }),
  TEST_USER_PASSWORD: setting({
    at: 'user.password',
    schema: z.string().optional(),
    fix: 'set TEST_USER_PASSWORD to the password of that account (with TEST_USER_EMAIL)',
  }),
  TEST_USER2_EMAIL: setting({ at: 'secondUser.email', schema: z.email('must be an email address').optional(), fix: SECOND_USER_FIX }),
  TEST_USER2_PASSWORD: setting({ at: 'secondUser.password', schema: z.string().optional(), fix: SECOND_USER_FIX }),
  JWT_SECRET: setting({
    at: 'jwtSecret',
    schema: z.string().min(32, 'must be at least 32 characters').optional(),
    fix: "set JWT_SECRET to the target's HS256 signing key, or unset it (minted-token tests are then skipped)",
  }),
  WS_AUTH: setting({
    at: 'wsAuth',
    schema: z.enum(['subprotocol', 'header', 'query', 'ticket'], 'must be one of subprotocol, header, query, ticket').default('subprotocol'),
  }),
  WS_AUTH_ACCEPTED: setting({
    at: 'wsAuthAccepted',
    schema: commaList<WsAuthTransport>(
      /^\s*(subprotocol|header|query|ticket)(\s*,\s*(subprotocol|header|query|ticket))*\s*$/,
      'must be a comma list of subprotocol, header, query, ticket',
    ).default(['subprotocol', 'header', 'query', 'ticket']),
    fix: 'set WS_AUTH_ACCEPTED to the transports the target accepts, e.g. ticket behind a load balancer that strips Authorization',
  }),
  POSTGRES_IMAGE: setting({ at: 'postgresImage', schema: z.string().default('postgres:16-alpine') }),
  REDIS_IMAGE: setting({ at: 'redisImage', schema: z.string().default('redis:7-alpine') }),
  LOCAL_STACK_REUSE: setting({
    at: 'localStackReuse',
    schema: z
      .enum(['true', 'false'], 'must be true or false')
      .default('false')
      .transform((reuse) => reuse === 'true'),
    fix: 'set LOCAL_STACK_REUSE=true to keep the local containers between runs (npm run stack:down removes them), or unset it',
  }),
  LOCAL_SERVICE_FAULTS: setting({
    at: 'localServiceFaults',
    schema: commaList(/^\s*[a-z_0-9]+(:[^,]+)?(\s*,\s*[a-z_0-9]+(:[^,]+)?)*\s*$/, 'must be a comma list of fault switches, name or name:parameter').default([]),
    fix: "set LOCAL_SERVICE_FAULTS to fault switches of the bundled service, e.g. drop_event:tool_completed, or unset it (see the README's fault table)",
  }),
  LATENCY_CONNECT_MS: setting({
    at: 'latency.connectMs',
    schema: wholeMilliseconds.default(2000),
    fix: 'set LATENCY_CONNECT_MS to the most milliseconds from socket creation to its welcome frame, e.g. 2000',
  }),
  LATENCY_FIRST_EVENT_MS: setting({
    at: 'latency.firstEventMs',
    schema: wholeMilliseconds.default(3000),
    fix: "set LATENCY_FIRST_EVENT_MS to the most milliseconds from the prompt to the run's first event, e.g. 3000",
  }),
  LATENCY_COMPLETION_MS: setting({
    at: 'latency.completionMs',
    schema: wholeMilliseconds.default(10_000),
    fix: 'set LATENCY_COMPLETION_MS to the most milliseconds from the prompt to agent_completed, e.g. 10000',
  }),
  LATENCY_CONNECT_DEGRADED_MS: degradedThreshold('CONNECT', 'connectMs'),
  LATENCY_FIRST_EVENT_DEGRADED_MS: degradedThreshold('FIRST_EVENT', 'firstEventMs'),
  LATENCY_COMPLETION_DEGRADED_MS: degradedThreshold('COMPLETION', 'completionMs'),
  WS_ENVELOPE: setting({
    at: 'protocol.envelope',
    schema: z.enum(['auto', 'root', 'payload', 'data'], 'must be one of auto, root, payload, data').default('auto'),
    fix: 'set WS_ENVELOPE to where the service puts event fields: root, payload, data, or auto (any of them)',
  }),
  WS_WELCOME_TYPES: setting({
    at: 'protocol.welcomeTypes',
    schema: commaList(/^\s*[\w.:-]+(\s*,\s*[\w.:-]+)*\s*$/, 'must be a comma list of frame types, e.g. connection_established,connection_ready').default([
      'connection_established',
      'connection_ready',
    ]),
    fix: "set WS_WELCOME_TYPES to the service's first-frame type(s), comma-separated",
  }),
  EVENT_NAME_MAP: setting({
    at: 'protocol.eventNames',
    schema: jsonMap([...CRITICAL_EVENTS, 'error'], '{"agent_started":"run.started"}').default({}),
    fix: "set EVENT_NAME_MAP to a JSON object from the contract's event names to the service's, or unset it",
  }),
  START_MESSAGE: setting({
    at: 'protocol.startMessage',
    schema: z
      .string()
      .refine((template) => isJsonObjectText(template), 'is not a JSON object')
      .refine((template) => template.includes('{{text}}'), 'has no {{text}} for the prompt')
      .default(CONTRACT_START_MESSAGE),
    fix: 'set START_MESSAGE to the JSON start message with {{text}} (and {{thread_id}}, {{request_id}} where the service reads them), e.g. {"type":"user_message","payload":{"text":"{{text}}","thread_id":"{{thread_id}}"}}',
  }),
  ANSWER_PATH: setting({
    at: 'protocol.answerPath',
    schema: z
      .string()
      .regex(/^[\w-]+(\.[\w-]+)*$/, 'must be a dotted path, e.g. final_response.response or output.0.content.0.text')
      .default('final_response'),
    fix: 'set ANSWER_PATH to where the answer text sits in agent_completed, e.g. final_response.response',
  }),
  RUN_EXTRA_EVENTS: setting({
    at: 'protocol.extraRunEvents',
    schema: commaList(/^\s*[\w.:-]+(\s*,\s*[\w.:-]+)*\s*$/, 'must be a comma list of event types, e.g. agent_response_chunk').default([]),
    fix: 'set RUN_EXTRA_EVENTS to the event types the service sends inside a run besides the five (chunks, deltas, progress), or unset it',
  }),
  EVENT_FIELDS: setting({
    at: 'protocol.eventFields',
    schema: z.enum(['strict', 'essential'], 'must be strict or essential').default('strict'),
    fix: "set EVENT_FIELDS=essential to require only what correctness needs (run id, bindings, execution ids, the answer), or strict for the contract's every field",
  }),
  READINESS_PATH: setting({
    at: 'readinessPath',
    schema: z.string().regex(/^\//, 'must be a path starting with /').default('/health/ready'),
    fix: "set READINESS_PATH to the target's readiness endpoint, e.g. /health/ready",
  }),
  GOLDEN_PROMPT: setting({
    at: 'goldenPrompt',
    schema: z
      .string()
      .refine((template) => template.includes('{{nonce}}'), 'has no {{nonce}}: the answer could not be told from a canned one')
      .optional(),
    fix: 'set GOLDEN_PROMPT to a prompt with {{nonce}} that the answer must repeat, e.g. "Reply with the code {{nonce}}", or unset it for the arithmetic prompt',
  }),
  UI_SELECTORS: setting({
    at: 'uiSelectors',
    schema: jsonMap(UI_TEST_IDS, '{"login-email":"#email"}').default({}),
    fix: "set UI_SELECTORS to a JSON object from the contract's data-testids to this UI's selectors, or unset it",
  }),
  LOGIN_STRATEGY: setting({
    at: 'login.strategy',
    schema: z.enum(['ui', 'api-token', 'bypass'], 'must be one of ui, api-token, bypass').default('ui'),
    fix: 'set LOGIN_STRATEGY to ui (the login form), api-token (API login, token put in the page) or bypass (a test-login endpoint)',
  }),
  TOKEN_STORAGE_KEY: setting({ at: 'login.tokenStorageKey', schema: z.string().min(1).default('netra_access_token') }),
  BYPASS_LOGIN_PATH: setting({
    at: 'login.bypass.path',
    schema: z.string().regex(/^\//, 'must be a path starting with /').default('/auth/test-login'),
    fix: 'set BYPASS_LOGIN_PATH to the test-login endpoint, e.g. /auth/test-login',
  }),
  BYPASS_HEADER: setting({
    at: 'login.bypass.header',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
      .default('X-Test-Bypass-Key'),
    fix: 'set BYPASS_HEADER to the header that carries the bypass key, e.g. X-Test-Bypass-Key',
  }),
  BYPASS_KEY: setting({
    at: 'login.bypass.key',
    schema: z.string().min(1).optional(),
    fix: 'set BYPASS_KEY to the key of the test-login endpoint (LOGIN_STRATEGY=bypass), or choose another LOGIN_STRATEGY',
  }),
};

// Compiles only while every field of HarnessSettings has its setting above (else the error names the field).
true satisfies EveryFieldFilled<HarnessSettings, typeof SETTINGS>;

type SettingName = keyof typeof SETTINGS;

const schema = z.object(Object.fromEntries(Object.entries(SETTINGS).map(([name, { schema }]) => [name, schema])));

/** The environment as given, a blank value counted as unset. */
type GivenEnv = Partial<Record<string, string>>;

/**
 * A rule between settings: when `broken`, its problem is reported on `setting`, with that setting's fix.
 * A rule `on: 'env'` reads the values as given, malformed or not, so a malformed setting does not hide a
 * missing one; a rule `on: 'settings'` reads them once every one is valid.
 */
type CrossCheck = { setting: SettingName } & (
  | { on: 'env'; broken: (env: GivenEnv, options: Required<SettingsOptions>) => boolean; problem: string }
  | { on: 'settings'; broken: (settings: HarnessSettings) => boolean; problem: (settings: HarnessSettings, env: GivenEnv) => string }
);

const requiredWhenExternal = (setting: SettingName, onlyIf: (options: Required<SettingsOptions>) => boolean = () => true): CrossCheck => ({
  setting,
  on: 'env',
  broken: (env, options) => env.TARGET === 'external' && onlyIf(options) && env[setting] === undefined,
  problem: 'is not set (required when TARGET=external)',
});

const bothOrNeither = (first: SettingName, second: SettingName): CrossCheck[] =>
  (
    [
      [first, second],
      [second, first],
    ] as const
  ).map(([unset, pair]) => ({
    setting: unset,
    on: 'env',
    broken: (env) => env[pair] !== undefined && env[unset] === undefined,
    problem: 'is not set while its pair is',
  }));

const degradedBelowFailing = (measure: 'CONNECT' | 'FIRST_EVENT' | 'COMPLETION', field: keyof LatencyThresholds): CrossCheck => ({
  setting: `LATENCY_${measure}_DEGRADED_MS`,
  on: 'settings',
  broken: (settings) => settings.degradedLatency[field] >= settings.latency[field],
  problem: (settings) => `is ${settings.degradedLatency[field]}, not below LATENCY_${measure}_MS (${settings.latency[field]})`,
});

/** The rules between settings, in the order their problems are listed (after the malformed values). */
const CROSS_CHECKS: CrossCheck[] = [
  {
    setting: 'LOCAL_STACK_REUSE',
    on: 'env',
    broken: (env) => env.LOCAL_STACK_REUSE === 'true' && env.CI !== undefined,
    problem: 'is true, but CI is set: a CI run starts and stops its own containers, so that nothing outlives it',
  },
  {
    setting: 'LOCAL_SERVICE_FAULTS',
    on: 'env',
    broken: (env) => env.TARGET === 'external' && env.LOCAL_SERVICE_FAULTS !== undefined,
    problem: 'is set, but TARGET=external starts no service to break',
  },
  requiredWhenExternal('BASE_URL'),
  requiredWhenExternal('TEST_USER_EMAIL', (options) => options.requireTestAccount),
  requiredWhenExternal('TEST_USER_PASSWORD', (options) => options.requireTestAccount),
  ...bothOrNeither('TEST_USER_EMAIL', 'TEST_USER_PASSWORD'),
  ...bothOrNeither('TEST_USER2_EMAIL', 'TEST_USER2_PASSWORD'),
  {
    setting: 'WS_AUTH',
    on: 'settings',
    broken: (settings) => !settings.wsAuthAccepted.includes(settings.wsAuth),
    problem: (settings, env) => `is ${settings.wsAuth}, which WS_AUTH_ACCEPTED (${env.WS_AUTH_ACCEPTED}) says the target refuses: set WS_AUTH to one of those`,
  },
  {
    setting: 'BYPASS_KEY',
    on: 'env',
    broken: (env) => env.LOGIN_STRATEGY === 'bypass' && env.BYPASS_KEY === undefined,
    problem: 'is not set (required when LOGIN_STRATEGY=bypass)',
  },
  degradedBelowFailing('CONNECT', 'connectMs'),
  degradedBelowFailing('FIRST_EVENT', 'firstEventMs'),
  degradedBelowFailing('COMPLETION', 'completionMs'),
];

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problemList('setting(s) missing or malformed', problems));
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
  const given: GivenEnv = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(given);
  const settings = parsed.success ? fillFields(SETTINGS, parsed.data) : undefined;
  const malformed = parsed.error?.issues.map((issue) => withFix(issue.path[0] as SettingName, issue.message)) ?? [];
  const broken = CROSS_CHECKS.flatMap((check) => {
    if (check.on === 'env') return check.broken(given, { requireTestAccount }) ? [withFix(check.setting, check.problem)] : [];
    return settings && check.broken(settings) ? [withFix(check.setting, check.problem(settings, given))] : [];
  });
  if (!settings || malformed.length + broken.length > 0) throw new SettingsError([...malformed, ...broken]);
  return settings;
}

/** A problem as listed: the setting, what is wrong with it, and how to fix it. */
function withFix(setting: SettingName, problem: string): string {
  const { fix } = SETTINGS[setting];
  return `${setting} ${problem}${fix ? `: ${fix}` : ''}`;
}
