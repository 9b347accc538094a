import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../auth/bearer.ts';

export const SUBPROTOCOL = 'jwt-auth';
const SUBPROTOCOL_TOKEN_PREFIX = `${SUBPROTOCOL}.`;

export type Credential = { transport: 'subprotocol' | 'header' | 'query'; token: string } | { transport: 'ticket'; ticket: string };

export function offeredSubprotocols(request: IncomingMessage): string[] {
  return (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter(Boolean);
}

/** Every credential an upgrade request carries, in the order of WS_AUTH_TRANSPORTS. */
export function credentialsOf(request: IncomingMessage, url: URL): Credential[] {
  const credentials: Credential[] = [];
  const fromSubprotocol = offeredSubprotocols(request).find((protocol) => protocol.startsWith(SUBPROTOCOL_TOKEN_PREFIX));
  if (fromSubprotocol) credentials.push({ transport: 'subprotocol', token: fromSubprotocol.slice(SUBPROTOCOL_TOKEN_PREFIX.length) });
  const fromHeader = bearerToken(request.headers.authorization);
  if (fromHeader) credentials.push({ transport: 'header', token: fromHeader });
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) credentials.push({ transport: 'query', token: fromQuery });
  const ticket = url.searchParams.get('ticket');
  if (ticket) credentials.push({ transport: 'ticket', ticket });
  return credentials;
}

/**
 * The server answers `jwt-auth` when the client offered it beside `jwt-auth.<token>`; a client that
 * offered only the token protocol gets that one back, since a WebSocket client fails the handshake on
 * any answer it did not offer.
 */
export function selectSubprotocol(protocols: Set<string>): string | false {
  if (protocols.has(SUBPROTOCOL)) return SUBPROTOCOL;
  for (const protocol of protocols) if (protocol.startsWith(SUBPROTOCOL_TOKEN_PREFIX)) return protocol;
  return false;
}
