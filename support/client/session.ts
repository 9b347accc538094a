import { decodeJwt } from 'jose';
import { registerSecret } from '../evidence/redaction/secrets.ts';
import type { LoginSettings, TicketSettings } from '../config/settings/model.ts';
import { fillTemplate } from '../json/template.ts';
import { valueAt } from '../json/value-at.ts';
import { requestJson, type JsonResponse } from './http.ts';

export interface Session {
  userId: string;
  accessToken: string;
}

/** How the contract logs in: its paths, bodies and answer, on the service's own host. */
export const CONTRACT_LOGIN: Omit<LoginSettings, 'strategy' | 'tokenStorageKey'> = {
  authUrl: undefined,
  path: '/auth/login',
  body: '{"email":"{{email}}","password":"{{password}}"}',
  tokenPath: 'access_token',
  userIdPath: 'user.id',
  bypass: { path: '/auth/test-login', header: 'X-Test-Bypass-Key', key: undefined, body: '{"email":"{{email}}"}' },
};

export const CONTRACT_TICKET: TicketSettings = { path: '/api/websocket/ticket', field: 'ticket' };

type LoginShape = Pick<LoginSettings, 'authUrl' | 'path' | 'body' | 'tokenPath' | 'userIdPath' | 'bypass'> & { strategy?: LoginSettings['strategy'] };

/**
 * An access token for the user: through the test-login endpoint with LOGIN_STRATEGY=bypass, else with
 * the password at LOGIN_PATH; both on AUTH_URL where the auth service is a host of its own.
 */
export async function signIn(baseUrl: string, user: { email: string; password?: string }, login: LoginShape = CONTRACT_LOGIN): Promise<Session> {
  const authUrl = (login.authUrl ?? baseUrl).replace(/\/$/, '');
  if (login.strategy === 'bypass') {
    const { path, header, key, body } = login.bypass;
    const response = await requestJson('POST', `${authUrl}${path}`, {
      body: fillTemplate(body, { email: user.email }, 'BYPASS_LOGIN_BODY'),
      headers: { [header]: key ?? '' },
    });
    return sessionFrom(
      response,
      user.email,
      `${path} (LOGIN_STRATEGY=bypass)`,
      'check AUTH_URL, BYPASS_LOGIN_PATH, BYPASS_HEADER, BYPASS_KEY and BYPASS_LOGIN_BODY',
      login,
    );
  }
  if (!user.password) throw new Error(`user ${user.email} has neither a password nor an access token`);
  const response = await requestPasswordLogin(baseUrl, { email: user.email, password: user.password }, login);
  return sessionFrom(response, user.email, login.path, 'check AUTH_URL, LOGIN_PATH and LOGIN_BODY', login);
}

/** The password login (LOGIN_PATH on AUTH_URL, body LOGIN_BODY), answered whatever the status: for tests that read more of the answer. */
export function requestPasswordLogin(baseUrl: string, user: { email: string; password: string }, login: LoginShape = CONTRACT_LOGIN): Promise<JsonResponse> {
  const body = fillTemplate(login.body, { email: user.email, password: user.password }, 'LOGIN_BODY');
  return requestJson('POST', `${(login.authUrl ?? baseUrl).replace(/\/$/, '')}${login.path}`, { body });
}

/**
 * The session in a login's answer: the token at LOGIN_TOKEN_PATH, the user id at LOGIN_USER_ID_PATH or,
 * where the answer has none there, in the token's `sub` claim. Anything else fails with the answer and
 * the settings to check.
 */
function sessionFrom(response: JsonResponse, email: string, where: string, check: string, login: LoginShape): Session {
  const accessToken = valueAt(response.body, login.tokenPath);
  if (response.status !== 200 || typeof accessToken !== 'string') {
    const problem = response.status === 200 ? `; the answer has no token at ${login.tokenPath} (LOGIN_TOKEN_PATH)` : '';
    throw new Error(`Could not log in as ${email} through ${where}: ${response.status} ${JSON.stringify(response.body)}${problem}: ${check}`);
  }
  registerSecret(accessToken);
  const userId = valueAt(response.body, login.userIdPath) ?? subjectOf(accessToken);
  if (typeof userId !== 'string') {
    throw new Error(
      `the login answer of ${email} names no user at ${login.userIdPath} (LOGIN_USER_ID_PATH), and the token has no sub claim: set LOGIN_USER_ID_PATH`,
    );
  }
  return { userId, accessToken };
}

function subjectOf(token: string): unknown {
  try {
    return decodeJwt(token).sub;
  } catch {
    return undefined;
  }
}

/** The ticket endpoint (TICKET_PATH), with this access token or none, answered whatever the status: for tests that assert it. */
export function requestTicket(baseUrl: string, accessToken?: string, ticket: TicketSettings = CONTRACT_TICKET): Promise<JsonResponse> {
  return requestJson('POST', `${baseUrl.replace(/\/$/, '')}${ticket.path}`, { token: accessToken });
}

/** A single-use WebSocket ticket, read at TICKET_FIELD; throws with the server's answer when it is refused. */
export async function fetchTicket(baseUrl: string, accessToken: string, ticket: TicketSettings = CONTRACT_TICKET): Promise<string> {
  const response = await requestTicket(baseUrl, accessToken, ticket);
  const value = valueAt(response.body, ticket.field);
  if (response.status !== 200 || typeof value !== 'string') {
    const problem = response.status === 200 ? `; no ticket at ${ticket.field}: set TICKET_FIELD` : '';
    throw new Error(`Could not get a WebSocket ticket at ${ticket.path}: ${response.status} ${JSON.stringify(response.body)}${problem}`);
  }
  registerSecret(value);
  return value;
}
