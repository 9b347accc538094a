import { z } from 'zod';
import { StartupError } from './startup-error.ts';
import { parseFaults, type Faults } from './faults.ts';
import type { TestLoginSettings } from './auth/test-login.ts';
import { ANSWER_SHAPES } from './agent/answer-shape.ts';
import { EVENT_USER_IDS } from './agent/run-binding.ts';
import { TOOL_DURATION_FIELDS } from './agent/tool-duration.ts';
import { ANSWER_FIELDS } from './agent/answer-field.ts';
import { LOGIN_RESPONSES } from './auth/login-response.ts';
import { TEST_LOGIN_BODIES } from './auth/test-login-body.ts';
import { TICKET_FIELDS } from './tickets.ts';
import { authEnvSetting } from './ws/auth-env.ts';
import { ERROR_FRAMES } from './ws/error-frame.ts';
import { EVENT_WRAPPERS } from './ws/event-wrapper.ts';
import { WS_HANDSHAKES } from './ws/handshake.ts';
import { idNamesSetting } from './ws/id-names.ts';
import { TYPE_KEYS } from './ws/type-key.ts';
import { wsAuthModesSetting } from './ws/auth-modes.ts';
import { ENVELOPES, type Envelope } from './ws/envelope.ts';
import { eventNamesSetting } from './ws/event-names.ts';
import { WS_REFUSALS } from './ws/refusal.ts';
import { WELCOME_TYPES } from './ws/server-frames.ts';
import { START_MESSAGE_SHAPES } from './ws/start-message.ts';
import { TIMESTAMP_FORMATS } from './ws/timestamps.ts';

const booleanFlag = (byDefault: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default(byDefault ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

const oneOf = <const Values extends readonly [string, ...string[]]>(values: Values) => z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** A route path such as /auth/login; `example` is shown when it is malformed. */
const routePath = (example: string) => z.string().regex(/^\/[\w\-./]*$/, `must be a path such as ${example} (letters, digits, - _ . /)`);

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a port number')
  .min(0, 'must be a port (0-65535)')
  .max(65535, 'must be a port (0-65535)');

const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** A second listener for the auth routes; unset keeps them on PORT. */
  AUTH_PORT: port.optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 needs a 256-bit key)'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  TICKET_TTL_SECONDS: z.coerce.number().int().positive().default(30),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  // Protocol variants: how real deployments differ from the contract's defaults (README, "Protocol variants").
  WS_AUTH_MODES: wsAuthModesSetting,
  WS_REFUSAL: oneOf(WS_REFUSALS).default('close'),
  WS_ENVELOPE: oneOf(ENVELOPES).default('root'),
  WS_WELCOME_ENVELOPE: oneOf(ENVELOPES).optional(),
  WS_WELCOME_TYPE: oneOf(WELCOME_TYPES).default('connection_established'),
  WS_TIMESTAMPS: oneOf(TIMESTAMP_FORMATS).default('iso'),
  EVENT_NAMES: eventNamesSetting,
  EVENT_USER_ID: oneOf(EVENT_USER_IDS).default('present'),
  ECHO_PROMPT: booleanFlag(true),
  START_MESSAGE: oneOf(START_MESSAGE_SHAPES).default('flat'),
  STREAM_CHUNKS: booleanFlag(false),
  ANSWER_SHAPE: oneOf(ANSWER_SHAPES).default('string'),
  TOOL_DURATION_FIELD: oneOf(TOOL_DURATION_FIELDS).default('duration_ms'),
  HEARTBEAT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .refine((ms) => ms === 0 || (ms >= 50 && ms <= 3_600_000), 'must be 0 (off) or 50-3600000 ms')
    .default(0),
  TICKETS: booleanFlag(true),
  LOGIN_DELAY_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must be 0 or more milliseconds')
    .max(120_000, 'must be at most 120000 ms (2 minutes)')
    .default(0),
  UI_LOGIN: oneOf(['form', 'oauth']).default('form'),
  UI_TEST_ID_ATTRIBUTE: z
    .string()
    .regex(/^data-[a-z][a-z0-9-]*$/, 'must be a data-* attribute name, e.g. data-qa')
    .default('data-testid'),
  TEST_LOGIN_BYPASS_KEY: z.string().min(16, 'must be at least 16 characters (it opens any account)').optional(),
  TEST_LOGIN_PATH: routePath('/auth/test-login').default('/auth/test-login'),
  TEST_LOGIN_BODY: oneOf(TEST_LOGIN_BODIES).default('email'),
  LOGIN_PATH: routePath('/auth/login').default('/auth/login'),
  LOGIN_RESPONSE: oneOf(LOGIN_RESPONSES).default('contract'),
  HEALTH_PATH: routePath('/health').default('/health'),
  READY_PATH: routePath('/health/ready').default('/health/ready'),
  TICKET_FIELD: oneOf(TICKET_FIELDS).default('ticket'),
  WS_AUTH_ENV: authEnvSetting,
  WS_HANDSHAKE: oneOf(WS_HANDSHAKES).default('off'),
  WS_EVENT_WRAPPER: oneOf(EVENT_WRAPPERS).default('off'),
  SUB_AGENTS: booleanFlag(false),
  CLEANUP_EVENTS: booleanFlag(false),
  ERROR_FRAME: oneOf(ERROR_FRAMES).default('contract'),
  ANSWER_FIELD: oneOf(ANSWER_FIELDS).default('final_response'),
  WS_TYPE_KEY: oneOf(TYPE_KEYS).default('type'),
  WS_ID_NAMES: idNamesSetting,
  TEST_LOGIN_HEADER: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'must be an HTTP header name such as X-Test-Bypass-Key (letters, digits, -)')
    .default('X-Test-Bypass-Key'),
  TEST_MODE: booleanFlag(false),
  PROVISION_USERS_FROM_TOKENS: booleanFlag(false),
  FAULTS: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVICE_VERSION: z.string().default('0.1.0'),
  SERVICE_COMMIT: z.string().optional(),
});

