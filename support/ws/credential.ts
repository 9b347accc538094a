import { fetchTicket } from '../client/session.ts';
import type { WsAuthTransport, WsCredential } from './recording-socket.ts';

/** What a socket presents over `transport` for this access token: the token itself, or a single-use ticket fetched with it. */
export async function credentialFor(baseUrl: string, transport: WsAuthTransport, accessToken: string): Promise<WsCredential> {
  return transport === 'ticket' ? { transport, ticket: await fetchTicket(baseUrl, accessToken) } : { transport, token: accessToken };
}
