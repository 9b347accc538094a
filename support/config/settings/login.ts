import { z } from 'zod';
import { dottedPath, jsonTemplate, setting, urlPath } from './schemas.ts';

/** How a user gets a session: where the auth service is, how it is asked, and where its answer holds the token. */
export const LOGIN_SETTINGS = {
  LOGIN_STRATEGY: setting({
    at: 'login.strategy',
    schema: z.enum(['ui', 'api-token', 'bypass'], 'must be one of ui, api-token, bypass').default('ui'),
    fix: 'set LOGIN_STRATEGY to ui (the login form), api-token (API login, token put in the page) or bypass (a test-login endpoint)',
    differs: ({ login }) => (login.strategy === 'ui' ? undefined : `browser signed in by ${login.strategy}, not the login form`),
  }),
  AUTH_URL: setting({
    at: 'login.authUrl',
    schema: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    resolve: (authUrl, read) => (read.target === 'external' ? authUrl : undefined),
    fix: 'set AUTH_URL to the auth service where it is a host of its own, e.g. https://auth.staging.example.com, or unset it (BASE_URL)',
    differs: ({ login }) => (login.authUrl === undefined ? undefined : `auth service at ${login.authUrl}`),
  }),
  LOGIN_PATH: setting({
    at: 'login.path',
    schema: urlPath.default('/auth/login'),
    fix: 'set LOGIN_PATH to the password login, e.g. /auth/login',
    differs: ({ login }) => (login.path === '/auth/login' ? undefined : `password login at ${login.path}`),
  }),
  LOGIN_BODY: setting({
    at: 'login.body',
    schema: jsonTemplate(['email', 'password']).default('{"email":"{{email}}","password":"{{password}}"}'),
    fix: 'set LOGIN_BODY to the JSON the password login reads, with {{email}} and {{password}}, e.g. {"username":"{{email}}","password":"{{password}}"}',
    differs: ({ login }) => (login.body === '{"email":"{{email}}","password":"{{password}}"}' ? undefined : `login body ${login.body}`),
  }),
  LOGIN_TOKEN_PATH: setting({
    at: 'login.tokenPath',
    schema: dottedPath('access_token or data.token').default('access_token'),
    fix: 'set LOGIN_TOKEN_PATH to where the login answer holds the access token, e.g. token',
    differs: ({ login }) => (login.tokenPath === 'access_token' ? undefined : `access token read at ${login.tokenPath}`),
  }),
  LOGIN_USER_ID_PATH: setting({
    at: 'login.userIdPath',
    schema: dottedPath('user.id').default('user.id'),
    fix: "set LOGIN_USER_ID_PATH to where the login answer holds the user's id, e.g. user.id (without one, the token's sub claim is used)",
  }),
  TOKEN_STORAGE_KEY: setting({ at: 'login.tokenStorageKey', schema: z.string().min(1).default('netra_access_token') }),
  BYPASS_LOGIN_PATH: setting({
    at: 'login.bypass.path',
    schema: urlPath.default('/auth/test-login'),
    fix: 'set BYPASS_LOGIN_PATH to the test-login endpoint, e.g. /auth/test-login',
    differs: ({ login }) =>
      login.strategy !== 'bypass' || (login.bypass.path === '/auth/test-login' && login.bypass.body === '{"email":"{{email}}"}')
        ? undefined
        : `test login at ${login.bypass.path} with ${login.bypass.body}`,
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
  BYPASS_LOGIN_BODY: setting({
    at: 'login.bypass.body',
    schema: jsonTemplate(['email']).default('{"email":"{{email}}"}'),
    fix: 'set BYPASS_LOGIN_BODY to the JSON the test-login endpoint reads, with {{email}}, e.g. {"email":"{{email}}","simulate_oauth":true}',
  }),
};