type ParsedSettings = z.infer<typeof settingsSchema>;

export type Settings = Omit<
  ParsedSettings,
  'FAULTS' | 'TEST_LOGIN_BYPASS_KEY' | 'TEST_LOGIN_PATH' | 'TEST_LOGIN_HEADER' | 'TEST_LOGIN_BODY' | 'WS_WELCOME_ENVELOPE'
> & {
  /** WS_WELCOME_ENVELOPE, or WS_ENVELOPE when it is not set. */
  WS_WELCOME_ENVELOPE: Envelope;
  faults: Faults;
  /** The test-login bypass, when TEST_LOGIN_BYPASS_KEY is set (test mode only). */
  testLogin: TestLoginSettings | undefined;
};

/** Reads every setting at once, so an operator sees all that is missing or malformed in one line. */
export function loadSettings(env: NodeJS.ProcessEnv): Settings {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = settingsSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.code === 'invalid_type' && blankAsUnset[name] === undefined ? `${name} is not set` : `${name} ${issue.message}`;
    });
    throw new StartupError('config', problems.join('; '), 'set these environment variables (see docs/REFERENCE-SERVICE.md)');
  }
  const { FAULTS, TEST_LOGIN_BYPASS_KEY, TEST_LOGIN_PATH, TEST_LOGIN_HEADER, TEST_LOGIN_BODY, WS_WELCOME_ENVELOPE, WS_AUTH_MODES, ...settings } = parsed.data;
  const faults = parseFaults(FAULTS, settings.TEST_MODE);
  if (!settings.TICKETS && blankAsUnset.WS_AUTH_MODES !== undefined && WS_AUTH_MODES.includes('ticket')) {
    throw new StartupError(
      'config',
      "WS_AUTH_MODES accepts 'ticket' but TICKETS=false leaves the service without a ticket endpoint",
      'take ticket out of WS_AUTH_MODES, or set TICKETS=true',
    );
  }
  if (TEST_LOGIN_BYPASS_KEY !== undefined && !settings.TEST_MODE) {
    throw new StartupError(
      'config',
      "TEST_LOGIN_BYPASS_KEY is set but TEST_MODE is not 'true'; the test-login bypass is refused outside test mode",
      'unset TEST_LOGIN_BYPASS_KEY, or set TEST_MODE=true on a service that is only used for tests',
    );
  }
  if (settings.WS_EVENT_WRAPPER === 'system_message' && settings.WS_TYPE_KEY === 'event') {
    throw new StartupError(
      'config',
      'WS_EVENT_WRAPPER=system_message puts the wrapped event under "event", which WS_TYPE_KEY=event uses for the type',
      'set WS_TYPE_KEY=type, or WS_EVENT_WRAPPER=off',
    );
  }
  const testLogin =
    TEST_LOGIN_BYPASS_KEY === undefined ? undefined : { key: TEST_LOGIN_BYPASS_KEY, path: TEST_LOGIN_PATH, header: TEST_LOGIN_HEADER, body: TEST_LOGIN_BODY };
  return {
    ...settings,
    // Without the ticket endpoint, a ticket on the upgrade is a transport this service does not take.
    WS_AUTH_MODES: settings.TICKETS ? WS_AUTH_MODES : WS_AUTH_MODES.filter((transport) => transport !== 'ticket'),
    WS_WELCOME_ENVELOPE: WS_WELCOME_ENVELOPE ?? settings.WS_ENVELOPE,
    faults,
    testLogin,
  };
}

