import { registerSecret } from '../evidence/redaction/secrets.ts';
import type { LoginSettings } from '../config/settings.ts';
import { bypassLogin, passwordLogin, requestJson, type JsonResponse } from './http.ts';

export interface Session {
  userId: string;
  accessToken: string;
}

/** An access token for the user: through the test-login endpoint with LOGIN_STRATEGY=bypass, else with the password at /auth/login. */
export async function signIn(
  baseUrl: string,
  user: { email: string; password?: string },
  login: Pick<LoginSettings, 'strategy' | 'bypass'> = { strategy: 'ui', bypass: { path: '', header: '', key: undefined } },
): Promise<Session> {
  if (login.strategy === 'bypass') {
    const answer = await bypassLogin(baseUrl, user.email, login.bypass);
    return { userId: answer.user.id, accessToken: answer.access_token };
  }
  if (!user.password) throw new Error(`user ${user.email} has neither a password nor an access token`);
  const answer = await passwordLogin(baseUrl, { email: user.email, password: user.password });
  return { userId: answer.user.id, accessToken: answer.access_token };
}

/** POST /api/websocket/ticket, with this access token or none, answered whatever the status: for tests that assert it. */
export function requestTicket(baseUrl: string, accessToken?: string): Promise<JsonResponse<{ ticket?: string }>> {
  return requestJson('POST', `${baseUrl}/api/websocket/ticket`, { token: accessToken });
}

/** A single-use WebSocket ticket; throws with the server's answer when it is refused. */
export async function fetchTicket(baseUrl: string, accessToken: string): Promise<string> {
  const response = await requestTicket(baseUrl, accessToken);
  if (response.status !== 200 || typeof response.body?.ticket !== 'string') {
    throw new Error(`Could not get a WebSocket ticket: ${response.status} ${JSON.stringify(response.body)}`);
  }
  registerSecret(response.body.ticket);
  return response.body.ticket;
}
