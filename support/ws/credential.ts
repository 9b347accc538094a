import { CONTRACT_TICKET, fetchTicket } from '../client/session.ts';
import type { TicketSettings } from '../config/settings/model.ts';
import type { WsAuthTransport, WsCredential } from './recording-socket.ts';

/** What a socket presents over `transport` for this access token: the token itself, or a single-use ticket fetched with it. */
export async function credentialFor(
  baseUrl: string,
  transport: WsAuthTransport,
  accessToken: string,
  ticket: TicketSettings = CONTRACT_TICKET,
): Promise<WsCredential> {
  return transport === 'ticket' ? { transport, ticket: await fetchTicket(baseUrl, accessToken, ticket) } : { transport, token: accessToken };
}
