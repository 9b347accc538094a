import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Redis } from 'ioredis';
import type { ProvisionTokenUser } from '../auth/provisioning.ts';
import { TokenRejectedError, type TokenService } from '../auth/tokens.ts';
import type { Faults } from '../faults.ts';
import { redeemTicket } from '../tickets.ts';
import { withoutQuery } from '../logger.ts';
import { credentialsOf, selectSubprotocol } from './credentials.ts';
import { acceptedTransportsText, type WsAuthTransport } from './auth-modes.ts';
import type { EncodeFrame, WelcomeType } from './server-frames.ts';
import type { Connection, ConnectionRegistry } from './connections.ts';
import { parseClientFrame } from './client-frames.ts';

export const WEBSOCKET_PATHS = new Set(['/ws', '/api/v1/websocket']);
export const MAX_FRAME_BYTES = 64 * 1024;
const HEARTBEAT_INTERVAL_MS = 30_000;
/** RFC 6455: policy violation. Sent right after the upgrade when the credential is missing or bad. */
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_GOING_AWAY = 1001;

export interface UserMessage {
  connection: Connection;
  text: string;
  threadId: string | undefined;
}

type Authentication = { ok: true; userId: string } | { ok: false; reason: string };

export interface Gateway {
  /** Closes every socket with 1001 and stops accepting upgrades. */
  close(): void;
}

export function attachGateway(
  server: Server,
  deps: {
    tokens: TokenService;
    provisionTokenUser: ProvisionTokenUser;
    redis: Redis;
    registry: ConnectionRegistry;
    faults: Faults;
    allowedOrigins: readonly string[];
    acceptedTransports: readonly WsAuthTransport[];
    welcomeType: WelcomeType;
    encodeFrame: EncodeFrame;
    log: Logger;
    onUserMessage: (message: UserMessage) => void;
  },
): Gateway {
  const { tokens, redis, registry, faults, log, encodeFrame } = deps;
  const accepted = acceptedTransportsText(deps.acceptedTransports);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: selectSubprotocol,
  });

  function originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    // Browsers always send Origin; other clients are not subject to cross-site attacks.
    if (origin === undefined || faults.has('accept_foreign_origin')) return true;
    const host = request.headers.host;
    return origin === `http://${host}` || origin === `https://${host}` || deps.allowedOrigins.includes(origin);
  }

  async function authenticate(request: IncomingMessage, url: URL): Promise<Authentication> {
    const offered = credentialsOf(request, url);
    // Like a proxy that strips what it does not pass on: a transport that is not accepted is never read.
    const credential = offered.find(({ transport }) => deps.acceptedTransports.includes(transport));
    if (!credential) {
      const [refused] = offered;
      return refused
        ? { ok: false, reason: `transport_not_accepted: credentials by ${refused.transport} are refused; ${accepted}` }
        : { ok: false, reason: `missing_credentials: send a credential; ${accepted}` };
    }
    if (credential.transport === 'ticket') {
      const holder = await redeemTicket(redis, credential.ticket);
      return holder ? { ok: true, userId: holder.userId } : { ok: false, reason: 'invalid_ticket: unknown, expired or already used' };
    }
    try {
      const claims = await tokens.verify(credential.token, 'access');
      await deps.provisionTokenUser(claims);
      return { ok: true, userId: claims.userId };
    } catch (error) {
      if (error instanceof TokenRejectedError) return { ok: false, reason: `${error.code}: ${error.message}` };
      throw error;
    }
  }

  function refuseUpgrade(socket: Duplex, status: number, statusText: string, body: object) {
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  }

  function open(socket: WebSocket, userId: string) {
    const connection: Connection = { id: randomUUID(), userId, socket };
    registry.add(connection);
    let alive = true;
    socket.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, HEARTBEAT_INTERVAL_MS);
    socket.on('close', () => {
      clearInterval(heartbeat);
      registry.remove(connection);
    });
    socket.on('error', (error) => log.warn({ err: error, connection_id: connection.id }, 'websocket error'));
    socket.on('message', (data, isBinary) => {
      const frame = parseClientFrame(isBinary ? undefined : data.toString());
      if (frame.type === 'ping') return socket.send(encodeFrame({ type: 'pong', timestamp: new Date().toISOString() }));
      if (frame.type === 'invalid') {
        return socket.send(encodeFrame({ type: 'error', code: 'invalid_message', message: frame.problem, timestamp: new Date().toISOString() }));
      }
      deps.onUserMessage({ connection, text: frame.text, threadId: frame.thread_id });
    });
    socket.send(encodeFrame({ type: deps.welcomeType, connection_id: connection.id, user_id: userId, timestamp: new Date().toISOString() }));
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://upgrade.invalid');
    if (!WEBSOCKET_PATHS.has(url.pathname)) {
      return refuseUpgrade(socket, 404, 'Not Found', { code: 'not_found', message: `no WebSocket endpoint at ${url.pathname}` });
    }
    if (!originAllowed(request)) {
      log.warn({ origin: request.headers.origin }, 'websocket upgrade refused: foreign origin');
      return refuseUpgrade(socket, 403, 'Forbidden', { code: 'origin_not_allowed', message: `Origin ${request.headers.origin} is not allowed` });
    }
    authenticate(request, url).then(
      (auth) =>
        wss.handleUpgrade(request, socket, head, (ws) => {
          if (!auth.ok) {
            log.info({ path: withoutQuery(request.url), reason: auth.reason }, 'websocket refused: authentication failed');
            return ws.close(CLOSE_POLICY_VIOLATION, auth.reason.slice(0, 123));
          }
          open(ws, auth.userId);
        }),
      (error: Error) => {
        log.error({ err: error }, 'websocket authentication could not be checked');
        refuseUpgrade(socket, 503, 'Service Unavailable', { code: 'dependency_unavailable', message: 'authentication backend unavailable' });
      },
    );
  });

  return {
    close() {
      for (const connection of registry.all()) connection.socket.close(CLOSE_GOING_AWAY, 'server shutting down');
      wss.close();
    },
  };
}
