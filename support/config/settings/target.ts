import { z } from 'zod';
import { setting, urlPath } from './schemas.ts';

const SECOND_USER_FIX = 'set both TEST_USER2_EMAIL and TEST_USER2_PASSWORD, or neither';

/** The WebSocket URL of a service: `ws(s)://<host>/ws` beside its http(s) base URL. */
export function deriveWsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/$/, '')}/ws`;
  return url.toString();
}

/** What is under test, its endpoints of health, and the accounts the tests use on it. */
export const TARGET_SETTINGS = {
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
  HEALTH_PATH: setting({
    at: 'healthPath',
    schema: urlPath.default('/health'),
    fix: "set HEALTH_PATH to the target's liveness endpoint, e.g. /healthz",
    differs: ({ healthPath }) => (healthPath === '/health' ? undefined : `liveness at ${healthPath}`),
  }),
  READINESS_PATH: setting({
    at: 'readinessPath',
    schema: urlPath.default('/health/ready'),
    fix: "set READINESS_PATH to the target's readiness endpoint, e.g. /health/ready",
    differs: ({ readinessPath }) => (readinessPath === '/health/ready' ? undefined : `readiness at ${readinessPath}`),
  }),
};
