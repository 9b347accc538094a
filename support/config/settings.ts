import { z } from 'zod';
import type { LatencyThresholds } from '../protocol/latency.ts';
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
  postgresImage: string;
  redisImage: string;
  /** Fault switches for the bundled service of a local run (LOCAL_SERVICE_FAULTS): a red run on purpose. */
  localServiceFaults: string[];
  latency: LatencyThresholds;
}

const milliseconds = (fallback: number) =>
  z.coerce.number('must be a whole number of milliseconds').int('must be a whole number of milliseconds').positive('must be more than 0 ms').default(fallback);

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
  POSTGRES_IMAGE: z.string().default('postgres:16-alpine'),
  REDIS_IMAGE: z.string().default('redis:7-alpine'),
  LOCAL_SERVICE_FAULTS: z
    .string()
    .regex(/^\s*[a-z_0-9]+(:[^,]+)?(\s*,\s*[a-z_0-9]+(:[^,]+)?)*\s*$/, 'must be a comma list of fault switches, name or name:parameter')
    .optional(),
  LATENCY_CONNECT_MS: milliseconds(2000),
  LATENCY_FIRST_EVENT_MS: milliseconds(3000),
  LATENCY_COMPLETION_MS: milliseconds(10_000),
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

/** Validates every setting at once; throws a SettingsError that lists each problem with its fix. */
export function loadSettings(env: NodeJS.ProcessEnv): HarnessSettings {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(blankAsUnset);
  const problems: string[] = [];
  const problem = (name: string, text: string) => problems.push(`${name} ${text}${FIXES[name] ? `: ${FIXES[name]}` : ''}`);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problem(String(issue.path[0]), issue.message);
  }
  // Checked on the raw values too, so a malformed setting does not hide a missing one.
  if (blankAsUnset.TARGET === 'external') {
    if (blankAsUnset.LOCAL_SERVICE_FAULTS !== undefined) problem('LOCAL_SERVICE_FAULTS', 'is set, but TARGET=external starts no service to break');
    for (const name of ['BASE_URL', 'TEST_USER_EMAIL', 'TEST_USER_PASSWORD'] as const) {
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
    postgresImage: values.POSTGRES_IMAGE,
    redisImage: values.REDIS_IMAGE,
    localServiceFaults: values.LOCAL_SERVICE_FAULTS?.split(',').map((fault) => fault.trim()) ?? [],
    latency: {
      connectMs: values.LATENCY_CONNECT_MS,
      firstEventMs: values.LATENCY_FIRST_EVENT_MS,
      completionMs: values.LATENCY_COMPLETION_MS,
    },
  };
}