/** The protocol variant in force, for the startup log: every setting that changes what clients see, never the bypass key. */
export function describeProtocol(settings: Settings) {
  return {
    ws_auth_modes: settings.WS_AUTH_MODES,
    ws_refusal: settings.WS_REFUSAL,
    ws_envelope: settings.WS_ENVELOPE,
    ws_welcome_envelope: settings.WS_WELCOME_ENVELOPE,
    ws_welcome_type: settings.WS_WELCOME_TYPE,
    ws_timestamps: settings.WS_TIMESTAMPS,
    event_names: settings.EVENT_NAMES,
    event_user_id: settings.EVENT_USER_ID,
    echo_prompt: settings.ECHO_PROMPT,
    start_message: settings.START_MESSAGE,
    stream_chunks: settings.STREAM_CHUNKS,
    answer_shape: settings.ANSWER_SHAPE,
    tool_duration_field: settings.TOOL_DURATION_FIELD,
    heartbeat_ms: settings.HEARTBEAT_MS,
    tickets: settings.TICKETS,
    login_delay_ms: settings.LOGIN_DELAY_MS,
    ui_login: settings.UI_LOGIN,
    ui_test_id_attribute: settings.UI_TEST_ID_ATTRIBUTE,
    test_login: settings.testLogin ? { path: settings.testLogin.path, header: settings.testLogin.header, body: settings.testLogin.body } : 'off',
    auth_port: settings.AUTH_PORT ?? 'off',
    login_path: settings.LOGIN_PATH,
    login_response: settings.LOGIN_RESPONSE,
    health_path: settings.HEALTH_PATH,
    ready_path: settings.READY_PATH,
    ticket_field: settings.TICKET_FIELD,
    ws_auth_env: settings.WS_AUTH_ENV ?? 'off',
    ws_handshake: settings.WS_HANDSHAKE,
    ws_event_wrapper: settings.WS_EVENT_WRAPPER,
    sub_agents: settings.SUB_AGENTS,
    cleanup_events: settings.CLEANUP_EVENTS,
    error_frame: settings.ERROR_FRAME,
    answer_field: settings.ANSWER_FIELD,
    ws_type_key: settings.WS_TYPE_KEY,
    ws_id_names: settings.WS_ID_NAMES,
  };
}
