import { registerSecret } from './evidence/secrets.ts';
import { login, requestJson } from './http.ts';

export interface Session {
  userId: string;
  accessToken: string;
}

/** An access token for the user: the one it carries (a synthetic user), or one from logging in. */
export async function signIn(baseUrl: string, user: { email: string; password?: string; id?: string; accessToken?: string }): Promise<Session> {
  if (user.accessToken && user.id) return { userId: user.id, accessToken: user.accessToken };
  if (!user.password) throw new Error(`user ${user.email} has neither a password nor an access token`);
  const answer = await login(baseUrl, { email: user.email, password: user.password });
  return { userId: answer.user.id, accessToken: answer.access_token };
}

/** A single-use WebSocket ticket; throws with the server's answer when it is refused. */
export async function fetchTicket(baseUrl: string, accessToken: string): Promise<string> {
  const response = await requestJson<{ ticket?: string }>('POST', `${baseUrl}/api/websocket/ticket`, { token: accessToken });
  if (response.status !== 200 || typeof response.body?.ticket !== 'string') {
    throw new Error(`Could not get a WebSocket ticket: ${response.status} ${JSON.stringify(response.body)}`);
  }
  registerSecret(response.body.ticket);
  return response.body.ticket;
}
