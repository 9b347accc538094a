import type { IncomingMessage } from 'node:http';
import { bearerToken } from '../auth/bearer.ts';
import { environmentOfHeader, isCredentialSubprotocol, tokenFromSubprotocol } from './auth-env.ts';

export const SUBPROTOCOL = 'jwt-auth';
const SUBPROTOCOL_TOKEN_PREFIX = `${SUBPROTOCOL}.`;

/** A token credential; `unnamedEnvironment` is WS_AUTH_ENV when the credential did not name it. */
export type Credential =
  { transport: 'subprotocol' | 'header' | 'query'; token: string; unnamedEnvironment?: string } | { transport: 'ticket'; ticket: string };

export function offeredSubprotocols(request: IncomingMessage): string[] {
  return (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter(Boolean);
}

function tokenCredential(transport: 'subprotocol' | 'header' | 'query', token: string, authEnv: string | undefined, environmentMatches: boolean): Credential {
  return authEnv === undefined || environmentMatches ? { transport, token } : { transport, token, unnamedEnvironment: authEnv };
}

/** Every credential an upgrade request carries, in the order of WS_AUTH_TRANSPORTS; `authEnv` is WS_AUTH_ENV. */
export function credentialsOf(request: IncomingMessage, url: URL, authEnv: string | undefined): Credential[] {
  const credentials: Credential[] = [];
  const offered = offeredSubprotocols(request);
  if (authEnv === undefined) {
    const fromSubprotocol = offered.find((protocol) => protocol.startsWith(SUBPROTOCOL_TOKEN_PREFIX));
    if (fromSubprotocol) credentials.push({ transport: 'subprotocol', token: fromSubprotocol.slice(SUBPROTOCOL_TOKEN_PREFIX.length) });
  } else {
    const fromSubprotocol = offered.find(isCredentialSubprotocol);
    if (fromSubprotocol) {
      const { token, environmentMatches } = tokenFromSubprotocol(fromSubprotocol, authEnv);
      credentials.push(tokenCredential('subprotocol', token, authEnv, environmentMatches));
    }
  }
  const fromHeader = bearerToken(request.headers.authorization);
  if (fromHeader) credentials.push(tokenCredential('header', fromHeader, authEnv, environmentOfHeader(request) === authEnv));
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) credentials.push(tokenCredential('query', fromQuery, authEnv, url.searchParams.get('env') === authEnv));
  const ticket = url.searchParams.get('ticket');
  if (ticket) credentials.push({ transport: 'ticket', ticket });
  return credentials;
}

/**
 * The server answers `jwt-auth` when the client offered it beside `jwt-auth.<token>`; a client that
 * offered only the token protocol gets that one back, since a WebSocket client fails the handshake on
 * any answer it did not offer. Under WS_AUTH_ENV the whole credential protocol (`jwt.<env>.<token>`) is
 * answered, whichever scheme it used.
 */
export function createSubprotocolSelector(authEnv: string | undefined): (protocols: Set<string>) => string | false {
  const carriesToken = authEnv === undefined ? (protocol: string) => protocol.startsWith(SUBPROTOCOL_TOKEN_PREFIX) : isCredentialSubprotocol;
  return (protocols) => {
    if (protocols.has(SUBPROTOCOL)) return SUBPROTOCOL;
    for (const protocol of protocols) if (carriesToken(protocol)) return protocol;
    return false;
  };
}
